"""The notification centre in Chromium: the centre, the bell and the preferences at 1366 and 390 px (axe, no
sideways scroll, screenshots), the bell counting a new notification without a reload and leading to the draft,
marking read from the keyboard, and @mention autocomplete by keyboard."""

import pytest
from django.contrib.auth import get_user_model

from contributors.notifications.kinds import Kind
from contributors.notifications.models import Notification
from contributors.notifications.services import notifications_mark_all_read, notify
from drafts.models import Draft
from drafts.services import draft_transition
from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]


def user(username):
    return get_user_model().objects.get(username=username)


def tell_reviewer(draft, n: int = 0, *, kind=Kind.SUBMITTED, title=None, body="") -> list[int]:
    alice = user("alice")
    return notify(
        kind=kind,
        recipients=[user("reviewer")],
        source=f"browser:{draft.pk}:{n}",
        title=title or f"Alice Expert submitted “{draft.title}” for review",
        body=body,
        url=f"/drafts/{draft.pk}/",
        actor=alice,
        draft=draft,
    )


def start_with_none(username: str) -> None:
    """The demo leaves every login some notifications: these tests count their own."""
    Notification.objects.filter(recipient__username=username).delete()


def launch_draft(state: str = "review") -> Draft:
    return Draft.objects.filter(board__slug="launch", author__username="alice", state=state).order_by("pk").first()


def test_alices_submit_shows_on_the_reviewers_bell_without_a_reload_and_leads_to_the_draft(open_as, live_server):
    draft = Draft.objects.filter(board__slug="launch", author__username="alice", state="draft").order_by("pk").first()
    notifications_mark_all_read(user=user("reviewer"))  # the demo leaves the reviewer some unread
    page, console = open_as("reviewer")
    page.goto(f"{live_server.url}/boards/launch/")
    bell = page.locator(".bell__button")
    assert page.locator(".bell__badge").count() == 0  # nothing unread: no badge
    assert bell.inner_text().strip() == "Notifications"  # its name for a screen reader
    page.evaluate("() => { window.__notReloaded = true; }")
    draft_transition(draft_id=draft.pk, name="submit", actor=user("alice"))  # its fan-out tells the reviewer
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")  # the bell also asks every 20 s
    page.wait_for_selector(".bell__badge:has-text('1')")
    assert (
        "Notifications, 1 unread" in bell.inner_text()
        or page.locator("#bell-count .visually-hidden").inner_text() == "Notifications, 1 unread"
    )
    assert page.evaluate("() => window.__notReloaded === true")
    # Open the bell from the keyboard and follow the notification.
    tab_to(page, ".bell__button")
    page.keyboard.press("Enter")
    item = page.locator(".bell__item").first
    item.wait_for()
    assert draft.title in item.inner_text()
    tab_to(page, ".bell__item")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/drafts/{draft.pk}/")
    assert page.locator(".bell__badge").count() == 0
    console.assert_none()


def test_the_centre_the_open_bell_and_the_preferences(open_as, live_server):
    start_with_none("reviewer")
    review = launch_draft()
    drafts = list(Draft.objects.filter(board__slug="launch").order_by("pk")[:4])
    tell_reviewer(review, 1)
    tell_reviewer(
        drafts[1],
        2,
        kind=Kind.COMMENT,
        title=f"Alice Expert commented on “{drafts[1].title}”",
        body="Could we open with the customer's own words? The second paragraph reads like a press release.",
    )
    tell_reviewer(
        drafts[2],
        3,
        kind=Kind.MENTION,
        title=f"Alice Expert mentioned you on “{drafts[2].title}”",
        body="@reviewer can you check the claim about three cities?",
    )
    read = tell_reviewer(drafts[3], 4, kind=Kind.PUBLISHED, title=f"“{drafts[3].title}” went live on Mastodon")
    from contributors.notifications.services import notification_mark_read

    notification_mark_read(user=user("reviewer"), notification_id=read[0])
    page, console = open_as("reviewer")
    page.goto(f"{live_server.url}/notifications/")
    assert page.locator(".notif").count() == 4
    assert page.locator(".notif--unread").count() == 3
    check_page(page, "notifications", console)

    # Mark one read from the keyboard: the item turns read, the bell counts one fewer, focus stays on it.
    page.set_viewport_size({"width": 1366, "height": 900})
    tab_to(page, ".notif--unread .notif__actions button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#bell-count .bell__badge:has-text('2')")
    assert page.locator(".notif--unread").count() == 2
    assert page.locator("#inbox-unread").inner_text() == "2"  # the filter's count follows
    assert page.evaluate("() => document.activeElement.classList.contains('notif__title')")

    # The bell open, at both widths.
    page.click(".bell__button")
    page.wait_for_selector(".bell__item")
    check_page(page, "notifications-bell", console)
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/notifications/preferences/")
    check_page(page, "notification-preferences", console)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.select_option("select[name='comment-delivery']", "in_app")
    tab_to(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_selector(".toast:has-text('preferences are saved')")
    assert page.locator("select[name='comment-delivery']").input_value() == "in_app"
    console.assert_none()


def test_the_empty_centre_says_what_will_show_here(open_as, live_server):
    start_with_none("bob")
    page, console = open_as("bob")
    page.goto(f"{live_server.url}/notifications/")
    assert "drafts waiting for your review" in page.locator(".empty-state").inner_text()
    check_page(page, "notifications-empty", console)


def test_mention_autocomplete_by_keyboard(open_as, live_server):
    draft = launch_draft()
    page, console = open_as("reviewer")
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    box = page.locator("#comments textarea[name=body]")
    box.focus()
    page.keyboard.type("Thanks @al")
    page.wait_for_selector("#mention-list [role=option]")
    assert box.get_attribute("aria-controls") == "mention-list"
    assert box.get_attribute("aria-activedescendant") == "mention-option-0"
    options = page.locator("#mention-list [role=option]").all_inner_texts()
    assert any("@alice" in text for text in options)
    assert len(options) <= 8
    page.keyboard.press("Enter")
    assert box.input_value() == "Thanks @alice "
    assert page.locator("#mention-list").is_hidden()
    page.keyboard.type("and @zz")
    page.wait_for_timeout(400)
    assert page.locator("#mention-list").is_hidden()
    console.assert_none()
