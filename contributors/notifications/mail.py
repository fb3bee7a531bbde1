"""The e-mails of notifications: one at once per Email.NOW notification, a daily digest of the Email.DIGEST
ones, and the signed one-click unsubscribe link each mail carries (RFC 8058).

Every send is claimed first with a conditional UPDATE of `emailed_at` that commits before SMTP is spoken to
(no transaction waits on a slow mail server) and is given back if the send fails, so a retry sends again
and a task delivered twice sends one mail."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contributors.models import User
from contributors.notifications.kinds import Delivery, Kind, Timing
from contributors.notifications.models import DigestSchedule, Email, Notification, NotificationPreference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "contributors.notifications.unsubscribe"
# A mail whose task was lost (a worker killed, a broker restart) goes out after this long, while still news.
MISSED_GRACE = timedelta(minutes=5)
MISSED_WINDOW = timedelta(days=1)
MAIL_BATCH = 50


def absolute(path: str) -> str:
    """A link a mail can carry: SITE_URL and the path (a path already absolute is kept)."""
    if path.startswith(("https://", "http://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


# --- Enqueueing ----------------------------------------------------------------------------------------------

_batch = threading.local()


def enqueue_emails(notification_ids: list[int]) -> None:
    """After commit, a task sends these notifications' e-mails (inside mail_batched(): one task at the end)."""
    if not notification_ids:
        return
    ids = list(notification_ids)
    batch = getattr(_batch, "ids", None)
    if batch is not None and not transaction.get_connection().in_atomic_block:
        batch.extend(ids)  # committed already: the batch's task sends them at its end
        return
    from contributors.notifications.tasks import send_notification_emails

    transaction.on_commit(lambda: send_notification_emails.delay(ids))


@contextmanager
def mail_batched() -> Iterator[None]:
    """The e-mails of the notifications made meanwhile on this thread go in one task, sent at the end."""
    from contributors.notifications.tasks import send_notification_emails

    ids: list[int] = []
    _batch.ids = ids
    try:
        yield
    finally:
        del _batch.ids
        for start in range(0, len(ids), MAIL_BATCH):
            send_notification_emails.delay(ids[start : start + MAIL_BATCH])


# --- Unsubscribe -----------------------------------------------------------------------------------------------


def unsubscribe_token(user: User, kinds: list[str]) -> str:
    return signing.dumps({"u": user.pk, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_url(user: User, kinds: list[str]) -> str:
    return absolute(reverse("notification-unsubscribe", args=[unsubscribe_token(user, kinds)]))


class BadUnsubscribeLink(Exception):
    """The link was not made by us (forged, tampered with, cut short)."""


@dataclass(frozen=True)
class Unsubscription:
    user: User
    kinds: list[str]

    @property
    def kind_labels(self) -> list[str]:
        return [Kind(kind).label for kind in self.kinds]


def unsubscribe_check(token: str) -> Unsubscription:
    """Whom and what kinds a link is for; BadUnsubscribeLink for anything we did not sign."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise BadUnsubscribeLink("This unsubscribe link is not valid: it was changed or cut short.") from exc
    kinds = data.get("k") if isinstance(data, dict) else None
    if (
        not isinstance(kinds, list)
        or not kinds
        or not all(kind in Kind.values for kind in kinds)
        or not isinstance(data.get("u"), int)
    ):
        raise BadUnsubscribeLink("This unsubscribe link is not valid.")
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        raise BadUnsubscribeLink("This unsubscribe link is for an account that no longer exists.")
    return Unsubscription(user=user, kinds=kinds)


@transaction.atomic
def unsubscribe(token: str) -> Unsubscription:
    """No more e-mail of these kinds: the person's preference for each becomes in the app only (what they would
    have been e-mailed and was not yet stays in the app). Running it twice changes nothing more."""
    subscription = unsubscribe_check(token)
    user = subscription.user
    timings = dict(
        NotificationPreference.objects.select_for_update()
        .filter(user=user, kind__in=subscription.kinds)
        .values_list("kind", "timing")
    )
    for kind in subscription.kinds:
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": Delivery.IN_APP, "timing": timings.get(kind, Timing.NOW)}
        )
    Notification.objects.filter(
        recipient=user, kind__in=subscription.kinds, emailed_at=None, email__in=[Email.NOW, Email.DIGEST]
    ).update(email=Email.NONE, in_app=True)
    return subscription


# --- One mail per notification ----------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())  # a mail header may hold no line break


def _message(*, to: User, subject: str, template: str, context: dict, kinds: list[str]) -> EmailMultiAlternatives:
    link = unsubscribe_url(to, kinds)
    context = {
        **context,
        "recipient": to,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": link,
        "kind_labels": [Kind(kind).label for kind in kinds],
    }
    headers = {
        "Auto-Submitted": "auto-generated",
        # RFC 2369 and RFC 8058: the mail client's own "unsubscribe" POSTs to this link, no sign-in needed.
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    message = EmailMultiAlternatives(
        subject=_one_line(subject)[:250],
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[to.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    return _message(
        to=notification.recipient,
        subject=notification.title,
        template="notification",
        context={"notification": notification, "link": absolute(notification.url), "board": notification.board},
        kinds=[notification.kind],
    )


def notifications_email(*, notification_ids: list[int]) -> int:
    """Send the e-mail of each Email.NOW notification not sent yet, one mail each. Returns how many went."""
    sent = 0
    for pk in notification_ids:
        claimed_at = timezone.now()
        claimed = Notification.objects.filter(pk=pk, email=Email.NOW, emailed_at=None).update(emailed_at=claimed_at)
        if not claimed:
            continue  # sent already (a task delivered twice), or no longer to be e-mailed
        notification = Notification.objects.select_related("recipient", "board").get(pk=pk)
        try:
            if notification.recipient.email and notification.recipient.is_active:
                notification_message(notification).send()
                sent += 1
        except Exception:
            Notification.objects.filter(pk=pk, emailed_at=claimed_at).update(emailed_at=None)
            raise
    return sent


def notifications_email_missed(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Enqueue again the e-mails whose task was lost. Safe to overlap a task still on its way: each is claimed."""
    from contributors.notifications.tasks import send_notification_emails

    now = now or timezone.now()
    missed = list(
        Notification.objects.filter(
            email=Email.NOW,
            emailed_at=None,
            created_at__gte=now - MISSED_WINDOW,
            created_at__lt=now - MISSED_GRACE,
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(missed), MAIL_BATCH):
        send_notification_emails.delay(missed[start : start + MAIL_BATCH])
    if missed:
        logger.warning("Enqueued again the e-mails of %s notification(s) whose task was lost", len(missed))
    return len(missed)


# --- The daily digest ----------------------------------------------------------------------------------------


def digest_schedule_for(user: User) -> DigestSchedule:
    """The person's schedule; made on first need with the default (selectors.digest_settings_for)."""
    schedule = DigestSchedule.objects.filter(user=user).first()
    if schedule is not None:
        return schedule
    from contributors.notifications.selectors import digest_settings_for

    default = digest_settings_for(user)
    schedule, _ = DigestSchedule.objects.get_or_create(
        user=user, defaults={"hour": default.hour, "time_zone": default.time_zone}
    )
    return schedule


def digest_due_since(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """When today's digest became due, in the person's time zone; None while their hour has not come, or
    when today's went already."""
    local = now.astimezone(ZoneInfo(schedule.time_zone))
    due = local.replace(hour=schedule.hour, minute=0, second=0, microsecond=0)
    if local < due:
        return None
    if schedule.last_sent_at is not None and schedule.last_sent_at >= due:
        return None
    return due


def digests_send(*, now: datetime | None = None) -> int:
    """Send each person whose digest hour has come one mail with their unsent digest notifications. The day's
    digest is claimed on the schedule (last_sent_at) and its notifications on emailed_at, both committed
    before SMTP and given back if the send fails. Returns how many digests went."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(email=Email.DIGEST, emailed_at=None, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(waiting), is_active=True).order_by("pk"):
        schedule = digest_schedule_for(user)
        if digest_due_since(schedule, now) is None:
            continue
        previous = schedule.last_sent_at
        claimed = DigestSchedule.objects.filter(pk=schedule.pk, last_sent_at=previous).update(last_sent_at=now)
        if not claimed:
            continue  # another run took this digest
        claimed_at = timezone.now()
        Notification.objects.filter(recipient=user, email=Email.DIGEST, emailed_at=None, created_at__lte=now).update(
            emailed_at=claimed_at
        )
        items = list(
            Notification.objects.filter(recipient=user, email=Email.DIGEST, emailed_at=claimed_at)
            .select_related("board")
            .order_by("created_at", "id")
        )
        try:
            if items and user.email:
                digest_message(user, items).send()
                sent += 1
        except Exception:
            Notification.objects.filter(pk__in=[n.pk for n in items], emailed_at=claimed_at).update(emailed_at=None)
            DigestSchedule.objects.filter(pk=schedule.pk, last_sent_at=now).update(last_sent_at=previous)
            raise
    return sent


def digest_message(user: User, items: list[Notification]) -> EmailMultiAlternatives:
    kinds = list(dict.fromkeys(n.kind for n in items))
    entries = [
        {
            "notification": n,
            "link": absolute(n.url),
            "unsubscribe_url": unsubscribe_url(user, [n.kind]),
            "kind_label": Kind(n.kind).label,
        }
        for n in items
    ]
    count = len(items)
    subject = f"Your Cocreate digest: {items[0].title}" if count == 1 else f"Your Cocreate digest: {count} updates"
    return _message(
        to=user,
        subject=subject,
        template="digest",
        context={"entries": entries, "count": count},
        # The header's link stops the e-mail of every kind in this digest; each entry carries its own kind's.
        kinds=kinds,
    )
