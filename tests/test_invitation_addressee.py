"""Invitations go to the invited person: a signed-in account accepts only an invitation sent to its own
address (any case); anyone else holding the link is told, on the page and in the API, whom it was for."""

import pytest
from django.urls import reverse

from contributors.invitations import services
from contributors.invitations.models import Invitation, InvitationStatus
from contributors.invitations.selectors import invitation_token
from contributors.models import User
from contributors.permissions import board_role
from tests.factories import UserFactory


def invite(personas, email: str) -> str:
    invitation = services.invitation_create(
        board=personas.board, email=email, role="contributor", inviter=personas.manager, site_url="http://t/"
    )
    return invitation_token(invitation)


def role(user, board):
    return board_role(User.objects.get(pk=user.pk), board)


def test_an_account_with_another_address_cannot_accept_on_the_page(personas, client):
    token = invite(personas, "gina@example.com")
    client.force_login(personas.outsider)
    url = reverse("invitation-accept", args=[token])

    page = client.get(url)
    response = client.post(url)

    for answer in (page, response):
        text = answer.content.decode()
        assert "This invitation is for someone else" in text
        assert "g***@e***.com" in text
        assert "gina@example.com" not in text
        assert f'name="next" value="{url}"' in text  # sign out, then back to the link
        assert reverse("logout") in text
    assert page.status_code == 200
    assert response.status_code == 403
    assert role(personas.outsider, personas.board) is None
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_an_account_with_another_address_cannot_accept_through_the_api(personas, api_client_for):
    token = invite(personas, "gina@example.com")
    response = api_client_for("outsider").post("/api/invitations/accept/", {"token": token}, format="json")
    assert response.status_code == 403
    assert "sent to g***@e***.com" in response.json()["detail"]
    assert role(personas.outsider, personas.board) is None
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_the_invited_account_accepts_whatever_the_case_of_its_address(personas, client):
    token = invite(personas, "gina@example.com")
    gina = UserFactory(username="gina", email="Gina@Example.COM")
    client.force_login(gina)
    response = client.post(reverse("invitation-accept", args=[token]))
    assert response.status_code == 302
    assert role(gina, personas.board) == "contributor"


def test_an_account_without_an_address_cannot_accept(personas):
    token = invite(personas, "gina@example.com")
    nobody = UserFactory(email="")
    with pytest.raises(services.InvitationForSomeoneElse):
        services.invitation_accept(token=token, user=nobody)


def test_signing_out_from_the_refusal_leads_back_to_the_link(personas, client):
    token = invite(personas, "gina@example.com")
    url = reverse("invitation-accept", args=[token])
    client.force_login(personas.outsider)
    response = client.post(reverse("logout"), {"next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert "Create your account" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("email", "masked"),
    [("gina@example.com", "g***@e***.com"), ("a@b.co.uk", "a***@b***.uk"), ("x@localhost", "x***@l***")],
)
def test_it_masks_the_address(email, masked):
    assert services.masked_email(email) == masked
