"""JSON API for drafts. Thin: parse input, call a selector or service, serialize the result."""

from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cocreate.api import Pagination
from contributors.agreements.gate import require_access
from drafts import selectors, services
from drafts.filters import DraftFilter
from drafts.serializers import (
    CoauthorsSerializer,
    DraftCommentSerializer,
    DraftDetailSerializer,
    DraftEventSerializer,
    DraftRevisionSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
    RevisionDiffSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
)


class DraftListPaginator(DjangoPaginator):
    """Reads the page's drafts by id after choosing the ids (see selectors.draft_list_page)."""

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(selectors.draft_list_page(object_list), number, paginator)


class DraftListPagination(Pagination):
    django_paginator_class = DraftListPaginator


class DraftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    filterset_class = DraftFilter
    serializer_class = DraftSerializer

    @property
    def paginator(self):
        """The draft list pages by deferred join; the nested lists (events, revisions, comments) as usual."""
        if not hasattr(self, "_paginator"):
            pagination_class = DraftListPagination if self.action == "list" else self.pagination_class
            self._paginator = pagination_class() if pagination_class else None
        return self._paginator

    def get_queryset(self):
        return selectors.draft_list_for_user(self.request.user)

    def get_object(self):
        return selectors.draft_get_for_user(self.request.user, self._draft_pk())

    def _draft_pk(self) -> int:
        try:
            return int(self.kwargs["pk"])
        except ValueError:
            raise Http404("No such draft.") from None

    def get_serializer_class(self):
        if self.action == "retrieve":
            return DraftDetailSerializer
        return DraftSerializer

    def _detail(self, draft, status_code=status.HTTP_200_OK) -> Response:
        draft = selectors.draft_get_for_user(self.request.user, draft.pk)
        return Response(DraftDetailSerializer(draft, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=DraftSerializer, responses={201: DraftDetailSerializer})
    def create(self, request):
        serializer = DraftSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_access(request.user, data["board"])
        draft = services.draft_create(
            board=data["board"],
            author=request.user,
            title=data["title"],
            body=data.get("body", ""),
            tags=data.get("tags"),
            variants=data.get("variants"),
        )
        return self._detail(draft, status.HTTP_201_CREATED)

    @extend_schema(request=DraftUpdateSerializer, responses={200: DraftDetailSerializer})
    def partial_update(self, request, pk=None):
        serializer = DraftUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = services.draft_update(draft_id=self._draft_pk(), actor=request.user, **serializer.validated_data)
        return self._detail(draft)

    @extend_schema(request=DraftUpdateSerializer, responses={200: DraftDetailSerializer})
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(request=CoauthorsSerializer, responses={200: DraftDetailSerializer})
    @action(detail=True, methods=["put"])
    def coauthors(self, request, pk=None):
        """Replace the co-authors (user ids of people who write for the board)."""
        serializer = CoauthorsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = services.draft_coauthors_set(
            draft_id=self._draft_pk(), actor=request.user, coauthor_ids=serializer.validated_data["coauthors"]
        )
        return self._detail(draft)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: TransitionResultSerializer},
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=selectors.human_transition_names())],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)", url_name="transition")
    def transition(self, request, pk=None, name=None):
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = services.draft_transition(
            draft_id=self._draft_pk(),
            name=name,
            actor=request.user,
            comment=data["comment"],
            publish_at=data["publish_at"],
            expected_version=data["version"],
        )
        draft = selectors.draft_get_for_user(request.user, event.draft_id)
        context = self.get_serializer_context()
        return Response(
            {
                "event": DraftEventSerializer(event, context=context).data,
                "draft": DraftDetailSerializer(draft, context=context).data,
            }
        )

    @extend_schema(responses={200: DraftEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        draft = self.get_object()
        return self._paginated(draft.events.select_related("actor"), DraftEventSerializer)

    @extend_schema(responses={200: DraftRevisionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def revisions(self, request, pk=None):
        draft = self.get_object()
        return self._paginated(draft.revisions.select_related("author"), DraftRevisionSerializer)

    @extend_schema(responses={200: DraftRevisionSerializer})
    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]+)", url_name="revision")
    def revision(self, request, pk=None, number=None):
        draft = self.get_object()
        return Response(DraftRevisionSerializer(selectors.revision_get(draft, int(number))).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, description="Older revision number (default: previous)"),
            OpenApiParameter("to", int, description="Newer revision number (default: latest)"),
        ],
        responses={200: RevisionDiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        draft = self.get_object()
        old, new = selectors.revision_pair(
            draft,
            from_number=_parse_revision_number(request.query_params.get("from"), "from"),
            to_number=_parse_revision_number(request.query_params.get("to"), "to"),
        )
        return Response(
            {"from_revision": old.number, "to_revision": new.number, "diff": selectors.revision_diff(old, new)}
        )

    @extend_schema(methods=["get"], responses={200: DraftCommentSerializer(many=True)})
    @extend_schema(methods=["post"], request=DraftCommentSerializer, responses={201: DraftCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        draft = self.get_object()
        if request.method == "POST":
            serializer = DraftCommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = services.comment_create(
                draft_id=draft.pk, author=request.user, body=serializer.validated_data["body"]
            )
            return Response(DraftCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return self._paginated(draft.comments.select_related("author"), DraftCommentSerializer)

    def _paginated(self, queryset, serializer_class) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


def _parse_revision_number(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: ["Give a revision number."]}) from None
