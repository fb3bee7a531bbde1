from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cocreate.api import NameCursorPagination
from contributors import selectors, services
from contributors.permissions import prefetch_board_permissions, require_manager
from contributors.serializers import BoardSerializer, MemberSerializer


class BoardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = BoardSerializer
    pagination_class = NameCursorPagination

    def get_queryset(self):
        return selectors.boards_for_user(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        prefetch_board_permissions(self.request.user, page if page is not None else queryset)
        return page

    def get_object(self):
        try:
            return selectors.board_get_for_user(self.request.user, pk=int(self.kwargs["pk"]))
        except ValueError:
            raise Http404("No such board.") from None

    @extend_schema(methods=["get"], responses={200: MemberSerializer(many=True)})
    @extend_schema(methods=["post"], request=MemberSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        """Who holds which role; managers add a member or change a role by POSTing username and role."""
        board = self.get_object()
        require_manager(request.user, board)
        if request.method == "POST":
            serializer = MemberSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            user = _active_user(serializer.validated_data["user"]["username"])
            services.board_role_grant(
                board=board, user=user, role=serializer.validated_data["role"], actor=request.user
            )
            return Response(
                MemberSerializer({"user": user, "role": serializer.validated_data["role"]}).data,
                status=status.HTTP_201_CREATED,
            )
        members = [{"user": user, "role": role} for user, role in selectors.board_members(board)]
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<user_id>[0-9]+)", url_name="member")
    def member(self, request, pk=None, user_id=None):
        board = self.get_object()
        require_manager(request.user, board)
        user = get_user_model().objects.filter(pk=user_id).first()
        if user is None or services.board_role_revoke(board=board, user=user, actor=request.user) is None:
            raise Http404("That user holds no role on this board.")
        return Response(status=status.HTTP_204_NO_CONTENT)


def _active_user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": [f"No active user is called {username!r}."]})
    return user
