"""Looking at pages in the real headless Chromium, as a person would see them."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import attrs
import pytest

_NAMES = ("chromium", "chromium-browser", "google-chrome")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--hide-scrollbars",
)


def require_chromium() -> str:
    """The path of Chromium; without it, skip locally and fail in CI (where it must be installed)."""
    path = next((p for p in map(shutil.which, _NAMES) if p), None)
    if path is None:
        message = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@attrs.frozen
class Shot:
    """A screenshot of a page and what the page said on its console."""

    png: bytes
    console: tuple[str, ...]


def screenshot(page: Path, out: Path, width: int = 1000, height: int = 1400) -> Shot:
    """Open ``page`` in headless Chromium, save a screenshot to ``out``, collect the console's messages."""
    chromium = require_chromium()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium,
                *_FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={out}",
                f"--window-size={width},{height}",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    console = tuple(line for line in done.stderr.splitlines() if ":CONSOLE" in line)
    assert out.exists(), done.stderr[-2000:]
    return Shot(out.read_bytes(), console)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def pixels(png: bytes, max_rows: int = 400) -> list[tuple[int, ...]]:
    """The first ``max_rows`` rows of an 8-bit RGB or RGBA PNG, as pixels (a small PNG reader)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = {}, 8
    idat = b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8, depth
    assert colour in (2, 6), colour
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    result: list[tuple[int, ...]] = []
    for row in range(min(height, max_rows)):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        result += [tuple(line[i : i + 3]) for i in range(0, stride, channels)]
        previous = line
    return result


def print_pdf(page: Path, out: Path) -> bytes:
    """Print ``page`` to PDF with headless Chromium, as a person printing it would, and return the PDF."""
    chromium = require_chromium()
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, *_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
             page.resolve().as_uri()],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
    assert out.exists()
    return out.read_bytes()
