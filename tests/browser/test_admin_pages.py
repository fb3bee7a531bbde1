"""The in-app admin pages in Chromium: guideline rules added from the keyboard, the agreement a gated person
is sent to, both checked at 1366 and 390 px (axe, no sideways scrolling, screenshots)."""

import re

import pytest

from contributors.agreements.models import Acceptance
from contributors.guidelines.models import GuidelineRule
from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]


def test_the_guidelines_page(open_as, live_server):
    page, console = open_as("manager")
    page.goto(f"{live_server.url}/boards/launch/guidelines/")
    check_page(page, "guidelines", console)


def test_a_manager_adds_a_word_to_avoid_with_the_keyboard_and_sees_the_toast(open_as, live_server):
    page, console = open_as("manager")
    page.goto(f"{live_server.url}/boards/launch/guidelines/")
    phrase = "#id_banned_phrase_new_phrase"
    tab_to(page, phrase)
    page.keyboard.type("game-changer")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_banned_phrase_new_replacement"
    page.keyboard.type("useful")
    page.keyboard.press("Enter")  # submits the kind's own form (htmx swaps the rules section)
    toast = page.locator("#toasts", has_text="Rule added")
    toast.wait_for()
    assert "game-changer" in toast.inner_text()
    page.locator("#rules-banned_phrase li", has_text="game-changer").wait_for()
    assert GuidelineRule.objects.filter(kind="banned_phrase", params__phrase="game-changer").exists()
    console.assert_none()


def test_a_gated_contributor_is_sent_to_the_agreement_and_back(open_as, live_server):
    page, console = open_as("carol")
    page.goto(f"{live_server.url}/boards/launch/briefs/")
    assert re.search(r"/agreements/\d+/\?next=%2Fboards%2Flaunch%2Fbriefs%2F$", page.url), page.url
    check_page(page, "agreement", console)
    page.fill("input[name=signature]", "Carol Contributor")
    page.click("button:has-text('I accept')")
    page.wait_for_url(f"{live_server.url}/boards/launch/briefs/")
    page.locator("#toasts", has_text="You accepted").wait_for()
    assert Acceptance.objects.filter(user__username="carol").exists()
    console.assert_none()
