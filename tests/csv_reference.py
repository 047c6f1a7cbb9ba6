"""The CSV text as the exporter wrote it before its column writers: cell by cell, through ``csv.writer``.

The reference the column writers are held to, by the tests and by ``benchmarks/fuzz_csv.py``
(which is why it imports nothing of pytest or Hypothesis).
"""

from __future__ import annotations

import csv
import io

from usager import Canvas
from usager._document import FORMAT
from usager.exporters.csv import _CANVAS, _FIELDS, COLUMNS, _written


def cell_by_cell(canvas: Canvas) -> str:
    """The CSV text as the exporter wrote it before: a dict per row, then every column looked up."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    head = {"type": "canvas", "format": FORMAT}
    head.update((column, _written(spec, getattr(canvas, name))) for column, name, spec, _ in _CANVAS)
    writer.writerow([head.get(c, "") for c in COLUMNS])
    for element in canvas.elements():
        row = {"type": type(element).__name__.lower()}
        row.update((column, _written(spec, getattr(element, name))) for column, name, spec, _ in _FIELDS[type(element)])
        writer.writerow([row.get(c, "") for c in COLUMNS])
    return "\ufeff" + out.getvalue()
