"""An unsigned agreement refuses a new draft in draft_create itself, so page, API and any other caller answer
the same 403 naming the agreement."""

import pytest
from django.core.exceptions import PermissionDenied

from contributors.agreements.services import agreement_accept
from drafts.models import Draft
from drafts.services import draft_create
from tests.matrix_agreements import make_agreement


@pytest.fixture
def nda(personas):
    return make_agreement(personas.board)


def test_it_refuses_a_gated_contributor_in_the_service(personas, nda):
    with pytest.raises(PermissionDenied, match="Launch NDA"):
        draft_create(board=personas.board, author=personas.contributor, title="Sneaky")
    assert not Draft.objects.exists()


def test_it_answers_the_page_and_the_api_with_the_same_403(personas, nda, web_client_for, api_client_for):
    page = web_client_for("contributor").post("/boards/launch/drafts/new/", {"title": "Sneaky", "body": "Typed"})
    api = api_client_for("contributor").post(
        "/api/drafts/", {"board": personas.board.pk, "title": "Sneaky"}, format="json"
    )
    assert (page.status_code, api.status_code) == (403, 403)
    message = api.json()["detail"]
    assert "Launch NDA" in message
    assert [str(m) for m in page.context["messages"]] == [message]
    assert "Typed" in page.content.decode()  # what they wrote is still there after they accept
    assert not Draft.objects.exists()


def test_it_creates_the_draft_once_the_agreement_is_accepted(personas, nda, web_client_for):
    agreement_accept(agreement=nda, user=personas.contributor, signature="Connie Contributor")
    response = web_client_for("contributor").post("/boards/launch/drafts/new/", {"title": "Signed first"})
    assert response.status_code == 302
    assert Draft.objects.get().title == "Signed first"


def test_it_lets_a_site_admin_create_without_an_agreement(personas, nda):
    assert draft_create(board=personas.board, author=personas.admin, title="Admin's").pk
