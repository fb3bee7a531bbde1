"""Calendar notes, the deadline panel, the schedule form's best-time hint and the calendar feed card in Chromium at
1366 and 390 px (axe, no sideways scrolling, no console error, screenshots); a note added with the keyboard only,
and a deadline set through the panel (htmx)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from drafts.models import Draft
from drafts.planning.models import CalendarNote, Deadline
from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]


def test_a_manager_adds_a_note_with_the_keyboard(open_as, live_server):
    page, console = open_as("manager")
    response = page.goto(f"{live_server.url}/boards/launch/calendar/notes/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Calendar notes"
    assert page.locator(".row-title", has_text="Product launch week").count() == 1
    check_page(page, "calendar-notes", console)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("h1").click()
    tab_to(page, "#id_title")
    page.keyboard.type("Summer campaign")
    page.keyboard.press("Tab")
    day = timezone.localdate() + timedelta(days=20)
    # A date box takes its parts in the browser's order (en-US: month, day, year).
    page.keyboard.type(day.strftime("%m%d%Y"))
    assert page.locator("#id_starts_on").input_value() == day.isoformat()
    last = day + timedelta(days=6)
    tab_to(page, "#id_ends_on")
    page.keyboard.type(last.strftime("%m%d%Y"))
    tab_to(page, "form button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    page.locator(".row-title", has_text="Summer campaign").wait_for()
    assert "Summer campaign" in page.locator("#toasts").inner_text()
    note = CalendarNote.objects.get(title="Summer campaign")
    assert (note.starts_on, note.ends_on) == (day, last)
    assert page.locator(f"#note-{note.pk}").count() == 1


def test_a_wrong_note_shows_its_errors(open_as, live_server):
    page, console = open_as("reviewer")
    page.goto(f"{live_server.url}/boards/launch/calendar/notes/")
    page.locator("button.btn-primary", has_text="Add note").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors").count() == 1
    assert "Give the note a title" in page.locator(".form-errors").inner_text()
    # The refused form is answered 400, which the browser logs; that one is expected.
    console.errors = [error for error in console.errors if "status of 400" not in error]
    check_page(page, "calendar-notes-errors", console)


def test_a_contributor_reads_the_notes(open_as, live_server):
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/boards/launch/calendar/notes/")
    assert page.locator("#new-note-title").count() == 0
    check_page(page, "calendar-notes-contributor", console)


def test_the_deadline_panel_and_the_best_times_hint(open_as, live_server):
    page, console = open_as("reviewer")
    draft = Draft.objects.get(title="Behind the scenes: building the launch video")
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    panel = page.locator("#deadline-panel")
    assert "Due for review" in panel.inner_text()
    check_page(page, "draft-deadline", console)
    # axe leaves empty style attributes behind, which htmx would copy onto the swapped panel (a CSP refusal
    # that real pages never meet): start again from a fresh page.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    panel.locator("summary").click()
    due = timezone.localtime(timezone.now() + timedelta(days=4)).replace(hour=15, minute=30)
    page.locator("#id_due_at").fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_label").fill("Legal sign-off")
    panel.locator("button", has_text="Save deadline").click()
    page.locator("#deadline-panel strong", has_text="Legal sign-off").wait_for()
    assert Deadline.objects.get(draft=draft).label == "Legal sign-off"
    console.assert_none()

    page, console = open_as("manager")
    approved = Draft.objects.get(title="Why we built the planner")
    page.goto(f"{live_server.url}/drafts/{approved.pk}/")
    assert "(common defaults)" in page.locator(".best-times").inner_text()
    check_page(page, "draft-schedule-best-times", console)


def test_the_profile_shows_the_calendar_feed(open_as, live_server):
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/profile/")
    address = page.locator("#calendar-feed-url").input_value()
    assert address.endswith(".ics")
    assert "/calendar/feed/" in address
    check_page(page, "profile-calendar-feed", console)
