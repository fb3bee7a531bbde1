"""Images for the channel adapter tests.

`add_image` stores a DraftImage through tests.factories.attach_image (after the draft's other images) and
keeps the bytes it stored on the returned row (`image.data`), so a test can compare them with what a
stand-in received; pass `data` for bytes of your own. `noisy=True` (or `noisy_png`) makes an image that
does not compress, large for its size, for the tests that make an adapter re-encode.
"""

import io
import os

from PIL import Image

from tests.factories import attach_image, make_image_bytes


def noisy_png(width: int, height: int) -> bytes:
    """A PNG of random pixels: it does not compress, so a byte limit makes the adapter re-encode it."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, format="PNG")
    return out.getvalue()


def add_image(
    draft,
    *,
    alt_text: str = "A pink square",
    width: int = 64,
    height: int = 48,
    color=(200, 40, 90),
    noisy: bool = False,
    data: bytes | None = None,
):
    if data is None:
        data = noisy_png(width, height) if noisy else make_image_bytes(width, height, color=color)
    image = attach_image(draft, alt_text=alt_text, width=width, height=height, data=data)
    image.data = data
    return image
