"""Write the drawings of the example canvases in both layouts, and the JSON Schema, into docs/ (needs Graphviz's dot).

``images/NAME.svg`` is the cycle poster (the README shows ``images/mediatheque.svg``),
``images/NAME-lanes.svg`` the journey-map grid; each with its DOT source.

It also draws the example canvases built in code (:mod:`usager.examples`) in both layouts as
small PNGs, ``images/after-NAME-LAYOUT.png``, for the gallery's "before and after" of the
traced drawing (``images/before-*.png`` were drawn once by the previous version, and stay).

Run: python docs/gen_images.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import usager
from usager import examples
from usager._document import VERSION
from usager._schema import json_schema

DOCS = Path(__file__).parent
EXAMPLES = DOCS.parent / "examples"


def drawings() -> dict[str, bytes]:
    """Each file under docs/ this script writes, with its content."""
    files: dict[str, bytes] = {
        f"usager-{VERSION}.schema.json": (json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        )
    }
    for example in sorted(EXAMPLES.glob("*.json")):
        canvas = usager.load(example)
        for layout, suffix in (("cycle", ""), ("lanes", "-lanes")):
            files[f"images/{example.stem}{suffix}.dot"] = usager.dumps(canvas, "dot", layout=layout).encode("utf-8")
            files[f"images/{example.stem}{suffix}.svg"] = usager.dumps(canvas, "svg", layout=layout)
    return files


#: The canvases of usager.examples drawn as PNG for the gallery, and the PNGs' resolution.
TRACED, DPI = ("mediatheque", "repair_cafe", "complete"), 48


def pngs() -> dict[str, bytes]:
    """The gallery's PNGs of the example canvases built in code, at a modest resolution.

    Left out of :func:`drawings`: a PNG's bytes depend on the Graphviz and cairo that render it.
    """
    files: dict[str, bytes] = {}
    for name in TRACED:
        canvas = getattr(examples, name)()
        for layout in ("cycle", "lanes"):
            source = usager.dumps(canvas, "dot", layout=layout).encode("utf-8")
            png = subprocess.run(["dot", "-Tpng", f"-Gdpi={DPI}"], input=source, capture_output=True, check=True)
            files[f"images/after-{name}-{layout}.png"] = png.stdout
    return files


if __name__ == "__main__":
    for name, data in {**drawings(), **pngs()}.items():
        target = DOCS / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        sys.stdout.write(f"wrote {target}\n")
