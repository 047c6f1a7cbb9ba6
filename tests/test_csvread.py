"""The generated CSV row readers accept only what the thorough reader accepts, and read it equal."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usager import Canvas, LoadError, dumps, load, loads
from usager.elements import BrakeKind, Phase
from usager.examples import mediatheque
from usager.exporters._formats.spreadsheet import decode, delimiter
from usager.exporters.csv import _KNOWN, _READERS, COLUMNS, _Reader

from .profiles import examples
from .strategies import canvases

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


def parsed(data: str | bytes) -> tuple[str, list[list[str]], str]:
    """The text, rows and separator of a CSV file, as the exporter's ``load`` reads them."""
    text = decode(data, None, _KNOWN)
    separator = delimiter(text, _KNOWN)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=separator))
    return text, rows, separator


def thorough(data: str | bytes) -> Canvas | str:
    """The canvas the thorough reader reads from ``data``, or its error message."""
    try:
        _, rows, separator = parsed(data)
        return _Reader(rows, None, decimal_comma=separator != ",").canvas()
    except LoadError as exc:
        return str(exc)


def fast(data: str | bytes) -> Canvas | None:
    """The canvas the row readers read from ``data``, or None where they give up."""
    text, rows, _ = parsed(data)
    return _READERS.canvas(text, rows)


def written(rows: list[list[str]], separator: str = ",", mark: bool = True) -> str:
    """``rows`` as CSV text, the way a spreadsheet may save them."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if mark else "") + out.getvalue()


@given(canvases())
@settings(max_examples=examples(50))
def test_a_written_canvas_takes_the_fast_path(canvas: Canvas) -> None:
    """Every canvas usager writes (hostile text, protected cells, escaped list items) is read by the row readers."""
    assert fast(dumps(canvas, "csv")) == canvas


@given(canvases())
@settings(max_examples=examples(30))
def test_the_fast_path_reads_what_the_thorough_reader_reads(canvas: Canvas) -> None:
    """On a written canvas, the row readers and the thorough reader give equal canvases."""
    text = dumps(canvas, "csv")
    assert fast(text) == thorough(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_take_the_fast_path(path: Path) -> None:
    """Each example, written as CSV, is read back equal by the row readers."""
    canvas = load(path)
    assert fast(dumps(canvas, "csv")) == canvas


#: Cells to put anywhere: empty, protected, formula-like, value-like, booleans and numbers in
#: other spellings, bad escapes, line breaks, NUL, enum values and types.
CELLS = st.sampled_from(
    [
        "", "'", "''", "'x", "=1", "'=1", "-", "007", "'007", "x", "a b", " ", "1", "0", "3", "4", "-1",
        "01", "1.5", "1,5", "1e5", "1e400", "nan", "inf", "true", "TRUE", "True", "yes", "false",
        "\\e", "a\\qb", "a\\nb", "a\\\\b", "a\nb", "a\r\nb", "a\nb\n", "U001", "U01", "\x00", "é", "\ud800",
        "-x", ".x", "x" * 129, "x" * 128, "canvas", "brake", "stage", "persona", "usager/1", "usager/2",
        "usager/3", "low", "custom", "discovery", "Discovery", "digital_skills", BrakeKind.TRUST.value,
        Phase.LAUNCH.value, "in_place", "2", "0.5", "-0", "1E-05",
    ]
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> str | bytes:
    """A written canvas with some cells changed, columns swapped or dropped, rows added or cut, resaved."""
    canvas = draw(canvases())
    rows = list(csv.reader(io.StringIO(dumps(canvas, "csv")[1:], newline="")))
    ids = [e.id for e in canvas.elements()] or ["x"]
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.sampled_from(["cell", "id", "swap", "drop", "ragged", "blank", "copy", "protect"]))
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(COLUMNS) - 1))
        if change in ("cell", "id", "protect") and column >= len(rows[row]):
            continue  # a row cut short or dropped columns earlier
        if change == "cell":
            rows[row][column] = draw(CELLS)
        elif change == "id":
            rows[row][column] = draw(st.sampled_from(ids))
        elif change == "protect":
            rows[row][column] = "'" + rows[row][column]
        elif change == "swap":
            other = draw(st.integers(0, len(COLUMNS) - 1))
            for r in rows:
                if len(r) > max(column, other):
                    r[column], r[other] = r[other], r[column]
        elif change == "drop":
            for r in rows:
                if len(r) > column:
                    del r[column]
        elif change == "ragged":
            rows[row] = rows[row][:column] if draw(st.booleans()) else [*rows[row], ""]
        elif change == "blank":
            rows.insert(row + 1, [])
        else:
            rows.insert(row + 1, list(rows[row]))
    separator = draw(st.sampled_from([",", ";", "\t"]))
    text = written(rows, separator, mark=draw(st.booleans()))
    encoding = draw(st.sampled_from([None, "utf-8", "utf-16"]))
    if encoding is None:
        return text
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text


def test_mutations_reach_both_outcomes() -> None:
    """The mutations make files that the thorough reader refuses, and files it reads (a test that can fail)."""
    outcomes: set[bool] = set()

    @given(mutated())
    @settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow], database=None)
    def collect(data: str | bytes) -> None:
        outcomes.add(isinstance(thorough(data), Canvas))

    collect()
    assert outcomes == {True, False}


@given(mutated())
@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
def test_the_fast_path_never_accepts_what_the_thorough_reader_refuses(data: str | bytes) -> None:
    """On a mutated file, the row readers either give up or read what the thorough reader reads, equal."""
    result: Any = fast(data)
    if result is not None:
        assert result == thorough(data)


@given(mutated())
@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.too_slow])
def test_loading_gives_the_thorough_readers_canvas_or_error(data: str | bytes) -> None:
    """``loads`` gives the thorough reader's canvas, or exactly its error message."""
    expected = thorough(data)
    try:
        assert loads(data, "csv") == expected
    except LoadError as exc:
        assert str(exc) == expected


def test_a_refused_cell_keeps_its_message() -> None:
    """A severity of 4 is refused with the thorough reader's row and column, through the fast path's fallback."""
    rows = list(csv.reader(io.StringIO(dumps(mediatheque(), "csv")[1:], newline="")))
    number = next(i for i, r in enumerate(rows) if r[0] == "brake")
    rows[number][COLUMNS.index("severity")] = "4"
    with pytest.raises(
        LoadError, match=rf"row {number + 1}, column 'severity' \(L\): .*1, 2 ou 3 \(3 = bloque l’usager\)"
    ):
        loads(written(rows), "csv")
