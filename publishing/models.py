import uuid

from django.db import models

from contributors.models import Board
from drafts.models import Draft
from publishing.crypto import decrypt_credentials, encrypt_credentials


class ChannelKind(models.TextChoices):
    """Every platform the product targets; publishing.adapters.REGISTRY says which have an adapter yet."""

    WEBHOOK = "webhook", "Generic webhook"
    WORDPRESS = "wordpress", "WordPress"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    FACEBOOK = "facebook", "Facebook page"
    PINTEREST = "pinterest", "Pinterest"
    SLACK = "slack", "Slack"
    DISCORD = "discord", "Discord"
    EMAIL = "email", "E-mail newsletter"


class Channel(models.Model):
    """Where a board publishes. Credentials are encrypted at rest and never shown back."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    name = models.CharField(max_length=100)
    settings = models.JSONField(
        default=dict,
        blank=True,
        help_text='Non-secret settings of its kind, e.g. {"url": "https://..."}.',
    )
    credentials_token = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="one_channel_name_per_board")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def __repr__(self) -> str:
        return f"<Channel {self.pk} {self.kind} {self.name!r}>"

    @property
    def credentials(self) -> dict:
        return decrypt_credentials(self.credentials_token)

    @credentials.setter
    def credentials(self, value: dict) -> None:
        self.credentials_token = encrypt_credentials(value)


class PublicationState(models.TextChoices):
    PENDING = "pending", "Waiting for its time"
    CLAIMED = "claimed", "Queued"
    SENDING = "sending", "Sending"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Publication(models.Model):
    """One draft on one channel. The database, not the broker, is the source of truth for what is due."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    state = models.CharField(max_length=20, choices=PublicationState.choices, default=PublicationState.PENDING)
    due_at = models.DateTimeField(help_text="When to (next) try; the draft's publish time at first.")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    content_sha256 = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of the approved content for this channel, when scheduled."
    )
    platform_post_id = models.CharField(max_length=200, blank=True)
    platform_url = models.URLField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the successful request was sent.")
    published_at = models.DateTimeField(null=True, blank=True)
    preflight_at = models.DateTimeField(null=True, blank=True, help_text="When the pre-flight check ran.")
    preflight_problem = models.TextField(blank=True, help_text="What the pre-flight check found, if anything.")
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When the post was last read back.")
    live = models.BooleanField(null=True, blank=True, help_text="Whether the platform still has the post.")
    check_detail = models.CharField(max_length=300, blank=True, help_text="What the platform said.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["draft", "channel"], name="one_publication_per_channel")]
        indexes = [
            models.Index(fields=["state", "due_at"], name="publication_due"),
            # The claim tick's query (pending, due, in due order): a partial index of the pending rows only,
            # so its cost follows what is due, not the history of everything ever published.
            models.Index(fields=["due_at", "id"], condition=models.Q(state="pending"), name="publication_pending_due"),
            # The publication log reads each channel's rows latest due first (selectors.publication_log_page).
            models.Index(fields=["channel", "due_at", "id"], name="publication_log"),
            models.Index(fields=["channel", "state", "due_at", "id"], name="publication_log_state"),
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} on {self.channel_id}: {self.state}"


class PublicationAttempt(models.Model):
    """Every call to a platform, with its outcome: the publication log."""

    class Outcome(models.TextChoices):
        PUBLISHED = "published", "Published"
        TRANSIENT = "transient", "Temporary error (will retry)"
        PERMANENT = "permanent", "Permanent error"
        AMBIGUOUS = "ambiguous", "Unknown outcome"

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    message = models.TextField(blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.outcome}"
