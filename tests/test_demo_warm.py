"""A warm `make run`: the demo seed, run again, re-hashes no password and leaves the logins as they are."""

from io import StringIO

from django.core.management import call_command

from cocreate.demo import DEMO_USERS
from contributors.models import User


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_a_second_seed_keeps_every_password_hash(db):
    seed()
    hashes = dict(User.objects.values_list("username", "password"))
    assert set(hashes) >= {username for username, *_ in DEMO_USERS}
    seed()
    assert dict(User.objects.values_list("username", "password")) == hashes  # a new hash would have a new salt


def test_a_password_changed_in_the_demo_stays_changed(db):
    seed()
    alice = User.objects.get(username="alice")
    alice.set_password("alice-chose-this")
    alice.save()
    seed()
    assert User.objects.get(username="alice").check_password("alice-chose-this")


def test_a_demo_login_whose_details_drifted_is_put_back(db):
    seed()
    User.objects.filter(username="bob").update(display_name="Someone else", is_staff=True)
    seed()
    bob = User.objects.get(username="bob")
    assert (bob.display_name, bob.is_staff) == ("Bob Superfan", False)


def test_it_can_migrate_first_in_the_same_process(db):
    output = seed("--migrate")
    assert "No migrations to apply." in output
    assert "already present" not in output  # the test database had no demo yet
