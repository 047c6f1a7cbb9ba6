"""The generated CSV row writers write exactly what the exporter's column-by-column loop wrote."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given

from usager import Canvas, dumps, load
from usager._document import FORMAT
from usager._example import mediatheque
from usager.exporters.csv import _CANVAS, _FIELDS, COLUMNS, _written

from .strategies import canvases

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


def previous(canvas: Canvas) -> str:
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


@given(canvases())
def test_the_csv_output_is_what_the_column_loop_wrote(canvas: Canvas) -> None:
    """For any canvas, hostile text and formula-like cells included, the CSV text is unchanged."""
    assert dumps(canvas, "csv") == previous(canvas)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_csv_is_what_the_column_loop_wrote(path: Path) -> None:
    """Each example canvas is written to CSV as before."""
    canvas = load(path)
    assert dumps(canvas, "csv") == previous(canvas)


def test_the_built_in_example_csv_is_what_the_column_loop_wrote() -> None:
    """The library's own example is written to CSV as before."""
    assert dumps(mediatheque(), "csv") == previous(mediatheque())
