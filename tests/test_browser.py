"""The review flow in a real browser: Debian's Chromium driven by Playwright against the live server."""

import os
import shutil

import pytest

from drafts.models import Draft, DraftComment
from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but there is no Chromium at {CHROMIUM} (apt-get install chromium).")
        pytest.skip(f"No Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must not mistake the test thread for async code.
    # Restored afterwards so the flag never leaks into other tests or the subprocesses they start.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_it_takes_a_draft_from_writing_to_approved_in_the_browser(browser, live_server, personas, draft, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, personas.contributor.username)
    page.click("main >> text=Launch")
    page.click(f"text={draft.title}")
    page.click("button[value=submit]")
    page.wait_for_selector(".state-review")
    assert Draft.objects.get(pk=draft.pk).state == "review"
    context.close()

    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    assert page.locator("button[value=submit]").count() == 0
    page.fill("#comments textarea[name=body]", "Lovely intro, approving.")
    page.click("#comments button[type=submit]")
    # htmx swaps the comment list in place: the page is not reloaded.
    page.wait_for_selector("#comments li:has-text('Lovely intro, approving.')")
    assert DraftComment.objects.filter(draft=draft, author=personas.reviewer).count() == 1
    page.click("button[value=approve]")
    page.wait_for_selector(".state-approved")
    page.screenshot(path=str(tmp_path / "approved.png"), full_page=True)
    context.close()
    assert Draft.objects.get(pk=draft.pk).state == "approved"


def test_it_shows_why_a_comment_was_refused_without_reloading(browser, live_server, personas, draft):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.fill("#comments textarea[name=body]", "   ")
    page.click("#comments button[type=submit]")
    # The 400 fragment is swapped in (htmx-config in base.html), so the reason is visible.
    page.wait_for_selector("#comments .errorlist:has-text('This field is required.')")
    context.close()
    assert not DraftComment.objects.filter(draft=draft).exists()
