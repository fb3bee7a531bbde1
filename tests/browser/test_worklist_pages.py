"""My work and the review queue in Chromium at 1366 and 390 px (axe, no sideways scrolling, no console error,
screenshots), and the queue walked by keyboard: j / k move the focus through the rows, Enter opens the draft."""

import pytest

from tests.browser.harness import check_page

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("login", ["alice", "reviewer", "manager"])
def test_my_work(open_as, live_server, login):
    page, console = open_as(login)
    response = page.goto(f"{live_server.url}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "My work"
    assert page.locator("#attention-heading").count() == 1
    if login == "alice":
        assert page.locator(".work-item--changes").count() >= 1  # her checklist was sent back, with the reason
    if login == "reviewer":
        assert page.locator(".work-item--overdue").count() >= 1  # the demo's draft overdue in review
    check_page(page, f"my-work-{login}", console)


def test_the_review_queue_by_keyboard(open_as, live_server):
    page, console = open_as("manager")
    page.goto(f"{live_server.url}/review/")
    assert page.locator("[data-queue-row]").count() >= 1
    assert page.locator(".queue-row--overdue").count() >= 1
    check_page(page, "review-queue", console)
    page.set_viewport_size({"width": 1366, "height": 900})
    rows = page.locator("[data-queue-link]")
    page.locator("h1").click()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.matches('[data-queue-link]')")
    first = rows.nth(0).get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    if rows.count() > 1:
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.getAttribute('href')") == rows.nth(1).get_attribute("href")
        page.keyboard.press("k")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first}")


def test_the_approved_queue_and_an_empty_filter(open_as, live_server):
    page, console = open_as("manager")
    page.goto(f"{live_server.url}/review/?state=approved")
    assert page.locator("[data-queue-row]").count() >= 1
    page.goto(f"{live_server.url}/review/?tag=no-such-tag")
    assert page.locator(".empty-state").count() == 1
    check_page(page, "review-queue-empty", console)
