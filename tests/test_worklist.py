"""My work and the review queue: what shows for whom, filters and sort, overdue, reminders once per step,
and a fixed number of queries however long the history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contributors.notifications.models import Notification
from drafts.models import Draft, DraftState
from drafts.services import comment_create, draft_transition
from drafts.worklist import selectors
from drafts.worklist.services import reminders_send
from tests.factories import advance, make_draft


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url) -> tuple[int, object]:
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def in_review(personas, title, *, author=None, tags=None, waited_hours=0):
    draft = make_draft(personas.board, author or personas.contributor, title=title, tags=tags or [])
    draft_transition(draft_id=draft.pk, name="submit", actor=author or personas.contributor)
    if waited_hours:
        Draft.objects.filter(pk=draft.pk).update(state_since=timezone.now() - timedelta(hours=waited_hours))
    draft.refresh_from_db()
    return draft


def queue_titles(user, **params) -> list[str]:
    page = selectors.review_queue_page(user, selectors.queue_filters_parse(params))
    return [row.draft.title for row in page.rows]


# --- The queue ------------------------------------------------------------------------------------------------


def test_the_queue_lists_the_oldest_waiting_first_and_sorts_on_request(personas):
    in_review(personas, "Middle", waited_hours=10)
    in_review(personas, "Oldest", waited_hours=30)
    in_review(personas, "Newest", waited_hours=1)
    assert queue_titles(personas.reviewer) == ["Oldest", "Middle", "Newest"]
    assert queue_titles(personas.reviewer, sort="newest") == ["Newest", "Middle", "Oldest"]
    assert queue_titles(personas.reviewer, sort="title") == ["Middle", "Newest", "Oldest"]


def test_the_queue_filters_by_tag_author_waiting_and_state(personas):
    in_review(personas, "Tagged", tags=["launch"], waited_hours=60)
    in_review(personas, "Other tag", tags=["launched"], waited_hours=3)
    by_reviewer = in_review(personas, "By the reviewer", author=personas.reviewer, waited_hours=5)
    assert queue_titles(personas.reviewer, tag="launch") == ["Tagged"]
    assert queue_titles(personas.manager, author=str(personas.reviewer.pk)) == ["By the reviewer"]
    # Nobody reviews their own draft: the reviewer's is not in their queue, but is in the manager's.
    assert "By the reviewer" not in queue_titles(personas.reviewer)
    assert queue_titles(personas.reviewer, waiting="2d") == ["Tagged"]
    assert queue_titles(personas.reviewer, waiting="overdue") == ["Tagged"]  # 48 h by default
    draft_transition(draft_id=by_reviewer.pk, name="request_changes", actor=personas.manager, comment="Shorter.")
    page = selectors.review_queue_page(personas.manager, selectors.queue_filters_parse({"state": "changes"}))
    assert [(row.draft.title, row.reason) for row in page.rows] == [("By the reviewer", "Shorter.")]
    assert page.state_counts == {"review": 2, "approved": 0, "changes": 1}


def test_the_queue_says_approved_by_one_of_two(personas):
    personas.board.required_approvals = 2
    personas.board.save()
    draft = in_review(personas, "Needs two")
    draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    row = selectors.review_queue_page(personas.manager, selectors.QueueFilters()).rows[0]
    assert (row.approval_label, row.approved_by_me) == ("approved by 1 of 2", False)
    mine = selectors.review_queue_page(personas.reviewer, selectors.QueueFilters()).rows[0]
    assert mine.approved_by_me is True


def test_bad_filters_are_a_400_naming_the_filter(personas):
    client = client_for(personas.reviewer)
    for params in ("state=nope", "sort=up", "board=abc", "waiting=3y", "after=broken"):
        response = client.get(f"/api/review-queue/?{params}")
        assert response.status_code == 400, params
    assert client.get("/review/?board=abc").status_code == 400


def test_an_outsider_never_sees_another_boards_drafts(personas):
    in_review(personas, "Secret")
    assert client_for(personas.outsider).get("/api/review-queue/").json()["results"] == []
    assert b"Secret" not in client_for(personas.outsider).get("/review/").content
    assert b"Secret" not in client_for(personas.outsider).get("/").content


def test_the_api_pages_with_cursors_through_every_draft_once(personas):
    for n in range(7):
        in_review(personas, f"Draft {n}", waited_hours=10 - n)
    client = client_for(personas.reviewer)
    body = client.get("/api/review-queue/?page_size=3").json()
    titles = [item["title"] for item in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        titles += [item["title"] for item in body["results"]]
    assert titles == [f"Draft {n}" for n in range(7)]
    assert body["counts"]["review"] == 7


@pytest.mark.parametrize("url", ["/review/", "/api/review-queue/", "/"])
def test_the_queue_and_my_work_cost_the_same_queries_with_many_drafts(personas, url):
    reviewer = client_for(personas.reviewer)
    contributor = client_for(personas.contributor)
    in_review(personas, "One", waited_hours=50)
    small = count_queries(reviewer, url)[0], count_queries(contributor, url)[0]
    for n in range(12):
        draft = in_review(personas, f"More {n}", tags=["x"], waited_hours=n)
        comment_create(draft_id=draft.pk, author=personas.reviewer, body="A thought")
        if n % 3 == 0:
            draft_transition(draft_id=draft.pk, name="request_changes", actor=personas.reviewer, comment="Why?")
        elif n % 3 == 1:
            draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    large = count_queries(reviewer, url)[0], count_queries(contributor, url)[0]
    assert large == small


# --- My work --------------------------------------------------------------------------------------------------


def test_my_work_puts_a_sent_back_draft_and_open_comments_first(personas):
    sent_back = in_review(personas, "Sent back")
    draft_transition(draft_id=sent_back.pk, name="request_changes", actor=personas.reviewer, comment="Add pricing.")
    talked = make_draft(personas.board, personas.contributor, title="Talked about")
    comment_create(draft_id=talked.pk, author=personas.reviewer, body="Could we add a quote?")
    comment_create(draft_id=talked.pk, author=personas.contributor, body="My own note")
    work = selectors.my_work(personas.contributor)
    assert [(d.title, d.reason) for d in work.sent_back] == [("Sent back", "Add pricing.")]
    assert [(d.title, d.open_comments) for d in work.commented] == [("Talked about", 1)]
    assert {group.name: group.count for group in work.states} == {"changes": 1, "draft": 1}
    page = client_for(personas.contributor).get("/").content.decode()
    assert page.index("Needs your attention") < page.index("Add pricing.") < page.index("My drafts")


def test_my_work_shows_the_reviewer_what_waits_and_marks_it_overdue(personas):
    in_review(personas, "Waiting long", waited_hours=49)
    page = client_for(personas.reviewer).get("/").content.decode()
    assert "Waiting long" in page
    assert "Overdue" in page
    assert "approved by 0 of 1" in page


def test_anonymous_is_sent_to_sign_in_and_the_brand_leads_to_my_work(personas, client):
    assert client.get("/").status_code == 302
    assert "/login/" in client.get("/")["Location"]
    page = client_for(personas.contributor).get("/boards/").content.decode()
    assert 'class="brand" href="/"' in page


# --- Overdue and reminders ------------------------------------------------------------------------------------


def reminders(source_part: str) -> list[tuple[str, str]]:
    return sorted(
        (n.recipient.username, n.source)
        for n in Notification.objects.filter(kind="reminder", source__contains=source_part).select_related("recipient")
    )


def test_reminders_go_to_reviewers_then_managers_once_each(personas):
    draft = in_review(personas, "Slow")
    submitted = draft.state_since
    due = submitted + timedelta(hours=personas.board.review_due_hours)
    assert reminders_send(now=due - timedelta(minutes=1))["review_reviewers"] == 0
    assert not selectors.is_overdue(draft, now=due - timedelta(minutes=1))
    assert selectors.is_overdue(draft, now=due)

    reminders_send(now=due)
    reviewers_step = f"reminder:review:{draft.pk}:1:reviewers"
    assert reminders(f":{draft.pk}:") == [
        (personas.manager.username, reviewers_step),
        (personas.reviewer.username, reviewers_step),
    ]  # the author (the contributor) is never reminded to review their own draft
    reminders_send(now=due + timedelta(hours=1))
    assert len(reminders(f":{draft.pk}:")) == 2  # once per step

    escalation = due + timedelta(hours=personas.board.review_due_hours)
    reminders_send(now=escalation)
    reminders_send(now=escalation + timedelta(hours=5))
    assert (personas.manager.username, f"reminder:review:{draft.pk}:1:managers") in reminders(f":{draft.pk}:")
    assert len(reminders(f":{draft.pk}:")) == 3


def test_the_board_setting_moves_the_due_time(personas):
    draft = in_review(personas, "Quick board")
    client_for(personas.manager).post("/boards/launch/settings/", {"review_due_hours": "2"})
    personas.board.refresh_from_db()
    assert personas.board.review_due_hours == 2
    assert selectors.is_overdue(draft, now=draft.state_since + timedelta(hours=2), board=personas.board)
    assert client_for(personas.manager).post("/boards/launch/settings/", {"review_due_hours": "0"}).status_code == 400
    personas.board.refresh_from_db()
    assert personas.board.review_due_hours == 2


def test_managers_are_reminded_of_approved_drafts_not_scheduled(personas, settings):
    settings.WORKLIST_APPROVED_DUE_HOURS = 24
    draft = in_review(personas, "Approved, waiting")
    draft_transition(draft_id=draft.pk, name="approve", actor=personas.reviewer)
    draft.refresh_from_db()
    assert draft.state == DraftState.APPROVED
    reminders_send(now=draft.state_since + timedelta(hours=23))
    assert reminders("approved") == []
    reminders_send(now=draft.state_since + timedelta(hours=24))
    reminders_send(now=draft.state_since + timedelta(hours=30))
    assert reminders("approved") == [(personas.manager.username, f"reminder:approved:{draft.pk}:1:managers")]


def test_managers_are_reminded_of_a_scheduled_post_whose_preflight_failed(personas):
    from publishing.models import Publication
    from tests.factories import make_channel

    make_channel(
        personas.board,
        "webhook",
        name="Hook",
        settings={"url": "https://hooks.example.com/in"},
        credentials={"secret": "s"},
    )
    draft = make_draft(personas.board, personas.contributor, title="Going out")
    advance(draft, "scheduled", personas)
    publication = Publication.objects.get(draft=draft)
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(preflight_at=now, preflight_problem="The token expired.")
    reminders_send(now=now)
    reminders_send(now=now + timedelta(minutes=10))
    made = Notification.objects.filter(kind="reminder", source__startswith="reminder:preflight:")
    assert [(n.recipient.username, n.body) for n in made] == [(personas.manager.username, "The token expired.")]
