import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cocreate.api import LatestDueCursorPagination
from drafts.filters import IdFilter
from publishing import selectors, services
from publishing.models import Publication, PublicationState
from publishing.serializers import (
    ChannelSerializer,
    ChannelTestResultSerializer,
    ChannelUpdateSerializer,
    PublicationSerializer,
)


class ChannelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The channels of the boards you manage. Credentials are write-only."""

    serializer_class = ChannelSerializer

    def get_queryset(self):
        return selectors.channels_for_manager(self.request.user).order_by("board", "name")

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            raise Http404(selectors.NO_SUCH_CHANNEL) from None
        return selectors.channel_get_for_manager(self.request.user, pk)

    @extend_schema(request=ChannelSerializer, responses={201: ChannelSerializer})
    def create(self, request):
        serializer = ChannelSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        channel = services.channel_create(actor=request.user, **serializer.validated_data)
        return Response(ChannelSerializer(channel, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=ChannelUpdateSerializer, responses={200: ChannelSerializer})
    def partial_update(self, request, pk=None):
        channel = self.get_object()
        serializer = ChannelUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = services.channel_update(channel=channel, actor=request.user, **serializer.validated_data)
        return Response(ChannelSerializer(channel, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: ChannelTestResultSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        worked, message = services.channel_test(channel=self.get_object(), actor=request.user)
        return Response({"ok": worked, "message": message}, status=status.HTTP_200_OK)


class PublicationFilter(django_filters.FilterSet):
    board = IdFilter(field_name="draft__board_id")
    draft = IdFilter(field_name="draft_id")
    channel = IdFilter(field_name="channel_id")
    state = django_filters.ChoiceFilter(choices=PublicationState.choices)

    class Meta:
        model = Publication
        fields = ["board", "draft", "channel", "state"]


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The publication log for the boards you review or manage.

    Managers can `retry` a failed publication (its draft's retry transition: only the failed channels are sent
    again) and `check` a published one (the post is read back from its platform: is it still there?)."""

    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    pagination_class = LatestDueCursorPagination

    def get_queryset(self):
        if self.action == "list":
            return selectors.publications_listed_for_user(self.request.user)
        return selectors.publications_for_user(self.request.user)

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            raise Http404("No such publication.") from None
        return selectors.publication_get_for_user(self.request.user, pk)

    @extend_schema(request=None, responses={200: PublicationSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Send the draft's failed channels again now (the draft's retry transition; managers)."""
        publication = self.get_object()
        services.publication_retry(publication_id=publication.pk, actor=request.user)
        publication = selectors.publication_get_for_user(request.user, publication.pk)
        return Response(PublicationSerializer(publication, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: PublicationSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Read the published post back from its platform: `live`, `checked_at`, `check_detail` (managers)."""
        publication = services.publication_check(publication_id=self.get_object().pk, actor=request.user)
        return Response(PublicationSerializer(publication, context=self.get_serializer_context()).data)
