from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cocreate.errors import Conflict
from cocreate.views import ServiceRefused, report_service_errors
from contributors.invitations import selectors, services
from contributors.invitations.forms import InvitationForm, SignupForm
from contributors.permissions import MANAGERS_ONLY, require_manager
from contributors.selectors import board_get_for_user


def _managed_board(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    require_manager(request.user, board)
    return board


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request, slug: str):
    board = _managed_board(request, slug)
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with report_service_errors(request):
                    invitation = services.invitation_create(
                        board=board, inviter=request.user, site_url=_site_url(request), **form.cleaned_data
                    )
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("invitation-list", slug=board.slug)
            except ServiceRefused as refused:
                status = refused.status
    context = {
        "board": board,
        "form": form,
        "invitations": selectors.invitations_for_manager(request.user, board=board),
    }
    return render(request, "invitations/invitation_list.html", context, status=status)


@login_required
@require_POST
def invitation_resend(request, slug: str, pk: int):
    board = board_get_for_user(request.user, slug=slug)
    invitation = selectors.invitation_get_for_user(request.user, pk=pk, board=board)
    try:
        with report_service_errors(request):
            services.invitation_resend(invitation=invitation, actor=request.user, site_url=_site_url(request))
        messages.success(request, f"Invitation re-sent to {invitation.email}.")
    except ServiceRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(MANAGERS_ONLY) from None
    return redirect("invitation-list", slug=board.slug)


@login_required
@require_POST
def invitation_revoke(request, slug: str, pk: int):
    board = board_get_for_user(request.user, slug=slug)
    invitation = selectors.invitation_get_for_user(request.user, pk=pk, board=board)
    try:
        with report_service_errors(request):
            services.invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(request, f"Invitation to {invitation.email} revoked.")
    except ServiceRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(MANAGERS_ONLY) from None
    return redirect("invitation-list", slug=board.slug)


def _refused(request, exc: Exception, status: int):
    reason = exc.message if isinstance(exc, Conflict) else " ".join(getattr(exc, "messages", [str(exc)]))
    return render(request, "invitations/invitation_invalid.html", {"reason": reason}, status=status)


def _for_someone_else(request, invitation, status: int):
    context = {"invitation": invitation, "masked_email": services.masked_email(invitation.email)}
    return render(request, "invitations/invitation_not_yours.html", context, status=status)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Anyone holding the link: a signed-in user accepts; a newcomer creates an account and accepts."""
    try:
        invitation = services.invitation_check(token=token)
    except ValidationError as exc:
        return _refused(request, exc, 400)
    except Conflict as exc:
        return _refused(request, exc, 409)
    signed_in = request.user.is_authenticated
    if signed_in and not services.invitation_is_for(invitation=invitation, user=request.user):
        return _for_someone_else(request, invitation, status=403 if request.method == "POST" else 200)
    form = None if signed_in else SignupForm(request.POST or None)
    has_account = not signed_in and selectors.account_exists(email=invitation.email)
    status = 200
    if request.method == "POST":
        try:
            if signed_in:
                services.invitation_accept(token=token, user=request.user)
                messages.success(request, f"Welcome to {invitation.board}: you are now a {invitation.role} here.")
                return redirect("board-detail", slug=invitation.board.slug)
            status = 400
            if form.is_valid():
                user, invitation = services.invitation_accept_new_user(token=token, **form.cleaned_data)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                # A page, not a redirect: the new account is confirmed where the person created it.
                return render(request, "invitations/invitation_welcome.html", {"invitation": invitation})
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(None if field not in form.fields else field, errors)
            else:
                return _refused(request, exc, 400)
        except Conflict as exc:
            return _refused(request, exc, 409)
        except services.InvitationForSomeoneElse:
            return _for_someone_else(request, invitation, status=403)
        except PermissionDenied as exc:
            return _refused(request, exc, 403)
    context = {"invitation": invitation, "form": form, "has_account": has_account}
    return render(request, "invitations/invitation_accept.html", context, status=status)
