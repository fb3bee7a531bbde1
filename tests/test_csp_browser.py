"""The main pages under the Content-Security-Policy in Chromium: nothing refused, nothing broken.

Every `securitypolicyviolation` event and every console error is recorded while a reviewer and a manager
walk the pages and use what runs on them (htmx comments, the live guideline check, Swagger UI); one is
enough to fail.
"""

import pytest

from contributors.guidelines.services import guideline_rule_create
from publishing.models import Channel, Publication
from tests.factories import attach_image
from tests.test_browser import browser, log_in  # noqa: F401 - the Chromium fixture is shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts; reports each refusal to the test through an exposed function.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(`${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


class Recorder:
    """A browser context whose CSP violations, console errors and page errors are kept, per page URL."""

    def __init__(self, chromium, live_server):
        self.live_server = live_server
        self.problems: list[str] = []
        self.documents: list = []
        self.context = chromium.new_context()
        self.context.expose_function("reportViolation", lambda text: self.problems.append(f"CSP: {text}"))
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error at {self.page.url}: {error}"))
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error at {self.page.url}: {message.text}")

    def _response(self, response) -> None:
        if response.request.resource_type == "document":
            self.documents.append(response)

    def visit(self, path: str) -> None:
        response = self.page.goto(f"{self.live_server.url}{path}")
        assert response.status == 200, path
        # Loaded with every subresource (goto waits for "load"); a moment more for late reports to arrive.
        self.page.wait_for_timeout(200)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def publication(personas, draft):
    channel = Channel(board=personas.board, kind="webhook", name="Site hook", settings={"url": "https://hook.example"})
    channel.credentials = {"secret": "not-used"}
    channel.save()
    return Publication.objects.create(draft=draft, channel=channel, due_at=draft.created_at, state="failed")


def test_the_main_pages_raise_no_policy_violation(browser, live_server, personas, draft, publication):  # noqa: F811
    guideline_rule_create(
        board=personas.board,
        actor=personas.manager,
        kind="banned_phrase",
        severity="error",
        params={"phrase": "synergy"},
    )
    # The draft shows its own image; an outside one is a link (shown, img-src would refuse it).
    own_image = f"/drafts/{draft.pk}/images/{attach_image(draft).pk}/"
    draft.body = f"![ours]({own_image})\n\n![theirs](https://tracker.example/pixel.gif)"
    draft.save(update_fields=["body"])
    recorder = Recorder(browser, live_server)
    page = recorder.page
    recorder.visit("/login/")
    log_in(page, live_server, personas.manager.username)
    recorder.visit("/")
    recorder.visit(f"/boards/{personas.board.slug}/")
    recorder.visit(f"/drafts/{draft.pk}/")
    assert page.locator("article.body img").evaluate("img => img.complete && img.naturalWidth") == 64
    assert page.locator("article.body a:has-text('Image: theirs (tracker.example)')").count() == 1
    # htmx comments: the new list, then the 400 fragment with its message, swapped in place.
    page.fill("#comments textarea[name=body]", "Checked under the policy.")
    page.click("#comments button[type=submit]")
    page.wait_for_selector("#comments li:has-text('Checked under the policy.')")

    # The live guideline check: htmx posts the form on load and after typing.
    recorder.visit(f"/drafts/{draft.pk}/edit/")
    page.wait_for_selector("#guideline-problems:has-text('No problems')")
    page.fill("textarea[name=body]", "Full of synergy.")
    page.keyboard.press("End")
    page.wait_for_selector("#guideline-problems .problem")
    assert page.locator(".editor.with-guidelines").evaluate("e => getComputedStyle(e).display") == "grid"

    recorder.visit(f"/boards/{personas.board.slug}/publications/")
    assert page.locator("text=Site hook").count() >= 1
    recorder.visit("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    recorder.close()

    assert recorder.problems == []
    unprotected = [r.url for r in recorder.documents if "content-security-policy" not in r.headers]
    assert recorder.documents
    assert unprotected == []


def test_it_records_what_the_policy_refuses(browser, live_server, personas):  # noqa: F811
    """Guards the recorder: an inline script and an inline style, added by hand, are reported."""
    recorder = Recorder(browser, live_server)
    recorder.visit("/login/")
    recorder.page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ran = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", "<p style='color: red'>styled</p>");
        }"""
    )
    recorder.page.wait_for_timeout(300)
    recorder.close()
    assert recorder.page.is_closed()
    joined = "\n".join(recorder.problems)
    assert "script-src" in joined, recorder.problems
    assert "style-src" in joined, recorder.problems


def test_the_admin_raises_no_policy_violation(browser, live_server, personas, draft, publication):  # noqa: F811
    recorder = Recorder(browser, live_server)
    log_in(recorder.page, live_server, personas.admin.username)
    for path in (
        "/admin/",
        "/admin/drafts/draft/",
        f"/admin/drafts/draft/{draft.pk}/change/",
        f"/admin/publishing/channel/{publication.channel_id}/change/",
        "/admin/contributors/user/add/",
    ):
        recorder.visit(path)
    recorder.close()
    assert recorder.problems == []
