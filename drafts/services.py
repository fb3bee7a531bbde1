"""Every write to a draft. Pages, API, admin and Celery tasks call these and nothing else."""

import copy
import logging
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from cocreate import limits
from cocreate.errors import Conflict
from cocreate.ids import MAX_ID
from contributors.agreements.gate import require_access
from contributors.models import Board, User
from contributors.permissions import has_board_perm
from contributors.roles import CONTRIBUTE
from drafts import anchoring, rules, steps
from drafts.gates import run_argument_checks, run_submit_checks, run_transition_effects, variant_targets
from drafts.models import Draft, DraftApproval, DraftComment, DraftEvent, DraftRevision, DraftState
from drafts.planning.models import Pillar
from drafts.selectors import comment_get, draft_get_for_user

MAX_TAGS = 20
TAG_PATTERN = re.compile(r"^[\w][\w .&+-]{0,39}$")
CHANNEL_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")  # a brief's channels
VARIANT_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_:-]{0,39}$")
MAX_BODY_LENGTH = 200_000

logger = logging.getLogger(__name__)


def _clean_content(
    *, title: str, body: str, tags, variants, board, kept_keys=()
) -> tuple[str, str, list[str], dict[str, str]]:
    errors: dict[str, list[str]] = {}
    # A title is one line: it becomes a mail subject, a page heading and often a post's first line.
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = ["A title is required."]
    elif len(title) > 200:
        errors["title"] = [f"Keep the title to 200 characters (it has {len(title)})."]
    body = body or ""
    if len(body) > MAX_BODY_LENGTH:
        errors["body"] = [f"The body is limited to {MAX_BODY_LENGTH:,} characters."]
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        errors["tags"] = ["Tags must be a list of strings."]
    else:
        tags = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
        bad = [t for t in tags if not TAG_PATTERN.match(t)]
        if bad:
            errors["tags"] = [f"Tags are 1-40 letters, digits, spaces or .&+-_ ; not: {', '.join(bad)}."]
        elif len(tags) > MAX_TAGS:
            errors["tags"] = [f"At most {MAX_TAGS} tags."]
    if variants is None:
        variants = {}
    if not isinstance(variants, dict) or not all(isinstance(v, str) for v in variants.values()):
        errors["variants"] = [
            'Variants must be an object of channel -> text, e.g. {"kind:x": "Short post", "channel:12": "..."}.'
        ]
    else:
        variants = {k: v for k, v in variants.items() if v.strip()}
        errors.update(_variant_key_errors(variants, board=board, kept_keys=kept_keys))
    if errors:
        raise ValidationError(errors)
    return title, body, tags, variants


def _variant_key_errors(variants: dict, *, board, kept_keys) -> dict[str, list[str]]:
    """A variant is for one of the board's channels (channel:<id>) or for a kind (kind:<kind>); keys the
    draft already has are kept even when their channel has gone, so an old draft still saves."""
    targets = variant_targets(board)
    new = [str(key) for key in variants if key not in kept_keys]
    if targets is None:
        bad = [key for key in new if not VARIANT_KEY_PATTERN.match(key)]
    else:
        bad = [key for key in new if key not in targets]
    if not bad:
        return {}
    kinds = sorted(key for key in (targets or {}) if key.startswith("kind:"))
    hint = f" Use channel:<id> of one of this board's channels, or one of {', '.join(kinds)}." if kinds else ""
    return {"variants": [f"No such channel or kind for a variant: {', '.join(bad)}.{hint}"]}


def _clean_pillars(pillar_ids, *, board) -> list[Pillar]:
    """The board's pillars with these ids; any other id is refused by name, so nothing of another board leaks."""
    if not isinstance(pillar_ids, list | tuple | set) or not all(
        isinstance(pk, int) and not isinstance(pk, bool) for pk in pillar_ids
    ):
        raise ValidationError({"pillars": ["Give the pillars as a list of pillar ids of the draft's board."]})
    wanted = set(pillar_ids)
    in_range = [pk for pk in wanted if 0 < pk <= MAX_ID]
    pillars = list(Pillar.objects.filter(board=board, pk__in=in_range).order_by("position", "name", "id"))
    unknown = wanted - {p.pk for p in pillars}
    if unknown:
        raise ValidationError(
            {
                "pillars": [
                    f"Choose pillars of the board {board.name}; these are not among them: "
                    f"{', '.join(map(str, sorted(unknown)))}."
                ]
            }
        )
    return pillars


def _set_pillars(draft: Draft, pillars: list[Pillar]) -> bool:
    """Planning metadata, not content: no revision, and not in what the publishing fingerprint covers."""
    before = set(draft.pillars.values_list("pk", flat=True))
    if before == {p.pk for p in pillars}:
        return False
    draft.pillars.set(pillars)
    return True


def require_current_version(draft: Draft, version: int | None) -> None:
    """409 when the caller edited an older version than the draft's (None: the caller did not say)."""
    if version is not None and version != draft.version:
        raise Conflict(
            f"This draft changed since you opened it (you had version {version}, it is now {draft.version}). "
            "Reload it and apply your changes again."
        )


def record_revision(draft: Draft, author: User | None, *, amend_within: timedelta | None = None) -> DraftRevision:
    """A snapshot of the draft's content now (text and images), numbered after the last one.

    With `amend_within` (autosave), the latest revision is brought up to date instead of adding one when the
    same person wrote it, for the same round, less than that long ago, and nobody has commented since: a
    sitting of typing leaves one revision per stretch of minutes, not one per pause.
    """
    latest = draft.revisions.order_by("-number").first()
    content = {
        "title": draft.title,
        "body": draft.body,
        "tags": draft.tags,
        "variants": draft.variants,
        "images": [
            {"sha256": sha256, "alt_text": alt} for sha256, alt in draft.images.values_list("sha256", "alt_text")
        ],
    }
    # Content is saved only in the draft state, for the submit that comes next.
    review_round = draft.review_round + 1
    if amend_within is not None and _may_amend(latest, draft, author, review_round, amend_within):
        assert latest is not None
        for name, value in content.items():
            setattr(latest, name, value)
        latest.save(update_fields=list(content))
        return latest
    return DraftRevision.objects.create(
        draft=draft,
        number=(latest.number if latest else 0) + 1,
        author=author,
        review_round=review_round,
        **content,
    )


def _may_amend(
    latest: DraftRevision | None, draft: Draft, author: User | None, review_round: int, within: timedelta
) -> bool:
    if latest is None or author is None or latest.author_id != author.pk or latest.review_round != review_round:
        return False
    if latest.created_at < timezone.now() - within:
        return False
    # A revision somebody may have commented on stays as it was.
    return not draft.comments.filter(created_at__gte=latest.created_at).exists()


def _field_values(draft: Draft) -> dict:
    return {
        field.attname: copy.deepcopy(getattr(draft, field.attname))
        for field in Draft._meta.concrete_fields
        if not field.primary_key
    }


_batch = threading.local()


def _enqueue_notification(event: DraftEvent) -> None:
    from drafts.tasks import notify_draft_event

    batch = getattr(_batch, "event_ids", None)
    if batch is not None:
        transaction.on_commit(lambda: batch.append(event.pk))
    else:
        transaction.on_commit(lambda: notify_draft_event.delay(event.pk))


@contextmanager
def notifications_batched():
    """The events committed meanwhile on this thread are e-mailed by one task, sent at the end, instead of
    a task each (a publishing batch settles many drafts at once)."""
    from drafts.tasks import notify_draft_events

    _batch.event_ids = event_ids = []
    try:
        yield
    finally:
        del _batch.event_ids
        if event_ids:
            notify_draft_events.delay(event_ids)


@transaction.atomic
def draft_create(
    *,
    board: Board,
    author: User,
    title: str,
    body: str = "",
    tags: list[str] | None = None,
    variants: dict[str, str] | None = None,
    pillars: list[int] | None = None,
) -> Draft:
    """`pillars`: ids of the board's content pillars (drafts.planning)."""
    limits.require_draft_text_within(title=title, body=body, variants=variants)
    if not has_board_perm(author, board, CONTRIBUTE):
        raise PermissionDenied("You cannot write drafts on this board.")
    require_access(author, board)  # an unsigned agreement refuses it, naming the agreement
    title, body, tags, variants = _clean_content(title=title, body=body, tags=tags, variants=variants, board=board)
    chosen = _clean_pillars(pillars, board=board) if pillars else []
    draft = Draft.objects.create(board=board, author=author, title=title, body=body, tags=tags, variants=variants)
    if chosen:
        draft.pillars.set(chosen)
    record_revision(draft, author)
    DraftEvent.objects.create(draft=draft, actor=author, transition="create", source="", target=draft.state)
    return draft


@transaction.atomic
def draft_update(
    *,
    draft_id: int,
    actor: User,
    version: int,
    title: str | None = None,
    body: str | None = None,
    tags: list[str] | None = None,
    variants: dict[str, str] | None = None,
    pillars: list[int] | None = None,
    amend_revision_within: timedelta | None = None,
) -> Draft:
    """Save new content if `version` is still current; otherwise 409 and nothing changes.

    `pillars` (ids of the board's pillars; None: unchanged) are planning metadata: a change of them alone
    moves the version on but records no revision. `amend_revision_within` is for autosave: see
    record_revision."""
    limits.require_draft_text_within(title=title, body=body, variants=variants)
    draft = draft_get_for_user(actor, draft_id, for_update=True)
    require_current_version(draft, version)
    if not rules.can_edit(draft, actor):
        raise PermissionDenied(
            "Only drafts in the draft state can be edited, by their authors or the board's reviewers."
        )
    title, body, tags, variants = _clean_content(
        title=draft.title if title is None else title,
        body=draft.body if body is None else body,
        tags=draft.tags if tags is None else tags,
        variants=draft.variants if variants is None else variants,
        board=draft.board,
        kept_keys=set(draft.variants),
    )
    pillars_changed = pillars is not None and _set_pillars(draft, _clean_pillars(pillars, board=draft.board))
    if (title, body, tags, variants) == (draft.title, draft.body, draft.tags, draft.variants):
        if pillars_changed:
            draft.version += 1
            draft.save(update_fields=["version", "updated_at"])
        return draft
    draft.title, draft.body, draft.tags, draft.variants = title, body, tags, variants
    draft.version += 1
    draft.save()
    record_revision(draft, actor, amend_within=amend_revision_within)
    return draft


@transaction.atomic
def draft_transition(
    *,
    draft_id: int,
    name: str,
    actor: User | None,
    expected_version: int | None = None,
    data: dict | None = None,
    **arguments,
) -> DraftEvent:
    """Take transition `name` on a draft: lock, check, apply, bump the version, audit. One transaction.

    `arguments` are the step's (drafts.steps: e.g. comment, publish_at), validated there.

    actor=None is the system (publishing workers); it may take only the transitions marked system, and
    gets Draft.DoesNotExist for a draft that is gone. For people it raises Http404 (cannot see the draft,
    or no such transition), Conflict (wrong state, stale version, lost a race), PermissionDenied (may see
    but not do this) or ValidationError (bad arguments).
    """
    step = steps.step_get(name)
    if actor is None:
        draft = Draft.objects.select_for_update(of=("self",)).select_related("board").get(pk=draft_id)
    else:
        draft = draft_get_for_user(actor, draft_id, for_update=True)
    if expected_version is not None and expected_version != draft.version:
        raise Conflict(f"This draft changed since you loaded it (version {expected_version}, now {draft.version}).")
    method = getattr(draft, name)
    if not can_proceed(method):
        raise Conflict(f"A draft in state '{draft.state}' cannot be {step.done}.")
    is_system = _is_system_transition(draft, name)
    if is_system and actor is not None:
        raise PermissionDenied("Publishing outcomes are reported by the publishing workers only.")
    if not is_system and (actor is None or not has_transition_perm(method, actor)):
        raise PermissionDenied(_refusal(name, draft, actor))
    comment, kwargs = step.clean(draft, arguments)
    kwargs = run_argument_checks(name, draft=draft, arguments=kwargs)
    for_effects = {key: kwargs.pop(key) for key in step.effect_arguments if key in kwargs}
    gate_data = run_submit_checks(draft=draft, actor=actor) if name == "submit" else {}
    if name == "approve" and actor is not None:  # always a person: approve is no system step
        kwargs["approvals"] = _record_approval(draft, actor)

    source = draft.state
    before = _field_values(draft)
    method(**kwargs)
    draft.version += 1
    if draft.state != source:
        draft.state_since = timezone.now()  # the queue's "waiting since": when it entered this state
    # Only what the transition changed (and updated_at): the body and the variants are not written again.
    changed = [name for name, value in _field_values(draft).items() if before[name] != value]
    draft.save(update_fields=[*changed, "updated_at"])
    run_transition_effects(name, draft=draft, actor=actor, arguments=for_effects)
    given = {**kwargs, **for_effects}
    event_data = {**(data or {}), **gate_data, **{key: _as_json(value) for key, value in given.items()}}
    if name == "approve":
        event_data["required"] = draft.board.required_approvals
    event = DraftEvent.objects.create(
        draft=draft, actor=actor, transition=name, source=source, target=draft.state, comment=comment, data=event_data
    )
    _enqueue_notification(event)
    return event


@transaction.atomic
def drafts_mark_published(*, draft_ids: list[int], data: dict | None = None) -> list[DraftEvent]:
    """The system's mark_published for many drafts at once (a publishing batch settles dozens): the same
    transition, version bump and audit row as draft_transition(name="mark_published", actor=None) takes one
    by one, in four statements for the lot. Drafts no longer scheduled (cancelled meanwhile) are left out."""
    taken = list(
        Draft.objects.select_for_update()
        .filter(pk__in=draft_ids, state=DraftState.SCHEDULED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not taken:
        return []
    now = timezone.now()
    Draft.objects.filter(pk__in=taken).update(
        state=DraftState.PUBLISHED, state_since=now, version=F("version") + 1, updated_at=now
    )
    events = DraftEvent.objects.bulk_create(
        DraftEvent(
            draft_id=pk,
            actor=None,
            transition="mark_published",
            source=DraftState.SCHEDULED,
            target=DraftState.PUBLISHED,
            data=data or {},
        )
        for pk in taken
    )
    for event in events:
        _enqueue_notification(event)
    return events


def _record_approval(draft: Draft, reviewer: User) -> int:
    try:
        with transaction.atomic():
            DraftApproval.objects.create(
                draft=draft, reviewer=reviewer, review_round=draft.review_round, version=draft.version
            )
    except IntegrityError as exc:
        raise Conflict("You have already approved this draft.") from exc
    return draft.approvals.filter(review_round=draft.review_round).count()


def _is_system_transition(draft: Draft, name: str) -> bool:
    transitions = Draft._meta.get_field("state").get_all_transitions(Draft)
    return any(t.name == name and t.custom.get("system") for t in transitions)


def _as_json(value):
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json(item) for item in value]
    return value.isoformat() if isinstance(value, datetime) else value


def _refusal(name: str, draft: Draft, actor: User | None) -> str:
    if name == "approve" and rules.is_author(draft, actor):
        return "Nobody approves their own draft: another reviewer must approve it."
    if name == "approve" and rules.can_review(draft, actor) and rules.wrote_round_under_review(draft, actor):
        return (
            "You edited the text submitted for this review, so your approval would not be independent: "
            "another reviewer must approve it."
        )
    if name == "approve" and rules.can_review(draft, actor):
        return "You have already approved this draft in this review round."
    return f"You are not allowed to take the step “{steps.step_get(name).button}” on this draft."


@transaction.atomic
def draft_coauthors_set(*, draft_id: int, actor: User, coauthor_ids: list[int]) -> Draft:
    """Replace the draft's co-authors. They must write for the board; the change is audited."""
    draft = draft_get_for_user(actor, draft_id, for_update=True)
    if not rules.can_set_coauthors(draft, actor):
        if draft.state != DraftState.DRAFT:
            raise PermissionDenied(
                "Co-authors cannot change once a draft is submitted: who wrote the round under review is settled."
            )
        raise PermissionDenied("Only the draft's author or the board's managers choose its co-authors.")
    wanted = set(coauthor_ids) - {draft.author_id}
    in_range = [pk for pk in wanted if 0 < pk <= MAX_ID]  # any other id names nobody: refused below, not a 500
    users = list(User.objects.filter(pk__in=in_range, is_active=True).order_by("username"))
    refused = wanted - {u.pk for u in users if has_board_perm(u, draft.board, CONTRIBUTE)}
    if refused:
        raise ValidationError(
            {"coauthors": [f"Co-authors must write for this board; not: {', '.join(map(str, sorted(refused)))}."]}
        )
    before = set(draft.coauthors.values_list("pk", flat=True))
    if before == wanted:
        return draft
    draft.coauthors.set(users)
    return _metadata_changed(draft, actor, "set_coauthors", {"coauthors": [u.username for u in users]})


def _metadata_changed(draft: Draft, actor, transition: str, data: dict) -> Draft:
    """After a change beside the content (co-authors, pillars): the version moves on, so an editor left open
    gets a conflict instead of undoing it, and the change is audited without a revision."""
    draft.version += 1
    draft.save(update_fields=["version", "updated_at"])
    DraftEvent.objects.create(
        draft=draft, actor=actor, transition=transition, source=draft.state, target=draft.state, data=data
    )
    return draft


@transaction.atomic
def draft_pillars_set(*, draft_id: int, actor: User, pillar_ids: list[int], version: int | None = None) -> Draft:
    """Choose the draft's content pillars (of its board): its writers while it can be edited, the board's managers
    in any state but archived. Planning metadata: no revision, and the publishing fingerprint does not change;
    the change is audited and moves the version on."""
    draft = draft_get_for_user(actor, draft_id, for_update=True)
    require_current_version(draft, version)
    if not rules.can_set_pillars(draft, actor):
        raise PermissionDenied(
            "Only the draft's writers, while it is a draft, and the board's managers choose its pillars."
        )
    pillars = _clean_pillars(pillar_ids, board=draft.board)
    if not _set_pillars(draft, pillars):
        return draft
    return _metadata_changed(draft, actor, "set_pillars", {"pillars": [pillar.name for pillar in pillars]})


@transaction.atomic
def comment_create(
    *,
    draft_id: int,
    author: User,
    body: str,
    parent_id: int | None = None,
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
    position: int | None = None,
) -> DraftComment:
    """A comment by anyone who may see the draft: on the whole draft, on a passage of its text (`quote`, with
    the text just before and after it to tell repeats apart), or a reply in a thread (`parent_id`)."""
    limits.require_comment_within(body)
    draft = draft_get_for_user(author, draft_id)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["A comment cannot be empty."]})
    parent = None
    if parent_id is not None:
        if quote:
            raise ValidationError({"quote": ["A reply belongs to its thread's passage: leave the quote out."]})
        parent = comment_get(draft, parent_id)
        parent = parent.parent or parent  # one level of threads: a reply to a reply joins the same thread
    anchor_fields = _anchor_fields(draft, quote=quote, prefix=prefix, suffix=suffix, position=position) if quote else {}
    comment = DraftComment.objects.create(draft=draft, author=author, body=body, parent=parent, **anchor_fields)
    _enqueue_comment_notification(comment)
    return comment


def _enqueue_comment_notification(comment: DraftComment) -> None:
    """The draft's authors, the thread and the people @mentioned are told by a worker after commit."""
    from contributors.notifications.tasks import notify_comment

    pk = comment.pk
    transaction.on_commit(lambda: notify_comment.delay(pk))


def _anchor_fields(draft: Draft, *, quote: str, prefix: str, suffix: str, position: int | None) -> dict:
    """The passage as found in the draft's text now, with its context taken from that text."""
    if len(quote) > anchoring.QUOTE_MAX_CHARS:
        raise ValidationError(
            {
                "quote": [
                    f"Select at most {anchoring.QUOTE_MAX_CHARS:,} characters to comment on (it has {len(quote):,})."
                ]
            }
        )
    if not quote.strip():
        raise ValidationError({"quote": ["Select some words of the draft to comment on."]})
    text = anchoring.body_text(draft.body)
    anchor = anchoring.locate(text, quote=quote, prefix=prefix or "", suffix=suffix or "", position=position)
    if anchor.status != "exact" or anchor.start is None or anchor.end is None:
        raise ValidationError(
            {"quote": ["That passage is not in the draft's text now. Reload the draft and select it again."]}
        )
    before, after = anchoring.context_around(text, anchor.start, anchor.end)
    return {
        "quote": quote,
        "prefix": before,
        "suffix": after,
        "position": anchor.start,
        "revision": draft.revisions.order_by("-number").first(),
    }


@transaction.atomic
def comment_resolve(*, draft_id: int, comment_id: int, actor: User, resolved: bool = True) -> DraftComment:
    """Mark a thread resolved (or open it again). Allowed to the comment's author, the draft's authors and
    the board's reviewers and managers (rules.can_resolve_comment); replies are resolved with their thread."""
    draft = draft_get_for_user(actor, draft_id)
    comment = comment_get(draft, comment_id)
    if comment.parent_id is not None:
        raise ValidationError({"comment": ["Resolve the thread this reply belongs to, not the reply."]})
    if not rules.can_resolve_comment(comment, actor):
        raise PermissionDenied(
            "Only the comment's author, the draft's authors and the board's reviewers resolve comments."
        )
    comment = (
        DraftComment.objects.select_for_update(of=("self",)).select_related("author", "resolved_by").get(pk=comment.pk)
    )
    if resolved == (comment.resolved_at is not None):
        return comment
    comment.resolved_at, comment.resolved_by = (timezone.now(), actor) if resolved else (None, None)
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def draft_event_notify(*, event_id: int) -> bool:
    """Tell the people concerned about a workflow step (draft_events_notify for one event)."""
    return draft_events_notify(event_ids=[event_id]) == 1


def draft_events_notify(*, event_ids: list[int]) -> int:
    """Tell the people concerned about workflow steps (contributors.notifications.fanout: the reviewers of a
    submit, the authors of a send-back, approval, schedule or publication, the authors and managers of a
    failure), in the app and by e-mail as each prefers. The events are claimed first, so each is told once
    (and notify() makes each notification once anyway); all are decided and written together, in a fixed
    number of queries for the batch. Returns how many events this call claimed.

    The e-mails themselves go from their own task after commit (contributors.notifications.mail), each
    claimed before SMTP is spoken to, so a slow mail server holds no transaction; a failure here gives the
    claims back, so the task's retry tells them after all."""
    from contributors.notifications.fanout import draft_events_fanout

    claimed_at = timezone.now()
    DraftEvent.objects.filter(pk__in=event_ids, notified_at=None).update(notified_at=claimed_at)
    events = list(
        DraftEvent.objects.filter(pk__in=event_ids, notified_at=claimed_at)
        .select_related("draft__author", "actor", "draft__board")
        .order_by("pk")
    )
    if not events:
        return 0
    try:
        draft_events_fanout(events)
    except Exception:
        DraftEvent.objects.filter(pk__in=[event.pk for event in events], notified_at=claimed_at).update(
            notified_at=None
        )
        raise
    return len(events)


# Events nobody is told about (draft_transition enqueues the others).
NOT_NOTIFIED = {"create", "set_coauthors", "set_deadline", "clear_deadline", "set_pillars"}
# An event not e-mailed after this long lost its task (a worker killed mid-batch, a broker restart, retries
# spent on a mail server that was down); past the window it is history, not news.
NOTIFY_SWEEP_GRACE = timedelta(minutes=5)
NOTIFY_SWEEP_WINDOW = timedelta(days=1)
NOTIFY_SWEEP_BATCH = 100


def draft_events_notify_missed(*, now=None, limit: int = 1000) -> int:
    """Enqueue again the e-mails of events whose task was lost. Safe to overlap a task still on its way: each
    event is claimed before it is sent (draft_event_notify), so it goes once."""
    from drafts.tasks import notify_draft_events

    now = now or timezone.now()
    missed = list(
        DraftEvent.objects.filter(
            notified_at=None,
            created_at__gte=now - NOTIFY_SWEEP_WINDOW,
            created_at__lt=now - NOTIFY_SWEEP_GRACE,
        )
        .exclude(transition__in=NOT_NOTIFIED)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(missed), NOTIFY_SWEEP_BATCH):
        notify_draft_events.delay(missed[start : start + NOTIFY_SWEEP_BATCH])
    if missed:
        logger.warning("Enqueued again the e-mails of %s draft event(s) whose task was lost", len(missed))
    return len(missed)
