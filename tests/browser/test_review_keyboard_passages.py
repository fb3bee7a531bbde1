"""Comments on a passage with the keyboard alone: Tab into the draft's text, move with the arrow keys, select with
Shift (Ctrl for whole words), then Tab to "Comment on selection" or press `c`; Escape closes the form and gives the
text its focus back. No mouse event is sent in this test."""

import pytest

from drafts.anchoring import body_text
from drafts.models import DraftComment
from drafts.services import comment_create
from tests.browser.harness import (
    ConsoleErrors,
    assert_no_horizontal_overflow,
    assert_no_serious_axe_violations,
    tab_to,
)
from tests.factories import advance, make_draft
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "We filmed the launch video in **three cities** in two days.\n\nThe drone survived a seagull."


def press(page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def selected(page) -> str:
    return page.evaluate("getSelection().toString()")


def test_a_reviewer_comments_on_a_passage_with_the_keyboard_only(chromium, live_server, personas):
    draft = make_draft(personas.board, personas.contributor, title="Behind the scenes", body=BODY)
    advance(draft, "review", personas)
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    console = ConsoleErrors(page)
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    assert page.locator("#select-hint").is_visible()

    # Tab reaches the text; the caret starts at its beginning. Ctrl+Right moves a word, Shift extends.
    tab_to(page, "#draft-text")
    press(page, "Control+ArrowRight", 3)
    press(page, "ArrowRight")  # past the space: the caret is before "launch"
    press(page, "Control+Shift+ArrowRight", 2)
    assert selected(page).strip() == "launch video"
    press(page, "Shift+ArrowLeft", len(" video"))
    press(page, "Shift+ArrowRight", len(" video"))
    assert selected(page).strip() == "launch video"

    # The next Tab stop is the button that comments on the selection; Enter opens the form, focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "select-comment"
    assert page.locator("#select-comment").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "passage-body"
    assert page.locator("#passage-form q").inner_text() == "launch video"
    assert_no_serious_axe_violations(page, context="passage form opened from the keyboard")
    page.keyboard.type("Which camera?")
    page.keyboard.press("Tab")  # to the form's Comment button
    page.keyboard.press("Enter")
    page.locator("mark.anchor", has_text="launch video").wait_for()
    first = DraftComment.objects.get(draft=draft)
    assert (first.quote, first.body, first.position) == ("launch video", "Which camera?", len("We filmed the "))

    # `c` comments on the selection too; Escape leaves the form and returns to the text, selection kept.
    tab_to(page, "#draft-text")
    press(page, "ArrowDown", 3)  # the caret stays in the draft's text, on its last line
    press(page, "Home")
    press(page, "Control+Shift+ArrowRight", 2)
    assert selected(page).strip() == "The drone"
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.id") == "passage-body"
    page.keyboard.press("Escape")
    assert page.locator("#passage-form").is_hidden()
    assert page.evaluate("document.activeElement.id") == "draft-text"
    assert selected(page).strip() == "The drone"
    page.keyboard.press("c")
    page.keyboard.type("Which drone?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("mark.anchor", has_text="The drone").wait_for()
    assert DraftComment.objects.filter(draft=draft, quote="The drone", body="Which drone?").count() == 1

    assert_no_horizontal_overflow(page)
    assert_no_serious_axe_violations(page, context="review page after keyboard comments")
    console.assert_none()
    context.close()


def test_on_a_phone_the_caret_steps_over_the_comments_inside_the_text(chromium, live_server, personas):
    draft = make_draft(personas.board, personas.contributor, title="Behind the scenes", body=BODY)
    advance(draft, "review", personas)
    text = body_text(BODY)
    comment_create(draft_id=draft.pk, author=personas.reviewer, body="Which camera?", quote="launch video", position=14)
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    console = ConsoleErrors(page)
    log_in(page, live_server, personas.reviewer.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.locator("#draft-text .thread").wait_for()  # the comment sits under its paragraph

    tab_to(page, "#draft-text")
    for _ in range(40):  # word by word, past the first paragraph and the comment under it
        if page.evaluate("getSelection().focusNode.textContent.startsWith('The drone')"):
            break
        page.keyboard.press("Control+ArrowRight")
        assert not page.evaluate("!!getSelection().focusNode.parentElement.closest('.thread')")
    press(page, "Home")
    press(page, "Control+Shift+ArrowRight", 2)
    assert selected(page).strip() == "The drone"
    page.keyboard.press("c")
    page.keyboard.type("Which drone?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("mark.anchor", has_text="The drone").wait_for()
    answer = DraftComment.objects.get(draft=draft, quote="The drone")
    assert answer.position == text.index("The drone")
    assert_no_horizontal_overflow(page)
    console.assert_none()
    context.close()
