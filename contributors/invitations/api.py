from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cocreate.api import query_id
from contributors.invitations import selectors, services
from contributors.invitations.serializers import (
    InvitationAcceptedSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
)
from contributors.permissions import require_manager
from contributors.profiles.tokens import api_token_create
from contributors.selectors import board_get_for_user


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitations on the boards you manage. Accepting by token is open to a newcomer without an account."""

    serializer_class = InvitationSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        board_id = query_id(self.request, "board")
        invitations = selectors.invitations_for_manager(self.request.user)
        if board_id is not None:
            invitations = invitations.filter(board_id=board_id)
        return invitations

    @extend_schema(parameters=[OpenApiParameter("board", int, description="Only this board's invitations.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        invitation = selectors.invitation_get_for_user(self.request.user, pk=int(self.kwargs["pk"]))
        require_manager(self.request.user, invitation.board)
        return invitation

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request):
        """Invite by e-mail; inviting the same address to the same board again refreshes and re-sends it."""
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        board = board_get_for_user(request.user, pk=data.pop("board"))
        invitation = services.invitation_create(board=board, inviter=request.user, site_url=_site_url(request), **data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = selectors.invitation_get_for_user(request.user, pk=int(pk))
        invitation = services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation = selectors.invitation_get_for_user(request.user, pk=int(pk))
        invitation = services.invitation_resend(invitation=invitation, actor=request.user, site_url=_site_url(request))
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(
        request=InvitationAcceptSerializer,
        responses={200: InvitationAcceptedSerializer, 201: InvitationAcceptedSerializer},
    )
    @action(detail=False, methods=["post"], permission_classes=[AllowAny])
    def accept(self, request):
        """Signed in: accept with the token. Not signed in: send name and password too to create an account."""
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if request.user.is_authenticated:
            invitation = services.invitation_accept(token=data["token"], user=request.user)
            body = {"invitation": invitation, "username": request.user.username}
            return Response(InvitationAcceptedSerializer(body).data)
        missing = {f: ["Required to create your account."] for f in ("name", "password") if not data.get(f)}
        if missing:
            raise ApiValidationError(missing)
        user, invitation = services.invitation_accept_new_user(
            token=data["token"], name=data["name"], password=data["password"]
        )
        token, secret = api_token_create(user=user)
        body = {"invitation": invitation, "username": user.username, "token": secret, "token_expiry": token.expiry}
        return Response(InvitationAcceptedSerializer(body).data, status=status.HTTP_201_CREATED)
