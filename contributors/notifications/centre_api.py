"""JSON API of the notification centre. Thin: parse input, call a selector or service, serialize the result.
A person only ever reaches their own notifications: another person's id is a 404, for site admins too."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.api import keyset_links, keyset_page_size
from cocreate.errors import refusal_for
from cocreate.ids import MAX_ID
from contributors.notifications import selectors, services
from contributors.notifications.centre_serializers import (
    InboxPageSerializer,
    NotificationSerializer,
    PreferencesSerializer,
    ReadAllSerializer,
)
from contributors.notifications.kinds import Kind
from contributors.notifications.models import Notification


def _notification_id(raw) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Http404("No such notification.") from None
    if not 0 < value <= MAX_ID:
        raise Http404("No such notification.")
    return value


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("unread", str, enum=["1", "0"], description="1: only the unread ones."),
            OpenApiParameter("after", str, description="Cursor from `next`."),
            OpenApiParameter("before", str, description="Cursor from `previous`."),
            OpenApiParameter("page_size", int, description="1 to 200, default 50."),
        ],
        responses={200: InboxPageSerializer},
    ),
    read=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)]),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your notifications: unread first, then read, newest first within each (keyset cursors)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema only: every read goes through the selectors
    pagination_class = None  # inbox_page pages by its own (unread?, created_at, id) cursor

    def list(self, request, *args, **kwargs):
        unread = request.query_params.get("unread", "0")
        if unread not in ("0", "1", ""):
            raise ValidationError({"unread": ["1 for only the unread ones, 0 (or nothing) for all."]})
        size = keyset_page_size(request, default=50, most=200)
        try:
            page = selectors.inbox_page(
                request.user,
                unread_only=unread == "1",
                after=request.query_params.get("after") or None,
                before=request.query_params.get("before") or None,
                size=size,
            )
        except DjangoValidationError as exc:
            raise ValidationError({"cursor": list(exc.messages)}) from None

        next_link, previous_link = keyset_links(request, page)
        return Response(
            {
                "next": next_link,
                "previous": previous_link,
                "unread_count": selectors.unread_count_capped(request.user),
                "results": NotificationSerializer(page.rows, many=True).data,
            }
        )

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your notifications read."""
        notification = selectors.notification_get_for_user(request.user, _notification_id(pk))
        services.notification_mark_read(user=request.user, notification_id=notification.pk)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read."""
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


def _preferences_body(user) -> dict:
    digest = selectors.digest_settings_for(user)
    return {
        "kinds": [
            {
                "kind": c.kind,
                "label": Kind(c.kind).label,
                "delivery": c.delivery,
                "timing": c.timing,
                "is_default": c.is_default,
            }
            for c in selectors.preferences_table(user)
        ],
        "digest": {"hour": digest.hour, "time_zone": digest.time_zone, "is_default": digest.is_default},
    }


class NotificationPreferencesView(APIView):
    """How you are told of each kind (in_app, email, both, none; at once or in the daily digest), and when your
    digest goes out. PATCH changes only what it names, all or nothing."""

    serializer_class = PreferencesSerializer

    @extend_schema(responses={200: PreferencesSerializer})
    def get(self, request):
        return Response(_preferences_body(request.user))

    @extend_schema(request=PreferencesSerializer, responses={200: PreferencesSerializer})
    def patch(self, request):
        serializer = PreferencesSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        digest = data.get("digest", {})
        kinds = {
            item["kind"]: {key: item[key] for key in ("delivery", "timing") if key in item}
            for item in data.get("kinds", [])
        }
        try:
            services.preferences_update(
                user=request.user,
                kinds=kinds,
                digest_hour=digest.get("hour"),
                digest_time_zone=digest.get("time_zone"),
            )
        except DjangoValidationError as exc:
            refusal = refusal_for(exc)
            raise ValidationError(refusal.field_errors if refusal and refusal.field_errors else exc.messages) from None
        return Response(_preferences_body(request.user))
