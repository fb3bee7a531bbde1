"""Draft images: what we accept and store, who may change them, how they are served, the API and the editor.

Who may reach each URL is in tests/matrix_images.py; these tests pin the behaviour behind those answers.
Uploaded files land in the per-test MEDIA_ROOT (tests/conftest.py), so "nothing stored" is checked on disk.
"""

import hashlib
import io
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.test import Client
from PIL import Image, ImageFile

from cocreate.errors import Conflict
from drafts.images import draft_image_add, draft_image_remove, draft_image_update, image_clean
from drafts.models import DraftImage, DraftRevision
from drafts.selectors import revision_diff
from tests.factories import advance, make_draft, make_image_bytes

GPS_IFD = 0x8825


def upload(data: bytes | None = None, name: str = "picture.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, make_image_bytes() if data is None else data, content_type=content_type)


def stored_files() -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def jpeg_with_gps(orientation: int | None = None, size=(60, 30)) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    # A red left half, so a rotation shows in the pixels.
    image.paste((250, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (55.0, 40.0, 30.0), 3: "E", 4: (12.0, 34.0, 56.0)})
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a canvas of width x height but carries only a few bytes of (broken) pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def file_error(exc_info) -> str:
    return " ".join(exc_info.value.message_dict["file"])


@pytest.fixture
def add(personas, draft):
    def _add(data: bytes | None = None, *, actor=None, alt_text: str = "A pink square", **kwargs) -> DraftImage:
        return draft_image_add(
            draft_id=draft.pk, actor=actor or personas.contributor, upload=upload(data), alt_text=alt_text, **kwargs
        )

    return _add


# --- What is accepted and how it is stored ---------------------------------------------------------------


def test_it_stores_a_png_through_the_storage_under_the_drafts_folder(personas, draft, add):
    image = add(make_image_bytes(64, 48, "PNG"))
    image.refresh_from_db()
    assert image.content_type == "image/png"
    assert (image.width, image.height) == (64, 48)
    assert image.file.name.startswith(f"drafts/{draft.pk}/")
    assert image.file.name.endswith(".png")
    on_disk = Path(settings.MEDIA_ROOT) / image.file.name
    assert stored_files() == [on_disk]
    data = on_disk.read_bytes()
    assert image.size == len(data)
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert image.uploaded_by == personas.contributor
    assert image.alt_text == "A pink square"
    with Image.open(on_disk) as stored:
        assert stored.format == "PNG"


def test_it_keeps_a_jpeg_a_jpeg(add):
    image = add(make_image_bytes(80, 40, "JPEG"))
    assert image.content_type == "image/jpeg"
    assert image.file.name.endswith(".jpg")
    with Image.open(Path(settings.MEDIA_ROOT) / image.file.name) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (80, 40)


@pytest.mark.parametrize("image_format", ["GIF", "WEBP"])
def test_it_turns_gif_and_webp_into_png(add, image_format):
    image = add(make_image_bytes(20, 10, image_format))
    assert image.content_type == "image/png"
    with Image.open(Path(settings.MEDIA_ROOT) / image.file.name) as stored:
        assert (stored.format, stored.size) == ("PNG", (20, 10))


def test_it_strips_exif_and_gps_from_a_jpeg():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD), "the test image must carry GPS data"
    content, content_type, width, height = image_clean(upload(original, "photo.jpg", "image/jpeg"))
    cleaned = content.read()
    assert content_type == "image/jpeg"
    assert (width, height) == (60, 30)
    with Image.open(io.BytesIO(cleaned)) as after:
        assert dict(after.getexif()) == {}
        assert "exif" not in after.info
    assert b"PhoneMaker" not in cleaned


def test_it_turns_a_jpeg_upright_by_its_exif_orientation_before_dropping_it():
    # Orientation 6: the camera was turned; viewers rotate the 60x30 picture to 30x60.
    content, _, width, height = image_clean(upload(jpeg_with_gps(orientation=6), "photo.jpg", "image/jpeg"))
    assert (width, height) == (30, 60)
    with Image.open(content) as after:
        assert after.size == (30, 60)
        red, _, blue = after.convert("RGB").getpixel((15, 5))
        assert red > 200
        assert blue < 60


def test_it_keeps_only_the_first_frame_of_an_animated_gif():
    frames = [Image.new("RGB", (16, 16), color) for color in [(255, 0, 0), (0, 0, 255)]]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], loop=0)
    content, content_type, _, _ = image_clean(upload(out.getvalue(), "anim.gif", "image/gif"))
    with Image.open(content) as after:
        assert content_type == "image/png"
        assert getattr(after, "n_frames", 1) == 1
        assert after.convert("RGB").getpixel((1, 1)) == (255, 0, 0)


def test_it_refuses_a_text_file_named_like_a_png(add):
    with pytest.raises(ValidationError) as refused:
        add(b"just some text, honestly an image\n" * 10)
    assert "not an image" in file_error(refused)
    assert stored_files() == []
    assert not DraftImage.objects.exists()


def test_it_refuses_an_image_over_the_byte_limit_naming_it(add, settings):
    settings.DRAFT_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        add(make_image_bytes(400, 400, "JPEG", color=(1, 2, 3)) + b"\0" * 2000)
    assert "1,000 bytes" in file_error(refused)
    assert stored_files() == []


def test_it_reads_no_more_than_the_limit_even_when_the_upload_claims_to_be_small(settings):
    settings.DRAFT_IMAGE_MAX_BYTES = 1000
    liar = upload(make_image_bytes() + b"\0" * 5000)
    liar.size = 10
    with pytest.raises(ValidationError) as refused:
        image_clean(liar)
    assert "1,000 bytes" in file_error(refused)


def test_it_refuses_a_huge_canvas_from_its_header_without_decoding_it(monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "verify", no_decoding)
    with pytest.raises(ValidationError) as refused:
        image_clean(upload(png_header(20_000, 100)))
    assert "20,000x100 pixels" in file_error(refused)
    assert "8,000 pixels" in file_error(refused)


def test_it_refuses_a_decompression_bomb_header_saying_why():
    with pytest.raises(ValidationError) as refused:
        image_clean(upload(png_header(100_000, 100_000)))
    assert "8,000 pixels" in file_error(refused)


def test_it_refuses_the_fifth_image_of_a_draft(add):
    for _ in range(4):
        add()
    with pytest.raises(ValidationError) as refused:
        add()
    assert "at most 4 images" in file_error(refused)
    assert DraftImage.objects.count() == 4
    assert len(stored_files()) == 4


def test_it_refuses_alt_text_over_1000_characters(add):
    with pytest.raises(ValidationError) as refused:
        add(alt_text="a" * 1001)
    assert "1,000 characters" in refused.value.message_dict["alt_text"][0]
    assert stored_files() == []
    image = add(alt_text="a" * 1000)
    with pytest.raises(ValidationError):
        draft_image_update(draft_id=image.draft_id, image_id=image.pk, actor=image.uploaded_by, alt_text="b" * 1001)


# --- The rules of draft_update: who, when, which version ---------------------------------------------------


def test_it_refuses_changes_once_the_draft_is_in_review(personas, draft, add):
    image = add()
    advance(draft, "review", personas)
    for actor in (personas.contributor, personas.reviewer, personas.manager):
        with pytest.raises(PermissionDenied):
            add(actor=actor)
        with pytest.raises(PermissionDenied):
            draft_image_update(draft_id=draft.pk, image_id=image.pk, actor=actor, alt_text="Changed")
        with pytest.raises(PermissionDenied):
            draft_image_remove(draft_id=draft.pk, image_id=image.pk, actor=actor)
    assert len(stored_files()) == 1
    image.refresh_from_db()
    assert image.alt_text == "A pink square"


def test_it_refuses_a_stale_version_and_stores_nothing(draft, add):
    with pytest.raises(Conflict) as refused:
        add(version=draft.version - 1 if draft.version > 1 else draft.version + 5)
    assert "changed since you opened it" in refused.value.message
    assert stored_files() == []
    assert not DraftImage.objects.exists()


def test_it_bumps_the_version_and_records_each_change_in_a_revision(personas, draft, add):
    start = draft.version
    first = add(version=start, alt_text="")
    second = add(version=start + 1, alt_text="Second")
    draft.refresh_from_db()
    assert draft.version == start + 2
    draft_image_update(
        draft_id=draft.pk, image_id=first.pk, actor=personas.reviewer, alt_text="First", version=start + 2
    )
    draft_image_update(draft_id=draft.pk, image_id=second.pk, actor=personas.contributor, position=0)
    draft_image_remove(draft_id=draft.pk, image_id=first.pk, actor=personas.contributor, version=start + 4)
    draft.refresh_from_db()
    assert draft.version == start + 5
    snapshots = list(DraftRevision.objects.filter(draft=draft).order_by("number").values_list("images", flat=True))
    assert snapshots[0] == []
    assert [[i["alt_text"] for i in s] for s in snapshots[1:]] == [
        [""],
        ["", "Second"],
        ["First", "Second"],
        ["Second", "First"],
        ["Second"],
    ]
    assert snapshots[-1][0]["sha256"] == second.sha256
    new, old = DraftRevision.objects.filter(draft=draft).order_by("-number")[:2]
    assert "-2. " + first.sha256[:12] + " alt: First" in revision_diff(old, new)


def test_an_update_that_changes_nothing_keeps_the_version(draft, add):
    image = add()
    draft.refresh_from_db()
    before = draft.version
    draft_image_update(draft_id=draft.pk, image_id=image.pk, actor=image.uploaded_by, alt_text=" A pink square ")
    draft.refresh_from_db()
    assert draft.version == before


def test_it_moves_an_image_and_renumbers_the_others(draft, add):
    a, _b, c = add(alt_text="a"), add(alt_text="b"), add(alt_text="c")
    draft_image_update(draft_id=draft.pk, image_id=c.pk, actor=c.uploaded_by, position=0)
    assert list(draft.images.values_list("alt_text", "position")) == [("c", 0), ("a", 1), ("b", 2)]
    with pytest.raises(ValidationError) as refused:
        draft_image_update(draft_id=draft.pk, image_id=a.pk, actor=a.uploaded_by, position=3)
    assert "0 to 2" in refused.value.message_dict["position"][0]


def test_it_deletes_the_removed_file_only_after_commit(draft, add, django_capture_on_commit_callbacks):
    image = add()
    kept = add()
    path = Path(settings.MEDIA_ROOT) / image.file.name
    with django_capture_on_commit_callbacks(execute=True):
        draft_image_remove(draft_id=draft.pk, image_id=image.pk, actor=image.uploaded_by)
        assert path.exists(), "deleted before the transaction committed"
    assert not path.exists()
    assert stored_files() == [Path(settings.MEDIA_ROOT) / kept.file.name]
    assert list(draft.images.values_list("pk", "position")) == [(kept.pk, 0)]


@contextmanager
def database_refuses_revisions():
    """The database itself fails the revision INSERT (Django's execute_wrapper hook: no code of ours replaced)."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "drafts_draftrevision" in sql:
            raise OperationalError("disk I/O error (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def test_it_keeps_the_file_when_the_removal_rolls_back(draft, add, django_capture_on_commit_callbacks):
    """The caller's transaction rolls back after the removal: the row comes back, so the file must still be there."""
    image = add()

    class Abandon(Exception):
        pass

    def remove_then_abandon():
        with transaction.atomic():
            draft_image_remove(draft_id=draft.pk, image_id=image.pk, actor=image.uploaded_by)
            raise Abandon

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abandon):
        remove_then_abandon()
    assert callbacks == []
    assert (Path(settings.MEDIA_ROOT) / image.file.name).exists()
    assert DraftImage.objects.filter(pk=image.pk).exists()


def test_it_deletes_the_stored_file_when_the_database_write_fails(draft, add):
    version = draft.version
    with database_refuses_revisions(), pytest.raises(OperationalError):
        add()
    assert stored_files() == []
    assert not DraftImage.objects.exists()
    draft.refresh_from_db()
    assert draft.version == version


# --- Serving ---------------------------------------------------------------------------------------------------


def test_it_serves_the_image_privately_with_its_content_type(web_client_for, draft, add):
    image = add(make_image_bytes(10, 10, "JPEG"))
    response = web_client_for("reviewer").get(f"/drafts/{draft.pk}/images/{image.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == image.sha256


def test_it_hides_the_image_from_whoever_cannot_see_the_draft(web_client_for, personas, draft, add):
    image = add()
    url = f"/drafts/{draft.pk}/images/{image.pk}/"
    assert web_client_for("outsider").get(url).status_code == 404
    other = make_draft(personas.board, personas.reviewer, title="Reviewer's own")
    assert web_client_for("contributor").get(f"/drafts/{other.pk}/images/{image.pk}/").status_code == 404
    assert Client().get(url).status_code == 302


def test_it_answers_404_for_an_image_of_another_draft(web_client_for, personas, draft, add):
    image = add()
    second = make_draft(personas.board, personas.contributor, title="Second")
    assert web_client_for("contributor").get(f"/drafts/{second.pk}/images/{image.pk}/").status_code == 404


# --- API ----------------------------------------------------------------------------------------------------------


def test_the_api_uploads_lists_changes_and_deletes_images(api_client_for, draft):
    client = api_client_for("contributor")
    url = f"/api/drafts/{draft.pk}/images/"
    created = client.post(
        url, {"file": upload(), "alt_text": "A pink square", "version": draft.version}, format="multipart"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["draft_version"] == draft.version + 1
    assert body["url"] == f"/drafts/{draft.pk}/images/{body['id']}/"
    assert (body["width"], body["height"], body["content_type"], body["position"]) == (64, 48, "image/png", 0)
    assert len(body["sha256"]) == 64

    listed = client.get(url).json()
    assert [i["id"] for i in listed] == [body["id"]]
    assert set(listed[0]) == {"id", "url", "alt_text", "position", "width", "height", "size", "content_type", "sha256"}
    detail = client.get(f"/api/drafts/{draft.pk}/").json()
    assert detail["images"] == listed

    patched = client.patch(f"{url}{body['id']}/", {"alt_text": "A square, pink", "version": 2}, format="json")
    assert patched.status_code == 200, patched.content
    assert (patched.json()["alt_text"], patched.json()["draft_version"]) == ("A square, pink", 3)

    deleted = client.delete(f"{url}{body['id']}/?version=3")
    assert deleted.status_code == 204
    assert client.get(url).json() == []


def test_the_api_answers_400_with_a_field_message(api_client_for, draft):
    client = api_client_for("contributor")
    url = f"/api/drafts/{draft.pk}/images/"
    not_image = client.post(url, {"file": upload(b"hello"), "alt_text": ""}, format="multipart")
    assert not_image.status_code == 400
    assert "not an image" in not_image.json()["file"][0]
    no_file = client.post(url, {"alt_text": "x"}, format="multipart")
    assert no_file.status_code == 400
    assert "file" in no_file.json()
    long_alt = client.post(url, {"file": upload(), "alt_text": "x" * 1001}, format="multipart")
    assert long_alt.status_code == 400
    assert "1,000 characters" in long_alt.json()["alt_text"][0]
    as_json = client.post(url, {"alt_text": "x"}, format="json")
    assert as_json.status_code == 415
    assert stored_files() == []


def test_the_api_answers_409_for_a_stale_version_and_404_for_an_unknown_image(api_client_for, draft, add):
    client = api_client_for("contributor")
    image = add()
    stale = client.patch(f"/api/drafts/{draft.pk}/images/{image.pk}/", {"alt_text": "x", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "changed since" in stale.json()["detail"]
    bad_position = client.patch(f"/api/drafts/{draft.pk}/images/{image.pk}/", {"position": 4}, format="json")
    assert bad_position.status_code == 400
    assert "position" in bad_position.json()
    assert client.delete(f"/api/drafts/{draft.pk}/images/{image.pk + 1}/").status_code == 404
    assert client.delete(f"/api/drafts/{draft.pk}/images/{image.pk}/?version=x").status_code == 400


def test_the_api_lists_drafts_with_their_images(api_client_for, draft, add):
    add(alt_text="first")
    add(alt_text="second")
    results = api_client_for("reviewer").get("/api/drafts/").json()["results"]
    [listed] = [d for d in results if d["id"] == draft.pk]
    assert [i["alt_text"] for i in listed["images"]] == ["first", "second"]


def test_the_schema_documents_the_image_endpoints(api_client_for):
    paths = api_client_for("contributor").get("/api/schema/?format=json").json()["paths"]
    upload_body = paths["/api/drafts/{id}/images/"]["post"]["requestBody"]["content"]
    assert list(upload_body) == ["multipart/form-data"]
    assert {"patch", "delete"} <= set(paths["/api/drafts/{id}/images/{image_id}/"])


# --- Pages -------------------------------------------------------------------------------------------------------


def test_the_editor_uploads_without_javascript_and_redirects_back(web_client_for, draft):
    client = web_client_for("contributor")
    response = client.post(
        f"/drafts/{draft.pk}/images/", {"file": upload(), "alt_text": "A pink square", "version": draft.version}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/drafts/{draft.pk}/edit/"
    image = DraftImage.objects.get(draft=draft)
    page = client.get(response["Location"]).content.decode()
    assert f'src="/drafts/{draft.pk}/images/{image.pk}/"' in page
    assert 'alt="A pink square"' in page
    assert 'accept="image/*"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_editor_shows_a_refused_upload_with_its_reason_without_javascript(web_client_for, draft):
    response = web_client_for("contributor").post(
        f"/drafts/{draft.pk}/images/", {"file": upload(b"not an image"), "alt_text": "Kept", "version": draft.version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not an image we can read" in page
    assert "Kept</textarea>" in page
    assert stored_files() == []


def test_the_editor_uploads_with_htmx_and_answers_with_the_section(web_client_for, draft):
    client = web_client_for("contributor")
    response = client.post(
        f"/drafts/{draft.pk}/images/",
        {"file": upload(), "alt_text": "", "version": draft.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section id="draft-images"')
    assert "<html" not in fragment
    assert "No alt text" in fragment
    # The text form's version follows the image change (out-of-band swap).
    assert f'value="{draft.version + 1}" id="id_version" hx-swap-oob="true"' in fragment


def test_the_editor_answers_a_refused_htmx_upload_with_the_section_and_its_message(web_client_for, personas, draft):
    for _ in range(4):
        draft_image_add(draft_id=draft.pk, actor=personas.contributor, upload=upload())
    response = web_client_for("contributor").post(
        f"/drafts/{draft.pk}/images/", {"file": upload(), "alt_text": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    fragment = response.content.decode()
    assert "at most 4 images" in fragment
    assert "<html" not in fragment


def test_the_editor_changes_alt_text_moves_and_removes_images(web_client_for, draft, add):
    first, second = add(alt_text="first"), add(alt_text="second")
    client = web_client_for("contributor")
    base = f"/drafts/{draft.pk}/images"
    assert client.post(f"{base}/{first.pk}/edit/", {"alt_text": "First!"}).status_code == 302
    assert client.post(f"{base}/{second.pk}/edit/", {"move": "up"}).status_code == 302
    assert list(draft.images.values_list("alt_text", flat=True)) == ["second", "First!"]
    response = client.post(f"{base}/{second.pk}/remove/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert list(draft.images.values_list("alt_text", flat=True)) == ["First!"]
    stale = client.post(f"{base}/{first.pk}/edit/", {"alt_text": "x", "version": 1}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.content.decode()


def test_the_draft_page_shows_thumbnails_with_alt_text_and_warns_without(web_client_for, draft, add):
    described = add(alt_text="A pink square")
    bare = add(alt_text="")
    page = web_client_for("reviewer").get(f"/drafts/{draft.pk}/").content.decode()
    assert f'<img src="/drafts/{draft.pk}/images/{described.pk}/" alt="A pink square"' in page
    assert f'<img src="/drafts/{draft.pk}/images/{bare.pk}/" alt=""' in page
    assert "No alt text" in page


def test_the_admin_shows_images_read_only(client, personas, draft, add):
    add(alt_text="Shown in the admin")
    client.force_login(personas.admin)
    page = client.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    assert "Shown in the admin" in page
    assert "images-0-alt_text" not in page  # no editable field


def test_the_demo_gives_a_draft_an_image_with_alt_text_once(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    [image] = DraftImage.objects.all()
    assert image.alt_text.startswith("The planner's week view")
    assert image.draft.state == "draft"
    assert stored_files() == [Path(settings.MEDIA_ROOT) / image.file.name]
