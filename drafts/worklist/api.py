"""GET /api/review-queue/: the review queue with the page's filters, a page at a time (keyset cursors)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from drafts.worklist import selectors
from drafts.worklist.serializers import QueueItemSerializer, QueuePageSerializer

MAX_PAGE_SIZE = 100


def _page_size(raw) -> int:
    from django.core.exceptions import ValidationError

    if raw in (None, ""):
        return selectors.QUEUE_PAGE_SIZE
    try:
        size = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({"page_size": "page_size must be a number."}) from None
    if size < 1:
        return selectors.QUEUE_PAGE_SIZE  # as DRF's paginators do for the other lists
    return min(size, MAX_PAGE_SIZE)  # capped, as the other lists' page sizes are


class ReviewQueueView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                OpenApiTypes.STR,
                enum=list(selectors.QUEUE_STATES),
                description="review (default), approved (not scheduled) or changes (requested)",
            ),
            OpenApiParameter("board", OpenApiTypes.INT, description="a board id"),
            OpenApiParameter("author", OpenApiTypes.INT, description="an author's user id"),
            OpenApiParameter("tag", OpenApiTypes.STR),
            OpenApiParameter(
                "channel", OpenApiTypes.STR, description="a channel kind: drafts on boards with an active channel of it"
            ),
            OpenApiParameter("waiting", OpenApiTypes.STR, enum=[k for k in selectors.QUEUE_WAITING if k]),
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=list(selectors.QUEUE_SORTS),
                description="oldest (default), newest or title",
            ),
            OpenApiParameter("after", OpenApiTypes.STR, description="cursor: the next page (from `next`)"),
            OpenApiParameter("before", OpenApiTypes.STR, description="cursor: the previous page (from `previous`)"),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"1 to {MAX_PAGE_SIZE}, larger is capped (default {selectors.QUEUE_PAGE_SIZE})",
            ),
        ],
        responses={200: QueuePageSerializer},
    )
    def get(self, request):
        """Drafts waiting on the boards where you review, oldest waiting first; an empty list if you review none."""
        filters = selectors.queue_filters_parse(request.query_params)
        queue = selectors.review_queue_page(
            request.user,
            filters,
            after=request.query_params.get("after") or None,
            before=request.query_params.get("before") or None,
            size=_page_size(request.query_params.get("page_size")),
        )

        def link(**cursor) -> str | None:
            if not any(cursor.values()):
                return None
            params = request.query_params.copy()
            params.pop("after", None)
            params.pop("before", None)
            for name, value in cursor.items():
                if value:
                    params[name] = value
            return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

        return Response(
            {
                "next": link(after=queue.page.after),
                "previous": link(before=queue.page.before),
                "counts": queue.state_counts,
                "results": QueueItemSerializer(queue.rows, many=True, context={"request": request}).data,
            }
        )
