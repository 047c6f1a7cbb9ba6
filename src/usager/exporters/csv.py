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
  ``+``, ``-``, ``@``, a tab or a carriage return, or with white space and then
  ``=``, ``+``, ``-`` or ``@``, since spreadsheets may trim spaces on import)
  is written with a ``'`` in front, and so is a cell that already starts with
  ``'``; so is text that a spreadsheet would rewrite as a value (``007``,
  ``1.10``, ``50%``, ``1e5``, ``TRUE``, ``2024-01-02``, ``Jan 2``, ``12:30``...),
  and a number with more than the 15 significant digits a spreadsheet keeps.
  Reading removes exactly one leading ``'``, so the scheme is reversible.
- integers are written in decimal, booleans ``true`` or ``false`` (read in any
  case, as spreadsheets write ``TRUE``), numbers as Python writes them (``1.5``,
  ``1e-05``; read in any such notation, ``1.00E-05`` too, and with a decimal
  comma, ``1,5``, in a file separated by ``;`` or tabs); an empty cell stands
  for the field's default (``null`` for an optional field).

The file is UTF-8 with a byte order mark (so that spreadsheets detect the
encoding), comma-separated, with CRLF line ends. Reading accepts UTF-8 with or
without the mark (and UTF-16 with its mark), ``,``, ``;`` or tab separators
(the header row tells which), and any line ending; a file in another encoding
is refused with the advice to save it as "CSV UTF-8". It refuses unknown,
missing or duplicated columns, ragged rows, and values in columns that do not
apply, naming the row and the column of each problem.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from itertools import compress, islice
from types import MappingProxyType
from typing import Any

import attrs

from usager._document import FORMAT, VERSION, VERSIONS, Locate, from_document, too_new
from usager._fields import MAX_PROBLEMS, Kind, Spec, assert_never, specs
from usager._i18n import say, say_n, speaking
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, TYPE_OF, Canvas
from usager.errors import LoadError, OptionError, Problem, shown
from usager.exporters._formats.csvfast import RowReaders, RowWriters
from usager.exporters._formats.spreadsheet import (
    canvas_language,
    column_letter,
    decode,
    delimiter,
    may_protect_any,
    protect,
    rows_with_lines,
    unprotect,
)

__all__ = ["COLUMNS", "CsvExporter"]

#: The order columns are written in, where they exist; columns of other fields follow, and
#: ``description``, ``format`` and ``language`` close the row.
_FIRST = (
    "type", "id", "name", "title", "label", "kind", "stage", "persona", "personas", "relationship",
    "lead_user", "severity", "status", "phase", "partner", "addresses", "stages", "brakes", "supports",
    "uses", "author", "supporters", "realized_by", "duplicate_of", "score", "emotion", "quote", "unit",
    "direction", "target", "current", "source", "desirability", "feasibility", "viability", "effort",
    "digital_comfort", "goals", "frustrations", "needs", "touchpoints", "evidence", "answer", "tags",
    "suppress",
)  # fmt: skip
_LAST = ("description", "format", "language", "$schema")
#: A field as a column: the column, the field's name, its description, whether it has a default.
_Column = tuple[str, str, Spec, bool]
Path = tuple[str | int, ...]


def _fields_of(cls: type[Any]) -> tuple[_Column, ...]:
    return tuple((spec.key or f.name, f.name, spec, f.default is not attrs.NOTHING) for f, spec in specs(cls))


#: Each element class's fields with their descriptions, keyed by column.
_FIELDS: dict[type[Any], tuple[_Column, ...]] = {cls: _fields_of(cls) for _, cls in ELEMENT_LISTS}
#: The canvas's own fields (name, description, language, $schema), keyed by column.
_CANVAS: tuple[_Column, ...] = tuple(c for c in _fields_of(Canvas) if c[2].kind is not Kind.ELEMENTS)
_CANVAS_FIELDS = ("format", *(column for column, _, _, _ in _CANVAS))


def _columns() -> tuple[str, ...]:
    names = dict.fromkeys(column for fields in _FIELDS.values() for column, _, _, _ in fields)
    names.update(dict.fromkeys(_CANVAS_FIELDS))
    middle = [n for n in names if n not in _FIRST and n not in _LAST]
    return (*(n for n in _FIRST if n in names or n == "type"), *middle, *(n for n in _LAST if n in names))


#: The columns, in the order they are written.
COLUMNS: tuple[str, ...] = _columns()
_LIST_SINCE: dict[type[Any], int] = {t.cls: t.since for t in ELEMENT_TYPES}


def _column_versions() -> dict[str, int]:
    """The format version that brought each column (``usager/1`` files lack the newer ones)."""
    since = dict.fromkeys(COLUMNS, VERSION)
    since["type"] = since["format"] = 1
    fields = [(cls, f) for cls, f in _FIELDS.items()] + [(Canvas, _CANVAS)]
    for cls, columns in fields:
        for column, _, spec, _ in columns:
            since[column] = min(since[column], max(spec.since, _LIST_SINCE.get(cls, 1)))
    return since


_COLUMN_SINCE = _column_versions()
#: The columns a file must have: those of a field some element (or the canvas) has no default for.
_NEEDED = frozenset(
    {"type", "format"}
    | {column for fields in (*_FIELDS.values(), _CANVAS) for column, _, _, has_default in fields if not has_default}
)
#: The columns each element's row may fill.
_ALLOWED: dict[type[Any], set[str]] = {cls: {"type", *(c for c, _, _, _ in fields)} for cls, fields in _FIELDS.items()}
_KNOWN = frozenset(COLUMNS)
_TYPES: dict[str, tuple[str, type[Any]]] = {t.name: (t.list, t.cls) for t in ELEMENT_TYPES}
_EMPTY_ITEM = "\\e"
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+(?:[eE][+-]?[0-9]+)?")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


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
                return say("unknown escape '\\{code}' in a list item (use \\\\ for a backslash)", code=code)
            out.append(decoded)
        items.append("".join(out))
    return items


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return _join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return str(getattr(value, "value", value))


def _written(spec: Spec, value: Any) -> str:
    """The cell of a field's value, protected from the spreadsheet (see :func:`_protect`)."""
    return protect(_cell(value), spec, value)


_ROWS = RowWriters(COLUMNS, _FIELDS, _written, may_protect_any)


class CsvExporter:
    """The canvas as one CSV table that a person can read and edit in a spreadsheet.

    Lossless: ``loads(dumps(canvas, "csv"), "csv") == canvas`` for every
    canvas, consistent or not. See the module documentation for the layout.
    """

    name = "csv"
    suffixes = (".csv",)
    media_type = "text/csv"
    binary = False
    #: It takes no option (see :class:`usager.exporters.Exporter`).
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType({})

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The canvas as CSV text (no options)."""
        if options:
            raise OptionError(f"the csv exporter takes no option {', '.join(map(repr, options))}; it takes none")
        out = io.StringIO(newline="")
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        head = {"type": "canvas", "format": FORMAT}
        head.update((column, _written(spec, getattr(canvas, name))) for column, name, spec, _ in _CANVAS)
        writer.writerow([head.get(c, "") for c in COLUMNS])
        # The elements in document order, list by list, written as csv.writer writes them.
        return "".join([out.getvalue(), *(_ROWS.text(cls, getattr(canvas, name)) for name, cls in ELEMENT_LISTS)])

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read a canvas from CSV; raise :class:`LoadError` naming the row and column of each problem.

        The separator is ``,``, ``;`` or a tab, whichever the header row uses; bytes are
        UTF-8 (with or without a byte order mark) or UTF-16 with its mark.
        """
        text = decode(data, source, _KNOWN)
        if not text.strip():
            raise LoadError.at("row 1", say("the file is empty"), source=source)
        if csv.field_size_limit() < len(text):
            csv.field_size_limit(len(text) + 1)  # a cell may be as long as the file; only ever raised
        separator = delimiter(text, _KNOWN)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=separator))
        except csv.Error as exc:
            raise LoadError.at("CSV", say("not valid CSV: {reason}", reason=exc), source=source) from None
        fast = _READERS.canvas(text, rows)  # a plainly valid file; None: the thorough reader says what is wrong
        if fast is not None:
            return fast
        return _Reader(rows, source, decimal_comma=separator != ",", text=text, separator=separator).canvas()

    def locator(self, data: str | bytes) -> Locate:
        """Where each element stands in the CSV text ``data``: ``(list, index)`` gives the line its row starts on.

        The column is 1 (the row's start); other paths have no position (None). The file
        is read the first time a position is asked for, as :meth:`load` reads it.
        """
        found: list[dict[Path, tuple[int, int]]] = []

        def locate(path: Path, key: bool) -> tuple[int, int] | None:
            if not found:
                found.append(_element_rows(data))
            return found[0].get(path)

        return locate


def _element_rows(data: str | bytes) -> dict[Path, tuple[int, int]]:
    """The line (and column 1) each element's row starts on, by the path of the element (``("brakes", 3)``)."""
    text = decode(data, None, _KNOWN)
    rows: dict[Path, tuple[int, int]] = {}
    counts: dict[str, int] = {}
    type_at: int | None = None
    try:
        for line, raw in rows_with_lines(text, delimiter(text, _KNOWN)):
            if type_at is None:
                type_at = raw.index("type") if "type" in raw else -1
            elif 0 <= type_at < len(raw) and unprotect(raw[type_at]) in _TYPES:
                list_name = _TYPES[unprotect(raw[type_at])][0]
                counts[list_name] = counts.get(list_name, -1) + 1
                rows[(list_name, counts[list_name])] = (line, 1)
    except csv.Error:  # pragma: no cover - only files that loaded are located
        pass
    return rows


@attrs.define
class _Reader:
    rows: list[list[str]]
    source: str | None
    decimal_comma: bool = False  # a file with ';' or tabs may write 1,5 for 1.5, as its spreadsheet does
    #: The text the rows were read from, to tell the line each row starts on (None: a problem's line is its row).
    text: str | None = None
    separator: str = ","
    problems: list[Problem] = attrs.field(factory=list)
    #: How many problems were found past the first :data:`~usager._fields.MAX_PROBLEMS` (counted, not kept).
    more: int = 0
    columns: dict[str, int] = attrs.field(factory=dict)
    absent: list[str] = attrs.field(factory=list)
    version: int = VERSION

    def add(self, where: str, message: str, row: int, column: int | None = None) -> None:
        """Keep the problem ``message`` at ``row`` (1-based) and ``column`` (1-based), or count it past the limit."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
        else:
            self.problems.append(Problem(where, message, line=row, column=column))

    def fail(self, row: int, column: str | None, message: str) -> None:
        """Record ``message`` at ``row`` (1-based) and the named column, by name and spreadsheet letter."""
        index = self.columns.get(column) if column is not None else None
        if column is None:
            where = f"row {row}"
        elif index is None:  # a column this file lacks (a usager/1 file)
            where = f"row {row}, column {column!r}"
        else:
            where = f"row {row}, column {column!r} ({column_letter(index)})"
        self.add(where, message, row, None if index is None else index + 1)

    def header(self) -> bool:
        header = self.rows[0]
        index = 0
        while index < len(header) and len(self.problems) < MAX_PROBLEMS:
            name = header[index]
            if name in self.columns:
                self.add("row 1", say("the column {name} appears twice", name=shown(name)), 1)
            elif name not in _KNOWN:
                unknown = say("unknown column {name}", name=shown(name))
                self.add(f"row 1, column {column_letter(index)}", unknown, 1, index + 1)
            else:
                self.columns[name] = index
            index += 1
        if index < len(header):  # past the limit, the other cells' problems are counted, in C where it can be
            known = len(self.columns)
            for i in compress(range(index, len(header)), map(_KNOWN.__contains__, islice(header, index, None))):
                self.columns.setdefault(header[i], i)
            self.more += len(header) - index - (len(self.columns) - known)
        missing = [c for c in COLUMNS if c not in self.columns]
        self.version = self.file_version()
        # A column of a field every element has a default for may be left out (a file written
        # before the field was), as a key may: it reads as empty cells, and so takes the default;
        # so may the columns a newer format than the file's brought.
        self.absent = [c for c in missing if c not in _NEEDED or _COLUMN_SINCE[c] > self.version]
        missing = [c for c in missing if c not in self.absent]
        if missing:
            names = ", ".join(repr(c) for c in missing)
            self.add("row 1", say_n("missing column {names}", "missing columns {names}", len(missing), names=names), 1)
        return not self.problems and not self.more

    def error(self) -> LoadError:
        """The error holding the problems, each at the line its row starts on."""
        problems = self.problems
        if self.text is not None and problems:
            last = max(p.line or 1 for p in problems)
            lines = [0]  # by row number, from 1
            for line, _ in rows_with_lines(self.text, self.separator):
                lines.append(line)
                if len(lines) > last:
                    break
            problems = [attrs.evolve(p, line=lines[p.line]) if p.line and p.line < len(lines) else p for p in problems]
        return LoadError(problems, source=self.source, more=self.more)

    def file_version(self) -> int:
        """The version of the format the canvas row names.

        Without a canvas row naming a format this version reads, the header tells: a file
        with none of the newer columns is a ``usager/1`` file.
        """
        if "type" in self.columns and "format" in self.columns:
            type_at, format_at = self.columns["type"], self.columns["format"]
            for row in self.rows[1:]:
                if len(row) > max(type_at, format_at) and unprotect(row[type_at]) == "canvas":
                    fmt = unprotect(row[format_at])
                    if fmt in VERSIONS:
                        return VERSIONS[fmt]
                    break
        if all(_COLUMN_SINCE[c] == 1 for c in self.columns):
            return 1
        return VERSION

    def canvas(self) -> Canvas:
        """The canvas of the file, read by the document reader every format shares; or its problems.

        Each row becomes a plain document object (a cell a plain value: its number, boolean,
        list or text), and :func:`~usager._document.from_document` judges the values with the
        fields' one validator, so a bad value has the message it has in JSON, YAML and TOML;
        each problem is then placed at its row and column. What only a table can get wrong
        (its columns, a row's width, a type, a cell a row may not fill) is said here.
        Rows the fast reader reads are handed over read.
        """
        with speaking(canvas_language(self.rows)):  # what is wrong is said in the canvas row's language
            return self._canvas()

    def _canvas(self) -> Canvas:
        """:meth:`canvas`, in the language spoken."""
        if not self.header():
            raise self.error()
        document: dict[str, Any] = {"format": FORMAT, "name": "-"}  # the canvas row's, once read
        lists: dict[str, list[Any]] = {name: [] for name, _ in ELEMENT_LISTS}
        at: dict[Path, int] = {}  # the row of each element, by its path in the document
        head = 0
        fast = _READERS.row_reader(self.text, self.rows[0]) if self.text is not None else None
        if self.version != VERSION:
            fast = None
        for number, raw in enumerate(self.rows[1:], start=2):
            read = fast(raw) if fast is not None else None
            if read is not None:
                lists[read[0]].append(read[1])
                continue
            if not any(raw) and len(raw) <= 1:
                continue  # a blank line, as spreadsheets sometimes leave at the end
            if len(raw) != len(self.columns):
                self.fail(
                    number, None, say("expected {count} cells, found {found}", count=len(self.columns), found=len(raw))
                )
                continue
            cells = {c: unprotect(raw[i]) for c, i in self.columns.items()}
            cells.update(dict.fromkeys(self.absent, ""))
            kind = cells["type"]
            if kind == "canvas":
                if head:
                    self.fail(number, "type", say("a second 'canvas' row; there is one per file"))
                    continue
                head = number
                self.unexpected(number, cells, {"type", *_CANVAS_FIELDS}, say("the canvas row"))
                document["format"] = cells["format"]
                document.pop("name")
                document.update(self.plain(number, _CANVAS, cells))
            elif kind in _TYPES:
                list_name, cls = _TYPES[kind]
                if _LIST_SINCE[cls] > self.version:
                    row = say("a {kind} row", kind=repr(kind))
                    self.fail(number, "type", too_new(row, _LIST_SINCE[cls], self.version, "file"))
                    continue
                before = self.found
                self.unexpected(number, cells, _ALLOWED[cls], say("a {kind}", kind=say(TYPE_OF[cls].name)))
                values = self.plain(number, _FIELDS[cls], cells)
                if self.found == before:  # a row with a cell no field can hold is not read further
                    at[(list_name, len(lists[list_name]))] = number
                    lists[list_name].append(values)
            else:
                known = ", ".join(repr(t) for t in ("canvas", *_TYPES))
                self.fail(
                    number, "type", say("unknown type {kind}; expected one of {known}", kind=shown(kind), known=known)
                )
        if not head:
            self.fail(2, None, say("no 'canvas' row: one row must have type 'canvas' and the canvas's name"))
        document.update((name, items) for name, items in lists.items() if items)  # no row: no key, as in JSON
        try:
            canvas = from_document(document, fast=_handed_over)
        except LoadError as error:
            for problem in error.problems:
                self.placed(problem, head, at)
            self.more += error.more
            raise self.error() from None
        if self.problems or self.more:
            raise self.error()
        return canvas

    def placed(self, problem: Problem, head: int, at: dict[Path, int]) -> None:
        """Keep ``problem``, found at its path in the document, at the row and column it stands in."""
        path = problem.path
        if path and isinstance(path[0], str) and path[0] in _LIST_NAMES and len(path) >= 2:
            row, rest = at.get(path[:2], head), path[2:]
        else:
            row, rest = head, path
        message = problem.message
        if len(rest) >= 2 and isinstance(rest[1], int):
            message = say("item {number}: {message}", number=rest[1] + 1, message=message)
        column = rest[0] if rest and isinstance(rest[0], str) else None
        before = len(self.problems)
        self.fail(row or 2, column, message)
        if len(self.problems) > before:
            self.problems[-1] = attrs.evolve(self.problems[-1], element=problem.element)

    def unexpected(self, number: int, cells: dict[str, str], allowed: set[str], what: str) -> None:
        for column in COLUMNS:
            if column not in allowed and cells[column]:
                self.fail(
                    number, column, say("{what} has no {column}; leave this cell empty", what=what, column=repr(column))
                )

    def plain(self, number: int, fields: tuple[_Column, ...], cells: dict[str, str]) -> dict[str, Any]:
        """The row's cells as a plain document object: each cell the value a document would hold.

        An empty cell of a field with a default is left out, so the field takes it, as an
        absent key does; so is a column the file lacks. A cell that cannot stand for any value
        of its field (a list cell badly written, an empty cell of a field that needs one) is
        reported with its column.
        """
        values: dict[str, Any] = {}
        for column, _, spec, has_default in fields:
            cell = cells[column]
            if spec.since > self.version:
                if cell:
                    what = say("the column {column}", column=repr(column))
                    self.fail(number, column, too_new(what, spec.since, self.version, "file"))
                continue
            if self.decimal_comma and spec.kind is Kind.NUMBER and _DECIMAL_COMMA.fullmatch(cell):
                cell = cell.replace(",", ".")
            value = _from_cell(spec, cell, has_default)
            if isinstance(value, _Bad):
                self.fail(number, column, value.message)
            elif value is not _DEFAULT:
                values[column] = value
        return values

    @property
    def found(self) -> int:
        """How many problems were found, kept or counted."""
        return len(self.problems) + self.more


def _handed_over(list_name: str, items: list[Any], version: int) -> list[Any]:
    """The elements the fast reader read already (the others, plain objects, are read by the document reader)."""
    return [None if type(item) is dict else item for item in items]


_LIST_NAMES = frozenset(name for name, _ in ELEMENT_LISTS)


_READERS = RowReaders(COLUMNS, _FIELDS, _CANVAS, _split, FORMAT)


@attrs.frozen
class _Bad:
    message: str


_DEFAULT = object()


#: Python converts integers of at most this many digits; a longer one is refused like a bad value.
_MAX_DIGITS = 4300


def _from_cell(spec: Spec, cell: str, has_default: bool) -> Any:
    """The plain value a cell stands for (what a document would hold), ``_DEFAULT``, or ``_Bad`` saying why none.

    A number or a boolean is read from its text; a cell that is none stays text, for the
    field's validator to refuse in the words every format uses (``found the string 'high'``).
    """
    kind = spec.kind
    if spec.is_list:
        items = _split(cell)
        return _Bad(items) if isinstance(items, str) else items
    if not cell and spec.optional:
        return None  # optional text fields are non-blank (labels), so '' stands for null alone
    if kind is Kind.TEXT or kind is Kind.LABEL or kind is Kind.ID or kind is Kind.REF:
        return cell if cell or not has_default else _DEFAULT
    if not cell:
        return _DEFAULT if has_default else _Bad(say("this cell may not be empty"))
    if kind is Kind.INTEGER or kind is Kind.NUMBER:
        if _INTEGER.fullmatch(cell) and len(cell) <= _MAX_DIGITS:
            return int(cell)
        return float(cell) if _NUMBER.fullmatch(cell) else cell  # 2.0 is a number, if no integer
    if kind is Kind.BOOLEAN:
        folded = cell.casefold()  # TRUE and FALSE, as spreadsheets write them, too
        return folded == "true" if folded in ("true", "false") else cell
    if kind is Kind.CHOICE:
        return cell
    if kind is Kind.REFS or kind is Kind.TEXTS or kind is Kind.CODES or kind is Kind.ELEMENTS:
        raise AssertionError(kind)  # lists were read above
    assert_never(kind)
