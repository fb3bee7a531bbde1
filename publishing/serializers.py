from rest_framework import serializers

from contributors.roles import MANAGE
from contributors.selectors import boards_with_perm
from publishing.models import Channel, ChannelKind, Publication


class ManagedBoardField(serializers.PrimaryKeyRelatedField):
    """A board the user manages; any other id reads as 'does not exist'."""

    def get_queryset(self):
        return boards_with_perm(self.context["request"].user, MANAGE)


class ChannelSerializer(serializers.ModelSerializer):
    board = ManagedBoardField()
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    settings = serializers.DictField(required=False)
    credentials = serializers.DictField(
        write_only=True, required=False, help_text="Secret values; never returned. Omit to keep the stored ones."
    )
    has_credentials = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "board",
            "kind",
            "name",
            "settings",
            "credentials",
            "has_credentials",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_has_credentials(self, channel) -> bool:
        return bool(channel.credentials_token)

    def validate(self, attrs):
        """The kind's declared settings and credentials (publishing/kinds.py), as the pages and admin judge them."""
        from django.core.exceptions import ValidationError

        from publishing.services import channel_config_check

        try:
            attrs["settings"], attrs["credentials"] = channel_config_check(
                Channel(kind=attrs["kind"]), attrs.get("settings") or {}, attrs.get("credentials") or {}
            )
        except ValidationError as problem:
            raise serializers.ValidationError(problem.message_dict) from None
        return attrs


class ChannelUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    settings = serializers.DictField(required=False)
    credentials = serializers.DictField(required=False, write_only=True)
    is_active = serializers.BooleanField(required=False)


class ChannelTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()


class PublicationSerializer(serializers.ModelSerializer):
    board = serializers.IntegerField(source="draft.board_id", read_only=True)
    channel_name = serializers.CharField(source="channel.name", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "draft",
            "board",
            "channel",
            "channel_name",
            "state",
            "due_at",
            "attempts",
            "last_error",
            "platform_post_id",
            "platform_url",
            "published_at",
            "checked_at",
            "live",
            "check_detail",
            "updated_at",
        ]
