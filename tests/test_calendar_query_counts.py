"""The calendar's pages and endpoints run a fixed number of SQL queries however many posts, notes,
deadlines and approved drafts they show (the pattern of tests/test_query_counts.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafts.models import Draft
from drafts.planning.models import CalendarNote, Deadline, Pillar
from publishing.models import Publication
from tests.factories import advance, make_channel, make_draft


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count(client: Client, url: str, params: dict) -> int:
    client.get(url, params)  # warm the per-process caches (content types, permissions), as a server has
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(ctx.captured_queries)


def add_posts(personas, n: int, when, channel, pillar) -> None:
    for i in range(n):
        post = make_draft(personas.board, personas.contributor, title=f"Post {i}")
        post.pillars.add(pillar)
        state = "published" if i % 2 else "scheduled"
        Draft.objects.filter(pk=post.pk).update(state=state, publish_at=when + timedelta(hours=i))
        Publication.objects.create(draft=post, channel=channel, due_at=when + timedelta(hours=i), state="pending")
        Deadline.objects.create(draft=post, due_at=when - timedelta(hours=i + 1))
        approved = make_draft(personas.board, personas.contributor, title=f"Approved {i}")
        advance(approved, "approved", personas)
    CalendarNote.objects.create(board=personas.board, title=f"Note {n}", starts_on=when.date(), ends_on=when.date())


@pytest.mark.parametrize(
    ("url", "window"),
    [
        ("/calendar/events/", ("start", "end")),
        ("/api/calendar/", ("from", "to")),
        ("/calendar/", None),
        ("/boards/launch/calendar/", None),
    ],
)
def test_the_calendar_runs_the_same_queries_with_more_posts(personas, url, window):
    channel = make_channel(
        personas.board, "webhook", name="Hook", settings={"url": "http://127.0.0.1:9"}, credentials={"secret": "s"}
    )
    pillar = Pillar.objects.create(board=personas.board, name="Product", colour="#4f46e5")
    when = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    day = when.date()
    params = {window[0]: day - timedelta(days=3), window[1]: day + timedelta(days=4)} if window else {}
    client = logged_in(personas.manager)
    add_posts(personas, 1, when, channel, pillar)
    small = count(client, url, params)
    add_posts(personas, 8, when, channel, pillar)
    assert count(client, url, params) == small
