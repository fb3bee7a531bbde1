"""People are who they say they are: every page that shows who did something shows the username beside the
display name, and names cannot hold invisible formatting characters (bidirectional controls, zero-width)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contributors.invitations import services as invitation_services
from contributors.invitations.selectors import invitation_token
from contributors.models import User
from contributors.profiles.people import person_html, person_label, validate_visible_name
from contributors.profiles.services import profile_update
from contributors.services import board_role_grant
from drafts.services import comment_create, draft_transition
from tests.factories import UserFactory

INVISIBLE = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\ufeff"]


def impostor(personas) -> User:
    """A reviewer who calls themself by the manager's name."""
    user = UserFactory(username="mallory", display_name="Manager Person")
    board_role_grant(board=personas.board, user=user, role="reviewer")
    return user


def test_it_names_a_person_by_display_name_and_username():
    alice = User(username="alice", display_name="Alice Jensen")
    assert person_label(alice) == "Alice Jensen (@alice)"
    assert person_label(User(username="bob")) == "@bob"
    expected = '<span class="person"><bdi>Alice Jensen</bdi> <span class="username">(@alice)</span></span>'
    assert str(person_html(alice)) == expected


def test_it_escapes_a_display_name():
    html = str(person_html(User(username="x", display_name="<script>alert(1)</script>")))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_draft_page_shows_usernames_for_the_author_comments_and_history(personas, draft, web_client_for):
    mallory = impostor(personas)
    comment_create(draft_id=draft.pk, author=mallory, body="Looks fine.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    page = web_client_for("manager").get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert '<bdi>Manager Person</bdi> <span class="username">(@mallory)</span>' in page  # the comment
    assert page.count(">@contributor<") >= 2  # author and the submit event


def test_the_revisions_members_and_invitations_pages_show_usernames(personas, draft, web_client_for):
    impostor(personas)
    client = web_client_for("manager")
    revisions = client.get(reverse("draft-revisions", args=[draft.pk])).content.decode()
    assert "@contributor" in revisions
    members = client.get(reverse("board-members", args=[personas.board.slug])).content.decode()
    assert "(@mallory)" in members
    assert "<bdi>Manager Person</bdi>" in members


@pytest.mark.parametrize("char", INVISIBLE)
def test_the_validator_refuses_invisible_formatting_characters(char):
    with pytest.raises(ValidationError) as caught:
        validate_visible_name(f"Ali{char}ce")
    assert f"U+{ord(char):04X}" in str(caught.value)


def test_the_validator_accepts_ordinary_names_in_any_script():
    for name in ["Alice Jensen", "Zoë O'Brien-Smith", "محمد", "李小龙", "Ådne Ødegård"]:
        validate_visible_name(name)


@pytest.mark.parametrize("char", ["\u202e", "\u200b"])
def test_the_profile_page_refuses_a_display_name_with_them(personas, web_client_for, char):
    response = web_client_for("contributor").post(reverse("profile-edit"), {"display_name": f"evil{char}gpj.exe"})
    assert response.status_code == 400
    assert "invisible formatting characters" in response.content.decode()
    assert User.objects.get(pk=personas.contributor.pk).display_name == ""


def test_the_profile_api_refuses_a_display_name_with_them(personas, api_client_for):
    response = api_client_for("contributor").patch("/api/profile/", {"display_name": "Adm\u202ein"}, format="json")
    assert response.status_code == 400
    assert "invisible formatting characters" in response.json()["display_name"][0]


def test_the_profile_service_refuses_them(personas):
    with pytest.raises(ValidationError, match="invisible"):
        profile_update(user=personas.contributor, actor=personas.contributor, display_name="a\u2066b")


def test_signing_up_from_an_invitation_refuses_them(personas, client):
    invitation = invitation_services.invitation_create(
        board=personas.board, email="gina@example.com", role="contributor", inviter=personas.manager, site_url="/"
    )
    url = reverse("invitation-accept", args=[invitation_token(invitation)])
    response = client.post(url, {"name": "Gina\u202e", "password": "a-long-unusual-passphrase-42"})
    assert response.status_code == 400
    assert "invisible formatting characters" in response.content.decode()
    assert not User.objects.filter(email="gina@example.com").exists()


def test_signing_up_through_the_api_refuses_them(personas, api_client_for):
    invitation = invitation_services.invitation_create(
        board=personas.board, email="gina@example.com", role="contributor", inviter=personas.manager, site_url="/"
    )
    body = {"token": invitation_token(invitation), "name": "\u200bGina", "password": "a-long-unusual-passphrase-42"}
    response = api_client_for("anonymous").post("/api/invitations/accept/", body, format="json")
    assert response.status_code == 400
    assert "invisible formatting characters" in str(response.json()["name"])
