"""Threads on a draft: replies one level deep, resolve and reopen (who may, who did and when), Markdown, API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from contributors.services import board_role_revoke
from drafts import rules
from drafts.models import DraftComment
from drafts.services import comment_create, comment_resolve, draft_coauthors_set
from tests.factories import make_draft, member


@pytest.fixture
def thread(personas, draft):
    return comment_create(draft_id=draft.pk, author=personas.reviewer, body="Shorter?", quote="markdown")


def test_a_reply_joins_its_thread_and_a_reply_to_a_reply_the_same_thread(personas, draft, thread):
    reply = comment_create(draft_id=draft.pk, author=personas.contributor, body="Done.", parent_id=thread.pk)
    nested = comment_create(draft_id=draft.pk, author=personas.reviewer, body="Thanks", parent_id=reply.pk)
    assert reply.parent == thread
    assert nested.parent == thread
    assert list(thread.replies.order_by("id")) == [reply, nested]


def test_a_reply_takes_no_passage_of_its_own(personas, draft, thread):
    with pytest.raises(ValidationError):
        comment_create(draft_id=draft.pk, author=personas.reviewer, body="x", parent_id=thread.pk, quote="Some")


def test_a_reply_to_a_comment_of_another_draft_is_404(personas, draft, thread):
    other = make_draft(personas.board, personas.contributor, title="Other")
    with pytest.raises(Http404):
        comment_create(draft_id=other.pk, author=personas.reviewer, body="x", parent_id=thread.pk)


@pytest.mark.parametrize("persona", ["contributor", "reviewer", "manager", "admin"])
def test_the_draft_author_reviewers_and_managers_resolve_and_reopen(personas, draft, thread, persona):
    user = getattr(personas, persona)
    resolved = comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=user)
    assert resolved.resolved_by == user
    assert resolved.resolved_at is not None
    reopened = comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=user, resolved=False)
    assert (reopened.resolved_at, reopened.resolved_by) == (None, None)


def test_resolving_twice_keeps_who_resolved_first(personas, draft, thread):
    first = comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=personas.contributor)
    again = comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=personas.manager)
    assert (again.resolved_by, again.resolved_at) == (personas.contributor, first.resolved_at)


def test_a_reply_is_resolved_with_its_thread_not_alone(personas, draft, thread):
    reply = comment_create(draft_id=draft.pk, author=personas.contributor, body="Ok", parent_id=thread.pk)
    with pytest.raises(ValidationError):
        comment_resolve(draft_id=draft.pk, comment_id=reply.pk, actor=personas.reviewer)


def test_people_who_cannot_see_the_draft_cannot_resolve(personas, draft, thread):
    with pytest.raises(Http404):
        comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=personas.outsider)


def test_the_rule_refuses_anyone_who_is_not_the_comments_author_a_draft_author_or_a_reviewer(personas, draft):
    """Through pages and API only those people can see a draft today, so the rule is checked directly too."""
    coauthor = member(personas.board, "contributor")
    other = member(personas.board, "contributor")
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[coauthor.pk])
    comment = comment_create(draft_id=draft.pk, author=coauthor, body="My note")
    assert rules.can_resolve_comment(comment, coauthor)
    assert not rules.can_resolve_comment(comment, other)
    # The comment's author keeps the right after being taken off the draft; they can no longer see it though.
    draft_coauthors_set(draft_id=draft.pk, actor=personas.contributor, coauthor_ids=[])
    comment.draft.refresh_from_db()
    assert rules.can_resolve_comment(DraftComment.objects.get(pk=comment.pk), coauthor)


def test_a_reviewer_who_lost_the_role_is_refused(personas, draft, thread):
    reviewer = member(personas.board, "reviewer")
    comment = comment_create(draft_id=draft.pk, author=personas.contributor, body="Question")
    board_role_revoke(board=personas.board, user=reviewer, actor=personas.manager)
    with pytest.raises((Http404, PermissionDenied)):
        comment_resolve(draft_id=draft.pk, comment_id=comment.pk, actor=reviewer)


def test_the_page_shows_markdown_replies_and_who_resolved(personas, draft, thread, client):
    comment_create(draft_id=draft.pk, author=personas.contributor, body="Made it **shorter**.", parent_id=thread.pk)
    comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=personas.contributor)
    client.force_login(personas.reviewer)
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "Made it <strong>shorter</strong>." in page
    assert "Resolved by" in page
    assert f'id="comment-{thread.pk}"' in page
    assert f'data-anchor-start="{len("Some ")}"' in page
    assert "Reopen" in page


def test_the_page_resolves_and_reopens_with_a_plain_form(personas, draft, thread, client):
    client.force_login(personas.contributor)
    url = f"/drafts/{draft.pk}/comments/{thread.pk}/resolve/"
    response = client.post(url, {"resolved": "1"})
    assert response.status_code == 302
    assert DraftComment.objects.get(pk=thread.pk).resolved_by == personas.contributor
    client.post(url, {"resolved": "0"})
    assert DraftComment.objects.get(pk=thread.pk).resolved_at is None
    assert client.post(url, {"resolved": "maybe"}).status_code == 400


def test_the_page_posts_a_comment_on_a_passage(personas, draft, client):
    client.force_login(personas.reviewer)
    response = client.post(
        f"/drafts/{draft.pk}/comments/",
        {"body": "Bold?", "quote": "markdown", "prefix": "Some ", "suffix": " body.", "position": "5"},
    )
    comment = DraftComment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert (comment.quote, comment.prefix, comment.suffix, comment.position) == ("markdown", "Some ", " body.", 5)
    refused = client.post(f"/drafts/{draft.pk}/comments/", {"body": "?", "quote": "not there"})
    assert refused.status_code == 400
    assert "not in the draft" in refused.content.decode()


# --- API ---------------------------------------------------------------------------------------------------


def test_the_api_lists_threads_with_anchors_and_replies(personas, draft, thread, api_client_for):
    comment_create(draft_id=draft.pk, author=personas.contributor, body="Done", parent_id=thread.pk)
    comment_create(draft_id=draft.pk, author=personas.contributor, body="Whole draft")
    body = api_client_for("reviewer").get(f"/api/drafts/{draft.pk}/comments/").json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["quote"] == "markdown"
    assert first["anchor"] == {"status": "exact", "start": 5, "end": 13}
    assert first["revision"] == 1
    assert [reply["body"] for reply in first["replies"]] == ["Done"]
    assert second["anchor"] is None
    assert second["quote"] == ""


def test_the_api_creates_replies_and_resolves(personas, draft, thread, api_client_for):
    api = api_client_for("contributor")
    created = api.post(f"/api/drafts/{draft.pk}/comments/", {"body": "On this", "quote": "body"}, format="json")
    assert created.status_code == 201
    assert created.json()["anchor"]["status"] == "exact"
    replied = api.post(f"/api/drafts/{draft.pk}/comments/{thread.pk}/replies/", {"body": "Ok"}, format="json")
    assert replied.status_code == 201
    assert replied.json()["id"] == thread.pk
    assert [r["body"] for r in replied.json()["replies"]] == ["Ok"]
    resolved = api.post(f"/api/drafts/{draft.pk}/comments/{thread.pk}/resolve/")
    assert resolved.status_code == 200
    assert (resolved.json()["resolved"], resolved.json()["resolved_by"]) == (True, "contributor")
    reopened = api.post(f"/api/drafts/{draft.pk}/comments/{thread.pk}/reopen/")
    assert reopened.json()["resolved"] is False


def test_the_api_refuses_bad_comments_with_field_messages(personas, draft, thread, api_client_for):
    api = api_client_for("reviewer")
    missing = api.post(f"/api/drafts/{draft.pk}/comments/", {"body": "x", "quote": "nowhere"}, format="json")
    assert missing.status_code == 400
    assert "quote" in missing.json()
    empty = api.post(f"/api/drafts/{draft.pk}/comments/{thread.pk}/replies/", {"body": "  "}, format="json")
    assert empty.status_code == 400
    unknown = api.post(f"/api/drafts/{draft.pk}/comments/999999/replies/", {"body": "x"}, format="json")
    assert unknown.status_code == 404


def test_the_schema_documents_the_comment_endpoints(personas, api_client_for):
    schema = api_client_for("reviewer").get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/drafts/{id}/comments/{comment_id}/replies/"]
    assert "post" in paths["/api/drafts/{id}/comments/{comment_id}/resolve/"]
    assert "post" in paths["/api/drafts/{id}/comments/{comment_id}/reopen/"]
    comment = schema["components"]["schemas"]["DraftComment"]["properties"]
    assert {"quote", "prefix", "suffix", "anchor", "resolved", "resolved_by", "replies"} <= set(comment)
