"""Fixtures for the browser tests: one Chromium per session, the demo data, signed-in pages."""

import os
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, HEIGHT, ConsoleErrors, require_chromium


@pytest.fixture(scope="session")
def chromium():
    require_chromium()
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


@pytest.fixture
def demo(transactional_db):
    """The demo's boards, people and drafts (what `make run` shows), fresh for each test."""
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def open_as(chromium, live_server, demo):
    """open_as("alice") -> (page, console errors): a browser context signed in as that demo user.

    The session is made on the server side (Client.force_login) and handed to the browser as its cookie, so a
    test pays for no log-in form; the login page has its own test."""
    contexts = []

    def _open(username: str | None):
        context = chromium.new_context(viewport={"width": 1366, "height": HEIGHT}, device_scale_factor=1)
        contexts.append(context)
        if username:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page, ConsoleErrors(page)

    yield _open
    for context in contexts:
        context.close()
