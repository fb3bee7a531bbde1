"""The draft page shows every open comment thread and only the latest resolved ones; older resolved threads are
on a page of their own, a page at a time. Opening a draft with a long settled discussion costs no more queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafts.selectors import RESOLVED_SHOWN, comment_threads_shown, resolved_threads_page
from drafts.services import comment_create, comment_resolve

pytestmark = pytest.mark.django_db


def threads(draft, user, count: int, *, resolved: bool, label: str) -> list[int]:
    made = []
    for n in range(count):
        thread = comment_create(draft_id=draft.pk, author=user, body=f"{label} {n}")
        comment_create(draft_id=draft.pk, author=user, body=f"reply to {label} {n}", parent_id=thread.pk)
        if resolved:
            comment_resolve(draft_id=draft.pk, comment_id=thread.pk, actor=user)
        made.append(thread.pk)
    return made


def test_the_page_shows_open_threads_and_the_latest_resolved(draft, personas, client):
    reviewer = personas.reviewer
    resolved = threads(draft, reviewer, RESOLVED_SHOWN + 3, resolved=True, label="settled")
    still_open = threads(draft, reviewer, 2, resolved=False, label="open")
    shown, left_out = comment_threads_shown(draft)
    assert left_out == 3
    assert [t.pk for t in shown] == sorted([*resolved[-RESOLVED_SHOWN:], *still_open])  # in the order written

    client.force_login(reviewer)
    response = client.get(reverse("draft-detail", args=[draft.pk]))
    page = response.content.decode()
    assert "3 older resolved comments" in page
    assert "settled 0" not in page
    assert f"settled {RESOLVED_SHOWN + 2}" in page


def test_the_resolved_threads_page_goes_back_a_page_at_a_time(draft, personas, client):
    resolved = threads(draft, personas.reviewer, 7, resolved=True, label="settled")
    first = resolved_threads_page(draft, size=3)
    assert [t.pk for t in first.rows] == resolved[::-1][:3]  # the latest resolved first
    second = resolved_threads_page(draft, size=3, after=first.after)
    assert [t.pk for t in second.rows] == resolved[::-1][3:6]
    assert all(len(t.replies.all()) == 1 for t in second.rows)

    client.force_login(personas.contributor)
    response = client.get(reverse("draft-resolved-comments", args=[draft.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert all(f"settled {n}" in text for n in range(7))
    assert "Reopen" in text  # the draft's author may reopen them


def test_opening_the_draft_costs_the_same_with_many_resolved_threads(draft, personas, client):
    client.force_login(personas.reviewer)
    url = reverse("draft-detail", args=[draft.pk])
    threads(draft, personas.reviewer, RESOLVED_SHOWN + 1, resolved=True, label="a")
    client.get(url)  # warm caches outside the counts
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    threads(draft, personas.reviewer, 40, resolved=True, label="b")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count('class="thread is-resolved') == RESOLVED_SHOWN
