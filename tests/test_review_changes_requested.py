"""Sending a draft back needs a reason; the author sees it at the top until they resubmit; lists say so."""

import importlib

import pytest
from django.core.exceptions import ValidationError

from drafts.models import Draft, DraftEvent
from drafts.services import draft_transition
from tests.factories import advance


@pytest.fixture
def sent_back(personas, draft):
    advance(draft, "review", personas)
    draft_transition(
        draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Add the **launch date**."
    )
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_it_refuses_to_send_back_without_a_reason(personas, draft, comment):
    advance(draft, "review", personas)
    with pytest.raises(ValidationError) as refused:
        draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment=comment)
    assert "comment" in refused.value.message_dict
    draft.refresh_from_db()
    assert (draft.state, draft.changes_requested) == ("review", False)


def test_it_flags_the_draft_until_it_is_resubmitted(personas, sent_back):
    assert sent_back.changes_requested
    assert sent_back.state_label == "Changes requested"
    draft_transition(draft_id=sent_back.pk, name="submit", actor=personas.contributor)
    sent_back.refresh_from_db()
    assert not sent_back.changes_requested
    assert sent_back.state_label == "In review"


def test_the_author_sees_the_reason_at_the_top_until_resubmitting(personas, sent_back, client):
    client.force_login(personas.contributor)
    page = client.get(f"/drafts/{sent_back.pk}/").content.decode()
    assert "Changes requested" in page
    reason = page.index("Add the <strong>launch date</strong>.")
    assert reason < page.index('id="draft-text"')  # above the text, not only in the history
    assert "Make the changes, then submit it for review again." in page

    draft_transition(draft_id=sent_back.pk, name="submit", actor=personas.contributor)
    page = client.get(f"/drafts/{sent_back.pk}/").content.decode()
    assert 'id="changes-requested"' not in page


def test_the_api_lists_the_flag_and_label(personas, sent_back, api_client_for):
    listed = api_client_for("contributor").get(f"/api/drafts/?board={personas.board.pk}").json()["results"]
    (item,) = [d for d in listed if d["id"] == sent_back.pk]
    assert (item["changes_requested"], item["state_label"], item["state"]) == (True, "Changes requested", "draft")
    detail = api_client_for("reviewer").get(f"/api/drafts/{sent_back.pk}/").json()
    assert detail["changes_requested"] is True


def test_a_new_draft_is_not_flagged_in_the_api(personas, draft, api_client_for):
    detail = api_client_for("contributor").get(f"/api/drafts/{draft.pk}/").json()
    assert (detail["changes_requested"], detail["state_label"]) == (False, "Draft")


def test_the_board_list_reads_the_flag_from_its_rows(personas, sent_back, draft):
    from drafts.selectors import draft_list_for_user

    labels = {d.pk: d.state_label for d in draft_list_for_user(personas.reviewer, board=personas.board)}
    assert labels[sent_back.pk] == "Changes requested"


def test_the_data_migration_flags_drafts_whose_last_step_was_a_request_for_changes(personas, sent_back, draft):
    from django.apps import apps

    other = Draft.objects.create(board=personas.board, author=personas.contributor, title="Fresh")
    DraftEvent.objects.create(draft=other, actor=personas.contributor, transition="create", target="draft")
    Draft.objects.update(changes_requested=False)
    migration = importlib.import_module("drafts.migrations.0005_review_comments_and_changes_requested")
    migration.mark_drafts_sent_back(apps, None)
    assert set(Draft.objects.filter(changes_requested=True).values_list("pk", flat=True)) == {sent_back.pk}
