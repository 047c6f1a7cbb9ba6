"""Differential fuzzing of the CSV fast paths: the row readers against the thorough reader, the
column writers against the cell-by-cell writer.

    python3 benchmarks/fuzz_csv.py --count 20000 --seed 1

Mutates CSV files that usager writes (the examples, and generated canvases of a few dozen
elements): cells replaced by tricky values or by the same column's cell of another row, cells
protected with a ``'``, columns swapped or dropped, rows cut, doubled or blank, then saved with
``,``, ``;`` or tab separators, with or without a byte order mark, as text, UTF-8 or UTF-16.
For each, the row readers must either give up (return None) or give exactly the canvas the
thorough reader gives; any other outcome is printed and the exit status is 1.

Then, for a tenth as many canvases, writes canvases whose texts, labels and list items are
replaced by text a spreadsheet would rewrite or a CSV writer must quote (numbers, dates,
booleans, formulas, spaces, quotes, commas, line ends, backslashes): the column writers must
write exactly what the former cell-by-cell writer (``tests/csv_reference.py``) writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' reference writer

import attrs
from generate import canvas_of
from tests.csv_reference import cell_by_cell

from usager import Canvas, ElementError, LoadError, dumps, load
from usager._fields import Kind, specs
from usager.examples import mediatheque
from usager.exporters._formats.spreadsheet import decode, delimiter
from usager.exporters.csv import _KNOWN, _READERS, _Reader

VALUES = [
    "", "'", "''", "'x", "=1", "-", "007", "x", "a b", " ", "1", "0", "3", "4", "-1", "01", "1.5", "1,5",
    "1e5", "1e400", "nan", "true", "TRUE", "yes", "false", "\\e", "a\\qb", "a\\nb", "a\nb", "a\r\nb", "U001",
    "U01", "\x00", "é", "\ud800", "-x", ".x", "x" * 129, "canvas", "brake", "usager/1", "usager/3", "low",
    "custom", "trust", "launch", "in_place", "0.5", "1E-05",
]  # fmt: skip


def mutate(rows: list[list[str]], rng: random.Random) -> str | bytes:
    """One mutated copy of ``rows``, saved as a spreadsheet might."""
    rows = [list(r) for r in rows]
    for _ in range(rng.randint(1, 3)):
        change = rng.choice(["value", "value", "copy", "copy", "protect", "protect", "swap", "drop", "cut", "row"])
        row = rng.randrange(len(rows))
        if not rows[row]:
            continue
        column = rng.randrange(len(rows[row]))
        if change == "value":
            rows[row][column] = rng.choice(VALUES)
        elif change == "copy":
            other = rng.choice(rows)
            if len(other) > column:
                rows[row][column] = other[column]
        elif change == "protect":
            rows[row][column] = "'" + rows[row][column]
        elif change == "swap":
            to = rng.randrange(len(rows[0]))
            for r in rows:
                if len(r) > max(column, to):
                    r[column], r[to] = r[to], r[column]
        elif change == "drop":
            for r in rows:
                if len(r) > column:
                    del r[column]
        elif change == "cut":
            rows[row] = rows[row][:column]
        else:
            rows.insert(row + 1, rng.choice([[], [""], list(rows[row])]))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=rng.choice([",", ";", "\t"]), lineterminator=rng.choice(["\r\n", "\n"])).writerows(rows)
    text = rng.choice(["\ufeff", ""]) + out.getvalue()
    encoding = rng.choice([None, "utf-8", "utf-16"])
    try:
        return text if encoding is None else text.encode(encoding)
    except UnicodeEncodeError:
        return text


#: Text a spreadsheet would rewrite or run, or a CSV writer must quote.
HOSTILE = [
    "007", "1.10", "-3", "+4", "=SUM(A1)", "@x", "'x", " x", "x ", "\tx", "TRUE", "faux", "Jan 2", "3 févr.",
    "2024-01-02", "12:30", "50 %", "(1 234,50) €", "1e5", "x,y", 'x"y', '"', "x\ny", "x\r\ny", "x\\y", "\\",
    "1234567890123456", "ſalse", "a", "Juillet 2024", "vrai ", ",", "",
]  # fmt: skip
_TEXT_KINDS = (Kind.TEXT, Kind.LABEL, Kind.TEXTS)


def hostile(canvas: Canvas, rng: random.Random) -> Canvas:
    """``canvas`` with some texts, labels and list items replaced by hostile text (those its elements take)."""
    for _ in range(rng.randint(1, 6)):
        name = rng.choice(
            [n for n in ("personas", "usagers", "stages", "brakes", "facilitators") if getattr(canvas, n)]
        )
        elements = list(getattr(canvas, name))
        i = rng.randrange(len(elements))
        fields = [(f.name, spec) for f, spec in specs(type(elements[i])) if spec.kind in _TEXT_KINDS]
        field, spec = rng.choice(fields)
        text = "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 2)))
        value = tuple(rng.choice(HOSTILE) for _ in range(rng.randint(1, 3))) if spec.kind is Kind.TEXTS else text
        try:
            elements[i] = attrs.evolve(elements[i], **{field: value})
        except ElementError:
            continue  # a value the field does not take (a blank label)
        canvas = attrs.evolve(canvas, **{name: elements})
    return canvas


def readings(data: str | bytes) -> tuple[Canvas | None, Canvas | str]:
    """What the row readers and the thorough reader make of ``data`` (its message when it refuses)."""
    text = decode(data, None, _KNOWN)
    separator = delimiter(text, _KNOWN)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=separator))
    except csv.Error as exc:
        return None, str(exc)
    fast = _READERS.canvas(text, rows)
    try:
        return fast, _Reader(rows, None, decimal_comma=separator != ",").canvas()
    except LoadError as exc:
        return fast, str(exc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="mutated files to try")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    examples = Path(__file__).resolve().parent.parent / "examples"
    canvases = [mediatheque(), *map(load, sorted(examples.glob("*.json"))), *(canvas_of(n, seed=n) for n in (20, 50))]
    sources = [list(csv.reader(io.StringIO(dumps(c, "csv")[1:], newline=""))) for c in canvases]
    fast_count = refused = failures = 0
    for _ in range(args.count):
        data = mutate(rng.choice(sources), rng)
        fast, thorough = readings(data)
        refused += not isinstance(thorough, Canvas)
        if fast is not None:
            fast_count += 1
            if fast != thorough:
                failures += 1
                print(f"the row readers accepted what the thorough reader reads otherwise: {data!r:.2000}")
    print(f"{args.count} files: {fast_count} read by the row readers, {refused} refused by the thorough reader, "
          f"{failures} disagreements")  # fmt: skip
    written = differ = 0
    for _ in range(max(1, args.count // 10)):
        canvas = hostile(rng.choice(canvases), rng)
        written += 1
        if dumps(canvas, "csv") != cell_by_cell(canvas):
            differ += 1
            print(f"the column writers wrote otherwise than the cell-by-cell writer: {canvas!r:.2000}")
    print(f"{written} canvases with hostile text written: {differ} written otherwise than cell by cell")
    return 1 if failures or differ else 0


if __name__ == "__main__":
    sys.exit(main())
