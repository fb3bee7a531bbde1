"""The demo has calendar notes on both boards and a deadline on the Launch draft in review; a second run
changes nothing."""

from io import StringIO

from django.core.management import call_command

from drafts.models import DraftEvent
from drafts.planning.models import CalendarNote, Deadline


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_notes_and_a_deadline_and_is_idempotent(db):
    seed()
    titles = set(CalendarNote.objects.values_list("board__slug", "title"))
    assert {
        ("launch", "Product launch week"),
        ("launch", "Office closed for the holidays"),
        ("community", "Customer stories month"),
    } <= titles
    deadline = Deadline.objects.select_related("draft").get()
    assert deadline.draft.state == "review"
    assert deadline.draft.board.slug == "launch"
    counts = (CalendarNote.objects.count(), Deadline.objects.count(), DraftEvent.objects.count())
    seed()
    assert (CalendarNote.objects.count(), Deadline.objects.count(), DraftEvent.objects.count()) == counts
