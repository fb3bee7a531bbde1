from django.conf import settings
from django.db import models
from django.utils import timezone

from contributors.models import Board
from drafts.models import Draft


class BriefStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULL = "full", "Full"
    EXPIRED = "expired", "Deadline passed"
    CLOSED = "closed", "Closed"


class Brief(models.Model):
    """A manager's call for contributions: up to `max_claims` people each write one draft for it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="briefs")
    topic = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown: what is wanted.")
    channels = models.JSONField(default=list, blank=True, help_text="Channel keys the content is meant for.")
    deadline = models.DateTimeField()
    max_claims = models.PositiveIntegerField(default=1, help_text="How many contributors may take it.")
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change; for optimistic locking.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["board", "deadline"], name="brief_board_deadline")]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline <= timezone.now()

    def status(self, claim_count: int) -> str:
        """Why (or whether) the brief takes claims; the claim count is passed in so lists stay one query."""
        if self.is_closed:
            return BriefStatus.CLOSED
        if self.is_past_deadline:
            return BriefStatus.EXPIRED
        if claim_count >= self.max_claims:
            return BriefStatus.FULL
        return BriefStatus.OPEN


class BriefClaim(models.Model):
    """One contributor's place on a brief, and the draft they write for it."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="claims")
    contributor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brief_claims")
    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="brief_claim")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "contributor"], name="brief_claim_one_per_contributor"),
        ]

    def __str__(self) -> str:
        return f"{self.contributor} on {self.brief}"
