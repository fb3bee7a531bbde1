"""API tokens (django-rest-knox): issued at sign-in, listed and revoked by their owner, revoked with the password.

Knox stores a digest of each token, never the token itself; its primary key is that digest. Pages and the
API name a token by the first 16 characters of the digest (`public_id`), which says nothing about the token.

Every way a password changes (reset, change, the admin's form, `set_password()` in a shell) ends in
Django's `password_changed()` hook, which calls each configured password validator's `password_changed`:
RevokeApiTokensOnPasswordChange is listed in AUTH_PASSWORD_VALIDATORS for that alone. Deactivation
(is_active=False by the admin, a service or a shell) is caught by the post_save receiver in signals.py.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken

from contributors.models import User

PUBLIC_ID_LENGTH = 16
_PUBLIC_ID = re.compile(rf"[0-9a-f]{{{PUBLIC_ID_LENGTH}}}")


def public_id(token: AuthToken) -> str:
    return token.digest[:PUBLIC_ID_LENGTH]


def api_tokens_for_user(user: User) -> QuerySet[AuthToken]:
    """The user's tokens that still work, newest first (one query)."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(live, user=user).only("digest", "created", "expiry").order_by("-created")


def max_tokens_per_user() -> int:
    return getattr(settings, "API_TOKEN_MAX_PER_USER", 20)


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user` (the secret is returned once and never stored), after dropping expired ones."""
    if not user.is_active:
        raise PermissionDenied("This account is deactivated.")
    User.objects.select_for_update().filter(pk=user.pk).first()  # two sign-ins at once cannot pass the cap
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    if AuthToken.objects.filter(user=user).count() >= max_tokens_per_user():
        raise PermissionDenied(
            f"You have {max_tokens_per_user()} API tokens already: revoke one on your profile page first."
        )
    return AuthToken.objects.create(user=user)


def _token_for(user: User, token_id: str) -> AuthToken:
    if not isinstance(token_id, str) or not _PUBLIC_ID.fullmatch(token_id):
        raise ValidationError({"token": "A token id is 16 hexadecimal characters, as listed."})
    token = api_tokens_for_user(user).filter(digest__startswith=token_id).first()
    if token is None:
        raise Http404("No such token (it may have expired or been revoked already).")
    return token


@transaction.atomic
def api_token_revoke(*, user: User, token_id: str) -> None:
    """Revoke one of `user`'s own tokens; another user's token is 404, like a missing one."""
    _token_for(user, token_id).delete()


@transaction.atomic
def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


class RevokeApiTokensOnPasswordChange:
    """Not a rule for passwords: Django calls `password_changed` after every password change, however made."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        return "Setting a new password revokes all your API tokens."
