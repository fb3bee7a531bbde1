"""The editor in a real browser (Chromium through Playwright against the live server): Markdown with the
toolbar's shortcut, the Mastodon preview without Markdown syntax, an image on the new-draft page, autosave,
and a conflicting edit from a second browser that loses nothing typed here."""

import re

import pytest

from drafts.models import Draft, DraftImage
from tests.factories import make_channel, make_image_bytes
from tests.test_browser import browser, log_in  # noqa: F401 - the module's Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mastodon(personas):
    return make_channel(
        personas.board,
        "mastodon",
        name="Fediverse",
        settings={"url": "https://social.example"},
        credentials={"token": "t"},
    )


def saved(page) -> None:
    page.locator("#autosave-status", has_text=re.compile(r"^Saved \d\d:\d\d")).wait_for()


def test_a_contributor_writes_previews_adds_an_image_and_survives_a_conflict(
    browser,  # noqa: F811
    live_server,
    personas,
    mastodon,
    tmp_path,
):
    alice = browser.new_context(viewport={"width": 1366, "height": 900})
    page = alice.new_page()
    log_in(page, live_server, personas.contributor.username)
    page.goto(f"{live_server.url}/boards/launch/drafts/new/")
    page.fill("#id_title", "Spring launch")
    # The first image, on the new-draft page: the draft is saved with it and the page carries on as the editor.
    image_file = tmp_path / "square.png"
    image_file.write_bytes(make_image_bytes())
    page.set_input_files("#id_image_file", str(image_file))
    page.fill("#id_image_alt_text", "A pink square")
    # Usually the draft starts with the image; on a slow machine the title's autosave may start it first, and the
    # chosen picture waits in the draft's own upload form: either way one click adds it.
    page.locator("#draft-images button", has_text="Add image").click()
    page.wait_for_url(re.compile(r"/drafts/\d+/edit/$"))
    page.locator("#draft-images img[alt='A pink square']").wait_for()
    draft = Draft.objects.get()
    assert DraftImage.objects.get(draft=draft).alt_text == "A pink square"

    body = page.locator("#id_body")
    body.click()
    page.keyboard.type("Meet the ")
    page.keyboard.type("planner")
    for _ in range(len("planner")):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+B")  # the toolbar's shortcut
    page.keyboard.press("End")
    page.keyboard.type(": [read more](https://example.com/spring).")
    assert body.input_value() == "Meet the **planner**: [read more](https://example.com/spring)."

    preview = page.locator(f"#channel-preview-{mastodon.pk} .post-text")
    preview.filter(has_text="https://example.com/spring").wait_for()
    text = preview.inner_text()
    assert "Meet the planner: read more https://example.com/spring." in text
    assert "**" not in text
    assert "[" not in text

    saved(page)
    assert Draft.objects.get().body == "Meet the **planner**: [read more](https://example.com/spring)."

    body.press("End")
    page.keyboard.type(" Out on Monday.")
    saved(page)
    assert Draft.objects.get().body.endswith("Out on Monday.")

    # A reviewer edits the same draft in another browser and it autosaves there.
    other = browser.new_context()
    theirs = other.new_page()
    log_in(theirs, live_server, personas.reviewer.username)
    theirs.goto(f"{live_server.url}/drafts/{draft.pk}/edit/")
    theirs.fill("#id_body", "The reviewer's rewrite.")
    theirs.locator("#id_body").press("End")
    theirs.keyboard.type(" Done.")
    saved(theirs)
    other.close()

    body.press("End")
    page.keyboard.type(" Mine too.")
    page.locator("#editor-conflict:not([hidden])").wait_for()
    conflict = page.locator("#editor-conflict").inner_text()
    assert str(personas.reviewer) in conflict
    assert "The reviewer's rewrite. Done." in conflict
    mine = "Meet the **planner**: [read more](https://example.com/spring). Out on Monday. Mine too."
    assert body.input_value() == mine  # nothing typed here is lost
    assert Draft.objects.get().body == "The reviewer's rewrite. Done."
    page.click("button[data-conflict=mine]")
    saved(page)
    assert Draft.objects.get().body == mine
    alice.close()


def test_a_picture_chosen_while_the_first_autosave_starts_the_draft_is_kept(
    browser,  # noqa: F811
    live_server,
    personas,
    tmp_path,
):
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, personas.contributor.username)
    page.goto(f"{live_server.url}/boards/launch/drafts/new/")
    image_file = tmp_path / "square.png"
    image_file.write_bytes(make_image_bytes())
    page.set_input_files("#id_image_file", str(image_file))
    page.fill("#id_image_alt_text", "Kept alt")
    page.fill("#id_title", "Started by autosave")
    saved(page)  # the draft exists now; the image section is the draft's own
    page.wait_for_url(re.compile(r"/drafts/\d+/edit/$"))
    assert page.locator("#id_image_alt_text").input_value() == "Kept alt"
    page.locator("#draft-images button", has_text="Add image").click()
    page.locator("#draft-images img[alt='Kept alt']").wait_for()
    assert DraftImage.objects.get(draft=Draft.objects.get()).alt_text == "Kept alt"
    context.close()
