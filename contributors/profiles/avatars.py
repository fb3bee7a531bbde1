"""Avatar uploads: accept only real, reasonably small images, and store a clean PNG re-encoded by Pillow.

Re-encoding drops metadata (EXIF with GPS positions) and anything smuggled after the image data, so what
we serve is exactly the pixels we checked.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from cocreate.imaging import ImageRefused, image_header_check


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
    side = max_side()
    # The canvas, bit depth and mode are judged from the header, before any pixel is decoded: a tiny file
    # can claim a gigantic canvas (cocreate/imaging.py).
    try:
        image_header_check(data, max_side=side, pixel_limit=side * side)
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
    except ImageRefused as refused:
        message = refused.message
        if refused.reason == "side":
            width, height = refused.size
            message = f"The picture is {width}x{height} pixels; at most {side}x{side} please."
        raise ValidationError({"avatar": message}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"avatar": "This file is not an image we can read (PNG, JPEG, GIF or WebP)."}) from None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            clean = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"avatar": "This image is damaged and cannot be read."}) from None
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="avatar.png")
