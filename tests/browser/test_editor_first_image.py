"""The new-draft page's image picker in Chromium: when the title's autosave starts the draft first, the picker
stays the one the writer is using (it is not swapped out under the cursor), and "Add image" adds the picture to
the draft the autosave started: one draft, with its image."""

import re

import pytest

from drafts.models import Draft
from tests.factories import make_image_bytes

pytestmark = [pytest.mark.browser]

ALT_TEXT = "A pink square on white"


def test_an_image_added_after_the_autosave_started_the_draft_goes_to_that_draft(open_as, live_server):
    page, console = open_as("alice")
    page.goto(f"{live_server.url}/boards/launch/drafts/new/")
    page.evaluate("document.getElementById('id_image_file').dataset.original = 'yes'")
    page.fill("#id_title", "Autosaved before its picture")
    page.locator("#id_body").focus()  # leaving the title saves at once, which starts the draft
    page.locator("#autosave-status", has_text=re.compile(r"^Saved")).wait_for()
    page.wait_for_url(re.compile(r"/drafts/\d+/edit/$"))
    assert page.locator("#id_image_file").get_attribute("data-original") == "yes"  # the same picker, not swapped

    page.set_input_files(
        "#id_image_file", files=[{"name": "square.png", "mimeType": "image/png", "buffer": make_image_bytes(64, 64)}]
    )
    page.fill("#id_image_alt_text", ALT_TEXT)
    page.locator("#draft-images button", has_text="Add image").click()
    page.locator(f'#draft-images img[alt="{ALT_TEXT}"]').wait_for()

    draft = Draft.objects.get(title="Autosaved before its picture")
    assert list(draft.images.values_list("alt_text", flat=True)) == [ALT_TEXT]
    assert Draft.objects.filter(title="Autosaved before its picture").count() == 1
    # The section is now the draft's own: its upload form posts to the draft.
    assert page.locator("#draft-images form[enctype]").get_attribute("action") == f"/drafts/{draft.pk}/images/"
    console.assert_none()
