"""What each person is told, and how they want to be told it."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from contributors.models import Board, validate_time_zone
from contributors.notifications.kinds import Delivery, Kind, Timing
from drafts.models import Draft


class Email(models.TextChoices):
    """Whether a notification is to be e-mailed, decided from the person's preference when it is made."""

    NONE = "none", "Not e-mailed"
    NOW = "now", "E-mailed at once"
    DIGEST = "digest", "In the daily digest"


class Notification(models.Model):
    """One thing one person is told: who did what, where, with a link to the exact page.

    `source` names what caused it ("event:12", "comment:7", "reminder:review:12:1"): with the recipient and
    the kind it is unique, so a task delivered twice, or a sweep that overlaps it, makes one notification."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300, help_text="Who did what, in words: “Rui asked for changes on …”.")
    body = models.TextField(blank=True, help_text="The reason, the comment or the platform's message (plain text).")
    url = models.CharField(max_length=500, help_text="The page it is about: a path on this site.")
    source = models.CharField(max_length=120)
    in_app = models.BooleanField(default=True, help_text="Shown in the notification centre and counted by the bell.")
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="Claimed for e-mail (at once or in a digest).")
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "source"], name="notification_once"),
        ]
        indexes = [
            # The centre (unread first, newest first) and the bell's count read one person's rows only.
            models.Index(fields=["recipient", "read_at", "-created_at", "-id"], name="notification_inbox"),
            # Mail still to send, at once or in a digest: a short list however long the history grows.
            models.Index(
                fields=["email", "created_at"],
                condition=models.Q(emailed_at=None) & ~models.Q(email="none"),
                name="notification_mail_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.title[:40]}"


class NotificationPreference(models.Model):
    """A person's choice for one kind; no row means the kind's default (kinds.DEFAULTS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)
    timing = models.CharField(max_length=8, choices=Timing.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}/{self.timing}"


class DigestSchedule(models.Model):
    """When a person's daily digest goes out: an hour of the day in their own time zone. No row: 08:00 in the
    time zone of their first board, else UTC."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_schedule")
    hour = models.PositiveSmallIntegerField(default=8, validators=[MaxValueValidator(23)])
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest of {self.user_id} at {self.hour}:00 {self.time_zone}"
