"""Writes for profiles and the boards' portfolio policy. Views, the API and the admin call these only."""

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from contributors.models import Board, User
from contributors.permissions import is_site_admin, require_manager
from contributors.profiles.avatars import avatar_clean
from contributors.profiles.models import BoardPortfolioPolicy, Profile
from contributors.profiles.people import validate_visible_name

MAX_LINKS = 5
MAX_LINK_LENGTH = 200
MAX_BIO_LENGTH = 2000
# A CharField always has a max_length; the field API types it as optional.
MAX_DISPLAY_NAME_LENGTH = cast(int, User._meta.get_field("display_name").max_length)
_UNSET = object()


def links_clean(links: list[str]) -> list[str]:
    """The links without blanks and duplicates, or ValidationError({"links": ...})."""
    if not isinstance(links, list | tuple) or not all(isinstance(link, str) for link in links):
        raise ValidationError({"links": "Send the links as a list of URLs."})
    cleaned = list(dict.fromkeys(link.strip() for link in links if link.strip()))
    if len(cleaned) > MAX_LINKS:
        raise ValidationError({"links": f"At most {MAX_LINKS} links, please."})
    validate = URLValidator(schemes=["http", "https"])
    errors = []
    for link in cleaned:
        if len(link) > MAX_LINK_LENGTH:
            errors.append(f"{link[:40]}...: at most {MAX_LINK_LENGTH} characters.")
            continue
        try:
            validate(link)
        except ValidationError:
            errors.append(f"{link[:80]}: not a web address starting with http:// or https://.")
    if errors:
        raise ValidationError({"links": errors})
    return cleaned


def _require_self_or_admin(actor: User, user: User) -> None:
    if actor.pk != user.pk and not is_site_admin(actor):
        raise PermissionDenied("Only the contributor themselves (or a site admin) can change their profile.")


@transaction.atomic
def profile_update(
    *,
    user: User,
    actor: User,
    display_name: str | None = None,
    bio: str | None = None,
    links: list[str] | None = None,
    avatar=_UNSET,
    portfolio_public: bool | None = None,
) -> Profile:
    """Change the given parts of `user`'s profile (None: leave as is). avatar=None removes the picture.

    The new avatar is validated and re-encoded before anything is written; the replaced file is deleted
    from storage only once the transaction has committed.
    """
    _require_self_or_admin(actor, user)
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    if display_name is not None:
        display_name = display_name.strip()
        if len(display_name) > MAX_DISPLAY_NAME_LENGTH:
            raise ValidationError({"display_name": f"At most {MAX_DISPLAY_NAME_LENGTH} characters."})
        try:
            validate_visible_name(display_name)
        except ValidationError as exc:
            raise ValidationError({"display_name": exc.messages}) from None
        if display_name != user.display_name:
            user.display_name = display_name
            user.save(update_fields=["display_name"])
    if bio is not None:
        if len(bio) > MAX_BIO_LENGTH:
            raise ValidationError({"bio": f"At most {MAX_BIO_LENGTH} characters."})
        profile.bio = bio.strip()
    if links is not None:
        profile.links = links_clean(links)
    if portfolio_public is not None:
        profile.portfolio_public = bool(portfolio_public)
    if avatar is not _UNSET:
        old_name = profile.avatar.name
        if avatar is None:
            profile.avatar = ""
        else:
            profile.avatar.save("avatar.png", avatar_clean(avatar), save=False)
        if old_name:
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    profile.save()
    return profile


@transaction.atomic
def board_portfolio_policy_set(*, board: Board, actor: User | None, allow_portfolios: bool) -> BoardPortfolioPolicy:
    """Whether contributors may show this board's published pieces publicly. Managers and site admins decide.

    actor=None is the system (demo data, management commands).
    """
    require_manager(actor, board)
    policy, _ = BoardPortfolioPolicy.objects.select_for_update().get_or_create(board=board)
    policy.allow_portfolios = bool(allow_portfolios)
    policy.updated_by = actor
    policy.save()
    return policy
