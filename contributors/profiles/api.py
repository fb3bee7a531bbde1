"""JSON API for profiles and portfolios. Thin: parse input, call a selector or service, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contributors.permissions import require_manager
from contributors.profiles import selectors, services
from contributors.profiles.serializers import (
    PortfolioPolicySerializer,
    PortfolioSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
)
from contributors.selectors import board_get_for_user


class ProfileView(APIView):
    """Your own profile. PATCH as JSON, or as multipart with an `avatar` file."""

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(selectors.profile_for_user(request.user)).data)

    @extend_schema(request=ProfileUpdateSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(user=request.user, actor=request.user, **serializer.validated_data)
        return Response(ProfileSerializer(profile).data)


class PortfolioView(APIView):
    """A contributor's public portfolio: the same data as /people/<username>/, for anyone; 404 unless opted in."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PortfolioSerializer)
    def get(self, request, username: str):
        owner = selectors.portfolio_owner_get(username=username)
        owner.pieces = list(selectors.portfolio_pieces(owner))
        return Response(PortfolioSerializer(owner).data)


class BoardPortfolioPolicyView(APIView):
    """Whether the board's published pieces may appear in portfolios: members read it, managers change it."""

    @extend_schema(responses=PortfolioPolicySerializer)
    def get(self, request, pk: int):
        board = board_get_for_user(request.user, pk=pk)
        return Response({"allow_portfolios": selectors.board_allows_portfolios(board)})

    @extend_schema(request=PortfolioPolicySerializer, responses=PortfolioPolicySerializer)
    def patch(self, request, pk: int):
        board = board_get_for_user(request.user, pk=pk)
        require_manager(request.user, board)
        serializer = PortfolioPolicySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = services.board_portfolio_policy_set(
            board=board, actor=request.user, allow_portfolios=serializer.validated_data["allow_portfolios"]
        )
        return Response({"allow_portfolios": policy.allow_portfolios})
