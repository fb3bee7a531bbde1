"""The one place that answers "may this user do X on this board?".

Site admins (active staff) may do everything. Everyone else needs the guardian object permission.
An ObjectPermissionChecker is cached on the user object, so a page that asks many questions about the
same boards pays one query per board, not one per question.
"""

from django.core.exceptions import PermissionDenied
from guardian.core import ObjectPermissionChecker

from contributors.models import Board
from contributors.roles import MANAGE, SITE_ADMIN, role_from_permissions

_CHECKER_ATTR = "_cocreate_board_checker"


def is_site_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def _checker(user) -> ObjectPermissionChecker:
    checker = getattr(user, _CHECKER_ATTR, None)
    if checker is None:
        checker = ObjectPermissionChecker(user)
        setattr(user, _CHECKER_ATTR, checker)
    return checker


def forget_cached_permissions(user) -> None:
    """Call after changing a user's roles when the same user object is used again."""
    if hasattr(user, _CHECKER_ATTR):
        delattr(user, _CHECKER_ATTR)


def prefetch_board_permissions(user, boards) -> None:
    """Load the user's permissions on many boards in one query (for list pages)."""
    if user is not None and user.is_authenticated and not is_site_admin(user):
        _checker(user).prefetch_perms(list(boards))


def board_permissions(user, board: Board) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(_checker(user).get_perms(board))


def has_board_perm(user, board: Board, codename: str) -> bool:
    if is_site_admin(user):
        return True
    return codename in board_permissions(user, board)


def board_role(user, board: Board) -> str | None:
    """'admin', 'manager', 'reviewer', 'contributor' or None."""
    if is_site_admin(user):
        return SITE_ADMIN
    return role_from_permissions(board_permissions(user, board))


MANAGERS_ONLY = "Only the board's managers can do this."


def require_manager(user, board: Board) -> None:
    """Raise PermissionDenied unless `user` manages `board`. user=None is the system itself (demo data,
    migrations, management commands, workers), which may."""
    if user is not None and not has_board_perm(user, board, MANAGE):
        raise PermissionDenied(MANAGERS_ONLY)
