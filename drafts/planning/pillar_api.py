"""JSON API of a board's content pillars and its mix, keyed by the board's id. Thin: parse, call a selector or
service. Reading needs a role on the board (and its agreements signed); changing pillars, its managers."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from drafts import services as draft_services
from drafts.planning import pillar_selectors, pillar_services
from drafts.planning.mix import board_mix
from drafts.planning.models import Pillar
from drafts.planning.pillar_serializers import (
    DraftPillarsResultSerializer,
    DraftPillarsSerializer,
    MixSerializer,
    PillarSerializer,
    PillarUpdateSerializer,
)
from drafts.planning.pillar_views import parse_range


def _counted(board, pillar_id: int):
    return next(p for p in pillar_selectors.board_pillars(board, with_counts=True) if p.pk == pillar_id)


class BoardPillarsView(GenericAPIView):
    serializer_class = PillarSerializer
    queryset = Pillar.objects.none()  # for the schema only: reads go through pillar_selectors
    pagination_class = None

    @extend_schema(responses={200: PillarSerializer(many=True)}, summary="The board's content pillars, in order")
    def get(self, request, board_id: int):
        board = pillar_selectors.pillar_readable_board(request.user, pk=board_id)
        return Response(PillarSerializer(pillar_selectors.board_pillars(board, with_counts=True), many=True).data)

    @extend_schema(request=PillarSerializer, responses={201: PillarSerializer}, summary="Add a pillar (managers)")
    def post(self, request, board_id: int):
        board = pillar_selectors.pillar_readable_board(request.user, pk=board_id)
        serializer = PillarSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pillar = pillar_services.pillar_create(board=board, actor=request.user, **serializer.validated_data)
        return Response(PillarSerializer(_counted(board, pillar.pk)).data, status=status.HTTP_201_CREATED)


class BoardPillarView(GenericAPIView):
    serializer_class = PillarSerializer
    queryset = Pillar.objects.none()

    @extend_schema(responses={200: PillarSerializer}, summary="One pillar")
    def get(self, request, board_id: int, pillar_id: int):
        board = pillar_selectors.pillar_readable_board(request.user, pk=board_id)
        pillar_selectors.pillar_get(board, pillar_id)
        return Response(PillarSerializer(_counted(board, pillar_id)).data)

    @extend_schema(request=PillarUpdateSerializer, responses={200: PillarSerializer}, summary="Change a pillar")
    def patch(self, request, board_id: int, pillar_id: int):
        board = pillar_selectors.pillar_readable_board(request.user, pk=board_id)
        serializer = PillarUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        position = data.pop("position", None)
        pillar_services.pillar_update(board=board, actor=request.user, pillar_id=pillar_id, **data)
        if position is not None:
            order = [p.pk for p in pillar_selectors.board_pillars(board) if p.pk != pillar_id]
            order.insert(min(position, len(order)), pillar_id)
            pillar_services.pillar_reorder(board=board, actor=request.user, pillar_ids=order)
        return Response(PillarSerializer(_counted(board, pillar_id)).data)

    @extend_schema(request=None, responses={204: None}, summary="Remove a pillar (its drafts keep their others)")
    def delete(self, request, board_id: int, pillar_id: int):
        board = pillar_selectors.pillar_readable_board(request.user, pk=board_id)
        pillar_services.pillar_delete(board=board, actor=request.user, pillar_id=pillar_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftPillarsView(GenericAPIView):
    serializer_class = DraftPillarsSerializer
    queryset = Pillar.objects.none()

    @extend_schema(
        request=DraftPillarsSerializer,
        responses={200: DraftPillarsResultSerializer},
        summary="Choose a draft's pillars (its writers while a draft; managers in any state but archived)",
    )
    def put(self, request, draft_id: int):
        serializer = DraftPillarsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = draft_services.draft_pillars_set(
            draft_id=draft_id,
            actor=request.user,
            pillar_ids=serializer.validated_data["pillars"],
            version=serializer.validated_data.get("version"),
        )
        chips = [{"id": p.pk, "name": p.name, "colour": p.colour} for p in pillar_selectors.draft_pillars(draft)]
        return Response(DraftPillarsResultSerializer({"version": draft.version, "pillars": chips}).data)


class BoardMixView(GenericAPIView):
    serializer_class = MixSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", str, description="First day, YYYY-MM-DD, in the board's zone (default: this week's Monday)."
            ),
            OpenApiParameter(
                "to",
                str,
                description="Last day, included (default: six days after `from`; without either, this week and "
                "the next). At most 62 days.",
            ),
        ],
        responses={200: MixSerializer},
        summary="Posts per day and week, per pillar and channel, against the targets, with warnings",
    )
    def get(self, request, board_id: int):
        board = pillar_selectors.pillar_readable_board(request.user, pk=board_id)
        start, end = parse_range(request.query_params, board)
        return Response(MixSerializer(board_mix(board, start, end)).data)
