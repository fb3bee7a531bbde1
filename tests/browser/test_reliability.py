"""The reliability panel in Chromium at 1366 and 390 px (axe, no sideways scrolling, no console error,
screenshots) on the demo's Launch board, reached from the publication log and its period chosen by keyboard."""

import pytest

from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]


def test_the_reliability_panel(open_as, live_server):
    page, console = open_as("manager")
    page.goto(f"{live_server.url}/boards/launch/publications/")
    page.get_by_role("link", name="Reliability per channel").click()
    page.wait_for_url("**/boards/launch/reliability/")
    assert page.locator("h1").inner_text() == "Publishing reliability"
    assert page.locator(".reliability-table tbody tr").count() >= 1
    check_page(page, "board-reliability", console)
    page.set_viewport_size({"width": 1366, "height": 900})
    tab_to(page, 'a.chip[href*="days=90"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**days=90**")
    assert page.locator('a.chip[aria-current="page"]').inner_text() == "Last 90 days"
    # The demo's posts: some late, some retried, one failed per channel.
    assert "Rejected by the platform" in page.locator(".reliability-table").inner_text()
    check_page(page, "board-reliability-90", console)
