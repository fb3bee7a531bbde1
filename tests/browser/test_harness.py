"""The harness's checks can fail: each is shown a page that breaks its rule."""

import pytest

from tests.browser.harness import assert_no_horizontal_overflow, assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser]


def test_the_checks_notice_a_missing_alt_text_and_a_page_that_scrolls_sideways(open_as, live_server):
    page, console = open_as(None)
    page.goto(f"{live_server.url}/login/")
    # Added from DevTools, as the checks add axe: the page's own policy allows no inline code.
    page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.src = "/static/favicon.svg";
          document.querySelector("main").appendChild(img);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_no_serious_axe_violations(page)
    page.evaluate(
        """() => {
          const wide = document.querySelector("main").appendChild(document.createElement("div"));
          wide.textContent = "x".repeat(400);
          wide.style.whiteSpace = "pre";
        }"""
    )
    page.set_viewport_size({"width": 390, "height": 800})
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_no_horizontal_overflow(page)
    console.assert_none()
