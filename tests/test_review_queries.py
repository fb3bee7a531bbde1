"""The review page and the comment API run a fixed number of queries, however many comments, replies,
revisions and events a draft has."""

import pytest

from drafts.models import DraftComment
from drafts.services import comment_create, draft_transition, draft_update
from tests.factories import advance
from tests.test_query_counts import assert_same_count, logged_in, measure


def grow(draft, personas, rounds: int) -> None:
    """`rounds` review rounds: edits (revisions), steps (events), threads on passages with replies, resolved ones."""
    for n in range(rounds):
        draft.refresh_from_db()
        if draft.state == "review":
            draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment=f"Round {n}")
            draft.refresh_from_db()
        draft_update(
            draft_id=draft.pk, actor=personas.contributor, version=draft.version, body=f"Some **markdown** body {n}."
        )
        draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
        thread = comment_create(draft_id=draft.pk, author=personas.reviewer, body=f"On **this** {n}", quote="markdown")
        for author in (personas.contributor, personas.manager):
            comment_create(draft_id=draft.pk, author=author, body="Reply", parent_id=thread.pk)
        whole = comment_create(draft_id=draft.pk, author=personas.manager, body=f"Overall {n}")
        DraftComment.objects.filter(pk=whole.pk).update(resolved_by=personas.reviewer)


@pytest.mark.parametrize("persona", ["reviewer", "contributor", "manager"])
def test_the_review_page_runs_a_fixed_number_of_queries(personas, draft, persona):
    advance(draft, "review", personas)
    grow(draft, personas, 1)
    client = logged_in(getattr(personas, persona))
    url = f"/drafts/{draft.pk}/"
    small = measure(client, url)
    grow(draft, personas, 6)
    large = measure(client, url)
    assert_same_count(small, large)
    page = large[2].content.decode()
    assert page.count('<article class="thread') == 7 * 2
    assert page.count("Round ") >= 6


def test_the_comment_api_lists_threads_with_a_fixed_number_of_queries(personas, draft):
    advance(draft, "review", personas)
    grow(draft, personas, 1)
    client = logged_in(personas.reviewer)
    url = f"/api/drafts/{draft.pk}/comments/?page_size=200"
    small = measure(client, url)
    grow(draft, personas, 6)
    large = measure(client, url)
    assert_same_count(small, large)
    results = large[2].json()["results"]
    assert len(results) == 14
    assert sum(len(thread["replies"]) for thread in results) == 14


def test_the_comparison_page_runs_a_fixed_number_of_queries(personas, draft):
    advance(draft, "review", personas)
    grow(draft, personas, 1)
    client = logged_in(personas.reviewer)
    url = f"/drafts/{draft.pk}/diff/"
    small = measure(client, url)
    grow(draft, personas, 6)
    large = measure(client, url)
    assert_same_count(small, large)
