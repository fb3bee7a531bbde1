"""API sign-in and tokens: `POST /api/auth/token/` issues a new token (several per user, each with an expiry),
`/api/auth/logout/` revokes the one in use, `/api/auth/logout-all/` all of them, `/api/auth/tokens/` lists
them (never the secret) and `DELETE /api/auth/tokens/{id}/` revokes one."""

from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cocreate.parsers import PARSER_CLASSES
from contributors.profiles.tokens import (
    api_token_create,
    api_token_revoke,
    api_tokens_for_user,
    api_tokens_revoke_all,
    public_id,
)


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)

    def get_id(self, token) -> str:
        return public_id(token)


class IssuedTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`. Shown only this once.")


def issued_token_body(token: AuthToken, secret: str) -> dict:
    return {**ApiTokenSerializer(token).data, "token": secret}


class TokenView(APIView):
    """`POST /api/auth/token/` with username and password returns a new token; throttled like the login page.

    django-axes marks the request it refused; DRF's authenticate() only sees a failed login, so the lockout
    is turned into a 429 here, as the login page answers it.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = PARSER_CLASSES

    @extend_schema(request=AuthTokenSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": "Too many failed sign-in attempts: try again in a few minutes."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise ValidationError(serializer.errors)
        token, secret = api_token_create(user=serializer.validated_data["user"])
        return Response(issued_token_body(token, secret))


class LogoutView(APIView):
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, AuthToken):
            raise ValidationError(
                {
                    "detail": "This request was not made with an API token: use /api/auth/logout-all/ or "
                    "DELETE /api/auth/tokens/{id}/."
                }
            )
        api_token_revoke(user=request.user, token_id=public_id(request.auth))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every API token you hold (your signed-in browser session stays)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """Your own API tokens that still work, newest first: when each was issued and when it expires."""

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        return Response(ApiTokenSerializer(api_tokens_for_user(request.user), many=True).data)


class TokenDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, token_id: str):
        """Revoke one of your own tokens (404 for anyone else's)."""
        api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
