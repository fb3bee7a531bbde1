from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from contributors.models import Board, BoardGroupObjectPermission, BoardUserObjectPermission
from contributors.permissions import is_site_admin
from contributors.roles import SITE_ADMIN, VIEW, role_from_permissions


def boards_with_perm(user, codename: str) -> QuerySet[Board]:
    """Boards on which the user holds `codename` (every board for a site admin)."""
    if is_site_admin(user):
        return Board.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return Board.objects.none()
    return get_objects_for_user(
        user, f"contributors.{codename}", klass=Board, accept_global_perms=False, with_superuser=False
    )


def board_ids_with_perm(user, *codenames: str) -> QuerySet:
    """Ids of the boards on which the user holds any of `codenames`, as a subquery for `board__in=`.

    The same boards as boards_with_perm() (grants to the user and to the user's groups), shaped for
    PostgreSQL's planner: guardian's queryset is `id IN (user grants) OR id IN (group grants)`, an OR the
    planner cannot turn into a join, so it guesses that most boards match and scans every draft. A
    UNION ALL of the two grant lists is planned as a semi-join driving index scans per board.
    """
    if is_site_admin(user):
        return Board.objects.values("pk")
    if user is None or not user.is_authenticated or not user.is_active:
        return Board.objects.none().values("pk")
    grants = {
        "permission__content_type": ContentType.objects.get_for_model(Board),
        "permission__codename__in": codenames,
    }
    direct = BoardUserObjectPermission.objects.filter(user=user, **grants).values("content_object_id")
    via_groups = BoardGroupObjectPermission.objects.filter(group__user=user, **grants).values("content_object_id")
    return direct.union(via_groups, all=True)


def board_ids_by_perm(user, *codenames: str) -> dict[str, set[int]]:
    """For each of `codenames`, the ids of the boards on which the user holds it (grants to the user and to
    the user's groups, as boards_with_perm), read in one query. Not for site admins (they hold every one).

    For lists that filter by the ids several times in one request: a short list of ids costs PostgreSQL
    as little as board_ids_with_perm()'s subquery and costs Django far less to compile each time.
    """
    held: dict[str, set[int]] = {codename: set() for codename in codenames}
    if user is None or not user.is_authenticated or not user.is_active:
        return held
    grants = {
        "permission__content_type": ContentType.objects.get_for_model(Board),
        "permission__codename__in": codenames,
    }
    fields = ("content_object_id", "permission__codename")
    direct = BoardUserObjectPermission.objects.filter(user=user, **grants).values_list(*fields)
    via_groups = BoardGroupObjectPermission.objects.filter(group__user=user, **grants).values_list(*fields)
    for board_id, codename in direct.union(via_groups, all=True):
        held[codename].add(board_id)
    return held


def boards_for_user(user) -> QuerySet[Board]:
    return boards_with_perm(user, VIEW)


BOARD_PAGE_SIZE = 50


def board_list_page(user, *, after: str | None = None, before: str | None = None, size: int = BOARD_PAGE_SIZE):
    """One page of the user's boards by name (keyset: as fast at the 2,000th board as at the first; a
    ValidationError for a broken cursor)."""
    from cocreate.keyset import keyset_page

    # board_ids_with_perm's semi-join, not guardian's OR: the planner walks the (name, id) index.
    boards = Board.objects.filter(pk__in=board_ids_with_perm(user, VIEW))
    return keyset_page(boards, key="name", descending=False, size=size, after=after, before=before)


def board_get_for_user(user, *, slug: str | None = None, pk: int | None = None) -> Board:
    """The board, or 404: someone without a role cannot tell that the board exists."""
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    board = boards_for_user(user).filter(**lookup).first()
    if board is None:
        raise Http404("No such board.")
    return board


def board_members(board: Board) -> list[tuple]:
    """(user, role) pairs for everyone holding a role on the board, highest role first."""
    rows = BoardUserObjectPermission.objects.filter(content_object=board).values_list("user_id", "permission__codename")
    perms_by_user: dict[int, set[str]] = {}
    for user_id, codename in rows:
        perms_by_user.setdefault(user_id, set()).add(codename)
    users = get_user_model().objects.in_bulk(perms_by_user.keys())
    members = [
        (users[user_id], role)
        for user_id, codenames in perms_by_user.items()
        if (role := role_from_permissions(codenames)) is not None
    ]
    order = {"manager": 0, "reviewer": 1, "contributor": 2}
    return sorted(members, key=lambda m: (order[m[1]], m[0].username))


@dataclass(frozen=True)
class BoardRole:
    """A board as the app bar's switcher shows it: enough to name and link it, with the user's role."""

    pk: int
    name: str
    slug: str
    role: str | None


def board_roles_for_user(user, *, limit: int) -> list[BoardRole]:
    """The user's boards by name with their role on each, in one query whatever the number of boards (grants
    to the user and to the user's groups, as boards_with_perm); at most `limit` of them."""
    if is_site_admin(user):
        rows = Board.objects.order_by("name").values_list("pk", "name", "slug")[:limit]
        return [BoardRole(pk, name, slug, SITE_ADMIN) for pk, name, slug in rows]
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    content_type = ContentType.objects.get_for_model(Board)
    fields = ("content_object_id", "content_object__name", "content_object__slug", "permission__codename")
    # Only the first `limit` boards' grants are read: a person on 100,000 boards costs what one on 13 does.
    first = Board.objects.filter(pk__in=board_ids_with_perm(user, VIEW)).order_by("name", "pk").values("pk")[:limit]
    direct = BoardUserObjectPermission.objects.filter(
        user=user, permission__content_type=content_type, content_object__in=first
    )
    via_groups = BoardGroupObjectPermission.objects.filter(
        group__user=user, permission__content_type=content_type, content_object__in=first
    )
    boards: dict[int, tuple[str, str]] = {}
    codenames: dict[int, set[str]] = defaultdict(set)
    for pk, name, slug, codename in direct.values_list(*fields).union(via_groups.values_list(*fields), all=True):
        boards[pk] = (name, slug)
        codenames[pk].add(codename)
    listed = [BoardRole(pk, name, slug, role_from_permissions(codenames[pk])) for pk, (name, slug) in boards.items()]
    listed = [row for row in listed if VIEW in codenames[row.pk]]
    return sorted(listed, key=lambda row: (row.name.casefold(), row.pk))[:limit]
