"""Board roles as guardian object permissions, their audit trail, and what each persona can see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from guardian.models import UserObjectPermission

from contributors.models import Board, BoardUserObjectPermission, RoleChange
from contributors.permissions import board_permissions, board_role, has_board_perm
from contributors.roles import MANAGE, REVIEW, ROLE_PERMISSIONS, VIEW
from contributors.selectors import board_get_for_user, board_members, boards_for_user, boards_with_perm
from contributors.services import board_role_grant, board_role_revoke
from drafts.selectors import drafts_for_user
from tests.factories import BoardFactory, UserFactory, make_draft


def stored_codenames(user, board) -> set[str]:
    """The guardian rows, read straight from the direct-FK table."""
    return set(
        BoardUserObjectPermission.objects.filter(user=user, content_object=board).values_list(
            "permission__codename", flat=True
        )
    )


def role_changes(user, board) -> list[tuple]:
    return list(
        RoleChange.objects.filter(user=user, board=board)
        .order_by("id")
        .values_list("previous_role", "new_role", "actor_id")
    )


# --- Granting and revoking -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["contributor", "reviewer", "manager"])
def test_it_grants_exactly_the_permissions_of_a_role(personas, role):
    user = UserFactory()
    change = board_role_grant(board=personas.board, user=user, role=role, actor=personas.manager)

    assert stored_codenames(user, personas.board) == set(ROLE_PERMISSIONS[role])
    assert stored_codenames(user, personas.other_board) == set()
    # Only the direct-FK table is used, never guardian's generic one.
    assert not UserObjectPermission.objects.filter(user=user).exists()
    assert board_role(user, personas.board) == role
    assert board_role(user, personas.other_board) is None
    assert board_permissions(user, personas.board) == set(ROLE_PERMISSIONS[role])
    assert (change.board, change.user, change.previous_role, change.new_role, change.actor) == (
        personas.board,
        user,
        "",
        role,
        personas.manager,
    )
    assert role_changes(user, personas.board) == [("", role, personas.manager.pk)]


def test_it_includes_each_role_in_the_next():
    assert set(ROLE_PERMISSIONS["contributor"]) < set(ROLE_PERMISSIONS["reviewer"])
    assert set(ROLE_PERMISSIONS["reviewer"]) < set(ROLE_PERMISSIONS["manager"])
    assert REVIEW not in ROLE_PERMISSIONS["contributor"]
    assert MANAGE not in ROLE_PERMISSIONS["reviewer"]


def test_it_replaces_the_role_on_regrant(personas):
    user = UserFactory()
    board = personas.board
    board_role_grant(board=board, user=user, role="manager", actor=personas.manager)
    board_role_grant(board=board, user=user, role="contributor", actor=personas.manager)
    assert stored_codenames(user, board) == set(ROLE_PERMISSIONS["contributor"])
    assert board_role(user, board) == "contributor"
    assert not has_board_perm(user, board, MANAGE)

    board_role_grant(board=board, user=user, role="reviewer", actor=personas.admin)
    assert stored_codenames(user, board) == set(ROLE_PERMISSIONS["reviewer"])
    assert BoardUserObjectPermission.objects.filter(user=user).count() == len(ROLE_PERMISSIONS["reviewer"])
    assert role_changes(user, board) == [
        ("", "manager", personas.manager.pk),
        ("manager", "contributor", personas.manager.pk),
        ("contributor", "reviewer", personas.admin.pk),
    ]


def test_it_writes_nothing_when_the_role_is_unchanged(personas):
    before = RoleChange.objects.count()
    assert board_role_grant(board=personas.board, user=personas.reviewer, role="reviewer") is None
    assert RoleChange.objects.count() == before
    assert stored_codenames(personas.reviewer, personas.board) == set(ROLE_PERMISSIONS["reviewer"])


def test_it_keeps_roles_on_different_boards_apart(personas):
    board_role_grant(board=personas.other_board, user=personas.contributor, role="manager")
    assert board_role(personas.contributor, personas.board) == "contributor"
    assert board_role(personas.contributor, personas.other_board) == "manager"
    board_role_revoke(board=personas.other_board, user=personas.contributor)
    assert stored_codenames(personas.contributor, personas.board) == set(ROLE_PERMISSIONS["contributor"])
    assert stored_codenames(personas.contributor, personas.other_board) == set()


@pytest.mark.parametrize("actor", ["manager", "admin"])
def test_it_lets_managers_and_admins_grant(personas, actor):
    user = UserFactory()
    board_role_grant(board=personas.board, user=user, role="reviewer", actor=getattr(personas, actor))
    assert board_role(user, personas.board) == "reviewer"


@pytest.mark.parametrize("actor", ["contributor", "reviewer", "outsider"])
def test_it_refuses_grants_and_revokes_by_non_managers(personas, actor):
    user = UserFactory()
    actor = getattr(personas, actor)
    before = RoleChange.objects.count()
    with pytest.raises(PermissionDenied):
        board_role_grant(board=personas.board, user=user, role="contributor", actor=actor)
    with pytest.raises(PermissionDenied):
        board_role_grant(board=personas.board, user=actor, role="manager", actor=actor)
    with pytest.raises(PermissionDenied):
        board_role_revoke(board=personas.board, user=personas.manager, actor=actor)
    assert stored_codenames(user, personas.board) == set()
    assert board_role(personas.manager, personas.board) == "manager"
    assert RoleChange.objects.count() == before


def test_it_refuses_a_manager_of_another_board(personas):
    other_manager = UserFactory()
    board_role_grant(board=personas.other_board, user=other_manager, role="manager")
    with pytest.raises(PermissionDenied):
        board_role_grant(board=personas.board, user=UserFactory(), role="contributor", actor=other_manager)


@pytest.mark.parametrize("role", ["admin", "owner", "", "Manager"])
def test_it_refuses_unknown_roles(personas, role):
    user = UserFactory()
    before = RoleChange.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        board_role_grant(board=personas.board, user=user, role=role, actor=personas.manager)
    assert "role" in excinfo.value.message_dict
    assert stored_codenames(user, personas.board) == set()
    assert RoleChange.objects.count() == before


@pytest.mark.parametrize("role", ["contributor", "reviewer", "manager"])
def test_it_revokes_everything(personas, role):
    user = UserFactory()
    board_role_grant(board=personas.board, user=user, role=role)
    assert has_board_perm(user, personas.board, VIEW)

    change = board_role_revoke(board=personas.board, user=user, actor=personas.manager)
    assert (change.previous_role, change.new_role, change.actor) == (role, "", personas.manager)
    assert stored_codenames(user, personas.board) == set()
    assert not BoardUserObjectPermission.objects.filter(user=user).exists()
    # The permission cache on this very user object was dropped too.
    assert board_role(user, personas.board) is None
    assert not has_board_perm(user, personas.board, VIEW)
    assert list(boards_for_user(user)) == []
    assert role_changes(user, personas.board) == [("", role, None), (role, "", personas.manager.pk)]


def test_it_writes_nothing_when_revoking_a_non_member(personas):
    before = RoleChange.objects.count()
    assert board_role_revoke(board=personas.board, user=personas.outsider, actor=personas.manager) is None
    assert RoleChange.objects.count() == before
    assert board_role(personas.outsider, personas.other_board) == "contributor"


def test_it_lists_members_highest_role_first(personas):
    assert [(user.username, role) for user, role in board_members(personas.board)] == [
        ("manager", "manager"),
        ("reviewer", "reviewer"),
        ("contributor", "contributor"),
    ]
    board_role_revoke(board=personas.board, user=personas.reviewer)
    assert [user.username for user, _ in board_members(personas.board)] == ["manager", "contributor"]


# --- What each persona sees --------------------------------------------------------------------------


def user_for(personas, persona: str):
    return AnonymousUser() if persona == "anonymous" else getattr(personas, persona)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", set()),
        ("outsider", {"elsewhere"}),
        ("contributor", {"launch"}),
        ("reviewer", {"launch"}),
        ("manager", {"launch"}),
        ("admin", {"launch", "elsewhere", "unstaffed"}),
    ],
)
def test_it_shows_each_persona_exactly_their_boards(personas, persona, expected):
    BoardFactory(name="Unstaffed", slug="unstaffed")
    user = user_for(personas, persona)
    boards = boards_for_user(user)
    assert {b.slug for b in boards} == expected
    assert boards.count() == len(expected)


def test_it_shows_boards_by_permission(personas):
    assert list(boards_with_perm(personas.contributor, REVIEW)) == []
    assert list(boards_with_perm(personas.reviewer, REVIEW)) == [personas.board]
    assert list(boards_with_perm(personas.reviewer, MANAGE)) == []
    assert list(boards_with_perm(personas.manager, MANAGE)) == [personas.board]


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_it_hides_a_board_from_non_members(personas, persona):
    user = user_for(personas, persona)
    with pytest.raises(Http404):
        board_get_for_user(user, slug="launch")
    with pytest.raises(Http404):
        board_get_for_user(user, pk=personas.board.pk)
    with pytest.raises(Http404):
        board_get_for_user(user, slug="no-such-board")


@pytest.mark.parametrize("persona", ["contributor", "reviewer", "manager", "admin"])
def test_it_finds_the_board_for_members(personas, persona):
    user = user_for(personas, persona)
    assert board_get_for_user(user, slug="launch") == personas.board
    assert board_get_for_user(user, pk=personas.board.pk) == personas.board


def test_it_hides_everything_from_deactivated_users(personas):
    make_draft(personas.board, personas.contributor)
    for user in (personas.reviewer, personas.admin):
        user.is_active = False
        user.save()
        assert list(boards_for_user(user)) == []
        assert list(drafts_for_user(user)) == []
        with pytest.raises(Http404):
            board_get_for_user(user, slug="launch")


@pytest.fixture
def drafts(personas):
    """Drafts spread over both boards, keyed by a short name."""
    board, other = personas.board, personas.other_board
    coauthored = make_draft(board, personas.reviewer, title="coauthored")
    coauthored.coauthors.add(personas.contributor)
    # Co-authorship does not reach across boards: the contributor holds no role on `other`.
    foreign = make_draft(other, personas.outsider, title="foreign-coauthored")
    foreign.coauthors.add(personas.contributor)
    return {
        "contributor": make_draft(board, personas.contributor, title="contributor"),
        "coauthored": coauthored,
        "reviewer": make_draft(board, personas.reviewer, title="reviewer"),
        "manager": make_draft(board, personas.manager, title="manager"),
        "outsider": make_draft(other, personas.outsider, title="outsider"),
        "foreign-coauthored": foreign,
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", set()),
        ("outsider", {"outsider", "foreign-coauthored"}),
        ("contributor", {"contributor", "coauthored"}),
        ("reviewer", {"contributor", "coauthored", "reviewer", "manager"}),
        ("manager", {"contributor", "coauthored", "reviewer", "manager"}),
        ("admin", {"contributor", "coauthored", "reviewer", "manager", "outsider", "foreign-coauthored"}),
    ],
)
def test_it_shows_each_persona_exactly_their_drafts(personas, drafts, persona, expected):
    visible = drafts_for_user(user_for(personas, persona))
    assert {d.title for d in visible} == expected
    assert visible.count() == len(expected)  # no duplicates


def test_it_lists_a_draft_once_when_it_is_visible_for_several_reasons(personas, drafts):
    # The reviewer can see it as a reviewer of the board and as its co-author.
    drafts["contributor"].coauthors.add(personas.reviewer)
    visible = drafts_for_user(personas.reviewer)
    assert visible.filter(pk=drafts["contributor"].pk).count() == 1
    assert visible.count() == 4


def test_it_stops_showing_drafts_once_the_role_is_revoked(personas, drafts):
    board_role_revoke(board=personas.board, user=personas.contributor)
    assert list(drafts_for_user(personas.contributor)) == []
    board_role_grant(board=personas.board, user=personas.contributor, role="reviewer")
    assert drafts_for_user(personas.contributor).count() == 4


def test_it_keeps_the_draft_query_to_three_statements(personas, drafts, django_assert_num_queries):
    # guardian looks up the permission's content type once per process (lru_cache); warm that up first.
    list(drafts_for_user(personas.reviewer))
    # The user's boards (one query, as lists of ids), the agreement gate's look-up (one query when no agreement
    # applies) and one statement for the drafts, however many boards and drafts.
    with django_assert_num_queries(3):
        titles = sorted(d.title for d in drafts_for_user(personas.contributor))
    assert titles == ["coauthored", "contributor"]


def test_it_does_not_leak_boards_created_later(personas):
    Board.objects.create(name="Secret", slug="secret")
    assert "secret" not in {b.slug for b in boards_for_user(personas.manager)}
    assert "secret" in {b.slug for b in boards_for_user(personas.admin)}
