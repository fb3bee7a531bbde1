"""Pages to revoke your own API tokens: GET asks to confirm, POST revokes (the list is on the profile page)."""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from contributors.profiles.tokens import api_token_revoke, api_tokens_for_user, api_tokens_revoke_all, public_id


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, token_id: str):
    token = next((t for t in api_tokens_for_user(request.user) if public_id(t) == token_id), None)
    if token is None:
        raise Http404("No such token (it may have expired or been revoked already).")
    if request.method == "POST":
        with suppress(ValidationError, Http404):  # revoked meanwhile: the outcome the person asked for
            api_token_revoke(user=request.user, token_id=token_id)
        messages.success(request, "The token is revoked: programs using it can no longer sign in with it.")
        return redirect("profile-edit")
    return render(request, "profiles/token_revoke_confirm.html", {"token": token, "token_id": token_id})


@login_required
@require_http_methods(["GET", "POST"])
def tokens_revoke_all(request):
    if request.method == "POST":
        count = api_tokens_revoke_all(user=request.user)
        messages.success(request, f"{count} API token{'s' if count != 1 else ''} revoked.")
        return redirect("profile-edit")
    count = api_tokens_for_user(request.user).count()
    return render(request, "profiles/token_revoke_confirm.html", {"all": True, "count": count})
