"""Every write to guidelines and their rules. Pages, API and admin call these and nothing else.

Each change writes a GuidelineVersion (text and rules as they now stand, who, what changed) in the same
transaction, so the history is complete and a submit can record the version it was checked under.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from cocreate import limits
from cocreate.errors import Conflict
from contributors.guidelines import selectors
from contributors.guidelines.checks import rule_from
from contributors.guidelines.models import Guideline, GuidelineRule, GuidelineVersion
from contributors.models import Board, User
from contributors.permissions import require_manager

MAX_TEXT_LENGTH = limits.GUIDELINE_TEXT_MAX_CHARS
MAX_RULES = limits.GUIDELINE_RULES_MAX


def _locked_guideline(board: Board) -> Guideline:
    try:
        with transaction.atomic():
            Guideline.objects.get_or_create(board=board)
    except IntegrityError:  # another request created it first; it exists now
        pass
    return Guideline.objects.select_for_update().get(board=board)


def _require_current_version(guideline: Guideline, version: int | None) -> None:
    """409 when the caller edited an older version than the guidelines' (None: the caller did not say)."""
    if version is not None and version != guideline.version:
        raise Conflict(
            f"The guidelines changed since you opened them (you had version {version}, they are now at version "
            f"{guideline.version}). Reload them and apply your changes again."
        )


def _record_version(guideline: Guideline, actor: User | None, change: str) -> GuidelineVersion:
    guideline.version += 1
    guideline.save()
    return GuidelineVersion.objects.create(
        guideline=guideline,
        number=guideline.version,
        brand=guideline.brand,
        tone=guideline.tone,
        rules=[rule.snapshot() for rule in guideline.rules.all()],
        change=change[:300],
        author=actor,
    )


@transaction.atomic
def guideline_update(
    *,
    board: Board,
    actor: User | None,
    brand: str | None = None,
    tone: str | None = None,
    version: int | None = None,
) -> Guideline:
    """Save new brand guidelines and/or tone of voice; no new version when nothing changed.

    `version` is the one the caller started from: 409 when the guidelines have moved on since.
    """
    require_manager(actor, board)
    limits.require_within({"brand": (brand, MAX_TEXT_LENGTH), "tone": (tone, MAX_TEXT_LENGTH)})
    guideline = _locked_guideline(board)
    _require_current_version(guideline, version)
    changed = []
    if brand is not None and brand != guideline.brand:
        guideline.brand = brand
        changed.append("brand guidelines")
    if tone is not None and tone != guideline.tone:
        guideline.tone = tone
        changed.append("tone of voice")
    if changed:
        _record_version(guideline, actor, f"Edited the {' and '.join(changed)}.")
    return guideline


def _clean_rule(*, kind: str, severity: str, params: dict) -> dict:
    try:
        return rule_from(kind=kind, severity=severity, params=params).params
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and not {"kind", "severity"} & set(exc.error_dict):
            raise ValidationError({"params": [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]}) from exc
        raise


@transaction.atomic
def guideline_rule_create(
    *, board: Board, actor: User | None, kind: str, severity: str, params: dict, version: int | None = None
) -> GuidelineRule:
    require_manager(actor, board)
    params = _clean_rule(kind=kind, severity=severity, params=params)
    guideline = _locked_guideline(board)
    _require_current_version(guideline, version)
    if guideline.rules.count() >= MAX_RULES:
        raise ValidationError(f"A board has at most {MAX_RULES} rules.")
    rule = GuidelineRule.objects.create(guideline=guideline, kind=kind, severity=severity, params=params)
    _record_version(guideline, actor, f"Added rule #{rule.pk}: {rule.as_rule().describe()} ({severity})")
    return rule


def _locked_rule(board: Board, rule_id: int, version: int | None) -> tuple[Guideline, GuidelineRule]:
    guideline = _locked_guideline(board)
    _require_current_version(guideline, version)
    rule = guideline.rules.filter(pk=rule_id).first()
    if rule is None:
        raise Http404("No such rule on this board.")
    return guideline, rule


@transaction.atomic
def guideline_rule_update(
    *,
    board: Board,
    actor: User | None,
    rule_id: int,
    severity: str | None = None,
    params: dict | None = None,
    version: int | None = None,
) -> GuidelineRule:
    require_manager(actor, board)
    guideline, rule = _locked_rule(board, rule_id, version)
    severity = rule.severity if severity is None else severity
    params = _clean_rule(kind=rule.kind, severity=severity, params=rule.params if params is None else params)
    if (severity, params) == (rule.severity, rule.params):
        return rule
    rule.severity, rule.params = severity, params
    rule.save()
    _record_version(guideline, actor, f"Changed rule #{rule.pk}: {rule.as_rule().describe()} ({severity})")
    return rule


@transaction.atomic
def guideline_rule_delete(*, board: Board, actor: User | None, rule_id: int, version: int | None = None) -> None:
    require_manager(actor, board)
    guideline, rule = _locked_rule(board, rule_id, version)
    description = rule.as_rule().describe()
    rule_pk = rule.pk
    rule.delete()
    _record_version(guideline, actor, f"Removed rule #{rule_pk}: {description}")


def guideline_submit_check(*, draft, actor) -> dict:
    """The submit gate (drafts/gates.py): blocking problems refuse the submit, warnings go on the event."""
    guideline = selectors.guideline_for_board(draft.board)
    if not guideline.pk:
        return {}
    report = selectors.guideline_check(
        guideline,
        title=draft.title,
        body=draft.body,
        variants=draft.variants,
        author_role=selectors.role_for_checks(draft.author, draft.board),
    )
    if report.blocking:
        blocking = [problem for problem in report.problems if problem.blocking]
        more = [f"… and {report.hidden:,} more problems."] if report.hidden else []
        raise ValidationError(
            [f"The board's guidelines (version {guideline.version}) block this submit:"]
            + [str(problem) for problem in blocking]
            + more
        )
    data = {
        "guideline_version": guideline.version,
        "guideline_warnings": [problem.as_dict() for problem in report.problems],
    }
    if report.hidden:
        data["guideline_warnings_total"] = report.total
    return data
