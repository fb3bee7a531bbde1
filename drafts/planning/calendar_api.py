"""GET /api/calendar/?from=&to=&board=: the posts, notes and deadlines of a window of days (at most
calendar_selectors.MAX_DAYS), each time in UTC and as its board's wall clock with the zone."""

from datetime import UTC

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.api import query_id
from contributors.models import Board
from drafts.planning import calendar_selectors as selectors


class CalendarPillarSerializer(serializers.Serializer):
    name = serializers.CharField()
    colour = serializers.CharField(help_text="#rrggbb")


class CalendarChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField(help_text="the publication's state: pending, claimed, sending, published, failed")
    due_at = serializers.DateTimeField(help_text="when this channel publishes (UTC)")


class CalendarBoardRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.CharField()
    time_zone = serializers.CharField()
    may_move = serializers.BooleanField(help_text="whether you may reschedule this board's posts (managers)")


def _local(moment) -> dict:
    return {"local": moment.replace(tzinfo=None).isoformat(timespec="minutes"), "zone": selectors.zone_label(moment)}


class CalendarLocalTimeSerializer(serializers.Serializer):
    local = serializers.CharField(help_text="the board's wall-clock time, YYYY-MM-DDTHH:MM")
    zone = serializers.CharField(help_text='the zone\'s abbreviation then, e.g. "CET"')


class CalendarPostSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    board = serializers.IntegerField(source="board.pk")
    title = serializers.CharField()
    state = serializers.CharField(help_text="scheduled, published or failed")
    publish_at = serializers.DateTimeField(help_text="UTC")
    publish_at_local = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    movable = serializers.BooleanField(help_text="whether you may reschedule it now")
    pillars = CalendarPillarSerializer(many=True)
    channels = CalendarChannelSerializer(many=True)

    @extend_schema_field(CalendarLocalTimeSerializer)
    def get_publish_at_local(self, post) -> dict:
        return _local(post.local)


class CalendarNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    board = serializers.IntegerField(source="board.pk")
    title = serializers.CharField()
    body = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(help_text="the last day it covers")


class CalendarDeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    board = serializers.IntegerField(source="board.pk")
    draft = serializers.IntegerField(source="draft_id")
    draft_title = serializers.CharField()
    label = serializers.CharField()
    due_at = serializers.DateTimeField(help_text="UTC")
    due_at_local = serializers.SerializerMethodField()

    @extend_schema_field(CalendarLocalTimeSerializer)
    def get_due_at_local(self, deadline) -> dict:
        return _local(deadline.local)


class CalendarSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="the first day")
    end = serializers.DateField(help_text="the day after the last")
    truncated = serializers.BooleanField(help_text=f"more than {selectors.MAX_POSTS} posts: ask for fewer days")
    boards = CalendarBoardRefSerializer(many=True)
    posts = CalendarPostSerializer(many=True)
    notes = CalendarNoteSerializer(many=True)
    deadlines = CalendarDeadlineSerializer(many=True)


class CalendarView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="the first day, YYYY-MM-DD"),
            OpenApiParameter(
                "to",
                OpenApiTypes.DATE,
                required=True,
                description=f"the day after the last, YYYY-MM-DD; at most {selectors.MAX_DAYS} days after `from`",
            ),
            OpenApiParameter("board", OpenApiTypes.INT, description="a board id: only its calendar"),
        ],
        responses={200: CalendarSerializer},
    )
    def get(self, request):
        """Your calendar: the scheduled, published and failed posts (with pillars, channels and times), the
        notes and the deadlines on the boards you may see, each day read in its board's time zone."""
        board_id = query_id(request, "board")  # first: an impossible id is named as such, whatever the dates
        start, end = selectors.parse_window(request.query_params.get("from"), request.query_params.get("to"))
        board = None
        if board_id is not None:
            board = Board.objects.filter(pk=board_id).first()
            if board is None or not selectors.calendar_boards(request.user, board=board):
                raise Http404("No such board.")
        entries = selectors.calendar_entries(request.user, start, end, board=board)
        # Built by hand in CalendarSerializer's shape (the schema): DRF's serializers took 120 ms for a month
        # of 2,000 posts, more than the rest of the request.
        return Response(calendar_data(entries))


def _utc(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def calendar_data(entries: selectors.CalendarEntries) -> dict:
    labels: dict = {}

    def local(board_pk: int, moment) -> dict:
        key = (board_pk, moment.utcoffset())
        zone = labels.get(key) or labels.setdefault(key, selectors.zone_label(moment))
        return {"local": moment.replace(tzinfo=None).isoformat(timespec="minutes"), "zone": zone}

    return {
        "start": entries.start.isoformat(),
        "end": entries.end.isoformat(),
        "truncated": entries.truncated,
        "boards": [
            {"id": b.pk, "name": b.name, "slug": b.slug, "time_zone": b.time_zone, "may_move": b.may_move}
            for b in entries.boards
        ],
        "posts": [
            {
                "id": post.pk,
                "board": post.board.pk,
                "title": post.title,
                "state": post.state,
                "publish_at": _utc(post.publish_at),
                "publish_at_local": local(post.board.pk, post.local),
                "version": post.version,
                "movable": post.movable,
                "pillars": post.pillars,
                "channels": [
                    {
                        "id": c["id"],
                        "name": c["name"],
                        "kind": c["kind"],
                        "state": c["state"],
                        "due_at": _utc(c["due_at"]),
                    }
                    for c in post.channels
                ],
            }
            for post in entries.posts
        ],
        "notes": [
            {
                "id": note.pk,
                "board": note.board.pk,
                "title": note.title,
                "body": note.body,
                "starts_on": note.starts_on.isoformat(),
                "ends_on": note.ends_on.isoformat(),
            }
            for note in entries.notes
        ],
        "deadlines": [
            {
                "id": d.pk,
                "board": d.board.pk,
                "draft": d.draft_id,
                "draft_title": d.draft_title,
                "label": d.label,
                "due_at": _utc(d.due_at),
                "due_at_local": local(d.board.pk, d.local),
            }
            for d in entries.deadlines
        ],
    }
