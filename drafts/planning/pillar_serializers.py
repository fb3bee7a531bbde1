"""JSON shapes of the pillars API and the mix (drafts.planning.pillar_api)."""

from rest_framework import serializers

from drafts.planning.models import Pillar
from drafts.planning.pillar_services import DESCRIPTION_MAX, NAME_MAX

TARGET_HELP = "The share of the board's posts this pillar should have, in percent (0: no target). The board's "
TARGET_HELP += "targets together may not pass 100."


class PillarSerializer(serializers.ModelSerializer):
    board = serializers.IntegerField(source="board_id", read_only=True)
    name = serializers.CharField(max_length=NAME_MAX, help_text="Unique on the board, in any case.")
    colour = serializers.CharField(max_length=7, required=False, help_text="#rrggbb, for example #2f6f4e.")
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True)
    target_percent = serializers.IntegerField(min_value=0, max_value=100, required=False, help_text=TARGET_HELP)
    position = serializers.IntegerField(read_only=True, help_text="Order in lists and legends, 0 first.")
    draft_count = serializers.SerializerMethodField(help_text="Drafts in the pillar (archived ones left out).")

    class Meta:
        model = Pillar
        fields = ["id", "board", "name", "colour", "description", "target_percent", "position", "draft_count"]

    def get_draft_count(self, pillar) -> int:
        count = getattr(pillar, "draft_count", None)
        return int(count) if count is not None else pillar.drafts.exclude(state="archived").count()


class PillarUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX, required=False)
    colour = serializers.CharField(max_length=7, required=False, help_text="#rrggbb.")
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True)
    target_percent = serializers.IntegerField(min_value=0, max_value=100, required=False, help_text=TARGET_HELP)
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="Move the pillar to this place in the board's order (0 first)."
    )


class PillarChipSerializer(serializers.Serializer):
    """A pillar as a draft shows it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    colour = serializers.CharField()


class DraftPillarsSerializer(serializers.Serializer):
    pillars = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=20,
        help_text="Ids of the draft's board's pillars; replaces the list (empty: none).",
    )
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="If given, refused with 409 when stale."
    )


class DraftPillarsResultSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The draft's version after the change.")
    pillars = PillarChipSerializer(many=True)


class MixPillarSerializer(serializers.Serializer):
    pillar = serializers.IntegerField(source="pillar_id", allow_null=True, help_text="Null: posts in no pillar.")
    name = serializers.CharField()
    colour = serializers.CharField()
    posts = serializers.IntegerField()
    share_percent = serializers.IntegerField(
        help_text="Of the period's posts, rounded; a post in two pillars counts for both."
    )
    target_percent = serializers.IntegerField(help_text="0: no target.")
    off_by = serializers.IntegerField(help_text="Points above (+) or below (-) the target; 0 without a target.")


class MixChannelSerializer(serializers.Serializer):
    channel = serializers.IntegerField(source="channel_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    posts = serializers.IntegerField()


class MixWarningSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["week_share", "day_missing", "no_pillar"],
        help_text="week_share: a pillar's share of a week is off its target by more than the tolerance; "
        "day_missing: a busy day has no post of a pillar with a large target; no_pillar: posts without a pillar.",
    )
    message = serializers.CharField(help_text='In plain words, e.g. "No Community post on Thursday 10 December."')
    day = serializers.DateField(allow_null=True)
    week = serializers.CharField(allow_null=True, help_text="ISO week, e.g. 2026-W50.")
    pillar = serializers.IntegerField(source="pillar_id", allow_null=True)


class MixDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="start", help_text="A day in the board's time zone.")
    total = serializers.IntegerField(help_text="Scheduled and published posts.")
    pillars = MixPillarSerializer(many=True)
    channels = MixChannelSerializer(many=True)
    warnings = MixWarningSerializer(many=True)


class MixWeekSerializer(serializers.Serializer):
    week = serializers.CharField(source="iso_week", help_text="ISO week, e.g. 2026-W50.")
    start = serializers.DateField(help_text="Its Monday.")
    end = serializers.DateField(help_text="Its Sunday.")
    days_counted = serializers.IntegerField(help_text="Its days inside the range asked for (7 for a whole week).")
    total = serializers.IntegerField()
    pillars = MixPillarSerializer(many=True)
    channels = MixChannelSerializer(many=True)
    warnings = MixWarningSerializer(many=True)


class MixTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    colour = serializers.CharField()
    target_percent = serializers.IntegerField()


class MixSerializer(serializers.Serializer):
    board = serializers.IntegerField(source="board.pk")
    time_zone = serializers.CharField(source="board.time_zone", help_text="Days are cut in this zone.")
    start = serializers.DateField(help_text="The first day, included.")
    end = serializers.DateField(help_text="The last day, included.")
    total = serializers.IntegerField()
    targets = MixTargetSerializer(many=True, source="pillars")
    days = MixDaySerializer(many=True)
    weeks = MixWeekSerializer(many=True)
    warnings = MixWarningSerializer(many=True, help_text="Every week's and day's warnings, in date order.")
