"""Judging an uploaded picture from its header alone, before a single pixel is decoded.

A few hundred kilobytes of PNG can claim a canvas that takes gigabytes once decoded (an 8000x8000 16-bit
RGBA PNG of zeros is 486 KB and cost 870 MB and 5 s to decode). So the canvas, the bits per channel and
the colour mode are read from the header and refused before decoding; what passes is bounded by
IMAGE_MAX_PIXELS x 4 bytes per copy of the pixels. Draft images and avatars both go through here.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Modes Pillow decodes into at most 4 bytes a pixel, all of which we re-encode as RGB(A). 16-bit and
# floating-point modes ("I;16", "I", "F") are refused: they are 2 to 4 times the memory and no platform
# takes them.
DECODABLE_MODES = {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "CMYK", "YCbCr"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def max_pixels() -> int:
    """25 MP: a 24-megapixel camera's photo (6000x4000) passes; one copy of its pixels is at most 100 MB."""
    return getattr(settings, "IMAGE_MAX_PIXELS", 25_000_000)


# Pillow's own decompression-bomb check is a backstop for any code that opens an image elsewhere (it warns
# past this and refuses past twice this); our checks below refuse past it, with a clear message.
Image.MAX_IMAGE_PIXELS = max_pixels()


class ImageRefused(Exception):
    """An upload that breaks a limit; the message says which, for the person who uploaded it."""

    def __init__(self, message: str, *, reason: str = "", size: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason  # "side" when a side is too long, so a caller may word it its own way
        self.size = size


@dataclass(frozen=True)
class ImageHeader:
    format: str
    width: int
    height: int
    mode: str


NOT_AN_IMAGE = "This file is not an image we can read: upload a PNG, JPEG, GIF or WebP picture."


def _megapixels(pixels: int) -> str:
    if pixels < 100_000:
        return f"{pixels:,} pixels"
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0") + " megapixels"


def png_bit_depth(data: bytes) -> int | None:
    """Bits per channel from a PNG's IHDR chunk (always the first chunk), or None for other files."""
    if data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR" and len(data) >= 25:
        return data[24]
    return None


def image_header_check(data: bytes, *, max_side: int, pixel_limit: int | None = None) -> ImageHeader:
    """What the header says about `data`, or ImageRefused naming the limit it breaks.

    Image.open reads the header only; nothing here decodes pixels. The caller decodes afterwards (and
    must expect a damaged file to fail then).
    """
    pixel_limit = max_pixels() if pixel_limit is None else pixel_limit
    depth = png_bit_depth(data)
    if depth is not None and depth > 8:
        raise ImageRefused(
            f"This PNG stores {depth} bits per colour channel; we accept 8 at most. "
            "Export it as an 8-bit PNG or as a JPEG."
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            header = ImageHeader(probe.format or "", probe.size[0], probe.size[1], probe.mode)
    except Image.DecompressionBombError:
        raise ImageRefused(
            f"The picture has far too many pixels; the limit is {max_side:,} pixels a side "
            f"and {_megapixels(pixel_limit)} in all."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageRefused(NOT_AN_IMAGE) from None
    if header.format not in ALLOWED_FORMATS:
        raise ImageRefused(f"{header.format or 'These'} files are not accepted: upload a PNG, JPEG, GIF or WebP.")
    if header.width > max_side or header.height > max_side:
        raise ImageRefused(
            f"The picture is {header.width:,}x{header.height:,} pixels; the limit is {max_side:,} pixels a side.",
            reason="side",
            size=(header.width, header.height),
        )
    if header.width * header.height > pixel_limit:
        raise ImageRefused(
            f"The picture is {header.width:,}x{header.height:,} pixels ({_megapixels(header.width * header.height)}); "
            f"the limit is {_megapixels(pixel_limit)}. Scale it down before uploading."
        )
    if header.mode not in DECODABLE_MODES:
        raise ImageRefused(
            f"This picture's colour format ({header.mode}) is not accepted: upload an 8-bit colour or greyscale image."
        )
    return header
