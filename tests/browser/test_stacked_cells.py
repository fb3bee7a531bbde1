"""On a phone a table's rows become cards: what a cell says must fit in it, not be cut off at the card's edge
(a clipped cell does not scroll the page, so the overflow check alone would not see it)."""

import pytest

pytestmark = [pytest.mark.browser]

CLIPPED_CELLS = """() => [...document.querySelectorAll('.table-stack td')]
  .filter(td => td.scrollWidth > td.clientWidth + 1)
  .map(td => td.getAttribute('data-label') + ': ' + td.textContent.trim())"""


def test_the_publication_log_shows_each_time_whole_on_a_phone(open_as, live_server):
    page, _console = open_as("manager")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/boards/launch/publications/")
    assert page.locator(".table-stack td").count() > 0
    assert page.evaluate(CLIPPED_CELLS) == []
