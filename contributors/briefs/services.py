"""Every write to briefs and claims. Pages, API and admin call these and nothing else."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from cocreate import limits
from cocreate.errors import Conflict
from contributors.models import Board, User
from contributors.permissions import has_board_perm, require_manager
from contributors.roles import CONTRIBUTE
from drafts.services import CHANNEL_KEY_PATTERN, draft_create

from .models import Brief, BriefClaim
from .selectors import brief_get_for_user

MAX_DESCRIPTION_LENGTH = limits.BRIEF_DESCRIPTION_MAX_CHARS
MAX_CLAIMS_LIMIT = 100
MAX_CHANNELS = 20

_UNSET = object()


def _clean_topic(topic: str) -> str:
    # The topic becomes the title of every claimed draft: one line, within a draft title's limit.
    topic = " ".join((topic or "").split())
    if not topic:
        raise ValidationError({"topic": ["Say what the brief is about: a topic is required."]})
    limits.require_within({"topic": (topic, limits.BRIEF_TOPIC_MAX_CHARS)})
    return topic


def _clean_description(description: str) -> str:
    description = description or ""
    limits.require_within({"description": (description, MAX_DESCRIPTION_LENGTH)})
    return description


def _clean_channels(channels) -> list[str]:
    if channels is None:
        return []
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise ValidationError({"channels": ['Channels must be a list of channel keys, e.g. ["linkedin", "x"].']})
    channels = list(dict.fromkeys(c.strip().lower() for c in channels if c.strip()))
    bad = [c for c in channels if not CHANNEL_KEY_PATTERN.match(c)]
    if bad:
        raise ValidationError({"channels": [f"Channel keys are lower-case slugs; not: {', '.join(bad)}."]})
    if len(channels) > MAX_CHANNELS:
        raise ValidationError({"channels": [f"At most {MAX_CHANNELS} channels."]})
    return channels


def _clean_deadline(deadline: datetime | None) -> datetime:
    if deadline is None:
        raise ValidationError({"deadline": ["A deadline is required (ISO 8601 with offset)."]})
    if timezone.is_naive(deadline):
        raise ValidationError({"deadline": ["Give the deadline with its UTC offset."]})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": ["The deadline must be in the future."]})
    return deadline


def _clean_max_claims(max_claims, *, claimed: int = 0) -> int:
    if not isinstance(max_claims, int) or isinstance(max_claims, bool) or not 1 <= max_claims <= MAX_CLAIMS_LIMIT:
        raise ValidationError({"max_claims": [f"Between 1 and {MAX_CLAIMS_LIMIT} contributors may take a brief."]})
    if max_claims < claimed:
        raise ValidationError(
            {"max_claims": [f"{claimed} contributors have already claimed this brief; allow at least {claimed}."]}
        )
    return max_claims


def brief_check_content(
    *,
    topic: str,
    description: str,
    channels: list[str] | None,
    deadline: datetime | None,
    max_claims: int,
    brief: Brief | None = None,
) -> dict:
    """The cleaned content, or a ValidationError naming every bad field (the admin form shows it before saving)."""
    checks = {
        "topic": lambda: _clean_topic(topic),
        "description": lambda: _clean_description(description),
        "channels": lambda: _clean_channels(channels),
        "deadline": lambda: deadline if brief is not None and deadline == brief.deadline else _clean_deadline(deadline),
        "max_claims": lambda: _clean_max_claims(max_claims, claimed=brief.claims.count() if brief else 0),
    }
    cleaned, errors = {}, {}
    for name, check in checks.items():
        try:
            cleaned[name] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def brief_create(
    *,
    board: Board,
    actor: User,
    topic: str,
    deadline: datetime | None,
    description: str = "",
    channels: list[str] | None = None,
    max_claims: int = 1,
) -> Brief:
    require_manager(actor, board)
    content = brief_check_content(
        topic=topic, description=description, channels=channels, deadline=deadline, max_claims=max_claims
    )
    return Brief.objects.create(board=board, created_by=actor, **content)


def _locked_brief(actor: User, brief_id: int) -> Brief:
    """The brief for `actor` (404/403 as the selector decides), with its row locked until commit."""
    brief_get_for_user(actor, brief_id)
    # Locked on its own: FOR UPDATE cannot go on the selector's aggregate query.
    return Brief.objects.select_for_update().select_related("board").get(pk=brief_id)


def _require_current_version(brief: Brief, version: int | None) -> None:
    """409 when the caller edited an older version than the brief's (None: the caller did not say)."""
    if version is not None and version != brief.version:
        raise Conflict(
            f"This brief changed since you opened it (you had version {version}, it is now {brief.version}). "
            "Reload it and apply your changes again."
        )


@transaction.atomic
def brief_update(
    *,
    brief_id: int,
    actor: User,
    topic: str | None = None,
    description: str | None = None,
    channels: list[str] | None = None,
    deadline: datetime | None = None,
    max_claims: int | None = None,
    version: int | None = None,
) -> Brief:
    """Change what is given; the deadline is checked only when it changes (an expired brief can be extended).

    `version` is the one the caller started from: 409 when the brief has changed since.
    """
    brief = _locked_brief(actor, brief_id)
    require_manager(actor, brief.board)
    _require_current_version(brief, version)
    if topic is not None:
        brief.topic = _clean_topic(topic)
    if description is not None:
        brief.description = _clean_description(description)
    if channels is not None:
        brief.channels = _clean_channels(channels)
    if deadline is not None and deadline != brief.deadline:
        brief.deadline = _clean_deadline(deadline)
    if max_claims is not None:
        brief.max_claims = _clean_max_claims(max_claims, claimed=brief.claims.count())
    brief.version += 1
    brief.save()
    return brief


@transaction.atomic
def brief_close(*, brief_id: int, actor: User, version: int | None = None) -> Brief:
    """No more claims; the drafts already written for it carry on through the workflow."""
    brief = _locked_brief(actor, brief_id)
    require_manager(actor, brief.board)
    if brief.is_closed:
        raise Conflict("This brief is already closed.")
    _require_current_version(brief, version)
    brief.closed_at = timezone.now()
    brief.version += 1
    brief.save(update_fields=["closed_at", "version", "updated_at"])
    return brief


@transaction.atomic
def brief_claim(*, brief_id: int, actor: User) -> BriefClaim:
    """Take a place on the brief and start its draft (titled with the topic). One transaction.

    The brief's row lock serialises claims, so the count of claims read under it is the truth: two people
    racing for the last place cannot both get it. Refusals are Conflicts with a message saying why.
    """
    brief = _locked_brief(actor, brief_id)
    if not has_board_perm(actor, brief.board, CONTRIBUTE):
        raise PermissionDenied("Only people who write for this board can claim its briefs.")
    if brief.is_closed:
        raise Conflict("This brief is closed: it takes no more claims.")
    if brief.is_past_deadline:
        when = date_format(timezone.localtime(brief.deadline), "Y-m-d H:i T")
        raise Conflict(f"The deadline of this brief passed ({when}): it takes no more claims.")
    existing = brief.claims.filter(contributor=actor).first()
    if existing is not None:
        raise Conflict(f"You already claimed this brief: your draft is #{existing.draft_id}.")
    taken = brief.claims.count()
    if taken >= brief.max_claims:
        places = "The one place" if brief.max_claims == 1 else f"All {brief.max_claims} places"
        raise Conflict(f"{places} on this brief {'is' if brief.max_claims == 1 else 'are'} taken.")
    draft = draft_create(board=brief.board, author=actor, title=brief.topic)
    try:
        with transaction.atomic():
            claim = BriefClaim.objects.create(brief=brief, contributor=actor, draft=draft)
    except IntegrityError:
        # Only reachable if a claim was written without the row lock (e.g. by hand in the database).
        raise Conflict("You already claimed this brief.") from None
    _enqueue_claim_notification(claim.pk)
    return claim


def _enqueue_claim_notification(claim_id: int) -> None:
    """The brief's creator and the board's managers hear of the claim, from a worker after commit."""
    from contributors.notifications.tasks import notify_brief_claim

    transaction.on_commit(lambda: notify_brief_claim.delay(claim_id))
