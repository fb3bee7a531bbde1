"""Writes for notifications: every part of Cocreate that tells someone something calls notify()."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contributors.agreements.gate import is_gated
from contributors.models import Board, User, validate_time_zone
from contributors.notifications import kinds
from contributors.notifications.kinds import DEFAULTS, FOR_UNSIGNED_MEMBERS, Delivery, Kind, Timing
from contributors.notifications.mail import enqueue_emails
from contributors.notifications.models import DigestSchedule, Email, Notification, NotificationPreference
from contributors.notifications.selectors import digest_settings_for, preferences_for, preferences_table
from contributors.permissions import has_board_perm
from contributors.roles import VIEW
from drafts.models import Draft


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
    board = board or (draft.board if draft is not None else None)
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if actor is not None:
        people.pop(actor.pk, None)
    if board is not None:
        people = {pk: user for pk, user in people.items() if _may_hear(user, board, kind)}
    if not people:
        return []
    preferences = preferences_for(list(people), kind)
    rows = []
    for pk, user in people.items():
        choice = preferences[pk]
        email = Email.NONE
        if kinds.sends_email(choice.delivery) and user.email:
            email = Email.DIGEST if choice.timing == kinds.Timing.DIGEST else Email.NOW
        in_app = kinds.shows_in_app(choice.delivery)
        if not in_app and email == Email.NONE:
            continue  # they asked not to hear of this kind at all
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                board=board,
                draft=draft,
                title=title[:300],
                body=body,
                url=url[:500],
                source=source[:120],
                in_app=in_app,
                email=email,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)  # the unique source: made once
        found = list(
            Notification.objects.filter(
                recipient__in=[row.recipient_id for row in rows], kind=kind, source=source[:120]
            )
            .order_by("pk")
            .values_list("pk", "email", "emailed_at")
        )
    # E-mails at once go after commit, from a worker (mail.notifications_email claims each one); one made
    # earlier and not sent yet (its send failed) is sent again.
    enqueue_emails([pk for pk, email, emailed_at in found if email == Email.NOW and emailed_at is None])
    return [pk for pk, _email, _emailed_at in found]


def _may_hear(user: User, board: Board, kind: str) -> bool:
    if kind in FOR_UNSIGNED_MEMBERS:
        return True
    return has_board_perm(user, board, VIEW) and not is_gated(user, board)


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
