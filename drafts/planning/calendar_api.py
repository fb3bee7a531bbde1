"""GET /api/calendar/?from=&to=&board=: the posts, notes and deadlines of a window of days (at most
calendar_selectors.MAX_DAYS), each time in UTC and as its board's wall clock with the zone."""

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
        start, end = selectors.parse_window(request.query_params.get("from"), request.query_params.get("to"))
        board = None
        board_id = query_id(request, "board")
        if board_id is not None:
            board = Board.objects.filter(pk=board_id).first()
            if board is None or not selectors.calendar_boards(request.user, board=board):
                raise Http404("No such board.")
        entries = selectors.calendar_entries(request.user, start, end, board=board)
        return Response(CalendarSerializer(entries).data)
