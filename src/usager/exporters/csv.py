r"""The ``csv`` exporter: the whole canvas as one spreadsheet-friendly table, lossless both ways.

Layout: one header row, then one row for the canvas itself (``type`` =
``canvas``) and one row per element, in document order (``type`` =
``persona``, ``usager``, ``stage``, ``brake``, ``facilitator``, ``activity``,
``resource``, ``partner``). Every row has every column (:data:`COLUMNS`); a
column that does not apply to a row's type stays empty.

Cells:

- text is written as it is; an empty optional reference is an empty cell;
- a list holds one item per line; inside an item, a backslash is written
  ``\\``, a line feed ``\n`` and a carriage return ``\r``; an empty item
  is written ``\e``;
- a cell that a spreadsheet would run as a formula (one starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) is written with a ``'`` in
  front, and so is a cell that already starts with ``'``; reading removes
  exactly one leading ``'``, so the scheme is reversible.

The file is UTF-8 with a byte order mark (so that spreadsheets detect the
encoding) and CRLF line ends. Reading accepts UTF-8 with or without the mark
and any line ending, and refuses unknown, missing or duplicated columns,
ragged rows, and values in columns that do not apply, naming the row and the
column of each problem.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import attrs

from usager._document import FORMAT, SUPPORTED_FORMATS
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.elements import Element
from usager.errors import ElementError, LoadError, Problem
from usager.exporters.json import decode_text

__all__ = ["COLUMNS", "CsvExporter"]

#: The columns, in the order they are written.
COLUMNS = (
    "type", "id", "name", "label", "kind", "stage", "persona", "personas", "relationship", "severity",
    "phase", "partner", "addresses", "stages", "supports", "uses", "digital_comfort", "goals",
    "frustrations", "needs", "touchpoints", "description", "format", "language",
)  # fmt: skip
_CANVAS_FIELDS = ("name", "description", "format", "language")
_TYPES: dict[str, tuple[str, type[Any]]] = {cls.__name__.lower(): (name, cls) for name, cls in ELEMENT_LISTS}
_FIELDS: dict[type[Any], tuple[attrs.Attribute[Any], ...]] = {cls: attrs.fields(cls) for _, cls in ELEMENT_LISTS}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_EMPTY_ITEM = "\\e"


def _protect(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _unprotect(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _join(items: tuple[str, ...]) -> str:
    escaped = (i.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") if i else _EMPTY_ITEM for i in items)
    return "\n".join(escaped)


def _split(cell: str) -> list[str] | str:
    """The items of a list cell, or a message saying why it is not one."""
    if not cell:
        return []
    items: list[str] = []
    for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == _EMPTY_ITEM:
            items.append("")
            continue
        out: list[str] = []
        chars = iter(line)
        for char in chars:
            if char != "\\":
                out.append(char)
                continue
            code = next(chars, "")
            decoded = {"\\": "\\", "n": "\n", "r": "\r"}.get(code)
            if decoded is None:
                return f"unknown escape '\\{code}' in a list item (use \\\\ for a backslash)"
            out.append(decoded)
        items.append("".join(out))
    return items


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return _join(value)
    if isinstance(value, int):
        return str(value)
    return str(getattr(value, "value", value))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class CsvExporter:
    """The canvas as one CSV table that a person can read and edit in a spreadsheet.

    Lossless: ``loads(dumps(canvas, "csv"), "csv") == canvas`` for every
    canvas, consistent or not. See the module documentation for the layout.
    """

    name = "csv"
    suffixes = (".csv",)
    media_type = "text/csv"
    binary = False

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The canvas as CSV text (no options)."""
        if options:
            raise TypeError(f"the csv exporter takes no option {', '.join(map(repr, options))}")
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        head = {"type": "canvas", "name": canvas.name, "description": canvas.description, "format": FORMAT,
                "language": canvas.language.value}  # fmt: skip
        writer.writerow([_protect(head.get(c, "")) for c in COLUMNS])
        for element in canvas.elements():
            row = {"type": type(element).__name__.lower()}
            row.update((f.name, _cell(getattr(element, f.name))) for f in _FIELDS[type(element)])
            writer.writerow([_protect(row.get(c, "")) for c in COLUMNS])
        return "\ufeff" + out.getvalue()

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read a canvas from CSV; raise :class:`LoadError` naming the row and column of each problem."""
        text = decode_text(data, source=source)
        if not text.strip():
            raise LoadError.at("row 1", "the file is empty", source=source)
        if csv.field_size_limit() < len(text):
            csv.field_size_limit(len(text) + 1)  # a cell may be as long as the file; only ever raised
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise LoadError.at("CSV", f"not valid CSV: {exc}", source=source) from None
        return _Reader(rows, source).canvas()


@attrs.define
class _Reader:
    rows: list[list[str]]
    source: str | None
    problems: list[Problem] = attrs.field(factory=list)
    columns: dict[str, int] = attrs.field(factory=dict)

    def where(self, row: int, column: str | None = None) -> str:
        if column is None:
            return f"row {row}"
        return f"row {row}, column {column!r} ({_column_letter(self.columns[column])})"

    def fail(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.where(row, column), message))

    def header(self) -> bool:
        header = self.rows[0]
        for index, name in enumerate(header):
            if name in self.columns:
                self.problems.append(Problem("row 1", f"the column {name!r} appears twice"))
            elif name not in COLUMNS:
                self.problems.append(Problem(f"row 1, column {_column_letter(index)}", f"unknown column {name!r}"))
            else:
                self.columns[name] = index
        missing = [c for c in COLUMNS if c not in self.columns]
        if missing:
            names = ", ".join(repr(c) for c in missing)
            self.problems.append(Problem("row 1", f"missing column{'s' if len(missing) > 1 else ''} {names}"))
        return not self.problems

    def canvas(self) -> Canvas:
        if self.header():
            lists: dict[str, list[Any]] = {name: [] for name, _ in ELEMENT_LISTS}
            head: dict[str, Any] | None = None
            for number, raw in enumerate(self.rows[1:], start=2):
                if not any(raw) and len(raw) <= 1:
                    continue  # a blank line, as spreadsheets sometimes leave at the end
                if len(raw) != len(self.columns):
                    self.fail(number, None, f"expected {len(self.columns)} cells, found {len(raw)}")
                    continue
                cells = {c: _unprotect(raw[i]) for c, i in self.columns.items()}
                kind = cells["type"]
                if kind == "canvas":
                    if head is not None:
                        self.fail(number, "type", "a second 'canvas' row; there is one per file")
                    head = self.head(number, cells)
                elif kind in _TYPES:
                    list_name, cls = _TYPES[kind]
                    lists[list_name].append(self.element(number, cls, cells))
                else:
                    known = ", ".join(repr(t) for t in ("canvas", *_TYPES))
                    self.fail(number, "type", f"unknown type {kind!r}; expected one of {known}")
            if head is None:
                self.fail(2, None, "no 'canvas' row: one row must have type 'canvas' and the canvas's name")
        if self.problems:
            raise LoadError(self.problems, source=self.source)
        assert head is not None
        return Canvas(name=head["name"], description=head["description"], language=head["language"], **lists)

    def unexpected(self, number: int, cells: dict[str, str], allowed: set[str], what: str) -> None:
        for column in COLUMNS:
            if column not in allowed and cells[column]:
                self.fail(number, column, f"{what} has no {column!r}; leave this cell empty")

    def head(self, number: int, cells: dict[str, str]) -> dict[str, Any]:
        self.unexpected(number, cells, {"type", *_CANVAS_FIELDS}, "the canvas row")
        if cells["format"] not in SUPPORTED_FORMATS:
            supported = ", ".join(repr(f) for f in SUPPORTED_FORMATS)
            self.fail(number, "format", f"unsupported format {cells['format']!r}; this version reads {supported}")
        values: dict[str, Any] = {
            "name": cells["name"],
            "description": cells["description"],
            "language": cells["language"] or "en",
        }
        try:
            Canvas(**values)
        except ElementError as exc:
            self.fail(number, exc.field, exc.reason)
        return values

    def element(self, number: int, cls: type[Any], cells: dict[str, str]) -> Element | None:
        fields = _FIELDS[cls]
        self.unexpected(number, cells, {"type", *(f.name for f in fields)}, f"a {cls.__name__.lower()}")
        kwargs: dict[str, Any] = {}
        ok = True
        for f in fields:
            cell = cells[f.name]
            convert = _CONVERTERS.get(str(f.type), _text)
            value = convert(cell)
            if isinstance(value, _Bad):
                self.fail(number, f.name, value.message)
                ok = False
            elif value is not _DEFAULT:
                kwargs[f.name] = value
        if not ok:
            return None
        try:
            return cls(**kwargs)  # type: ignore[no-any-return]
        except ElementError as exc:
            self.fail(number, exc.field.split("[")[0], exc.reason)
        except TypeError:
            missing = [f.name for f in fields if f.default is attrs.NOTHING and f.name not in kwargs]
            self.fail(number, missing[0] if missing else None, "this cell may not be empty")
        return None


@attrs.frozen
class _Bad:
    message: str


_DEFAULT = object()


def _text(cell: str) -> Any:
    return cell


def _optional(cell: str) -> Any:
    return cell or None


def _with_default(cell: str) -> Any:
    return cell or _DEFAULT


def _items(cell: str) -> Any:
    items = _split(cell)
    return _Bad(items) if isinstance(items, str) else items


def _severity(cell: str) -> Any:
    if not cell:
        return _DEFAULT
    if cell in ("1", "2", "3"):
        return int(cell)
    return _Bad(f"expected 1, 2 or 3, found {cell!r}")


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "tuple[str, ...]": _items,
    "int": _severity,
    "str | None": _optional,
    "DigitalComfort | None": _optional,
    "Relationship": _with_default,
    "BrakeKind": _with_default,
    "Phase": _with_default,
    "ResourceKind": _with_default,
}
