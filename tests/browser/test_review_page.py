"""The review flow in Chromium: comment on a selected passage, send back with a reason, the author sees it,
resubmits, and the reviewer reads the word diff since their review and approves with the `a` key.

Set REVIEW_SCREENSHOTS to a folder to keep the screenshots (docs/screenshots/review-*.png were made so).
"""

import pytest

from drafts.anchoring import body_text
from drafts.models import Draft, DraftComment
from drafts.services import draft_transition, draft_update
from tests.browser.harness import (
    ConsoleErrors,
    assert_no_horizontal_overflow,
    assert_no_serious_axe_violations,
    screenshot,
)
from tests.factories import advance, make_draft
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "We filmed the launch video in **three cities** in two days.\n\n"
    "The crew slept on the train between Aarhus and Odense, and the drone survived a seagull.\n\n"
    "Watch it on launch day."
)


def select_text(page, needle: str) -> None:
    """Select `needle` inside the draft's text, as a mouse drag would."""
    page.evaluate(
        """(needle) => {
            const root = document.querySelector('[data-anchor-root]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, at = node.data.indexOf(needle);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + needle.length);
                    const selection = getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error('not found: ' + needle);
        }""",
        needle,
    )


def test_a_reviewer_comments_on_a_passage_sends_back_and_approves_by_keyboard(
    chromium,
    live_server,
    personas,
):
    draft = make_draft(personas.board, personas.contributor, title="Behind the scenes", body=BODY)
    advance(draft, "review", personas)

    # The reviewer selects a passage: a Comment button appears; the comment is anchored to that passage.
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    select_text(page, "slept on the train")
    page.click("#select-comment")
    assert page.evaluate("document.activeElement.id") == "passage-body"
    page.keyboard.type("Which train? Name the line.")
    page.click("#passage-form button[type=submit]")
    page.wait_for_selector("mark.anchor")
    comment = DraftComment.objects.get(draft=draft)
    assert (comment.quote, comment.prefix[-5:], comment.suffix[:8]) == ("slept on the train", "crew ", " between")
    assert page.locator("mark.anchor").inner_text() == "slept on the train"

    # `r` focuses the reason; sending back needs one.
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.name") == "comment"
    page.keyboard.type("Please name the train line and add a photo.")
    page.click("button[value=request_changes]")
    page.wait_for_selector("#changes-requested")
    context.close()
    assert Draft.objects.get(pk=draft.pk).changes_requested

    # alice, the author, sees why at the top of her draft.
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, personas.contributor.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    assert "Please name the train line and add a photo." in page.locator("#changes-requested").inner_text()
    # At phone width the comment sits under its paragraph, inside the text.
    page.wait_for_selector("#draft-text .thread")
    assert_no_horizontal_overflow(page)
    # A passage after that inline comment is measured in the draft's own text, not the comment's.
    select_text(page, "Watch it on launch day")
    page.keyboard.press("c")
    page.keyboard.type("Which date?")
    page.click("#passage-form button[type=submit]")
    page.wait_for_selector("mark.anchor >> nth=1")
    answer = DraftComment.objects.get(draft=draft, author=personas.contributor)
    assert answer.position == body_text(BODY).index("Watch it on launch day")
    draft.refresh_from_db()
    draft_update(
        draft_id=draft.pk,
        actor=personas.contributor,
        version=draft.version,
        body=BODY.replace("slept on the train", "slept on the night train"),
    )
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.click("button[value=submit]")
    page.wait_for_selector(".state-review")
    assert page.locator("#changes-requested").count() == 0
    context.close()

    # The reviewer sees the words that changed since their review, and approves with `a`.
    for width, height in ((1366, 900), (390, 844)):
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        console = ConsoleErrors(page)
        log_in(page, live_server, personas.reviewer.username)
        page.goto(f"{live_server.url}/drafts/{draft.pk}/")
        assert page.locator("#since-review ins.diff-ins").first.inner_text().strip() == "night"
        # The comment followed its passage through the edit, and is highlighted there.
        assert page.locator("mark.anchor").first.inner_text() == "slept on the night train"
        assert_no_horizontal_overflow(page, context=f"review page at {width}px")
        assert_no_serious_axe_violations(page, context=f"review page at {width}px")
        screenshot(page, "review")
        page.keyboard.press("?")
        assert page.locator("#shortcuts").is_visible()
        assert_no_serious_axe_violations(page, context=f"shortcuts dialog at {width}px")
        page.keyboard.press("Escape")
        console.assert_none()
        if width == 390:
            page.keyboard.press("a")
            page.wait_for_selector(".state-approved")
        context.close()
    assert Draft.objects.get(pk=draft.pk).state == "approved"


def test_shortcuts_do_nothing_while_typing(chromium, live_server, personas):
    draft = make_draft(personas.board, personas.contributor, title="Typing", body=BODY)
    advance(draft, "review", personas)
    context = chromium.new_context()
    page = context.new_page()
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.focus("#comments textarea[name=body]")
    page.keyboard.type("a great draft")
    page.wait_for_timeout(300)
    assert Draft.objects.get(pk=draft.pk).state == "review"
    assert page.input_value("#comments textarea[name=body]") == "a great draft"
    context.close()


def test_j_and_k_walk_the_review_queue(chromium, live_server, personas):
    first = make_draft(personas.board, personas.contributor, title="First in queue", body=BODY)
    second = make_draft(personas.board, personas.contributor, title="Second in queue", body=BODY)
    for draft in (first, second):
        draft_transition(draft_id=draft.pk, name="submit", actor=personas.contributor)
    context = chromium.new_context()
    page = context.new_page()
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{first.pk}/")
    assert "Review queue: 1 of 2" in page.inner_text(".review-nav")
    page.keyboard.press("j")
    page.wait_for_url(f"{live_server.url}/drafts/{second.pk}/")
    page.keyboard.press("k")
    page.wait_for_url(f"{live_server.url}/drafts/{first.pk}/")
    context.close()
