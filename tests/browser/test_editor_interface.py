"""The draft editor in Chromium on the demo data, at 1366 and 390 px: no serious axe violation, nothing scrolling
sideways, no console error (docs/screenshots/editor-<width>.png with SCREENSHOTS=1), and usable from the keyboard
alone: Tab reaches the text, the toolbar and a guideline problem, which puts the cursor at its place."""

import re

import pytest

from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]

BODY = (
    "We are **thrilled** to share the [new planner](https://example.com/planner).\n\n"
    "- Plans your week\n- Leverage synergy\n\n#PlannerLaunch"
)


def test_the_editor_with_previews_and_guidelines(open_as, live_server):
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/boards/launch/drafts/new/")
    tab_to(page, "#id_title")
    page.keyboard.type("Spring launch: meet the planner")
    tab_to(page, "#id_body")
    page.keyboard.insert_text(BODY)
    page.locator("#autosave-status", has_text=re.compile(r"^Saved \d\d:\d\d")).wait_for()
    page.locator(".channel-card .post-text", has_text="https://example.com/planner").first.wait_for()
    problem = page.locator("#guideline-problems button.jump", has_text="line 4").first
    problem.wait_for()

    # From the keyboard: the problem's button puts the cursor on the word.
    problem.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_body"
    selected = page.evaluate(
        "(() => { const b = document.activeElement; return b.value.slice(b.selectionStart, b.selectionEnd); })()"
    )
    assert selected == "synergy"

    page.keyboard.press("Shift+Tab")  # into the toolbar, which the arrow keys walk
    assert page.evaluate("document.activeElement.closest('markdown-toolbar') !== null")
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")  # the screenshot from the top
    check_page(page, "editor", console)
