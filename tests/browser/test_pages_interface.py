"""Every main page, in Chromium at 1366 and 390 px: no serious axe violation, nothing scrolling sideways, no console
error, a screenshot (docs/screenshots/ with SCREENSHOTS=1); and the main journeys work from the keyboard."""

import pytest

from contributors.invitations.models import Invitation
from publishing.models import Channel
from tests.browser.harness import check_page, tab_to

pytestmark = [pytest.mark.browser]

MANAGER_PAGES = [
    ("boards", "/boards/"),
    ("board", "/boards/launch/"),
    ("members", "/boards/launch/members/"),
    ("invitations", "/boards/launch/invitations/"),
    ("briefs", "/boards/launch/briefs/"),
    ("channels", "/boards/launch/channels/"),
    ("publications", "/boards/launch/publications/"),
    ("profile", "/profile/"),
]


def test_the_login_page(open_as, live_server):
    page, console = open_as(None)
    page.goto(f"{live_server.url}/login/")
    check_page(page, "login", console)


def test_the_managers_pages(open_as, live_server):
    page, console = open_as("manager")
    for name, path in MANAGER_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        check_page(page, name, console)
    channel = Channel.objects.filter(board__slug="launch").order_by("pk").first()
    page.goto(f"{live_server.url}/channels/{channel.pk}/")
    assert page.locator("legend:has-text('Credentials')").count() == 1
    check_page(page, "channel-edit", console)


def test_a_contributor_opens_a_board_and_a_draft_with_the_keyboard(open_as, live_server):
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/boards/")
    tab_to(page, ".board-card .card__title a[href='/boards/launch/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/boards/launch/")
    # The tabs show a contributor only what a contributor may open.
    assert page.locator(".board-nav a[data-tab]").evaluate_all("links => links.map(a => a.dataset.tab)") == [
        "drafts",
        "briefs",
        "calendar",
        "pillars",
        "guidelines",
        "agreements",
    ]
    first_draft = page.locator(".drafts-table a.row-title").first
    title = first_draft.inner_text()
    tab_to(page, ".drafts-table a.row-title")
    page.keyboard.press("Enter")
    page.wait_for_url("**/drafts/*/")
    assert page.locator("h1").first.inner_text().startswith(title)
    console.assert_none()


def test_a_contributor_with_no_drafts_is_told_what_to_write_first(open_as, live_server):
    page, console = open_as("bob")
    page.goto(f"{live_server.url}/boards/community/?state=review")
    page.goto(f"{live_server.url}/boards/community/")
    if page.locator(".drafts-table").count():
        page.goto(f"{live_server.url}/boards/community/?state=archived")
        assert page.locator(".empty-state").count() == 1
    else:
        assert page.locator(".empty-state a:has-text('New draft')").count() == 1
    check_page(page, "board-contributor", console)


def test_revoking_an_invitation_asks_in_a_dialog_and_says_what_happened(open_as, live_server):
    invitation = Invitation.objects.filter(board__slug="launch", status="pending").first()
    page, console = open_as("manager")
    page.goto(f"{live_server.url}/boards/launch/invitations/")
    page.click("details.confirm summary:has-text('Revoke')")
    dialog = page.locator("dialog[open]")
    assert dialog.locator("h2").inner_text() == f"Revoke the invitation to {invitation.email}?"
    # The safe choice has the focus; Escape would leave everything as it was.
    assert page.evaluate("() => document.activeElement.textContent") == "Cancel"
    check_page(page, "confirm-dialog", console)
    dialog.locator("button:has-text('Revoke invitation')").click()
    page.wait_for_selector(f".toast:has-text('Invitation to {invitation.email} revoked.')")
    # The script gave the toast a close button (it also dismisses it after a few seconds).
    page.click(".toast .toast__close")
    page.wait_for_selector(".toast", state="detached")
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    check_page(page, "invitations-after-revoke", console)


def test_without_javascript_the_confirm_is_a_disclosure_with_the_real_button(chromium, live_server, demo):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/boards/launch/invitations/")
    page.click("details.confirm summary")
    assert page.locator("details.confirm[open] .confirm__panel button.btn-danger").is_visible()
    page.click("details.confirm[open] button.btn-danger")
    page.wait_for_selector(".toast:has-text('revoked')")
    context.close()
