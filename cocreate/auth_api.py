from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cocreate.parsers import PARSER_CLASSES


class TokenView(ObtainAuthToken):
    """`POST /api/auth/token/` with username and password returns {"token": ...}; throttled like the login page.

    django-axes marks the request it refused; DRF's authenticate() only sees a failed login, so the lockout
    is turned into a 429 here, as the login page answers it.
    """

    parser_classes = PARSER_CLASSES

    @extend_schema(
        request=AuthTokenSerializer, responses={200: {"type": "object", "properties": {"token": {"type": "string"}}}}
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": "Too many failed sign-in attempts: try again in a few minutes."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise ValidationError(serializer.errors)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
