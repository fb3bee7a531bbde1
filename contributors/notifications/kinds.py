"""The kinds of notification, who they are for, and how each is delivered unless the person chose otherwise.

A kind is addressed to the people of one role on a draft or board (the draft's authors, the board's reviewers,
its managers...), so a kind's default is in effect the default for that role."""

from dataclasses import dataclass

from django.db import models


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "A draft is waiting for my review"
    CHANGES_REQUESTED = "changes_requested", "Changes were asked for on my draft"
    APPROVED = "approved", "My draft was approved"
    COMMENT = "comment", "A comment or reply on my draft or in a thread I am in"
    MENTION = "mention", "Someone @mentioned me"
    SCHEDULED = "scheduled", "My draft was scheduled"
    PUBLISHED = "published", "My draft went live"
    FAILED = "failed", "A post failed to publish"
    INVITED = "invited", "I was invited to a board"
    AGREEMENT = "agreement", "An agreement to sign or re-sign"
    BRIEF_CLAIMED = "brief_claimed", "Someone took a place on a brief"
    BRIEF_DEADLINE = "brief_deadline", "A brief's deadline is near"
    REMINDER = "reminder", "Reminders about work that is waiting (overdue reviews, approved but unscheduled)"


class Delivery(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "By e-mail"
    BOTH = "both", "In the app and by e-mail"
    NONE = "none", "Not at all"


class Timing(models.TextChoices):
    NOW = "now", "At once"
    DIGEST = "digest", "In a daily digest"


@dataclass(frozen=True)
class Default:
    delivery: str
    timing: str


# What needs the person to act, or that they were waiting for, is e-mailed at once; chatter goes in the digest.
DEFAULTS: dict[str, Default] = {
    Kind.SUBMITTED: Default(Delivery.BOTH, Timing.NOW),
    Kind.CHANGES_REQUESTED: Default(Delivery.BOTH, Timing.NOW),
    Kind.APPROVED: Default(Delivery.BOTH, Timing.NOW),
    Kind.COMMENT: Default(Delivery.BOTH, Timing.DIGEST),
    Kind.MENTION: Default(Delivery.BOTH, Timing.NOW),
    Kind.SCHEDULED: Default(Delivery.IN_APP, Timing.DIGEST),
    Kind.PUBLISHED: Default(Delivery.BOTH, Timing.NOW),
    Kind.FAILED: Default(Delivery.BOTH, Timing.NOW),
    Kind.INVITED: Default(Delivery.BOTH, Timing.NOW),
    Kind.AGREEMENT: Default(Delivery.BOTH, Timing.NOW),
    Kind.BRIEF_CLAIMED: Default(Delivery.BOTH, Timing.DIGEST),
    Kind.BRIEF_DEADLINE: Default(Delivery.BOTH, Timing.NOW),
    Kind.REMINDER: Default(Delivery.BOTH, Timing.NOW),
}

# Kinds about a board the person cannot work on yet: they go to members who have not signed (the invitation
# itself, the agreement they must sign). Every other kind reaches only people who may open the board now.
FOR_UNSIGNED_MEMBERS = {Kind.INVITED, Kind.AGREEMENT}


def shows_in_app(delivery: str) -> bool:
    return delivery in (Delivery.IN_APP, Delivery.BOTH)


def sends_email(delivery: str) -> bool:
    return delivery in (Delivery.EMAIL, Delivery.BOTH)
