"""Password pages: reset (throttled, e-mailed by a worker) and change. Django's own views for the rest."""

from axes.helpers import get_client_ip_address
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from contributors.profiles.password_reset import PasswordResetThrottled, password_reset_request


@csrf_protect
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Every valid request gets the same "check your e-mail" page unless throttled, account or not."""
    form = PasswordResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                password_reset_request(
                    email=form.cleaned_data["email"],
                    client_ip=get_client_ip_address(request),
                    domain=request.get_host(),
                    use_https=request.is_secure(),
                )
            except PasswordResetThrottled as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form}, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; the new password revokes every API token (tokens.RevokeApiTokensOnPasswordChange)."""

    template_name = "registration/password_change_form.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
