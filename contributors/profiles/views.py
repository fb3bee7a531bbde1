"""Pages: the contributor's own profile, the public portfolio, and a board's portfolio setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from contributors.permissions import is_site_admin, require_manager
from contributors.profiles import selectors, services
from contributors.profiles.excerpts import piece_excerpt
from contributors.profiles.forms import PortfolioPolicyForm, ProfileForm
from contributors.profiles.models import Profile
from contributors.profiles.tokens import api_tokens_for_user
from contributors.selectors import board_get_for_user


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = selectors.profile_for_user(request.user)
    is_post = request.method == "POST"
    form = ProfileForm.for_profile(profile, request.POST if is_post else None, request.FILES if is_post else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.profile_update(user=request.user, actor=request.user, **form.changes())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("profile-edit")
    context = {"form": form, "profile": profile, "api_tokens": api_tokens_for_user(request.user)}
    return render(request, "profiles/profile_edit.html", context, status=status)


@require_GET
def portfolio(request, username: str):
    """Public: no login needed, but 404 unless the contributor opted in."""
    owner = selectors.portfolio_owner_get(username=username)
    pieces = list(selectors.portfolio_pieces(owner))
    for piece in pieces:
        piece.excerpt = piece_excerpt(piece.body)
    context = {"owner": owner, "profile": owner.profile, "pieces": pieces}
    return render(request, "profiles/portfolio.html", context)


@require_GET
def avatar(request, username: str):
    """The picture is public with the portfolio; its owner and site admins always see it."""
    profile = Profile.objects.select_related("user").filter(user__username=username, user__is_active=True).first()
    if profile is None or not profile.avatar:
        raise Http404("No such picture.")
    is_owner = request.user.is_authenticated and request.user.pk == profile.user_id
    if not (profile.portfolio_public or is_owner or is_site_admin(request.user)):
        raise Http404("No such picture.")
    try:
        file = profile.avatar.open("rb")
    except FileNotFoundError:
        raise Http404("No such picture.") from None
    response = FileResponse(file, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"  # the file name changes with every upload
    return response


@login_required
@require_http_methods(["GET", "POST"])
def board_portfolio_policy(request, slug: str):
    board = board_get_for_user(request.user, slug=slug)
    require_manager(request.user, board)
    form = PortfolioPolicyForm(
        request.POST if request.method == "POST" else None,
        initial={"allow_portfolios": selectors.board_allows_portfolios(board)},
    )
    if request.method == "POST" and form.is_valid():
        services.board_portfolio_policy_set(
            board=board, actor=request.user, allow_portfolios=form.cleaned_data["allow_portfolios"]
        )
        messages.success(request, "Saved.")
        return redirect("board-portfolio-policy", slug=board.slug)
    return render(request, "profiles/board_portfolio_policy.html", {"board": board, "form": form})
