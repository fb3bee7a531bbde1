"""GET /api/boards/{id}/reliability/?days=: the reliability panel's figures as JSON (managers)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from publishing import reliability
from publishing.reliability import PERIOD_CHOICES, PeriodFigures
from publishing.reliability_views import BadPeriod, parse_days, reliability_board


class ReliabilityPeriodSerializer(serializers.Serializer):
    due = serializers.IntegerField()
    published = serializers.IntegerField()
    failed = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Still waiting, queued or sending.")
    cancelled = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="Published within on_time_seconds of their time.")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="on_time / published, 0..1; null if none.")
    p50_lateness_seconds = serializers.FloatField(allow_null=True)
    p99_lateness_seconds = serializers.FloatField(allow_null=True)
    retried = serializers.IntegerField(help_text="Publications that needed more than one attempt.")
    retries = serializers.IntegerField(help_text="Attempts beyond each publication's first.")


class ReliabilityChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    is_active = serializers.BooleanField()
    current = ReliabilityPeriodSerializer()
    previous = ReliabilityPeriodSerializer()
    latest_failure = serializers.CharField(help_text="The latest failed publication's error this period, or ''.")
    latest_failure_at = serializers.DateTimeField(allow_null=True)


class ReliabilitySerializer(serializers.Serializer):
    board = serializers.IntegerField()
    days = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    previous_start = serializers.DateTimeField()
    on_time_seconds = serializers.IntegerField()
    sampled = serializers.BooleanField(help_text="True when the percentiles are of the latest rows only.")
    channels = ReliabilityChannelSerializer(many=True)


def _period(figures: PeriodFigures) -> dict:
    return {
        "due": figures.due,
        "published": figures.published,
        "failed": figures.failed,
        "pending": figures.pending,
        "cancelled": figures.cancelled,
        "on_time": figures.on_time,
        "on_time_rate": figures.on_time_rate,
        "p50_lateness_seconds": figures.p50,
        "p99_lateness_seconds": figures.p99,
        "retried": figures.retried,
        "retries": figures.retries,
    }


class BoardReliabilityView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("days", int, enum=list(PERIOD_CHOICES), description="The period (default 30).")],
        responses={200: ReliabilitySerializer},
        summary="Per channel: on-time rate, lateness, retries and failures (managers)",
    )
    def get(self, request, board_id: int):
        board = reliability_board(request.user, pk=board_id)
        try:
            days = parse_days(request.query_params.get("days"))
        except BadPeriod as error:
            raise ValidationError({"days": [str(error)]}) from None
        start, end = reliability.period_for(days, now=timezone.now())
        figures = reliability.board_reliability(board, start, end)
        data = {
            "board": board.pk,
            "days": days,
            "start": start,
            "end": end,
            "previous_start": figures.previous_start,
            "on_time_seconds": reliability.ON_TIME_SECONDS,
            "sampled": figures.sampled,
            "channels": [
                {
                    "id": row.channel.pk,
                    "name": row.channel.name,
                    "kind": row.channel.kind,
                    "is_active": row.channel.is_active,
                    "current": _period(row.current),
                    "previous": _period(row.previous),
                    "latest_failure": row.latest_error,
                    "latest_failure_at": row.latest_error_at,
                }
                for row in figures.channels
            ],
        }
        return Response(ReliabilitySerializer(data).data)
