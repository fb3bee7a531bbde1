import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from drafts.models import DraftEvent
from drafts.selectors import drafts_for_user
from drafts.services import draft_coauthors_set, draft_update
from tests.factories import member


@pytest.fixture
def writer(personas):
    return member(personas.board, "contributor", username="writer")


def test_it_lets_the_author_invite_a_coauthor_who_can_then_see_and_edit(personas, draft, writer):
    assert draft not in drafts_for_user(writer)
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    draft.refresh_from_db()
    assert list(draft.coauthors.all()) == [writer]
    assert draft in drafts_for_user(writer)
    updated = draft_update(draft_id=draft.pk, actor=writer, version=draft.version, body="Written together.")
    assert updated.body == "Written together."


def test_it_audits_the_change_and_bumps_the_version(personas, draft, writer):
    version = draft.version
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    draft.refresh_from_db()
    assert draft.version == version + 1
    event = DraftEvent.objects.get(draft=draft, transition="set_coauthors")
    assert event.data == {"coauthors": ["writer"]}
    assert event.actor == personas.contributor


def test_it_writes_nothing_when_the_list_is_unchanged(personas, draft, writer):
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    assert DraftEvent.objects.filter(draft=draft, transition="set_coauthors").count() == 1


def test_it_refuses_people_who_do_not_write_for_the_board(personas, draft):
    with pytest.raises(ValidationError) as excinfo:
        draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[personas.outsider.pk])
    assert "coauthors" in excinfo.value.message_dict
    assert not draft.coauthors.exists()


def test_it_refuses_a_coauthor_choosing_coauthors(personas, draft, writer):
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    with pytest.raises(PermissionDenied):
        draft_coauthors_set(draft_id=draft.pk, actor=writer, coauthor_ids=[])
    assert list(draft.coauthors.all()) == [writer]


def test_it_lets_a_manager_choose_coauthors_and_ignores_the_author_in_the_list(personas, draft, writer):
    draft_coauthors_set(draft_id=draft.pk, actor=personas.manager, coauthor_ids=[writer.pk, personas.contributor.pk])
    assert list(draft.coauthors.all()) == [writer]


def test_it_sets_coauthors_through_the_api(personas, draft, writer, api_client_for):
    response = api_client_for("contributor").put(
        f"/api/drafts/{draft.pk}/coauthors/", {"coauthors": [writer.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["coauthors"] == [writer.pk]


def test_it_answers_400_for_a_bad_coauthor_list(personas, draft, api_client_for):
    response = api_client_for("contributor").put(
        f"/api/drafts/{draft.pk}/coauthors/", {"coauthors": "writer"}, format="json"
    )
    assert response.status_code == 400
    assert "coauthors" in response.json()


def test_it_offers_the_coauthor_form_only_to_those_who_may_use_it(personas, draft, writer, web_client_for):
    page = web_client_for("contributor").get(f"/drafts/{draft.pk}/")
    assert 'name="coauthors"' in page.content.decode()
    response = web_client_for("contributor").post(f"/drafts/{draft.pk}/coauthors/", {"coauthors": [writer.pk]})
    assert response.status_code == 302
    assert list(draft.coauthors.all()) == [writer]
    page = web_client_for("reviewer").get(f"/drafts/{draft.pk}/")
    assert 'name="coauthors"' not in page.content.decode()
