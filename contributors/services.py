from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from guardian.shortcuts import assign_perm, remove_perm

from contributors.models import Board, RoleChange, User
from contributors.permissions import forget_cached_permissions, is_site_admin, require_manager
from contributors.roles import ALL_BOARD_PERMISSIONS, ROLE_PERMISSIONS, Role, role_from_permissions


@transaction.atomic
def board_create(
    *,
    name: str,
    slug: str = "",
    description: str = "",
    time_zone: str = "UTC",
    required_approvals: int = 1,
    actor: User | None = None,
) -> Board:
    if actor is not None and not is_site_admin(actor):
        raise PermissionDenied("Only site admins can create boards.")
    board = Board(
        name=name,
        slug=slug or slugify(name),
        description=description,
        time_zone=time_zone,
        required_approvals=required_approvals,
    )
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def board_settings_update(*, board: Board, actor: User | None, review_due_hours: int) -> Board:
    """A board's managers (and site admins) set how long a draft may wait in review (1 hour to 30 days)."""
    require_manager(actor, board)
    locked = Board.objects.select_for_update().get(pk=board.pk)
    locked.review_due_hours = review_due_hours
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=["review_due_hours"])
    board.review_due_hours = locked.review_due_hours
    return locked


@transaction.atomic
def board_role_grant(*, board: Board, user: User, role: str, actor: User | None = None) -> RoleChange | None:
    """Give `user` exactly `role` on `board` (replacing any other role). Returns the audit row."""
    if role not in ROLE_PERMISSIONS:
        raise ValidationError({"role": f"Unknown role {role!r}; choose one of {', '.join(Role.values)}."})
    require_manager(actor, board)
    previous = _stored_role(user, board)
    if previous == role:
        return None
    wanted = set(ROLE_PERMISSIONS[role])
    for codename in ALL_BOARD_PERMISSIONS:
        if codename not in wanted:
            remove_perm(f"contributors.{codename}", user, board)
    for codename in wanted:
        assign_perm(f"contributors.{codename}", user, board)
    forget_cached_permissions(user)
    return RoleChange.objects.create(board=board, user=user, previous_role=previous or "", new_role=role, actor=actor)


@transaction.atomic
def board_role_revoke(*, board: Board, user: User, actor: User | None = None) -> RoleChange | None:
    require_manager(actor, board)
    previous = _stored_role(user, board)
    if previous is None:
        return None
    for codename in ALL_BOARD_PERMISSIONS:
        remove_perm(f"contributors.{codename}", user, board)
    forget_cached_permissions(user)
    return RoleChange.objects.create(board=board, user=user, previous_role=previous, new_role="", actor=actor)


def _stored_role(user: User, board: Board) -> str | None:
    """The role held through object permissions, ignoring site-admin status."""
    codenames = set(
        user.boarduserobjectpermission_set.filter(content_object=board).values_list("permission__codename", flat=True)
    )
    return role_from_permissions(codenames)
