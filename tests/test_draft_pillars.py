"""A draft's content pillars in the editor (they save with the autosave), on the draft page, the board page
(chips that filter the list), My work and the drafts API (ids in, {id, name, colour} out)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from drafts.models import Draft
from drafts.planning.pillar_services import pillar_create
from drafts.selectors import draft_list_for_user, draft_list_rows
from drafts.serializers import DraftSerializer
from tests.factories import advance, make_draft


@pytest.fixture
def pillars(personas):
    make = lambda name, colour: pillar_create(board=personas.board, actor=None, name=name, colour=colour)  # noqa: E731
    return make("Product", "#2f6f4e"), make("Community", "#b4462b")


def autosave(client, draft, **fields):
    data = {"title": draft.title, "body": "", "tags": "", "version": draft.version, **fields}
    return client.post(reverse("draft-autosave", args=[draft.pk]), data)


def test_the_editor_offers_the_boards_pillars_as_tick_boxes_with_their_colours(personas, pillars, web_client_for):
    product, community = pillars
    draft = make_draft(personas.board, personas.contributor, pillars=[community.pk])
    html = web_client_for("contributor").get(reverse("draft-edit", args=[draft.pk])).content.decode()
    assert '<legend class="field-label">Pillars' in html
    assert f'name="pillars" value="{product.pk}" id="id_pillars_{product.pk}">' in html
    assert f'name="pillars" value="{community.pk}" id="id_pillars_{community.pk}" checked>' in html
    assert 'fill="#b4462b"' in html
    assert 'name="pillars_shown"' in html


def test_the_editor_has_no_pillar_boxes_on_a_board_without_pillars(personas, web_client_for):
    draft = make_draft(personas.board, personas.contributor)
    html = web_client_for("contributor").get(reverse("draft-edit", args=[draft.pk])).content.decode()
    assert 'name="pillars"' not in html


def test_the_autosave_saves_the_ticked_pillars_and_none_ticked_clears_them(personas, pillars, web_client_for):
    product, community = pillars
    client = web_client_for("contributor")
    draft = make_draft(personas.board, personas.contributor)
    answer = autosave(client, draft, pillars=[str(product.pk), str(community.pk)], pillars_shown="1")
    assert answer.status_code == 200
    draft.refresh_from_db()
    assert set(draft.pillars.all()) == {product, community}
    assert answer.json()["version"] == draft.version
    # A form without the boxes (an older page) leaves them as they are...
    autosave(client, draft, body="More text.")
    draft.refresh_from_db()
    assert draft.pillars.count() == 2
    # ...and one that showed them, with none ticked, chose none.
    autosave(client, draft, body="More text.", pillars_shown="1")
    assert draft.pillars.count() == 0


def test_the_autosave_refuses_a_pillar_of_another_board(personas, pillars, web_client_for):
    foreign = pillar_create(board=personas.other_board, actor=None, name="Foreign")
    draft = make_draft(personas.board, personas.contributor)
    answer = autosave(web_client_for("contributor"), draft, pillars=[str(foreign.pk)], pillars_shown="1")
    assert answer.status_code == 400
    assert answer.json()["errors"]["pillars"] == ["Choose pillars from the board's list."]


def test_a_new_draft_starts_with_its_pillars(personas, pillars, web_client_for):
    product, _ = pillars
    response = web_client_for("contributor").post(
        reverse("draft-start", args=[personas.board.slug]),
        {"title": "Fresh", "body": "", "tags": "", "pillars": [str(product.pk)], "pillars_shown": "1"},
    )
    assert response.status_code == 201
    assert list(Draft.objects.get(pk=response.json()["draft_id"]).pillars.all()) == [product]


def test_the_draft_page_and_the_board_page_show_the_pillars_and_the_board_page_filters_by_one(
    personas, pillars, web_client_for
):
    product, community = pillars
    mine = make_draft(personas.board, personas.contributor, title="Launch post", pillars=[product.pk])
    make_draft(personas.board, personas.contributor, title="Meetup recap", pillars=[community.pk])
    client = web_client_for("reviewer")
    detail = client.get(reverse("draft-detail", args=[mine.pk])).content.decode()
    assert '<span class="pillar-chip">' in detail
    assert "Product" in detail
    board = client.get("/boards/launch/").content.decode()
    assert f'href="?pillar={product.pk}"' in board
    filtered = client.get(f"/boards/launch/?pillar={product.pk}")
    titles = [d.title for d in filtered.context["page"]]
    assert titles == ["Launch post"]
    assert "Only <strong>Product</strong> drafts" in filtered.content.decode()
    # A pillar of another board (or nonsense) is no filter at all.
    foreign = pillar_create(board=personas.other_board, actor=None, name="Foreign")
    assert len(client.get(f"/boards/launch/?pillar={foreign.pk}").context["page"].object_list) == 2


def test_my_work_shows_the_pillars_of_what_goes_out(personas, pillars, web_client_for):
    product, _ = pillars
    draft = make_draft(personas.board, personas.contributor, title="Going out", pillars=[product.pk])
    advance(draft, "scheduled", personas)
    html = web_client_for("contributor").get("/").content.decode()
    assert "Going out" in html
    assert '<span class="pillar-chip">' in html


def test_the_api_takes_pillar_ids_and_answers_id_name_and_colour(personas, pillars, api_client_for):
    product, community = pillars
    client = api_client_for("contributor")
    created = client.post(
        "/api/drafts/", {"board": personas.board.pk, "title": "Via API", "pillars": [product.pk]}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["pillars"] == [{"id": product.pk, "name": "Product", "colour": "#2f6f4e"}]
    changed = client.patch(
        f"/api/drafts/{body['id']}/", {"version": body["version"], "pillars": [community.pk, product.pk]}, format="json"
    )
    assert [p["name"] for p in changed.json()["pillars"]] == ["Product", "Community"]
    listed = client.get(f"/api/drafts/?board={personas.board.pk}&pillar={community.pk}").json()
    assert [d["title"] for d in listed["results"]] == ["Via API"]


def test_the_api_refuses_a_pillar_of_another_board_at_the_field(personas, pillars, api_client_for):
    foreign = pillar_create(board=personas.other_board, actor=None, name="Foreign")
    response = api_client_for("contributor").post(
        "/api/drafts/", {"board": personas.board.pk, "title": "Via API", "pillars": [foreign.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["pillars"] == [
        f"Choose pillars of the board Launch; these are not among them: {foreign.pk}."
    ]
    bad = api_client_for("contributor").post(
        "/api/drafts/", {"board": personas.board.pk, "title": "T", "pillars": "Product"}, format="json"
    )
    assert bad.status_code == 400
    assert "pillars" in bad.json()


def test_list_rows_serialize_their_pillars_as_the_generic_walk_would(personas, pillars):
    product, community = pillars
    draft = make_draft(personas.board, personas.contributor, title="Both", pillars=[community.pk, product.pk])
    Draft.objects.filter(pk=draft.pk).update(publish_at=timezone.now())
    request = APIRequestFactory().get("/api/drafts/")
    request.user = personas.reviewer
    [row] = draft_list_rows(draft_list_for_user(personas.reviewer, images=True)[:50], images=True)
    fast = DraftSerializer(row, context={"request": request}).data
    serializer = DraftSerializer(context={"request": request})
    reference = serializers.ModelSerializer.to_representation(serializer, Draft.objects.get(pk=draft.pk))
    assert fast == reference
    assert [p["name"] for p in fast["pillars"]] == ["Product", "Community"]


# --- Pillars of a draft past the editing stage -----------------------------------------------------------------


def test_a_manager_changes_a_scheduled_drafts_pillars_without_touching_what_was_approved(
    personas, pillars, web_client_for
):
    from publishing.models import Publication
    from tests.factories import make_channel

    product, community = pillars
    make_channel(personas.board, "webhook", settings={"url": "http://127.0.0.1:9/h"}, credentials={"secret": "s" * 32})
    draft = make_draft(personas.board, personas.contributor, title="Scheduled", pillars=[product.pk])
    advance(draft, "scheduled", personas)
    fingerprints = list(Publication.objects.filter(draft=draft).values_list("content_sha256", flat=True))
    revisions = draft.revisions.count()
    client = web_client_for("manager")
    response = client.post(
        reverse("draft-pillars", args=[draft.pk]), {"pillars": [str(community.pk)], "version": draft.version}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{draft.pk}/#pillars"
    draft.refresh_from_db()
    assert list(draft.pillars.all()) == [community]
    assert draft.state == "scheduled"
    assert draft.revisions.count() == revisions
    assert list(Publication.objects.filter(draft=draft).values_list("content_sha256", flat=True)) == fingerprints
    from publishing.services.pipeline import content_change, post_for_channel

    for publication in Publication.objects.filter(draft=draft).select_related("channel"):
        assert content_change(publication, post_for_channel(draft, publication.channel, idempotency_key="")) == ""
    assert draft.events.filter(transition="set_pillars", data={"pillars": ["Community"]}).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Pillars saved: Community." in page
    assert "changed the pillars" in page


def test_the_author_may_not_change_a_scheduled_drafts_pillars(personas, pillars, api_client_for):
    product, _ = pillars
    draft = make_draft(personas.board, personas.contributor)
    advance(draft, "scheduled", personas)
    response = api_client_for("contributor").put(
        f"/api/drafts/{draft.pk}/pillars/", {"pillars": [product.pk]}, format="json"
    )
    assert response.status_code == 403
    assert "managers choose its pillars" in response.json()["detail"]
    stale = api_client_for("manager").put(
        f"/api/drafts/{draft.pk}/pillars/", {"pillars": [product.pk], "version": draft.version - 1}, format="json"
    )
    assert stale.status_code == 409
    done = api_client_for("manager").put(f"/api/drafts/{draft.pk}/pillars/", {"pillars": [product.pk]}, format="json")
    assert done.json() == {
        "version": draft.version + 1,
        "pillars": [{"id": product.pk, "name": "Product", "colour": "#2f6f4e"}],
    }
