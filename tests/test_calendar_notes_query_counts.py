"""The calendar notes page and the notes API run a fixed number of queries however many notes there are."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from contributors.models import User
from drafts.planning.models import CalendarNote
from drafts.planning.note_selectors import board_today
from tests.factories import UserFactory
from tests.test_query_counts import assert_same_count, logged_in, measure


def add_notes(board, authors: list[User], count: int, start: int) -> None:
    today = board_today(board)
    CalendarNote.objects.bulk_create(
        [
            CalendarNote(
                board=board,
                title=f"Note {start + i}",
                body="About it.",
                starts_on=today + timedelta(days=i),
                ends_on=today + timedelta(days=i + i % 3),
                author=authors[i % len(authors)],
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize("persona", ["contributor", "manager"])
def test_the_notes_page_is_flat(personas, persona):
    authors = [personas.manager, personas.reviewer, UserFactory()]
    client = logged_in(getattr(personas, persona))
    url = f"/boards/{personas.board.slug}/calendar/notes/"
    add_notes(personas.board, authors, 2, 0)
    small = measure(client, url)
    add_notes(personas.board, authors, 30, 100)
    add_notes(personas.other_board, authors, 5, 500)
    large = measure(client, url)
    assert_same_count(small, large)
    assert "Note 129" in large[2].content.decode()


def test_the_notes_api_is_flat(personas):
    authors = [personas.manager, personas.reviewer, UserFactory()]
    client = APIClient()
    client.force_login(personas.contributor)
    url = f"/api/boards/{personas.board.pk}/notes/"
    add_notes(personas.board, authors, 2, 0)
    small = measure(client, url)
    add_notes(personas.board, authors, 30, 100)
    large = measure(client, url)
    assert_same_count(small, large)
    assert len(large[2].json()["results"]) == 32
