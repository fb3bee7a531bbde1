"""Images for the Mastodon, Bluesky, X and Pinterest adapter tests.

`attach` stores a DraftImage row like tests.factories.attach_image, but names the stored content: with an
unnamed ContentFile, Django 5.2's ImageFieldFile reads no dimensions and leaves width/height NULL.
`noisy_png` is an image that really is big: random pixels do not compress.
"""

import hashlib
import io
import os

from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import make_image_bytes


def attach(draft, *, alt_text: str = "A pink square", data: bytes | None = None, color=(200, 40, 90)):
    """A stored DraftImage (PNG) of the draft, after its other images; `.data` holds the bytes stored."""
    from drafts.models import DraftImage

    data = data if data is not None else make_image_bytes(64, 48, color=color)
    image = DraftImage(
        draft=draft,
        alt_text=alt_text,
        position=draft.images.count(),
        content_type="image/png",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    image.file.save("upload.png", ContentFile(data, name="upload.png"), save=False)
    image.save()
    image.data = data
    return image


def noisy_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, format="PNG")
    return out.getvalue()
