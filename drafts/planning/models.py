"""Content pillars and the mix, calendar notes, internal deadlines and calendar feeds.

Writes go through drafts.planning.services, reads through drafts.planning.selectors."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from contributors.models import Board
from drafts.models import Draft

validate_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give the colour as #rrggbb, for example #2f6f4e.")


class Pillar(models.Model):
    """One of a board's content pillars (product, community, education...), with the share of the board's posts
    it should have. A draft belongs to one or more of its board's pillars."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="pillars")
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=7, default="#4f6d7a", validators=[validate_colour])
    description = models.TextField(blank=True)
    target_percent = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(100)],
        help_text="The share of the board's posts this pillar should have, in percent (0: no target).",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists and legends.")
    drafts = models.ManyToManyField(Draft, blank=True, related_name="pillars")
    created_at = models.DateTimeField(auto_now_add=True)

    # Not a column: how many drafts pillar_create / pillar_update moved in from their tags.
    migrated_drafts: int

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "board", name="pillar_name_per_board"),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarNote(models.Model):
    """A launch, a holiday, a campaign: shown on its days of the board's calendar (dates in the board's zone)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="calendar_notes")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day it covers; the same as starts_on for one day.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["board", "starts_on", "ends_on"], name="calendar_note_days")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="note_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The note cannot end before it starts."})


class Deadline(models.Model):
    """An internal deadline for a draft ("due for review by Friday"), shown on the calendar apart from publish
    times; it never moves or blocks a publication."""

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="deadline")
    due_at = models.DateTimeField()
    label = models.CharField(max_length=120, default="Due for review")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["due_at"], name="deadline_due")]

    def __str__(self) -> str:
        return f"{self.label} {self.due_at:%Y-%m-%d %H:%M}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed: the secret in its URL is the only key, so it can be reset."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
