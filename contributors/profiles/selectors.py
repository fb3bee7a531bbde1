"""Reads for profiles and portfolios. The portfolio is public, so every rule of what may appear lives here."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from contributors.models import Board, User
from contributors.profiles.models import BoardPortfolioPolicy, Profile
from drafts.models import Draft, DraftEvent, DraftState


def profile_for_user(user: User) -> Profile:
    """The user's profile; an unsaved empty one until they first save it."""
    profile = Profile.objects.filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


def portfolio_owner_get(*, username: str) -> User:
    """The active user whose portfolio is public, with their profile loaded; 404 for everyone else.

    Not opted in, unknown and deactivated all look the same, so the page reveals nothing about who exists.
    """
    user = (
        get_user_model()
        .objects.select_related("profile")
        .filter(username=username, is_active=True, profile__portfolio_public=True)
        .first()
    )
    if user is None:
        raise Http404("No such portfolio.")
    return user


def board_allows_portfolios(board: Board) -> bool:
    return not BoardPortfolioPolicy.objects.filter(board=board, allow_portfolios=False).exists()


def portfolio_pieces(user: User) -> QuerySet[Draft]:
    """The user's published pieces (authored or co-authored) on boards that allow portfolios, newest first.

    One query however many pieces: the board comes joined, the publish time is an annotation
    (`published_at`: the scheduled publish time, else the time the publishing worker reported success).
    """
    coauthored = Draft.coauthors.through.objects.filter(draft_id=OuterRef("pk"), user_id=user.pk)
    opted_out = BoardPortfolioPolicy.objects.filter(board_id=OuterRef("board_id"), allow_portfolios=False)
    published_event = (
        DraftEvent.objects.filter(draft_id=OuterRef("pk"), target=DraftState.PUBLISHED)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return (
        Draft.objects.filter(Q(author=user) | Q(Exists(coauthored)), state=DraftState.PUBLISHED)
        .filter(~Exists(opted_out))
        .select_related("board")
        .annotate(published_at=Coalesce("publish_at", Subquery(published_event)))
        .order_by("-published_at", "-id")
    )
