from io import StringIO
from pathlib import Path

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from cocreate.demo import DEMO_PASSWORD, DEMO_USERS
from contributors.models import Board, User
from contributors.permissions import board_role
from drafts.models import Draft, DraftComment, DraftEvent, DraftState

README = Path(__file__).resolve().parent.parent / "README.md"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_builds_a_living_demo_with_drafts_in_every_state(db):
    seed()
    assert set(Draft.objects.values_list("state", flat=True)) == set(DraftState.values)
    assert DraftComment.objects.exists()
    assert DraftEvent.objects.exclude(transition="create").count() >= 10
    assert set(Board.objects.values_list("slug", flat=True)) == {"launch", "community"}
    assert set(Board.objects.values_list("required_approvals", flat=True)) == {1}


def test_it_is_safe_to_run_twice(db):
    seed()
    counts = (Draft.objects.count(), DraftEvent.objects.count(), User.objects.count())
    output = seed()
    assert (Draft.objects.count(), DraftEvent.objects.count(), User.objects.count()) == counts
    assert "already present" in output


def test_it_gives_each_demo_login_its_role_and_password(db):
    output = seed()
    launch, community = Board.objects.get(slug="launch"), Board.objects.get(slug="community")
    expected = {
        "admin": ("admin", "admin"),
        "manager": ("manager", "manager"),
        "reviewer": ("reviewer", None),
        "alice": ("contributor", None),
        "bob": (None, "contributor"),
    }
    for username, (on_launch, on_community) in expected.items():
        user = authenticate(RequestFactory().post("/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert (board_role(user, launch), board_role(user, community)) == (on_launch, on_community), username
        assert username in output


def test_it_lists_every_demo_login_in_the_readme():
    readme = README.read_text()
    assert DEMO_PASSWORD in readme
    for username, *_ in DEMO_USERS:
        assert f"`{username}`" in readme, f"README does not list the demo login {username}"
