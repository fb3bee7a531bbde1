"""The app bar: the board switcher (each board with the viewer's role) and the account menu."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from knox.models import AuthToken

from contributors.selectors import board_roles_for_user
from contributors.services import board_role_grant
from tests.factories import BoardFactory


@pytest.fixture
def personas(shared_personas):
    return shared_personas


def add_boards(user, role: str, count: int) -> None:
    for _ in range(count):
        board_role_grant(board=BoardFactory(), user=user, role=role)
        BoardFactory()  # one the user has no role on


def test_it_lists_each_board_with_the_users_role_and_none_other(personas):
    add_boards(personas.contributor, "reviewer", 2)
    rows = board_roles_for_user(personas.contributor, limit=20)
    roles = {row.slug: row.role for row in rows}
    assert roles.pop("launch") == "contributor"
    assert set(roles.values()) == {"reviewer"}
    assert len(rows) == 3
    assert [row.name for row in rows] == sorted(row.name for row in rows)
    assert [row.name for row in board_roles_for_user(personas.admin, limit=20)] == sorted(
        row.name for row in board_roles_for_user(personas.admin, limit=20)
    )
    assert {row.role for row in board_roles_for_user(personas.admin, limit=20)} == {"admin"}
    assert board_roles_for_user(personas.outsider, limit=20)[0].slug == "elsewhere"


def test_it_counts_a_role_held_through_a_group(personas):
    group = Group.objects.create(name="editors")
    personas.outsider.groups.add(group)
    for codename in ("view_board", "contribute_board", "review_board"):
        assign_perm(f"contributors.{codename}", group, personas.board)
    rows = {row.slug: row.role for row in board_roles_for_user(personas.outsider, limit=20)}
    assert rows == {"elsewhere": "contributor", "launch": "reviewer"}


def test_it_stops_at_the_limit(personas):
    add_boards(personas.contributor, "contributor", 5)
    assert len(board_roles_for_user(personas.contributor, limit=4)) == 4


def test_the_app_bar_costs_the_same_queries_however_many_boards(personas, client):
    client.force_login(personas.contributor)
    client.get("/profile/")
    with CaptureQueriesContext(connection) as small:
        client.get("/profile/")
    add_boards(personas.contributor, "manager", 30)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/profile/")
    assert len(large.captured_queries) == len(small.captured_queries)
    page = response.content.decode()
    # Each board's link (the board list itself is at /boards/, linked once as "All your boards").
    assert page.count('class="menu__item" href="/boards/') - page.count('class="menu__item" href="/boards/"') == 12
    assert "All your boards" in response.content.decode()


def test_it_shows_the_api_entries_only_to_token_holders_and_staff(personas, client):
    client.force_login(personas.contributor)
    assert "API docs" not in client.get("/").content.decode()
    AuthToken.objects.create(user=personas.contributor)
    page = client.get("/").content.decode()
    assert "API docs" in page
    assert "API tokens" in page
    assert ">Admin<" not in page.replace("</svg>", ">")
    client.force_login(personas.admin)
    page = client.get("/").content.decode()
    assert "API docs" in page
    assert "/admin/" in page


def test_it_marks_the_current_board_and_its_tab(personas, client):
    client.force_login(personas.manager)
    page = client.get("/boards/launch/members/").content.decode()
    assert 'href="/boards/launch/" aria-current="page"' in page  # the switcher
    assert 'href="/boards/launch/members/" aria-current="page" data-tab="members"' in page
    client.force_login(personas.contributor)
    page = client.get("/boards/launch/").content.decode()
    assert 'data-tab="drafts"' in page
    assert 'data-tab="members"' not in page
    assert 'data-tab="channels"' not in page
