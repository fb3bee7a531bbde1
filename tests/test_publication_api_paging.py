"""GET /api/publications/ pages from the row next to the page, latest due first: no COUNT, no OFFSET, and
no draft body read for a list, however long a board's history grows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing.models import Publication
from tests.factories import make_channel, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(personas):
    """25 publications, one a minute, on 25 drafts of one webhook channel."""
    channel = make_channel(
        personas.board,
        "webhook",
        name="Site hook",
        settings={"url": "http://127.0.0.1:9/"},
        credentials={"secret": "s"},
    )
    start = timezone.now()
    return [
        Publication.objects.create(
            draft=make_draft(personas.board, personas.contributor, title=f"Post {n}", body=f"SECRET BODY {n}"),
            channel=channel,
            due_at=start + timedelta(minutes=n),
        ).pk
        for n in range(25)
    ]


def test_pages_follow_next_links_latest_first_with_every_row_once(history, api_client_for):
    client = api_client_for("reviewer")
    seen, url = [], "/api/publications/?page_size=10"
    while url:
        page = client.get(url).json()
        assert "count" not in page
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == list(reversed(history))


def test_a_page_is_read_without_count_offset_or_draft_bodies(history, api_client_for):
    client = api_client_for("reviewer")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/publications/?page_size=10").status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries).upper()
    assert "COUNT(" not in sql
    assert "OFFSET" not in sql
    assert '"DRAFTS_DRAFT"."BODY"' not in sql
    assert '"PUBLISHING_CHANNEL"."CREDENTIALS' not in sql
