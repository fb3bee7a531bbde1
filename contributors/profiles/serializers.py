from django.urls import reverse
from rest_framework import serializers

from contributors.profiles.excerpts import piece_excerpt
from contributors.profiles.services import MAX_BIO_LENGTH, MAX_DISPLAY_NAME_LENGTH, MAX_LINK_LENGTH


def _avatar_url(profile) -> str | None:
    if not profile.avatar:
        return None
    return f"{reverse('profile-avatar', args=[profile.user.username])}?v={int(profile.updated_at.timestamp())}"


class ProfileSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    bio = serializers.CharField(read_only=True)
    links = serializers.ListField(child=serializers.URLField(), read_only=True)
    avatar_url = serializers.SerializerMethodField()
    portfolio_public = serializers.BooleanField(read_only=True)
    portfolio_url = serializers.SerializerMethodField()
    calendar_feed_url = serializers.SerializerMethodField(
        help_text="Your private iCalendar feed (secret: reset it on the profile page)."
    )

    def get_avatar_url(self, profile) -> str | None:
        return _avatar_url(profile)

    def get_portfolio_url(self, profile) -> str | None:
        return reverse("portfolio", args=[profile.user.username]) if profile.portfolio_public else None

    def get_calendar_feed_url(self, profile) -> str:
        from drafts.planning.feed_selectors import feed_url
        from drafts.planning.feed_services import calendar_feed_for_user

        return feed_url(calendar_feed_for_user(user=profile.user))


class ProfileUpdateSerializer(serializers.Serializer):
    """Every field optional (PATCH). `avatar`: a multipart file upload, or null to remove the picture."""

    display_name = serializers.CharField(max_length=MAX_DISPLAY_NAME_LENGTH, allow_blank=True, required=False)
    bio = serializers.CharField(max_length=MAX_BIO_LENGTH, allow_blank=True, required=False, trim_whitespace=False)
    links = serializers.ListField(
        child=serializers.CharField(max_length=MAX_LINK_LENGTH, allow_blank=True), required=False
    )
    avatar = serializers.FileField(required=False, allow_null=True, allow_empty_file=False)
    portfolio_public = serializers.BooleanField(required=False)


class PortfolioPieceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    board = serializers.CharField(source="board.name")
    published_at = serializers.DateTimeField(allow_null=True)
    excerpt = serializers.SerializerMethodField()

    def get_excerpt(self, draft) -> str:
        return piece_excerpt(draft.body)


class PortfolioSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    bio = serializers.CharField(source="profile.bio")
    links = serializers.ListField(child=serializers.URLField(), source="profile.links")
    avatar_url = serializers.SerializerMethodField()
    pieces = PortfolioPieceSerializer(many=True)

    def get_avatar_url(self, owner) -> str | None:
        return _avatar_url(owner.profile)


class PortfolioPolicySerializer(serializers.Serializer):
    allow_portfolios = serializers.BooleanField()
