"""Avatar uploads: accept only real, reasonably small images, and store a clean PNG re-encoded by Pillow.

Re-encoding drops metadata (EXIF with GPS positions) and anything smuggled after the image data, so what
we serve is exactly the pixels we checked.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def max_bytes() -> int:
    return getattr(settings, "PROFILE_AVATAR_MAX_BYTES", 1_000_000)


def max_side() -> int:
    return getattr(settings, "PROFILE_AVATAR_MAX_SIDE", 1024)


def avatar_clean(upload) -> ContentFile:
    """The upload as a PNG ready for storage, or ValidationError({"avatar": ...})."""
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError({"avatar": f"The picture is larger than {limit:,} bytes."})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"avatar": f"The picture is larger than {limit:,} bytes."})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"avatar": "This file is not an image we can read (PNG, JPEG, GIF or WebP)."}) from None
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError({"avatar": "Upload a PNG, JPEG, GIF or WebP picture."})
    side = max_side()
    # Checked from the header, before any pixel is decoded: a tiny file can claim a gigantic canvas.
    if width > side or height > side:
        raise ValidationError({"avatar": f"The picture is {width}x{height} pixels; at most {side}x{side} please."})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            clean = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"avatar": "This image is damaged and cannot be read."}) from None
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="avatar.png")
