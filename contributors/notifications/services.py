"""Writes for notifications: every part of Cocreate that tells someone something calls notify()."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contributors.agreements.selectors import cleared_to_open
from contributors.models import Board, User, validate_time_zone
from contributors.notifications import kinds
from contributors.notifications.kinds import DEFAULTS, FOR_UNSIGNED_MEMBERS, Delivery, Kind, Timing
from contributors.notifications.mail import enqueue_emails
from contributors.notifications.models import DigestSchedule, Email, Notification, NotificationPreference
from contributors.notifications.selectors import digest_settings_for, preferences_for, preferences_table
from drafts.models import Draft


@dataclass
class Notice:
    """One thing to tell some people (notify()'s arguments), so that many can be told at once (notify_all)."""

    kind: str
    recipients: Iterable[User]
    source: str
    title: str
    url: str
    body: str = ""
    actor: User | None = None
    board: Board | None = None
    draft: Draft | None = None


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    source: str,
    title: str,
    url: str,
    body: str = "",
    actor: User | None = None,
    board: Board | None = None,
    draft: Draft | None = None,
) -> list[int]:
    """Tell `recipients` about one thing, each as their preference for `kind` says. Returns the ids made.

    Nobody is told about what they did themselves. About a board, only people who may open it now hear
    (not an outsider, not a member who has still to sign), except for the kinds meant for unsigned members.
    Idempotent: the same (recipient, kind, source) makes one notification, however often this runs."""
    notice = Notice(kind, recipients, source, title, url, body, actor, board, draft)
    return notify_all([notice])


def notify_all(notices: list[Notice]) -> list[int]:
    """notify() for many notices in a fixed number of queries: who may hear, their preferences, one insert and
    one read of what was made, whatever the number of notices (a publishing batch's drafts are told at once)."""
    audiences = [_audience(notice) for notice in notices]
    pairs = {
        (pk, notice.board.pk)
        for notice, people in zip(notices, audiences, strict=True)
        if notice.board is not None and notice.kind not in FOR_UNSIGNED_MEMBERS
        for pk in people
    }
    cleared = cleared_to_open(pairs)
    by_kind: dict[str, set[int]] = {}
    for notice, people in zip(notices, audiences, strict=True):
        if notice.board is not None and notice.kind not in FOR_UNSIGNED_MEMBERS:
            for pk in [pk for pk in people if (pk, notice.board.pk) not in cleared]:
                del people[pk]
        by_kind.setdefault(notice.kind, set()).update(people)
    preferences = {kind: preferences_for(sorted(people), kind) for kind, people in by_kind.items() if people}
    rows = []
    for notice, people in zip(notices, audiences, strict=True):
        for pk, user in people.items():
            row = _notification(notice, user, preferences[notice.kind][pk])
            if row is not None:
                rows.append(row)
    if not rows:
        return []
    wanted = {(row.recipient_id, row.kind, row.source) for row in rows}
    made = Notification.objects.filter(
        recipient__in={recipient for recipient, _, _ in wanted},
        kind__in={kind for _, kind, _ in wanted},
        source__in={source for _, _, source in wanted},
    )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)  # the unique source: made once
        found = [
            (pk, email, emailed_at)
            for pk, *key, email, emailed_at in made.order_by("pk").values_list(
                "pk", "recipient", "kind", "source", "email", "emailed_at"
            )
            if tuple(key) in wanted
        ]
    # E-mails at once go after commit, from a worker (mail.notifications_email claims each one); one made
    # earlier and not sent yet (its send failed) is sent again.
    enqueue_emails([pk for pk, email, emailed_at in found if email == Email.NOW and emailed_at is None])
    return [pk for pk, _email, _emailed_at in found]


def _audience(notice: Notice) -> dict[int, User]:
    """The notice's recipients by id: active people, not the one who acted."""
    people = {user.pk: user for user in notice.recipients if user is not None and user.is_active}
    if notice.actor is not None:
        people.pop(notice.actor.pk, None)
    if notice.board is None and notice.draft is not None:
        notice.board = notice.draft.board
    return people


def _notification(notice: Notice, user: User, choice) -> Notification | None:
    """The row telling `user`, as their choice for the kind says; None when they asked not to hear of it."""
    email = Email.NONE
    if kinds.sends_email(choice.delivery) and user.email:
        email = Email.DIGEST if choice.timing == kinds.Timing.DIGEST else Email.NOW
    in_app = kinds.shows_in_app(choice.delivery)
    if not in_app and email == Email.NONE:
        return None
    return Notification(
        recipient=user,
        kind=notice.kind,
        actor=notice.actor,
        board=notice.board,
        draft=notice.draft,
        title=notice.title[:300],
        body=notice.body,
        url=notice.url[:500],
        source=notice.source[:120],
        in_app=in_app,
        email=email,
    )


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (another person's is a 404: Notification.DoesNotExist)."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


# --- Preferences (the preferences page and PATCH /api/notification-preferences/) -------------------------------


def preferences_update(
    *,
    user: User,
    kinds: dict[str, dict[str, str]] | None = None,
    digest_hour: int | None = None,
    digest_time_zone: str | None = None,
) -> None:
    """Change the person's choices: `kinds` maps a kind to its new {"delivery", "timing"} (either may be left
    out: it keeps its current value), and the digest's hour (0-23) and time zone. Nothing not given changes.

    All or nothing: every value is checked first and a ValidationError names each wrong one ("comment.delivery",
    "digest_hour"...) with what is allowed; then everything is written in one transaction. A choice equal to
    the kind's default is stored as no row, so the person keeps following the default."""
    kinds = kinds or {}
    errors: dict[str, list[str]] = {}
    current = {choice.kind: choice for choice in preferences_table(user)}
    wanted: dict[str, tuple[str, str]] = {}
    for kind, change in kinds.items():
        if kind not in Kind.values:
            errors[str(kind)[:40]] = [f"Not a kind of notification. One of: {', '.join(Kind.values)}."]
            continue
        if not isinstance(change, dict) or not change or set(change) - {"delivery", "timing"}:
            errors[kind] = ["Give delivery and/or timing, nothing else."]
            continue
        delivery = change.get("delivery", current[kind].delivery)
        timing = change.get("timing", current[kind].timing)
        if delivery not in Delivery.values:
            errors[f"{kind}.delivery"] = [f"{delivery!r} is not a delivery. One of: {', '.join(Delivery.values)}."]
        if timing not in Timing.values:
            errors[f"{kind}.timing"] = [f"{timing!r} is not a timing. One of: {', '.join(Timing.values)}."]
        wanted[kind] = (delivery, timing)
    if digest_hour is not None and (
        isinstance(digest_hour, bool) or not isinstance(digest_hour, int) or not 0 <= digest_hour <= 23
    ):
        errors["digest_hour"] = ["The digest's hour is a whole number from 0 to 23."]
    if digest_time_zone is not None:
        try:
            validate_time_zone(digest_time_zone)
        except ValidationError as exc:
            errors["digest_time_zone"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for kind, (delivery, timing) in wanted.items():
            default = DEFAULTS[kind]
            if (delivery, timing) == (default.delivery, default.timing):
                NotificationPreference.objects.filter(user=user, kind=kind).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"delivery": delivery, "timing": timing}
                )
        if digest_hour is not None or digest_time_zone is not None:
            settings = digest_settings_for(user)
            DigestSchedule.objects.update_or_create(
                user=user,
                defaults={
                    "hour": settings.hour if digest_hour is None else digest_hour,
                    "time_zone": settings.time_zone if digest_time_zone is None else digest_time_zone,
                },
            )
