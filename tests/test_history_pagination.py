"""Nothing grows with history: the publication log, a draft's history and the board list are read a page
at a time (keyset: from the row next to the page, no OFFSET, no COUNT), in a number of queries that does not
depend on how many rows there are."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocreate.keyset import BROKEN_CURSOR, decode_cursor, encode_cursor
from publishing.models import Publication, PublicationState
from publishing.selectors import publication_log_page
from tests.factories import make_channel, make_draft

SECRET = "stand-in-signing-secret"


def hook(board, name):
    return make_channel(
        board, "webhook", name=name, settings={"url": "http://127.0.0.1:9/"}, credentials={"secret": SECRET}
    )


def fill_log(board, author, channels, count: int, *, start=None) -> None:
    """`count` publications spread over the channels, one draft each; some share a due time (ties by id)."""
    start = start or timezone.now()
    drafts = [make_draft(board, author, title=f"Post {n}") for n in range(count)]
    Publication.objects.bulk_create(
        [
            Publication(
                draft=d,
                channel=channels[n % len(channels)],
                due_at=start - timedelta(minutes=n // 2),
                state=PublicationState.FAILED if n % 3 == 0 else PublicationState.PUBLISHED,
            )
            for n, d in enumerate(drafts)
        ]
    )


def walk(board, channels, *, size, **filters) -> list[int]:
    seen, after = [], None
    while True:
        page = publication_log_page(board, channels=channels, size=size, after=after, **filters)
        seen += [p.pk for p in page.rows]
        if not page.after:
            return seen
        after = page.after


def expected(board, **filters) -> list[int]:
    return list(
        Publication.objects.filter(draft__board=board, **filters)
        .order_by("-due_at", "-id")
        .values_list("pk", flat=True)
    )


def test_the_log_walks_every_row_once_latest_due_first(personas):
    channels = [hook(personas.board, "A"), hook(personas.board, "B"), hook(personas.board, "C")]
    fill_log(personas.board, personas.contributor, channels, 23)
    assert walk(personas.board, channels, size=5) == expected(personas.board)
    failed = walk(personas.board, channels, size=4, state="failed")
    assert failed == expected(personas.board, state="failed")
    assert walk(personas.board, channels, size=3, channel_id=channels[1].pk) == expected(
        personas.board, channel=channels[1]
    )


def test_the_log_walks_back_to_the_page_it_came_from(personas):
    channels = [hook(personas.board, "A"), hook(personas.board, "B")]
    fill_log(personas.board, personas.contributor, channels, 12)
    first = publication_log_page(personas.board, channels=channels, size=5)
    second = publication_log_page(personas.board, channels=channels, size=5, after=first.after)
    assert first.before is None
    assert second.before is not None
    back = publication_log_page(personas.board, channels=channels, size=5, before=second.before)
    assert [p.pk for p in back.rows] == [p.pk for p in first.rows]
    assert back.before is None  # the start again
    assert back.after == first.after


def test_the_log_page_keeps_its_filters_in_the_pager_links(personas, web_client_for):
    channels = [hook(personas.board, "A")]
    fill_log(personas.board, personas.contributor, channels, 90)  # 60 published: more than a page
    client = web_client_for("manager")
    page = client.get(f"/boards/launch/publications/?state=published&channel={channels[0].pk}").content.decode()
    older = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', page).group(1).replace("&amp;", "&")
    assert "state=published" in older
    assert f"channel={channels[0].pk}" in older
    second = client.get("/boards/launch/publications/" + older)
    assert second.status_code == 200
    assert b'rel="prev"' in second.content


def test_a_broken_cursor_is_a_clear_400(personas, web_client_for):
    response = web_client_for("manager").get("/boards/launch/publications/?after=not-a-cursor")
    assert response.status_code == 400
    assert "broken or out of date" in response.content.decode()


# A fixed time: a parameter computed from the clock would differ between pytest-xdist's workers' collections.
@pytest.mark.parametrize(
    "cursor",
    ["", "e30", encode_cursor("text", 1), encode_cursor(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), 0)],
)
def test_a_cursor_must_hold_a_time_and_an_id(cursor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=BROKEN_CURSOR[:20]):
        decode_cursor(cursor, key_is_time=True)


def test_the_log_page_costs_the_same_queries_with_ten_times_the_history(personas, web_client_for):
    channels = [hook(personas.board, "A"), hook(personas.board, "B")]
    client = web_client_for("manager")
    path = "/boards/launch/publications/"
    fill_log(personas.board, personas.contributor, channels, 6)
    client.get(path)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    fill_log(personas.board, personas.contributor, channels, 60, start=timezone.now() - timedelta(days=1))
    with CaptureQueriesContext(connection) as many:
        assert client.get(path + "?state=failed").status_code == 200
    assert len(many) == len(few)
    log_queries = [q["sql"] for q in many.captured_queries if "publishing_publication" in q["sql"]]
    assert len(log_queries) == 1
    assert "OFFSET" not in log_queries[0]
    assert "COUNT(" not in log_queries[0]
    assert '"drafts_draft"."body"' not in log_queries[0]  # only the columns the log shows


# --- The board list -----------------------------------------------------------------------------------


def add_boards(user, count: int, prefix: str) -> None:
    from contributors.services import board_role_grant
    from tests.factories import BoardFactory

    for n in range(count):
        board_role_grant(board=BoardFactory(name=f"{prefix} {n:03}"), user=user, role="contributor")


def test_the_board_list_walks_every_board_once_by_name(personas, web_client_for, api_client_for):
    from contributors.selectors import board_list_page

    add_boards(personas.contributor, 11, "Zebra")
    add_boards(personas.contributor, 11, "Apple")
    names, after = [], None
    while True:
        page = board_list_page(personas.contributor, size=4, after=after)
        names += [board.name for board in page.rows]
        if not page.after:
            break
        after = page.after
    assert names == sorted(names)
    assert len(names) == len(set(names)) == 23  # and Launch

    api = api_client_for("contributor")
    body = api.get("/api/boards/?page_size=10").json()
    listed = [board["name"] for board in body["results"]]
    while body["next"]:
        body = api.get(body["next"]).json()
        listed += [board["name"] for board in body["results"]]
    assert listed == names


def test_the_board_list_page_shows_a_page_and_a_next_link(personas, web_client_for):
    add_boards(personas.contributor, 55, "Board")
    page = web_client_for("contributor").get("/boards/").content.decode()
    assert page.count('class="card card--link board-card"') == 50
    assert 'rel="next"' in page


@pytest.mark.parametrize("path", ["/boards/", "/api/boards/"])
def test_the_board_list_costs_the_same_queries_with_ten_times_the_boards(
    personas, web_client_for, api_client_for, path
):
    client = web_client_for("contributor") if path == "/boards/" else api_client_for("contributor")
    client.get(path)  # warm per-process caches
    add_boards(personas.contributor, 5, "Few")
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_boards(personas.contributor, 60, "Many")
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)
    assert not [q for q in many.captured_queries if "COUNT(" in q["sql"] and "contributors_board" in q["sql"]]


# --- A draft's history ---------------------------------------------------------------------------------


def add_events(draft, actor, count: int) -> None:
    from drafts.models import DraftEvent

    DraftEvent.objects.bulk_create(
        [
            DraftEvent(draft=draft, actor=actor, transition="submit", target="review", comment=f"Event {n}")
            for n in range(count)
        ]
    )


def test_the_draft_page_shows_the_latest_events_and_a_link_to_older_ones(personas, draft, web_client_for):
    add_events(draft, personas.contributor, 30)
    client = web_client_for("contributor")
    page = client.get(f"/drafts/{draft.pk}/").content.decode()
    assert "Event 29" in page
    assert "Event 10" in page
    assert "Event 9<" not in page
    link = re.search(r'<a class="btn btn-ghost btn-sm" href="([^"]+)"\s+hx-get="[^"]+"', page).group(1)
    older = client.get(link.replace("&amp;", "&"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in older  # the fragment htmx swaps in for the link
    assert "Event 9<" in older
    assert "Event 0<" in older
    assert "Event 10<" not in older
    assert older.count("<li>") == 11  # and the creation event, the oldest
    assert "Show older events" not in older
    whole = client.get(link.replace("&amp;", "&")).content.decode()
    assert "<html" in whole  # without JavaScript: a page of its own
    assert 'rel="prev"' in whole


def test_the_draft_page_costs_the_same_queries_with_many_more_events(personas, draft, web_client_for):
    client = web_client_for("reviewer")
    path = f"/drafts/{draft.pk}/"
    client.get(path)  # warm per-process caches
    add_events(draft, personas.contributor, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_events(draft, personas.reviewer, 200)
    with CaptureQueriesContext(connection) as many:
        page = client.get(path).content.decode()
    assert len(many) == len(few)
    assert page.count("<blockquote>Event") == 20


def test_the_history_page_costs_the_same_queries_with_many_more_events(personas, draft, web_client_for):
    client = web_client_for("reviewer")
    path = f"/drafts/{draft.pk}/history/"
    client.get(path)
    add_events(draft, personas.contributor, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add_events(draft, personas.reviewer, 200)
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)
