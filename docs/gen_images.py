"""Write the drawings of the built-in example into docs/images/ (needs Graphviz's dot).

Run: python docs/gen_images.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import usager
from usager._example import mediatheque

IMAGES = Path(__file__).with_name("images")


def drawings() -> dict[str, bytes]:
    """The file name and bytes of every committed drawing, and of the DOT source it is rendered from."""
    canvas = mediatheque()
    return {
        "mediatheque.dot": usager.dumps(canvas, "dot").encode("utf-8"),
        "mediatheque.svg": usager.dumps(canvas, "svg"),
    }


if __name__ == "__main__":
    IMAGES.mkdir(exist_ok=True)
    for name, data in drawings().items():
        (IMAGES / name).write_bytes(data)
        sys.stdout.write(f"wrote {IMAGES / name}\n")
