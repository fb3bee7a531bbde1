"""GET /api/review-queue/: the review queue with the page's filters, a page at a time (keyset cursors)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.api import keyset_links, keyset_page_size
from drafts.worklist import selectors
from drafts.worklist.serializers import QueueItemSerializer, QueuePageSerializer

MAX_PAGE_SIZE = 100


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
            size=keyset_page_size(request, default=selectors.QUEUE_PAGE_SIZE, most=MAX_PAGE_SIZE),
        )

        next_link, previous_link = keyset_links(request, queue.page)
        return Response(
            {
                "next": next_link,
                "previous": previous_link,
                "counts": queue.state_counts,
                "results": QueueItemSerializer(queue.rows, many=True, context={"request": request}).data,
            }
        )
