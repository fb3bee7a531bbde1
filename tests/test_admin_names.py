"""The Django admin's user form refuses names holding bidirectional-control or invisible formatting characters,
like the profile page and the invitations do."""

import pytest

from contributors.models import User
from tests.factories import UserFactory

RLO = "\u202e"


@pytest.fixture
def admin_client_logged_in(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "display_name": user.display_name,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    return {**data, **changes}


@pytest.mark.parametrize("field", ["first_name", "last_name", "display_name"])
def test_it_refuses_a_bidirectional_control_in_a_name_at_its_field(admin_client_logged_in, field):
    user = UserFactory(username="alice", first_name="Alice", last_name="Jensen")
    response = admin_client_logged_in.post(
        f"/admin/contributors/user/{user.pk}/change/", change_form(user, **{field: f"Ali{RLO}ce"})
    )
    assert response.status_code == 200
    assert "invisible formatting characters" in str(response.context["adminform"].form.errors[field])
    user.refresh_from_db()
    assert RLO not in f"{user.first_name}{user.last_name}{user.display_name}"


def test_it_saves_an_ordinary_name_change(admin_client_logged_in):
    user = UserFactory(username="alice", first_name="Alice", last_name="Jensen")
    response = admin_client_logged_in.post(
        f"/admin/contributors/user/{user.pk}/change/", change_form(user, first_name="Alicia", last_name="Møller")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alicia", "Møller")


def test_it_refuses_one_in_the_username_of_a_new_user(admin_client_logged_in):
    response = admin_client_logged_in.post(
        "/admin/contributors/user/add/",
        {"username": f"bob{RLO}", "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"},
    )
    assert response.status_code == 200
    assert "username" in response.context["adminform"].form.errors
    assert not User.objects.filter(username__startswith="bob").exists()
