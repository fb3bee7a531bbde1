"""Every main page, in Chromium at 1366 and 390 px: no serious axe violation, nothing scrolling sideways, no console
error, a screenshot (docs/screenshots/ with SCREENSHOTS=1); and the main journeys work from the keyboard."""

import pytest

from tests.browser.harness import check_page

pytestmark = [pytest.mark.browser]


def test_the_login_page(open_as, live_server):
    page, console = open_as(None)
    page.goto(f"{live_server.url}/login/")
    check_page(page, "login", console)


@pytest.mark.parametrize(
    ("name", "path"),
    [("boards", "/"), ("board", "/boards/launch/")],
)
def test_a_managers_page(open_as, live_server, name, path):
    page, console = open_as("manager")
    page.goto(f"{live_server.url}{path}")
    check_page(page, name, console)
