"""Fitting a post's images to a platform's limits (bytes per image, pixels per side).

Images are stored as validated JPEG or PNG (drafts.images). A platform with a smaller limit gets a
re-encoded copy: first the original, then JPEG at falling quality, then smaller sizes, until it fits.
"""

import io
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image

from publishing.adapters.base import AdapterError, Post, PostImage

JPEG_QUALITIES = (90, 80, 70, 60)
SHRINK_STEP = 0.75
SMALLEST_SIDE = 320


@dataclass(frozen=True)
class ImageUpload:
    """The bytes to send for one image, and how to label them."""

    data: bytes
    content_type: str
    filename: str
    alt_text: str
    width: int
    height: int


def fit_image(image: PostImage, *, max_bytes: int, max_side: int | None = None, platform: str = "") -> ImageUpload:
    """The image as bytes within max_bytes (and max_side pixels on its longer side); AdapterError(permanent)
    when even the smallest attempt is too big, which only a pathological limit causes."""
    data = image.read()
    longest = max(image.width, image.height)
    if len(data) <= max_bytes and (max_side is None or longest <= max_side):
        return ImageUpload(data, image.content_type, image.filename, image.alt_text, image.width, image.height)

    with Image.open(io.BytesIO(data)) as original:
        original.load()
        picture = original.convert("RGB")  # JPEG has no alpha; a flattened copy is what platforms show anyway
    scale = 1.0 if max_side is None or longest <= max_side else max_side / longest
    while True:
        size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        resized = picture if size == picture.size else picture.resize(size, Image.Resampling.LANCZOS)
        for quality in JPEG_QUALITIES:
            out = io.BytesIO()
            resized.save(out, format="JPEG", quality=quality, optimize=True)
            if out.tell() <= max_bytes:
                stem = image.filename.rsplit(".", 1)[0]
                return ImageUpload(out.getvalue(), "image/jpeg", f"{stem}.jpg", image.alt_text, *size)
        if max(size) <= SMALLEST_SIDE:
            raise AdapterError(
                f"An image cannot be made small enough for {platform or 'this platform'} ({max_bytes:,} bytes).",
                permanent=True,
            )
        scale *= SHRINK_STEP


# --- What adapters that take images share ------------------------------------------------------------------


def image_count_problems(post: Post, *, maximum: int, platform: str) -> list[str]:
    """A draft with more images than the platform attaches to one post cannot be published there as is."""
    count = len(post.images)
    if count <= maximum:
        return []
    return [f"{platform} takes at most {maximum} images per post; this draft has {count}: remove {count - maximum}."]


def alt_text_problems(post: Post, *, limit: int, platform: str, name: str = "alt text") -> list[str]:
    """Alt text longer than the platform keeps (counted in characters)."""
    problems = []
    for number, image in enumerate(post.images, start=1):
        length = len(image.alt_text)
        if length > limit:
            problems.append(
                f"The {name} of image {number} is {length:,} characters; {platform} allows at most {limit:,}."
            )
    return problems


@contextmanager
def uploading_media(platform: str):
    """Around the media uploads that come before a post is created.

    An upload is not a post: whatever happens to it, nothing is live yet, so an upload whose answer was lost
    (a timeout after sending) is a temporary error, not an ambiguous one, and the attempt goes again even on
    a platform that does not deduplicate posts. The next attempt uploads the images again; an upload left
    unused is harmless (platforms discard media no post refers to). 4xx stay permanent, 429/5xx temporary.
    """
    try:
        yield
    except AdapterError as error:
        if error.ambiguous:
            error.ambiguous = False
            error.message = f"{error.message} (while uploading an image: nothing was posted)"
        raise
