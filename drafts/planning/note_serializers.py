"""API shapes of calendar notes, deadlines and best-time hints."""

from rest_framework import serializers

from drafts.planning.deadline_services import DEADLINE_LABEL_MAX
from drafts.planning.note_services import NOTE_BODY_MAX, NOTE_TITLE_MAX


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    board = serializers.IntegerField(source="board_id", read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True, help_text="The first day, in the board's time zone.")
    ends_on = serializers.DateField(read_only=True, help_text="The last day it covers (the same for one day).")
    author = serializers.CharField(
        source="author.username", read_only=True, allow_null=True, help_text="Who added it (null: gone since)."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class NoteListSerializer(serializers.Serializer):
    """`from` and `to`: the window's first and last day (the ones asked for, or the default window)."""

    truncated = serializers.BooleanField(help_text="True when the window holds more notes than one answer carries.")
    results = NoteSerializer(many=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField(help_text="The window's first day.")
        self.fields["to"] = serializers.DateField(help_text="The window's last day.")


class NoteCreateSerializer(serializers.Serializer):
    """The rules (title required, last day not before the first, at most 366 days) are note_services'."""

    title = serializers.CharField(max_length=NOTE_TITLE_MAX, allow_blank=True)
    body = serializers.CharField(max_length=NOTE_BODY_MAX, allow_blank=True, required=False, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, help_text="Absent or null: one day.")


class NoteUpdateSerializer(serializers.Serializer):
    """Every field optional; moving `starts_on` alone keeps the note's length."""

    title = serializers.CharField(max_length=NOTE_TITLE_MAX, allow_blank=True, required=False)
    body = serializers.CharField(max_length=NOTE_BODY_MAX, allow_blank=True, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)


class NoteWindowSerializer(serializers.Serializer):
    """?from=&to= (ISO dates, at most 400 days apart); without them the month behind and the year ahead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)


class DeadlineSerializer(serializers.Serializer):
    draft = serializers.IntegerField(source="draft_id", read_only=True)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True, allow_null=True)
    set_by = serializers.CharField(read_only=True, allow_null=True, help_text="The username of who set it.")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class DeadlineSetSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(help_text="ISO 8601 with its offset from UTC.")
    label = serializers.CharField(max_length=DEADLINE_LABEL_MAX, required=False, allow_blank=True, default="")


class BestTimesSerializer(serializers.Serializer):
    kind = serializers.CharField()
    platform = serializers.CharField()
    times = serializers.ListField(child=serializers.CharField(), help_text="HH:MM in the board's time zone.")
    source = serializers.ChoiceField(choices=["engagement", "default", "none"])
    label = serializers.CharField()


class BoardBestTimesSerializer(serializers.Serializer):
    time_zone = serializers.CharField()
    channels = BestTimesSerializer(many=True)
