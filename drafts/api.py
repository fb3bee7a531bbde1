"""JSON API for drafts. Thin: parse input, call a selector or service, serialize the result."""

from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cocreate.api import Pagination
from cocreate.parsers import JSONParser
from drafts import diffing, selectors, services, steps
from drafts import images as draft_images
from drafts.filters import DraftFilter
from drafts.serializers import (
    CoauthorsSerializer,
    CommentReplySerializer,
    DraftCommentSerializer,
    DraftDetailSerializer,
    DraftEventSerializer,
    DraftImageResultSerializer,
    DraftImageSerializer,
    DraftImageUpdateSerializer,
    DraftImageUploadSerializer,
    DraftPreviewSerializer,
    DraftRevisionSerializer,
    DraftSerializer,
    DraftUpdateSerializer,
    RevisionChangesSerializer,
    RevisionDiffSerializer,
    TransitionResultSerializer,
    TransitionSerializer,
    transition_request_serializer,
)


class DraftListPaginator(DjangoPaginator):
    """Reads the page's drafts by id after choosing the ids (see selectors.draft_list_rows)."""

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(selectors.draft_list_rows(object_list, images=True), number, paginator)


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
        return selectors.draft_list_for_user(self.request.user, images=True)

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
        draft = services.draft_create(
            board=data["board"],
            author=request.user,
            title=data["title"],
            body=data.get("body", ""),
            tags=data.get("tags"),
            variants=data.get("variants"),
            pillars=data.get("pillars"),
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
        """Take workflow step `name`; the body is that step's (see drafts.steps)."""
        step = steps.step_get(name)
        serializer = transition_request_serializer(step)(data=request.data)
        serializer.is_valid(raise_exception=True)
        arguments = dict(serializer.validated_data)
        version = arguments.pop("version")
        event = services.draft_transition(
            draft_id=self._draft_pk(), name=step.name, actor=request.user, expected_version=version, **arguments
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
            OpenApiParameter(
                "from",
                int,
                description="Older revision number (default: for a reviewer, the one they last reviewed, else the "
                "previous one)",
            ),
            OpenApiParameter("to", int, description="Newer revision number (default: latest)"),
        ],
        responses={200: RevisionDiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        draft = self.get_object()
        old, new, _ = selectors.revisions_to_compare(
            draft,
            request.user,
            from_number=_parse_revision_number(request.query_params.get("from"), "from"),
            to_number=_parse_revision_number(request.query_params.get("to"), "to"),
        )
        return Response(
            {
                "from_revision": old.number,
                "to_revision": new.number,
                "changes": RevisionChangesSerializer(diffing.revision_changes(old, new)).data,
                "diff": selectors.revision_diff(old, new),
            }
        )

    @extend_schema(methods=["get"], responses={200: DraftCommentSerializer(many=True)})
    @extend_schema(methods=["post"], request=DraftCommentSerializer, responses={201: DraftCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """Comment threads: on the whole draft, or on a passage (`quote`, `prefix`, `suffix`), with replies."""
        draft = self.get_object()
        if request.method == "POST":
            serializer = DraftCommentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            comment = services.comment_create(
                draft_id=draft.pk,
                author=request.user,
                body=data["body"],
                quote=data["quote"],
                prefix=data["prefix"],
                suffix=data["suffix"],
                position=data["position"],
            )
            return self._thread(draft, comment.pk, status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.comment_threads(draft))
        threads = selectors.comment_threads_located(draft, page)
        return self.get_paginated_response(DraftCommentSerializer(threads, many=True).data)

    @extend_schema(
        request=CommentReplySerializer,
        responses={201: DraftCommentSerializer},
        parameters=[OpenApiParameter("comment_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"comments/(?P<comment_id>[0-9]+)/replies",
        url_name="comment-replies",
        filter_backends=[],
    )
    def comment_replies(self, request, pk=None, comment_id=None):
        """Reply in a thread (a reply to a reply joins the same thread); answers the whole thread."""
        draft = self.get_object()
        serializer = CommentReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = services.comment_create(
            draft_id=draft.pk, author=request.user, body=serializer.validated_data["body"], parent_id=int(comment_id)
        )
        return self._thread(draft, reply.parent_id, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: DraftCommentSerializer},
        parameters=[OpenApiParameter("comment_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"comments/(?P<comment_id>[0-9]+)/resolve",
        url_name="comment-resolve",
        filter_backends=[],
    )
    def comment_resolve(self, request, pk=None, comment_id=None):
        """Resolve a thread: its author, the draft's authors and the board's reviewers and managers."""
        return self._resolution(comment_id, resolved=True)

    @extend_schema(
        request=None,
        responses={200: DraftCommentSerializer},
        parameters=[OpenApiParameter("comment_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"comments/(?P<comment_id>[0-9]+)/reopen",
        url_name="comment-reopen",
        filter_backends=[],
    )
    def comment_reopen(self, request, pk=None, comment_id=None):
        """Open a resolved thread again (the same people as resolve)."""
        return self._resolution(comment_id, resolved=False)

    def _resolution(self, comment_id, *, resolved: bool) -> Response:
        draft = self.get_object()
        comment = services.comment_resolve(
            draft_id=draft.pk, comment_id=int(comment_id), actor=self.request.user, resolved=resolved
        )
        return self._thread(draft, comment.pk)

    def _thread(self, draft, comment_id: int, status_code=status.HTTP_200_OK) -> Response:
        thread = selectors.comment_threads(draft).get(pk=comment_id)
        located = selectors.comment_threads_located(draft, [thread])
        return Response(DraftCommentSerializer(located[0]).data, status=status_code)

    @extend_schema(methods=["get"], responses={200: DraftImageSerializer(many=True)})
    @extend_schema(methods=["post"], request=DraftImageUploadSerializer, responses={201: DraftImageResultSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        pagination_class=None,  # never more than DRAFT_IMAGE_MAX_PER_DRAFT
        filter_backends=[],
    )
    def images(self, request, pk=None):
        """The draft's images in order (at most 4); POST multipart with `file`, `alt_text` and `version`."""
        if request.method == "POST":
            serializer = DraftImageUploadSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            image = draft_images.draft_image_add(
                draft_id=self._draft_pk(),
                actor=request.user,
                upload=data["file"],
                alt_text=data["alt_text"],
                version=data["version"],
            )
            return Response(DraftImageResultSerializer(image).data, status=status.HTTP_201_CREATED)
        draft = self.get_object()
        return Response(DraftImageSerializer(draft.images.all(), many=True).data)

    @extend_schema(
        methods=["patch"],
        request=DraftImageUpdateSerializer,
        responses={200: DraftImageResultSerializer},
        parameters=[OpenApiParameter("image_id", int, OpenApiParameter.PATH)],
    )
    @extend_schema(
        methods=["delete"],
        responses={204: None},
        parameters=[
            OpenApiParameter("image_id", int, OpenApiParameter.PATH),
            OpenApiParameter("version", int, description="If given, refused with 409 when stale."),
        ],
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"images/(?P<image_id>[0-9]+)",
        url_name="image",
        parser_classes=[JSONParser],
        filter_backends=[],
    )
    def image(self, request, pk=None, image_id=None):
        """Change an image's alt text or position (0 is first), or remove it; both bump the draft's version."""
        if request.method == "DELETE":
            draft_images.draft_image_remove(
                draft_id=self._draft_pk(),
                image_id=int(image_id),
                actor=request.user,
                version=_parse_version(request.query_params.get("version")),
            )
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = DraftImageUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = draft_images.draft_image_update(
            draft_id=self._draft_pk(), image_id=int(image_id), actor=request.user, **serializer.validated_data
        )
        return Response(DraftImageResultSerializer(image).data)

    @extend_schema(responses={200: DraftPreviewSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def previews(self, request, pk=None):
        """The draft as each active channel of its board would receive it now: one entry per channel."""
        from publishing.selectors import draft_previews

        draft = self.get_object()
        return Response(DraftPreviewSerializer(draft_previews(draft), many=True).data)

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


def _parse_version(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError({"version": ["Give the draft version as a whole number."]}) from None
