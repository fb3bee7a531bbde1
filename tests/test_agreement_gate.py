"""A person the agreement gate keeps out is sent to the agreement from every gated page, with `next`, and
taken back there after signing; the API answers a JSON 403 naming the agreement and its address; `next`
never leads off the site."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from contributors.agreements.models import Acceptance
from contributors.agreements.services import agreement_accept
from contributors.briefs.services import brief_create
from drafts.models import DraftComment
from tests.factories import future
from tests.matrix_agreements import make_agreement


@pytest.fixture
def nda(personas):
    return make_agreement(personas.board)


@pytest.fixture
def brief(personas):
    return brief_create(
        board=personas.board,
        actor=personas.manager,
        topic="Launch stories",
        description="Tell us.",
        channels=[],
        deadline=future(24 * 60),
        max_claims=3,
    )


def gated_pages(personas, draft, brief) -> list[str]:
    slug = personas.board.slug
    return [
        reverse("board-detail", args=[slug]),
        reverse("draft-create", args=[slug]),
        reverse("draft-detail", args=[draft.pk]),
        reverse("draft-edit", args=[draft.pk]),
        reverse("draft-revisions", args=[draft.pk]),
        reverse("draft-diff", args=[draft.pk]),
        reverse("guidelines", args=[slug]),
        reverse("brief-list", args=[slug]),
        reverse("brief-detail", args=[brief.pk]),
        reverse("board-detail", args=[slug]) + "?state=draft",
    ]


def sign(client, nda, next_url: str | None, signature="Connie Contributor"):
    data = {"signature": signature, "version": "1"}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("agreement-accept", args=[nda.pk]), data)


def test_every_gated_page_leads_to_the_agreement_and_back_after_signing(personas, draft, brief, nda, web_client_for):
    client = web_client_for("contributor")
    pages = gated_pages(personas, draft, brief)
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/agreements/{nda.pk}/?next={quote(path, safe='')}", path

    # The agreement page explains why they are there and carries `next` into the signing form.
    arrived = client.get(f"/agreements/{nda.pk}/?next={quote(pages[2], safe='')}")
    html = arrived.content.decode()
    assert "Launch asks you to sign this before you see or write anything there." in html
    assert f'name="next" value="{pages[2]}"' in html

    signed = sign(client, nda, pages[2])
    assert signed.status_code == 302
    assert signed["Location"] == pages[2]
    assert Acceptance.objects.filter(user=personas.contributor).count() == 1
    for path in pages:
        assert client.get(path).status_code == 200, path


def test_signing_without_next_stays_on_the_agreement(personas, nda, web_client_for):
    response = sign(web_client_for("contributor"), nda, None)
    assert response["Location"] == reverse("agreement-detail", args=[nda.pk])


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "///evil.example",
    ],
)
def test_next_never_leads_off_the_site(personas, nda, web_client_for, next_url):
    client = web_client_for("contributor")
    page = client.get(f"/agreements/{nda.pk}/", {"next": next_url}).content.decode()
    assert 'name="next"' not in page
    response = sign(client, nda, next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("agreement-detail", args=[nda.pk])


def test_next_may_be_an_absolute_address_on_this_site(personas, nda, web_client_for):
    response = sign(web_client_for("contributor"), nda, "http://testserver/boards/launch/?state=review")
    assert response["Location"] == "/boards/launch/?state=review"


def test_a_second_agreement_is_asked_for_on_the_way_back(personas, draft, nda, web_client_for):
    from django.utils import timezone

    from contributors.agreements.services import agreement_create_for_board

    contract = agreement_create_for_board(
        board=personas.board,
        title="Creator contract",
        roles=["contributor"],
        body="You keep your rights.",
        effective_on=timezone.localdate(),
        actor=personas.manager,
    )
    client = web_client_for("contributor")
    path = reverse("draft-detail", args=[draft.pk])
    first = client.get(path)
    # Two to sign: the board's list of them, which passes `next` on to each.
    assert first["Location"] == f"/boards/launch/agreements/?next={quote(path, safe='')}"
    listing = client.get(first["Location"]).content.decode()
    assert f"/agreements/{nda.pk}/?next={quote(path, safe='')}" in listing
    back = sign(client, nda, path)
    assert back["Location"] == path
    again = client.get(path)
    assert again["Location"] == f"/agreements/{contract.pk}/?next={quote(path, safe='')}"
    agreement_accept(agreement=contract, user=personas.contributor, signature="Connie Contributor")
    assert client.get(path).status_code == 200


def test_a_form_sent_to_a_gated_page_goes_to_the_agreement_and_back_to_the_form(personas, draft, nda, web_client_for):
    client = web_client_for("contributor")
    page = f"http://testserver{reverse('draft-detail', args=[draft.pk])}"
    response = client.post(reverse("draft-comment", args=[draft.pk]), {"body": "Hello"}, HTTP_REFERER=page)
    assert response.status_code == 302
    assert (
        response["Location"] == f"/agreements/{nda.pk}/?next={quote(reverse('draft-detail', args=[draft.pk]), safe='')}"
    )
    assert not DraftComment.objects.exists()
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [
        "Accept “Launch NDA” (version 1) before you work on Launch. "
        "What you sent was not saved: sign, then send it again."
    ]


def test_a_form_from_another_site_is_not_sent_back_there(personas, draft, nda, web_client_for):
    response = web_client_for("contributor").post(
        reverse("draft-comment", args=[draft.pk]), {"body": "Hello"}, HTTP_REFERER="https://evil.example/x"
    )
    assert response["Location"] == f"/agreements/{nda.pk}/"


def test_htmx_gets_a_403_fragment_with_the_link_not_a_redirect(personas, draft, nda, web_client_for):
    response = web_client_for("contributor").post(
        reverse("guidelines-check", args=[personas.board.slug]), {"title": "x", "body": "y"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "<html" not in html
    assert f'href="/agreements/{nda.pk}/"' in html
    assert "Launch NDA" in html


def test_the_api_answers_json_403_naming_the_agreement_and_its_address(personas, draft, brief, nda, api_client_for):
    api = api_client_for("contributor")
    for url in (
        f"/api/drafts/{draft.pk}/",
        f"/api/guidelines/{personas.board.pk}/",
        f"/api/briefs/{brief.pk}/",
        f"/api/drafts/{draft.pk}/comments/",
    ):
        response = api.get(url)
        assert response.status_code == 403, url
        body = response.json()
        assert "Launch NDA" in body["detail"]
        assert body["agreement_url"] == f"http://testserver/agreements/{nda.pk}/"
        assert body["agreements"] == [
            {
                "id": nda.pk,
                "title": "Launch NDA",
                "version": 1,
                "expired": False,
                "url": f"http://testserver/agreements/{nda.pk}/",
                "api_url": f"http://testserver/api/agreements/{nda.pk}/",
            }
        ]
    created = api.post("/api/drafts/", {"board": personas.board.pk, "title": "Sneaky"}, format="json")
    assert created.status_code == 403
    assert created.json()["agreement_url"].endswith(f"/agreements/{nda.pk}/")


def test_site_admins_are_never_redirected(personas, draft, nda, web_client_for):
    assert web_client_for("admin").get(reverse("draft-detail", args=[draft.pk])).status_code == 200
