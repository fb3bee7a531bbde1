"""An approval is a second pair of eyes: nobody who wrote the round under review approves it, on any surface.

Two ways around it worked before: a co-author who edited the text was taken off the co-authors while the
draft was in review and then approved it; a manager edited someone's draft, submitted it and approved it
alone. Co-authors are now settled once a draft is submitted, and every writer of a round's revisions is
refused its approval (drafts.rules.can_approve, so page, API and admin agree).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from drafts import images as draft_images
from drafts.models import Draft, DraftApproval
from drafts.selectors import draft_available_transitions
from drafts.services import draft_coauthors_set, draft_transition, draft_update
from tests.factories import advance, make_image_bytes, member

INDEPENDENT = "your approval would not be independent"


def edit(draft, user, body: str) -> None:
    draft.refresh_from_db()
    draft_update(draft_id=draft.pk, actor=user, version=draft.version, body=body)


def approvals(draft) -> int:
    return DraftApproval.objects.filter(draft=draft).count()


def state_of(draft) -> str:
    return Draft.objects.get(pk=draft.pk).state


def version_of(draft) -> int:
    return Draft.objects.get(pk=draft.pk).version


# --- Co-authors are settled once submitted ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["review", "approved", "scheduled"])
def test_it_refuses_to_change_the_coauthors_of_a_submitted_draft(personas, draft, state):
    writer = member(personas.board, "contributor", username="writer")
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[writer.pk])
    advance(draft, state, personas)
    for actor in (personas.contributor, personas.manager):
        with pytest.raises(PermissionDenied, match="cannot change once a draft is submitted"):
            draft_coauthors_set(draft_id=draft.pk, actor=actor, coauthor_ids=[])
    draft.refresh_from_db()
    assert list(draft.coauthors.all()) == [writer]


def test_it_still_lets_the_author_change_coauthors_while_it_is_a_draft(personas, draft):
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[personas.reviewer.pk])
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[])
    assert not draft.coauthors.exists()


def test_it_offers_no_coauthor_form_on_a_submitted_draft(personas, draft, web_client_for):
    advance(draft, "review", personas)
    page = web_client_for("contributor").get(f"/drafts/{draft.pk}/")
    assert page.status_code == 200
    assert f'action="/drafts/{draft.pk}/coauthors/"' not in page.content.decode()


# --- Attack 1: a co-author who edited is dropped from the list, then approves -------------------------------


def test_it_refuses_the_dropped_coauthors_approval_through_the_api(personas, draft, api_client_for):
    author, coauthor = api_client_for("contributor"), api_client_for("reviewer")
    url = f"/api/drafts/{draft.pk}"
    assert author.put(f"{url}/coauthors/", {"coauthors": [personas.reviewer.pk]}, format="json").status_code == 200
    edited = coauthor.patch(f"{url}/", {"version": version_of(draft), "body": "My words."}, format="json")
    assert edited.status_code == 200
    assert author.post(f"{url}/transitions/submit/", {}, format="json").status_code == 200

    dropped = author.put(f"{url}/coauthors/", {"coauthors": []}, format="json")
    assert dropped.status_code == 403
    assert "cannot change once a draft is submitted" in dropped.json()["detail"]
    approved = coauthor.post(f"{url}/transitions/approve/", {}, format="json")
    assert approved.status_code == 403
    assert (state_of(draft), approvals(draft)) == ("review", 0)


def test_it_refuses_the_dropped_coauthors_approval_on_the_page(personas, draft, web_client_for):
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[personas.reviewer.pk])
    edit(draft, personas.reviewer, "My words.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)

    dropped = web_client_for("contributor").post(f"/drafts/{draft.pk}/coauthors/", {})
    assert dropped.status_code == 403
    assert "cannot change once a draft is submitted" in dropped.content.decode()
    approved = web_client_for("reviewer").post(f"/drafts/{draft.pk}/transitions/approve/", {})
    assert approved.status_code == 403
    assert (state_of(draft), approvals(draft)) == ("review", 0)


def test_it_refuses_a_coauthor_who_edited_and_was_dropped_before_the_submit(personas, draft, api_client_for):
    """Dropping a co-author is allowed while it is a draft; what they wrote still counts."""
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[personas.reviewer.pk])
    edit(draft, personas.reviewer, "My words.")
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[])
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)

    with pytest.raises(PermissionDenied, match=INDEPENDENT):
        draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    response = api_client_for("reviewer").post(f"/api/drafts/{draft.pk}/transitions/approve/", {}, format="json")
    assert response.status_code == 403
    assert INDEPENDENT in response.json()["detail"]
    assert (state_of(draft), approvals(draft)) == ("review", 0)


# --- Attack 2: someone edits a draft, submits it and approves it alone -----------------------------------------


@pytest.mark.parametrize("editor", ["reviewer", "manager", "admin"])
def test_it_refuses_the_approval_of_anyone_who_edited_the_round(personas, draft, editor):
    user = getattr(personas, editor)
    edit(draft, user, "Rewritten by the approver.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    draft.refresh_from_db()
    assert "approve" not in draft_available_transitions(draft, user)
    with pytest.raises(PermissionDenied, match=INDEPENDENT):
        draft_transition(draft_id=draft.pk, name="approve", actor=user)
    assert (state_of(draft), approvals(draft)) == ("review", 0)


def test_it_refuses_a_manager_who_edits_submits_and_approves_through_the_api(personas, draft, api_client_for):
    manager = api_client_for("manager")
    url = f"/api/drafts/{draft.pk}"
    assert manager.patch(f"{url}/", {"version": 1, "body": "Mine now."}, format="json").status_code == 200
    assert manager.post(f"{url}/transitions/submit/", {}, format="json").status_code == 200
    approved = manager.post(f"{url}/transitions/approve/", {}, format="json")
    assert approved.status_code == 403
    assert INDEPENDENT in approved.json()["detail"]
    assert (state_of(draft), approvals(draft)) == ("review", 0)


def test_it_refuses_a_manager_who_edits_submits_and_approves_on_the_page(personas, draft, web_client_for):
    client = web_client_for("manager")
    edited = client.post(f"/drafts/{draft.pk}/edit/", {"title": draft.title, "body": "Mine now.", "version": 1})
    assert edited.status_code == 302
    assert client.post(f"/drafts/{draft.pk}/transitions/submit/", {}).status_code == 302
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert f'action="/drafts/{draft.pk}/transitions/approve/"' not in page
    approved = client.post(f"/drafts/{draft.pk}/transitions/approve/", {})
    assert approved.status_code == 403
    assert INDEPENDENT in approved.content.decode()
    assert (state_of(draft), approvals(draft)) == ("review", 0)


def test_it_counts_an_image_upload_as_writing_the_round(personas, draft):
    upload = SimpleUploadedFile("a.png", make_image_bytes(), content_type="image/png")
    draft_images.draft_image_add(
        draft_id=draft.pk, actor=personas.manager, upload=upload, alt_text="A square", version=draft.version
    )
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    with pytest.raises(PermissionDenied, match=INDEPENDENT):
        draft_transition(draft_id=draft.pk, name="approve", actor=personas.manager)


# --- What stays allowed ---------------------------------------------------------------------------------------


def test_it_lets_a_reviewer_who_only_read_the_draft_approve_it(personas, draft):
    edit(draft, personas.contributor, "The author's words.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.manager)
    draft_transition(draft_id=draft.pk, name="approve", actor=personas.manager)
    assert state_of(draft) == "approved"


def test_it_judges_each_round_by_its_own_writers(personas, draft):
    """Round 1 was partly the reviewer's; round 2 is the author's rewrite, which the reviewer may approve."""
    edit(draft, personas.reviewer, "A suggestion, typed in.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    with pytest.raises(PermissionDenied, match=INDEPENDENT):
        draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.manager, comment="Rewrite it.")
    edit(draft, personas.contributor, "The author's own rewrite.")
    draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)

    draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    assert state_of(draft) == "approved"
