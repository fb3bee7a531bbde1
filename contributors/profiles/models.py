"""A contributor's public face (profile, opt-in portfolio) and each board's say in whether its work shows there."""

import uuid

from django.conf import settings
from django.db import models

from contributors.models import Board


def avatar_path(profile: "Profile", filename: str) -> str:
    """A fresh, unguessable name per upload: an old URL never shows a newer picture, and names never clash."""
    return f"avatars/{profile.user_id}/{uuid.uuid4().hex}.png"


class Profile(models.Model):
    """What a contributor tells others about themselves. The display name stays on User (it is shown everywhere)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True, help_text="http(s) URLs, a few at most.")
    avatar = models.ImageField(upload_to=avatar_path, blank=True, help_text="Re-encoded as PNG on upload.")
    portfolio_public = models.BooleanField(
        default=False, help_text="Show the published pieces at /people/<username>/ to anyone, signed in or not."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class BoardPortfolioPolicy(models.Model):
    """A board's setting for portfolios. No row means the default: the board's published pieces may be shown."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="portfolio_policy")
    allow_portfolios = models.BooleanField(
        default=True, help_text="Contributors may show this board's published pieces on their public portfolio."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "board portfolio policies"

    def __str__(self) -> str:
        return f"{self.board}: portfolios {'allowed' if self.allow_portfolios else 'not allowed'}"
