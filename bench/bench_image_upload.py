"""The worst image uploads the limits still allow: peak memory and time of drafts.images.image_clean.

    .venv/bin/python bench/bench_image_upload.py

Each case runs in a fresh subprocess, so its peak resident memory (ru_maxrss) is its own; the figure
printed is the peak minus the resident memory after Django and Pillow were imported. tracemalloc counts
only Python's allocations (the upload's bytes, the encoded output): Pillow's pixel buffers are allocated
in C and show only in ru_maxrss. The limits are the defaults: 10 MB a file, 8,000 pixels a side,
25 megapixels, 8 bits per channel.
"""

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def png_of_zeros(width: int, height: int, *, bit_depth: int = 8, color_type: int = 6) -> bytes:
    """A real, decodable PNG of zero pixels (streamed through zlib, so building it stays small)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = b"\0" * (1 + width * channels * bit_depth // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_gradient(width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


CASES = {
    "PNG 5000x5000 RGBA 8-bit, zeros (25 MP, the most pixels allowed)": lambda: png_of_zeros(5000, 5000),
    "JPEG 6000x4166 RGB, gradient (25 MP)": lambda: jpeg_gradient(6000, 4166),
    "PNG 8000x3125 RGBA 8-bit, zeros (25 MP, longest side)": lambda: png_of_zeros(8000, 3125),
    "PNG 8000x8000 RGBA 16-bit, zeros (refused: the issue's file)": lambda: png_of_zeros(8000, 8000, bit_depth=16),
}

CHILD = r"""
import io, json, resource, sys, time, tracemalloc
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from drafts.images import image_clean

data = sys.stdin.buffer.read()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
started = time.perf_counter()
try:
    image_clean(SimpleUploadedFile("upload", data))
    outcome = "accepted"
except ValidationError as refused:
    outcome = "refused: " + " ".join(refused.message_dict["file"])
elapsed = time.perf_counter() - started
_, python_peak = tracemalloc.get_traced_memory()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "seconds": elapsed, "rss_mb": (peak - baseline) / 1024,
                  "python_mb": python_peak / 2**20, "file_kb": len(data) / 1024}))
"""


def measure(data: bytes) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cocreate.settings_test"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], input=data, capture_output=True, cwd=ROOT, env=env, check=True
    )
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def main() -> None:
    print(f"{'case':68} {'file':>9} {'time':>7} {'peak RSS':>9} {'Python':>8}  outcome")
    for name, make in CASES.items():
        figures = measure(make())
        print(
            f"{name:68} {figures['file_kb']:7.0f}KB {figures['seconds']:6.2f}s {figures['rss_mb']:7.0f}MB "
            f"{figures['python_mb']:6.0f}MB  {figures['outcome'][:60]}"
        )


if __name__ == "__main__":
    main()
