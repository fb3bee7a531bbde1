"""JSON shapes of the notification centre's API."""

from rest_framework import serializers

from contributors.notifications.kinds import Delivery, Kind, Timing
from contributors.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    board = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "actor", "board", "draft", "unread", "read_at", "created_at"]
        read_only_fields = fields

    def get_actor(self, obj) -> str | None:
        return obj.actor.username if obj.actor else None

    def get_board(self, obj) -> int | None:
        return obj.board_id

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are now read.")


class KindChoiceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    label = serializers.CharField(read_only=True)
    delivery = serializers.ChoiceField(choices=Delivery.choices, required=False)
    timing = serializers.ChoiceField(choices=Timing.choices, required=False)
    is_default = serializers.BooleanField(read_only=True)


class DigestSerializer(serializers.Serializer):
    hour = serializers.IntegerField(min_value=0, max_value=23, required=False)
    time_zone = serializers.CharField(max_length=64, required=False)
    is_default = serializers.BooleanField(read_only=True)


class PreferencesSerializer(serializers.Serializer):
    kinds = KindChoiceSerializer(many=True, required=False)
    digest = DigestSerializer(required=False)

    def validate_kinds(self, value):
        seen = [item["kind"] for item in value]
        twice = sorted({kind for kind in seen if seen.count(kind) > 1})
        if twice:
            raise serializers.ValidationError(f"Each kind once: {', '.join(twice)} came more than once.")
        for item in value:
            if "delivery" not in item and "timing" not in item:
                raise serializers.ValidationError(f"{item['kind']}: give delivery, timing or both.")
        return value


class InboxPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The page further along (older), or null.")
    previous = serializers.URLField(allow_null=True, help_text="The page back towards the start, or null.")
    unread_count = serializers.IntegerField(help_text="Unread notifications, counted up to 100.")
    results = NotificationSerializer(many=True)
