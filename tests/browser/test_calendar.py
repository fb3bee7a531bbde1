"""The calendar in Chromium on the demo's month of posts: month and week views, a post dragged to another day
(it stays there), a drag into the past snapped back with the reason, an approved draft dragged from the sidebar
(scheduled at 09:00 that day), a post moved with the keyboard; axe at 1366 and 390 px, the list view at 390
px without sideways scrolling, and nothing refused by the Content-Security-Policy (a console error)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from contributors.models import Board
from drafts.models import Draft
from drafts.planning.models import CalendarNote, Deadline
from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]


def open_calendar(open_as, live_server, path="/boards/launch/calendar/"):
    page, console = open_as("manager")
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    page.wait_for_selector(".fc-event.cal-post")
    return page, console


def board_today() -> date:
    from django.utils import timezone

    return timezone.now().astimezone(ZoneInfo(Board.objects.get(slug="launch").time_zone)).date()


def local(draft: Draft):
    return draft.publish_at.astimezone(ZoneInfo(draft.board.time_zone))


def drag(page, source, target) -> None:
    """A person's drag: press, move in steps (FullCalendar waits for a few pixels of movement), release."""
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + 8, start["y"] + 6)
    page.mouse.down()
    page.mouse.move(start["x"] + 20, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=15)
    page.mouse.up()


def movable_post(page, *, after: date) -> tuple[int, str]:
    """A post the manager may drag, on a day after `after` whose next day is shown too: (draft id, its day)."""
    found = page.evaluate(
        """(after) => {
          const cells = document.querySelectorAll("td.fc-daygrid-day[data-date]");
          const shown = new Set([...cells].map(td => td.dataset.date));
          for (const event of window.cocreateCalendar.getEvents()) {
            const p = event.extendedProps;
            if (p.kind !== "post" || !event.startEditable || p.localDate <= after) continue;
            const next = new Date(p.localDate + "T00:00:00Z"); next.setUTCDate(next.getUTCDate() + 1);
            if (shown.has(next.toISOString().slice(0, 10))) return [p.draftId, p.localDate];
          }
          return null;
        }""",
        after.isoformat(),
    )
    assert found, "the demo has a movable post in this month"
    return found[0], found[1]


def test_the_month_view_shows_the_demo_posts_with_states_pillars_and_channels(open_as, live_server):
    launch = Board.objects.get(slug="launch")
    today = board_today()
    CalendarNote.objects.create(board=launch, title="Spring launch week", starts_on=today, ends_on=today + timedelta(2))
    waiting = Draft.objects.filter(board=launch, state="review").first()
    due = datetime.combine(today + timedelta(1), time(16), ZoneInfo(launch.time_zone))
    Deadline.objects.update_or_create(draft=waiting, defaults={"due_at": due, "label": "Due for review"})
    page, console = open_calendar(open_as, live_server)
    assert page.locator(".fc-event.cal-note:has-text('Spring launch week')").count() >= 1  # one per week row
    assert page.locator(f".fc-event.cal-deadline:has-text('Due for review: {waiting.title}')").count() == 1
    assert page.locator(".fc-event.cal-deadline .cal-ev__time").inner_text() in {"16:00 CET", "16:00 CEST"}
    assert page.locator(".fc-dayGridMonth-view").count() == 1
    assert page.locator(".fc-event.cal-post").count() >= 15
    for state in ("Scheduled", "Published", "Failed"):
        assert page.locator(f".cal-state:has-text('{state}')").count() >= 1
    assert page.locator(".fc-day-today").count() == 1
    assert page.locator(".cal-legend .cal-swatch").count() >= 3
    # The off-mix day: three Product posts and nothing else.
    titles = page.locator(".cal-post .cal-ev__title").all_inner_texts()
    assert sum("Product week, part" in title for title in titles) == 3
    # The mix beside the month says so (the shown weeks' mix, loaded with htmx).
    off_day = today + timedelta(5)
    warning = page.locator("#calendar-mix .mix-warnings")
    warning.wait_for()
    assert f"No Community post on {off_day:%A} {off_day.day} {off_day:%B}." in warning.inner_text()
    check_page(page, "calendar-month", console)  # at 390 px it turns into the list view
    assert page.locator(".fc-listWeek-view").count() == 1


def test_the_week_view_places_posts_at_their_board_time(open_as, live_server):
    page, console = open_calendar(open_as, live_server)
    page.get_by_role("button", name="Week", exact=True).click()
    page.wait_for_selector(".fc-timeGridWeek-view .fc-timegrid-event.cal-post")
    times = page.locator(".fc-timegrid-event.cal-post .cal-ev__time").all_inner_texts()
    assert times
    assert all(text.endswith((" CET", " CEST")) for text in times)
    check_page(page, "calendar-week", console)


def test_all_my_boards_label_each_time_with_its_zone(open_as, live_server):
    page, console = open_calendar(open_as, live_server, "/calendar/")
    times = set(page.locator(".cal-post .cal-ev__time").all_inner_texts())
    assert any(text.endswith(" CET") for text in times)
    assert any(text.endswith((" EST", " EDT")) for text in times)  # Community is in New York
    check_page(page, "calendar-all", console)


def test_a_post_dragged_to_the_next_day_stays_there(open_as, live_server):
    page, console = open_calendar(open_as, live_server)
    draft_id, day = movable_post(page, after=board_today())
    before = local(Draft.objects.get(pk=draft_id))
    next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    source = page.locator(f".cal-post[data-draft-id='{draft_id}'] .cal-ev__time")
    drag(page, source, page.locator(f"td.fc-daygrid-day[data-date='{next_day}']"))
    page.wait_for_selector("#calendar-live:has-text('Moved')")
    after = local(Draft.objects.get(pk=draft_id))
    assert after.date().isoformat() == next_day
    assert after.time() == before.time()  # a day later, at the same time
    page.reload()
    page.wait_for_selector(f"td.fc-daygrid-day[data-date='{next_day}'] .cal-post[data-draft-id='{draft_id}']")
    console.assert_none()


def test_a_post_dragged_into_the_past_snaps_back_with_the_reason(open_as, live_server):
    page, console = open_calendar(open_as, live_server)
    yesterday = (board_today() - timedelta(days=1)).isoformat()
    target = page.locator(f"td.fc-daygrid-day[data-date='{yesterday}']")
    if target.count() == 0:
        pytest.skip("today is the first day the month view shows")  # a Monday the 1st
    draft_id, day = movable_post(page, after=board_today())
    before = Draft.objects.get(pk=draft_id).publish_at
    drag(page, page.locator(f".cal-post[data-draft-id='{draft_id}'] .cal-ev__time"), target)
    page.wait_for_selector("#calendar-live:has-text('The publish time must be in the future.')")
    assert page.locator(".toast:has-text('The publish time must be in the future.')").count() >= 1
    # Back on its own day, and nothing changed on the server.
    assert page.locator(f"td.fc-daygrid-day[data-date='{day}'] .cal-post[data-draft-id='{draft_id}']").count() == 1
    assert (
        page.locator(f"td.fc-daygrid-day[data-date='{yesterday}'] .cal-post[data-draft-id='{draft_id}']").count() == 0
    )
    assert Draft.objects.get(pk=draft_id).publish_at == before
    # Chromium logs the refusal's 400 answer; nothing else may show up.
    assert all("status of 400" in error for error in console.errors), console.errors


def test_an_approved_draft_dragged_from_the_sidebar_is_scheduled_at_nine(open_as, live_server):
    page, console = open_calendar(open_as, live_server)
    item = page.locator(".cal-unscheduled__item", has_text="the spring checklist")
    draft_id = int(item.get_attribute("data-draft-id"))
    days = [(board_today() + timedelta(days=n)).isoformat() for n in range(2, 9)]
    day = next(d for d in days if page.locator(f"td.fc-daygrid-day[data-date='{d}']").count())
    drag(page, item.locator(".cal-unscheduled__meta"), page.locator(f"td.fc-daygrid-day[data-date='{day}']"))
    page.wait_for_selector("#calendar-live:has-text('Scheduled')")
    draft = Draft.objects.get(pk=draft_id)
    assert draft.state == "scheduled"
    assert (local(draft).date().isoformat(), local(draft).strftime("%H:%M")) == (day, "09:00")
    page.wait_for_selector(f"td.fc-daygrid-day[data-date='{day}'] .cal-post[data-draft-id='{draft_id}']")
    assert page.locator(f".cal-unscheduled__item[data-draft-id='{draft_id}']").count() == 0
    console.assert_none()


def test_a_post_is_moved_with_the_keyboard(open_as, live_server):
    page, console = open_calendar(open_as, live_server)
    draft_id, day = movable_post(page, after=board_today())
    button = f".cal-post[data-draft-id='{draft_id}'] .cal-ev__move"
    page.locator(button).focus()  # reachable by Tab (below); focused directly to pick this post
    page.keyboard.press("Enter")
    dialog = page.locator("#calendar-move")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "calendar-move-date"
    new_day = (date.fromisoformat(day) + timedelta(days=2)).isoformat()
    page.fill("#calendar-move-date", new_day)
    page.fill("#calendar-move-time", "14:30")
    page.keyboard.press("Enter")
    page.wait_for_selector("#calendar-live:has-text('Moved')")
    assert not dialog.is_visible()
    moved = local(Draft.objects.get(pk=draft_id))
    assert (moved.date().isoformat(), moved.strftime("%H:%M")) == (new_day, "14:30")
    page.locator("h1").click()
    tab_to(page, ".cal-ev__move", limit=80)
    console.assert_none()
