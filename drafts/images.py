"""A draft's images: what we accept, and the only functions that add, change or remove them.

`image_clean` is the one place an upload is judged: real PNG, JPEG, GIF or WebP bytes within the limits,
checked from the header before a pixel is decoded, then re-encoded by Pillow so what we store and publish
is exactly the pixels we checked, without EXIF (GPS positions, camera serials), comments or anything
smuggled after the image data. The services follow draft_update: row lock, optional version check, only
while the draft may be edited, version bump and a revision, so an approved version is the content
including its images. Files go through Django's storage API only.
"""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from PIL import Image, ImageOps, UnidentifiedImageError

from cocreate.imaging import NOT_AN_IMAGE, ImageRefused, image_header_check
from contributors.models import User
from drafts import rules
from drafts.models import Draft, DraftImage
from drafts.selectors import draft_get_for_user, draft_image_get
from drafts.services import record_revision, require_current_version

MAX_ALT_TEXT_LENGTH = DraftImage._meta.get_field("alt_text").max_length
JPEG_QUALITY = 90


def max_bytes() -> int:
    return getattr(settings, "DRAFT_IMAGE_MAX_BYTES", 10 * 1024 * 1024)


def max_side() -> int:
    return getattr(settings, "DRAFT_IMAGE_MAX_SIDE", 8000)


def max_per_draft() -> int:
    """Most platforms take at most four images per post."""
    return getattr(settings, "DRAFT_IMAGE_MAX_PER_DRAFT", 4)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def image_clean(upload) -> tuple[ContentFile, str, int, int]:
    """The upload re-encoded for storage, as (ContentFile, content type, width, height); or
    ValidationError({"file": ...}) naming the limit it broke.

    JPEG stays JPEG (quality 90, turned upright by its EXIF orientation first, since the orientation tag
    goes with the rest of the metadata); PNG, GIF and WebP become PNG, keeping transparency. An animated
    GIF, WebP or PNG keeps only its first frame. The colour profile (ICC) is kept: it holds no personal
    data and without it wide-gamut photos would change colour.
    """
    limit = max_bytes()
    too_big = f"The file is larger than the limit of {_megabytes(limit)} ({limit:,} bytes)."
    if upload is None:
        raise _refuse("Choose an image file to upload.")
    if upload.size is not None and upload.size > limit:
        raise _refuse(too_big)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(too_big)
    if not data:
        raise _refuse("The file is empty.")

    # The canvas, bit depth and mode are judged from the header before anything is decoded, since a
    # tiny file can claim a gigantic canvas (a decompression bomb): cocreate/imaging.py.
    try:
        header = image_header_check(data, max_side=max_side())
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
    except ImageRefused as refused:
        raise _refuse(refused.message) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _refuse(NOT_AN_IMAGE) from None
    image_format = header.format

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the first frame of an animation
            icc_profile = image.info.get("icc_profile")
            # In place, and converted only when the mode differs: one copy of the pixels, not three.
            ImageOps.exif_transpose(image, in_place=True)
            if image_format == "JPEG":
                target = "RGB"
            else:
                has_alpha = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
                target = "RGBA" if has_alpha else "RGB"
            clean = image if image.mode == target else image.convert(target)
            return _encode(clean, image_format=image_format, icc_profile=icc_profile, limit=limit)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise _refuse("This image is damaged and cannot be read.") from None


def _encode(clean: Image.Image, *, image_format: str, icc_profile, limit: int) -> tuple[ContentFile, str, int, int]:
    clean.info = {}  # nothing of the original's metadata rides along
    options = {"icc_profile": icc_profile} if icc_profile else {}
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, **options)
        content_type, extension = "image/jpeg", "jpg"
    else:
        clean.save(out, format="PNG", optimize=True, **options)
        content_type, extension = "image/png", "png"
    if out.tell() > limit:
        raise _refuse(
            f"Stored as PNG this picture takes {_megabytes(out.tell())}, over the limit of {_megabytes(limit)}: "
            "upload a photo as a JPEG."
        )
    return ContentFile(out.getvalue(), name=f"image.{extension}"), content_type, clean.width, clean.height


def _clean_alt_text(alt_text) -> str:
    if not isinstance(alt_text, str):
        raise ValidationError({"alt_text": ["Alt text must be text."]})
    alt_text = alt_text.strip()
    if len(alt_text) > MAX_ALT_TEXT_LENGTH:
        raise ValidationError(
            {"alt_text": [f"Keep the alt text to {MAX_ALT_TEXT_LENGTH:,} characters (it has {len(alt_text):,})."]}
        )
    return alt_text


def _editable_draft(*, draft_id: int, actor: User, version: int | None) -> Draft:
    """The draft, locked, if `version` (when given) is current and the actor may change its content now."""
    draft = draft_get_for_user(actor, draft_id, for_update=True)
    require_current_version(draft, version)
    _require_can_edit(draft, actor)
    return draft


def _require_can_edit(draft: Draft, actor: User) -> None:
    if not rules.can_edit(draft, actor):
        raise PermissionDenied(
            "Images can be changed only while the draft is in the draft state, by its authors or the board's reviewers."
        )


def _content_changed(draft: Draft, actor: User) -> None:
    """Like a text save: a new version, and a revision that records the images (sha256 and alt text)."""
    draft.version += 1
    draft.save(update_fields=["version", "updated_at"])
    record_revision(draft, actor)


def _renumber(draft: Draft, ordered: list[DraftImage]) -> None:
    for position, image in enumerate(ordered):
        if image.position != position:
            image.position = position
            image.save(update_fields=["position"])


def draft_image_add(
    *, draft_id: int, actor: User, upload, alt_text: str = "", version: int | None = None
) -> DraftImage:
    """Validate, re-encode and store an image as the draft's last one.

    The bytes are checked and re-encoded before the write transaction starts (no lock is held while Pillow
    works); a refusal that needs no decoding (404, 403) comes first. If the database write fails after the
    file was stored, the file is deleted again, so no orphan is left in the storage.
    """
    _require_can_edit(draft_get_for_user(actor, draft_id), actor)
    alt_text = _clean_alt_text(alt_text)
    content, content_type, width, height = image_clean(upload)
    stored_name = ""
    try:
        with transaction.atomic():
            draft = _editable_draft(draft_id=draft_id, actor=actor, version=version)
            count = draft.images.count()
            if count >= max_per_draft():
                raise ValidationError(
                    {"file": [f"A draft carries at most {max_per_draft()} images; remove one to add another."]}
                )
            last = draft.images.aggregate(last=Max("position"))["last"]
            data = content.read()
            image = DraftImage(
                draft=draft,
                alt_text=alt_text,
                position=0 if last is None else last + 1,
                content_type=content_type,
                size=len(data),
                width=width,
                height=height,
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
            )
            image.file.save(content.name, content, save=False)
            stored_name = image.file.name
            image.save()
            _content_changed(draft, actor)
    except BaseException:
        if stored_name:
            DraftImage._meta.get_field("file").storage.delete(stored_name)
        raise
    return image


@transaction.atomic
def draft_image_update(
    *,
    draft_id: int,
    image_id: int,
    actor: User,
    alt_text: str | None = None,
    position: int | None = None,
    version: int | None = None,
) -> DraftImage:
    """Change an image's alt text and/or move it to `position` (0 is first; the others shift)."""
    draft = _editable_draft(draft_id=draft_id, actor=actor, version=version)
    image = draft_image_get(draft, image_id)
    changed = False
    if alt_text is not None:
        alt_text = _clean_alt_text(alt_text)
        if alt_text != image.alt_text:
            image.alt_text = alt_text
            image.save(update_fields=["alt_text"])
            changed = True
    if position is not None:
        ordered = list(draft.images.all())
        if not isinstance(position, int) or not 0 <= position < len(ordered):
            raise ValidationError({"position": [f"Give a position from 0 to {len(ordered) - 1}."]})
        current = next(i for i, other in enumerate(ordered) if other.pk == image.pk)
        if current != position:
            ordered.insert(position, ordered.pop(current))
            _renumber(draft, ordered)
            changed = True
        image.position = position
    if changed:
        _content_changed(draft, actor)
    return image


@transaction.atomic
def draft_image_remove(*, draft_id: int, image_id: int, actor: User, version: int | None = None) -> None:
    """Remove the image; its file is deleted once the transaction has committed, so a rollback keeps it."""
    draft = _editable_draft(draft_id=draft_id, actor=actor, version=version)
    image = draft_image_get(draft, image_id)
    storage, name = image.file.storage, image.file.name
    image.delete()
    _renumber(draft, list(draft.images.all()))
    _content_changed(draft, actor)
    transaction.on_commit(lambda: storage.delete(name))
