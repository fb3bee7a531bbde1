"""JSON API for briefs. Thin: parse input, call a selector or service, serialize the result."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cocreate.api import query_id

from . import selectors, services
from .serializers import BriefDetailSerializer, BriefSerializer, BriefUpdateSerializer, ClaimResultSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("board", int, description="Only this board's briefs."),
            OpenApiParameter("status", str, enum=list(selectors.STATUS_FILTERS), description="Default: open."),
        ]
    )
)
class BriefViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BriefSerializer

    def get_queryset(self):
        params = self.request.query_params
        status_filter = params.get("status") or "open"
        if status_filter not in selectors.STATUS_FILTERS:
            raise ValidationError({"status": [f"One of: {', '.join(selectors.STATUS_FILTERS)}."]})
        briefs = selectors.brief_list_for_user(self.request.user, status=status_filter)
        board_id = query_id(self.request, "board")
        if board_id is not None:
            briefs = briefs.filter(board_id=board_id)
        return briefs

    def get_object(self):
        return selectors.brief_get_for_user(self.request.user, self._brief_pk())

    def _brief_pk(self) -> int:
        try:
            return int(self.kwargs["pk"])
        except ValueError:
            raise Http404("No such brief.") from None

    def get_serializer_class(self):
        return BriefDetailSerializer if self.action == "retrieve" else BriefSerializer

    def _detail(self, brief_id: int, status_code=status.HTTP_200_OK) -> Response:
        brief = selectors.brief_get_for_user(self.request.user, brief_id)
        return Response(BriefDetailSerializer(brief, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=BriefSerializer, responses={201: BriefDetailSerializer})
    def create(self, request):
        serializer = BriefSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        brief = services.brief_create(
            board=data["board"],
            actor=request.user,
            topic=data["topic"],
            description=data.get("description", ""),
            channels=data.get("channels"),
            deadline=data["deadline"],
            max_claims=data["max_claims"],
        )
        return self._detail(brief.pk, status.HTTP_201_CREATED)

    @extend_schema(request=BriefUpdateSerializer, responses={200: BriefDetailSerializer})
    def partial_update(self, request, pk=None):
        serializer = BriefUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        brief = services.brief_update(brief_id=self._brief_pk(), actor=request.user, **serializer.validated_data)
        return self._detail(brief.pk)

    @extend_schema(request=BriefUpdateSerializer, responses={200: BriefDetailSerializer})
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(request=None, responses={200: BriefDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Managers: the brief takes no more claims."""
        brief = services.brief_close(brief_id=self._brief_pk(), actor=request.user)
        return self._detail(brief.pk)

    @extend_schema(request=None, responses={201: ClaimResultSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """Take a place on the brief: creates your draft for it (409 when closed, past its deadline or full)."""
        claim = services.brief_claim(brief_id=self._brief_pk(), actor=request.user)
        brief = selectors.brief_get_for_user(request.user, claim.brief_id)
        body = {
            "claim": claim.pk,
            "draft": claim.draft_id,
            "brief": BriefDetailSerializer(brief, context=self.get_serializer_context()).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)
