"""Images from the first screen: the new-draft page takes an image before the draft exists. Draft and image are
created together or not at all, with editor.js (draft-start, JSON) and without it (the form, multipart)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafts.models import Draft, DraftImage
from tests.factories import make_image_bytes


def picture(data: bytes | None = None):
    return SimpleUploadedFile("p.png", make_image_bytes() if data is None else data, content_type="image/png")


def stored_files() -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_the_first_image_starts_the_draft_and_tells_the_page_where_it_now_lives(personas, web_client_for):
    response = web_client_for("contributor").post(
        reverse("draft-start", args=["launch"]),
        {"title": "With a picture", "body": "Look.", "file": picture(), "alt_text": "A pink square"},
    )
    assert response.status_code == 201
    answer = response.json()
    draft = Draft.objects.get()
    assert (draft.title, draft.body, draft.author) == ("With a picture", "Look.", personas.contributor)
    image = DraftImage.objects.get(draft=draft)
    assert image.alt_text == "A pink square"
    assert answer["edit_url"] == f"/drafts/{draft.pk}/edit/"
    assert answer["autosave_url"] == f"/drafts/{draft.pk}/autosave/"
    assert answer["version"] == draft.version
    assert f"/drafts/{draft.pk}/images/{image.pk}/" in answer["images_html"]  # the section, now for this draft
    assert len(stored_files()) == 1


def test_the_first_autosave_without_an_image_starts_the_draft_too(personas, web_client_for):
    response = web_client_for("contributor").post(reverse("draft-start", args=["launch"]), {"title": "Just text"})
    assert response.status_code == 201
    draft = Draft.objects.get()
    assert draft.title == "Just text"
    assert not DraftImage.objects.exists()
    # The page keeps its image picker and sends a later "Add image" here.
    assert response.json()["images_add_url"] == f"/drafts/{draft.pk}/images/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Bad picture", "file": "not an image"}, "not an image we can read"),
        ({"title": "", "file": None}, "This field is required."),
    ],
)
def test_a_refused_image_or_text_leaves_no_draft_and_no_file(personas, web_client_for, data, message):
    upload = picture() if data["file"] is None else picture(data["file"].encode())
    response = web_client_for("contributor").post(
        reverse("draft-start", args=["launch"]), {**data, "body": "Typed text.", "file": upload}
    )
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert response.json()["yours"]["body"] == "Typed text."
    assert not Draft.objects.exists()
    assert stored_files() == []


def test_without_javascript_the_new_draft_form_carries_the_first_image(personas, web_client_for):
    client = web_client_for("contributor")
    page = client.get(reverse("draft-create", args=["launch"])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'form="draft-form"' in page
    assert "Save first" not in page

    response = client.post(
        reverse("draft-create", args=["launch"]),
        {"title": "No script", "body": "Plain.", "file": picture(), "alt_text": "Square", "add_image": "1"},
    )
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{draft.pk}/edit/"  # carry on writing
    assert DraftImage.objects.get(draft=draft).alt_text == "Square"


def test_without_javascript_a_refused_image_keeps_the_text_and_says_to_choose_the_file_again(personas, web_client_for):
    response = web_client_for("contributor").post(
        reverse("draft-create", args=["launch"]),
        {"title": "No script", "body": "Typed and kept.", "file": picture(b"GIF89a broken"), "alt_text": "Kept alt"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed and kept." in page
    assert "Kept alt" in page
    assert "choose the image again" in page
    assert not Draft.objects.exists()
    assert stored_files() == []
