"""Bounded image decoding: canvas, pixel count and bit depth are judged from the header, before decoding.

The files below claim their canvas in the header but carry pixel data that cannot be decoded, so a
refusal that names the limit proves the decoder was never reached (it would have said "damaged" or
"not an image we can read").
"""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cocreate.imaging import max_pixels
from drafts.images import image_clean
from drafts.models import DraftImage

RGBA = 6
GREY = 0


def png(width: int, height: int, *, bit_depth: int = 8, color_type: int = 2, pixels: bytes | None = None) -> bytes:
    """A PNG claiming width x height; its IDAT is `pixels` compressed, by default a few broken bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    idat = zlib.compress(b"\0" * 16 if pixels is None else pixels)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(data: bytes, name: str = "picture.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        image_clean(upload(data))
    return " ".join(refused.value.message_dict["file"])


def test_the_api_refuses_the_16_bit_8000x8000_png_with_a_400_before_decoding(api_client_for, draft):
    response = api_client_for("contributor").post(
        f"/api/drafts/{draft.pk}/images/",
        {"file": upload(png(8000, 8000, bit_depth=16, color_type=RGBA)), "alt_text": "zeros"},
        format="multipart",
    )
    assert response.status_code == 400
    message = response.json()["file"][0]
    assert "16 bits per colour channel" in message
    assert "8-bit PNG" in message
    assert not DraftImage.objects.exists()


def test_it_refuses_a_small_valid_16_bit_png_too():
    """Not a matter of the file being broken: a 4x4 16-bit greyscale PNG Pillow could decode is refused."""
    rows = b"".join(b"\0" + b"\x12\x34" * 4 for _ in range(4))
    data = png(4, 4, bit_depth=16, color_type=GREY, pixels=rows)
    with Image.open(io.BytesIO(data)) as readable:
        readable.load()
    assert "16 bits per colour channel" in refusal(data)


def test_it_refuses_a_canvas_over_the_pixel_limit_that_is_within_the_side_limit():
    message = refusal(png(6000, 6000))  # 36 MP, each side under 8,000
    assert "6,000x6,000 pixels (36 megapixels)" in message
    assert "the limit is 25 megapixels" in message


def test_it_takes_the_pixel_limit_from_the_settings(settings):
    settings.IMAGE_MAX_PIXELS = 1_000
    assert "the limit is 1,000 pixels" in refusal(png(40, 40))
    settings.IMAGE_MAX_PIXELS = 2_000
    assert "limit" not in refusal(png(40, 40))  # 1,600 pixels pass the header check; the broken data does not


def test_pillow_refuses_bombs_past_our_limit_for_any_other_caller():
    assert Image.MAX_IMAGE_PIXELS == max_pixels() == 25_000_000


def test_the_page_refuses_a_16_bit_avatar_before_decoding(personas):
    client = Client()
    client.force_login(personas.contributor)
    response = client.post("/profile/", {"avatar": upload(png(500, 500, bit_depth=16, color_type=RGBA))})
    assert response.status_code == 400
    assert "16 bits per colour channel" in response.content.decode()
