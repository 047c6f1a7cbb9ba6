"""The CSV exporter's fast paths: element rows written column by column, and read row by row.

The CSV exporter writes one row of :data:`~usager.exporters.csv.COLUMNS` cells per element.
Going row by row costs several Python calls per cell, empty cells included (most of them: an
element fills a fifth of the columns), and ``csv.writer`` looks at every character.
:class:`RowWriters` builds each class's rows column by column instead, each column in passes
that run in C, and writes the text itself, as ``csv.writer`` would; each field's cell is the
exporter's own function's for a field's cell, so the output stays exactly what the exporter
defines. It knows nothing of CSV beyond quoting: the exporter hands it its columns, fields and
cell functions.

:class:`RowReaders` are the way back: for each element class, one function that turns a row
straight into its element, doing what the exporter's thorough reader does for a cell that is
right (the protecting ``'`` removed, an enum looked up in a dict, an integer matched by a
regex...) and giving up at anything else, so that the thorough reader reads the file again and
says what is wrong where. Ids and references are checked over the whole file at once.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, compress, islice, repeat
from types import MemberDescriptorType
from typing import Any

import attrs

from usager._fields import RULE_CODE, Kind, Spec, assert_never, kinds_shaped
from usager._generated import generate
from usager._text import all_ids
from usager.canvas import ELEMENT_LISTS, TYPE_OF, Canvas
from usager.errors import ElementError

__all__ = ["RowReaders", "RowWriters"]

Row = list[str]

#: The kinds of field whose cell is a text, written as it is unless it needs protecting.
_TEXTS = kinds_shaped("text")
#: The kinds of field whose cell is its items' texts, one per line.
_TEXT_LISTS = kinds_shaped("texts")
#: The kinds of field whose values are singletons, few of them: a cell per value, found by its identity.
_SINGLETONS = kinds_shaped("choice", "boolean")
_LINES = "\n".join
#: What makes the standard library's writer (``csv.writer``, its default dialect) put a cell in quotes.
_QUOTED = re.compile('[,"\r\n]').search
Column = Callable[[Sequence[Any]], list[str]]


def _few_values(spec: Spec) -> list[Any] | None:
    """Every value a field of ``spec`` can hold, when they are few: an enum's members, a small range, booleans."""
    values: list[Any]
    if spec.kind is Kind.CHOICE and spec.choices is not None:
        values = list(spec.choices)
    elif spec.kind is Kind.BOOLEAN:
        values = [False, True]
    elif spec.kind is Kind.INTEGER and spec.low is not None and spec.high is not None and spec.high - spec.low <= 100:
        values = list(range(spec.low, spec.high + 1))
    else:
        return None
    return [*values, None] if spec.optional else values


class RowWriters:
    """The rows of each element class's elements as CSV text, built column by column, from the exporter's pieces.

    ``fields`` maps an element class to its ``(column, field name, spec, ...)`` tuples;
    ``written`` turns a field's value into its cell, made safe to open in a spreadsheet, from the
    field's spec; ``may_change`` gives the texts, among a column's, whose cell ``written`` may
    make other than the text itself (of a text, label, id or reference field, or of a list of
    texts or ids, one per line). The text is what ``csv.writer`` writes with its default
    dialect and CRLF line ends.

    Writing a row per element costs a few Python calls per cell, on some 50 columns of which an
    element fills a fifth, and ``csv.writer`` itself looks at every character of every row.
    Here each filled column of a class's elements is built in one pass that runs in C (``map``
    over an attribute getter, a dict of the cell of each value, a join), and so is deciding
    which of its cells to protect (``may_change`` names the few that may need it, which alone
    go through ``written``) and which to put in quotes (one look at the column's text, then
    at its cells if any needs them). The rows are then one ``str.join`` of the columns
    interleaved with the separators, the empty cells between two filled ones being commas of
    the separator. Whatever does not fit (an unusual list item, a value with no ready cell) is
    written by ``written``, cell by cell, so the output is always exactly what the exporter
    defines.
    """

    def __init__(
        self,
        columns: Sequence[str],
        fields: Mapping[type[Any], Iterable[Sequence[Any]]],
        written: Callable[[Spec, Any], str],
        may_change: Callable[[Iterable[str]], set[str]],
    ) -> None:
        self._written = written
        self._may_change = may_change
        self._plans = {cls: self._plan(cls, columns, own) for cls, own in fields.items()}

    def _plan(
        self, cls: type[Any], columns: Sequence[str], fields: Iterable[Sequence[Any]]
    ) -> tuple[list[tuple[str, Column]], str]:
        """Each filled column's function, with the text before its cell (separators, the type); the row's end."""
        by_column = {column: (name, spec) for column, name, spec, *_ in fields}
        assert by_column.keys() <= set(columns), cls
        kind = TYPE_OF[cls].name
        assert not _QUOTED(kind), kind
        plan: list[tuple[str, Column]] = []
        before = ""  # the text since the last filled column's cell
        for i, column in enumerate(columns):
            before += "," if i else ""
            if column in by_column:
                plan.append((before, self._column(*by_column[column])))
                before = ""
            elif column == "type":
                before += kind
        return plan, before + "\r\n"

    def _column(self, name: str, spec: Spec) -> Column:
        """The function turning a list of elements into the cells of their field ``name``, quoted as CSV."""
        get = operator.attrgetter(name)
        written = self._written
        kind = spec.kind
        if kind in _TEXTS:
            if spec.optional:
                return lambda elements: self._texts(_or_empty(list(map(get, elements))), spec)
            return lambda elements: self._texts(list(map(get, elements)), spec)
        if kind in _TEXT_LISTS:
            return lambda elements: self._lists(list(map(get, elements)), spec)
        values = _few_values(spec)
        if values is not None and kind in _SINGLETONS:
            by_identity = {id(value): _quote(written(spec, value)) for value in values}
            return lambda elements: self._by_identity(list(map(get, elements)), by_identity, spec)
        if values is not None or kind is Kind.CODES:  # few distinct values (rule codes: mostly none)
            return lambda elements: _quoted(list(map(_Cells(written, spec).__getitem__, map(get, elements))))
        return lambda elements: _quoted(list(map(written, repeat(spec), map(get, elements))))

    def _texts(self, cells: list[str], spec: Spec) -> list[str]:
        """The cells of text values (``cells``), the few that need it protected."""
        changed = {}
        for text in self._may_change(cells):
            cell = self._written(spec, text)
            if cell != text:
                changed[text] = cell
        return _quoted(list(map(changed.get, cells, cells)) if changed else cells)

    def _lists(self, values: list[tuple[str, ...]], spec: Spec) -> list[str]:
        """The cells of lists of texts: their items one per line, when no item needs escaping."""
        items = list(chain.from_iterable(values))
        text = "".join(items)
        if all(items) and "\\" not in text and "\n" not in text and "\r" not in text:
            # The cell of such a list is its items' text, and whether it is protected depends on that text alone.
            return self._texts(list(map(_LINES, values)), spec)
        return _quoted(list(map(self._written, repeat(spec), values)))

    def _by_identity(self, values: list[Any], cells: dict[int, str], spec: Spec) -> list[str]:
        """The cells of enum members or booleans, found by identity (an enum's hash runs in Python)."""
        try:
            return list(map(cells.__getitem__, map(id, values)))
        except KeyError:  # a value that is none of the members: cell by cell
            return _quoted(list(map(self._written, repeat(spec), values)))

    def text(self, cls: type[Any], elements: Sequence[Any]) -> str:
        """The rows of ``elements``, all of class ``cls``, in order, as CSV text."""
        plan, end = self._plans[cls]
        count = len(elements)
        parts: list[Iterable[str]] = []
        for before, column in plan:
            parts += (repeat(before, count), column(elements))
        parts.append(repeat(end, count))
        return "".join(chain.from_iterable(zip(*parts, strict=True)))


def _quote(cell: str) -> str:
    """The cell as ``csv.writer`` writes it: quoted, quotes doubled, when it holds a comma, a quote or a line end."""
    return '"' + cell.replace('"', '""') + '"' if _QUOTED(cell) else cell


def _quoted(cells: list[str]) -> list[str]:
    """The cells as ``csv.writer`` writes them (see :func:`_quote`); most columns need no quote at all."""
    text = "".join(cells)
    if "," not in text and '"' not in text and "\n" not in text and "\r" not in text:
        return cells
    quoted = {cell: _quote(cell) for cell in set(compress(cells, map(_QUOTED, cells)))}
    return list(map(quoted.get, cells, cells))


def _or_empty(values: list[str | None]) -> list[str]:
    """The values with ``None`` (an optional field's null) as the empty text, its cell."""
    return list(map({None: ""}.get, values, values))  # type: ignore[arg-type]


class _Cells(dict[Any, str]):
    """The cell of each value of one field, made once by ``written`` (the values must not be equal across types)."""

    def __init__(self, written: Callable[[Spec, Any], str], spec: Spec) -> None:
        super().__init__()
        self._written = written
        self._spec = spec

    def __missing__(self, value: Any) -> str:
        cell = self[value] = self._written(self._spec, value)
        return cell


# ---------------------------------------------------------------- reading


Read = Callable[[Row, list[str], list[str]], Any]
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)").fullmatch
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?").fullmatch
_LIST_KINDS = kinds_shaped("texts", "codes")
_STRING_KINDS = kinds_shaped("text")


def _plain_text(text: str) -> bool:
    """Whether ``text`` holds no NUL and no lone surrogate, so that every text cut from it is acceptable."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RowReaders:
    """Row readers for each element class: each turns a plainly valid row straight into its element.

    The mirror of :class:`RowWriters`, for the CSV exporter's reader: ``columns`` is the header
    a file must have, exactly; ``fields`` maps each element class to its ``(column, field name,
    spec, has a default)`` tuples, ``canvas`` gives the canvas row's; ``split`` is the exporter's
    own function for a list cell's items (a message when it is not a list); ``file_format`` is
    the format the canvas row must name (the newest: every column applies). A generated reader
    does for its class what the exporter's thorough reader does for a valid row, cell by cell,
    and gives up (``None``) at anything it does not expect: :meth:`canvas` then returns ``None``
    and the thorough reader reads the file again, to say what is wrong where. What the
    thorough reader checks value by value is checked here over the whole file at once: the
    text (no NUL, no lone surrogate), the ids and references, the rule codes.
    """

    def __init__(
        self,
        columns: Sequence[str],
        fields: Mapping[type[Any], Sequence[Sequence[Any]]],
        canvas: Sequence[Sequence[Any]],
        split: Callable[[str], list[str] | str],
        file_format: str,
    ) -> None:
        self._columns = list(columns)
        self._format = file_format
        index = {column: i for i, column in enumerate(columns)}
        assert index.get("type") == 0, "the type is the first column"
        self._format_at = index["format"]
        self._readers: dict[str, tuple[str, Read]] = {}
        for list_name, cls in ELEMENT_LISTS:
            own = fields[cls]
            assert len(own) == len(attrs.fields(cls)), cls  # every field is a column
            self._readers[TYPE_OF[cls].name] = (list_name, self._reader(cls, index, own, split))
        others = {"type", "format", *(column for column, *_ in canvas)}
        self._head = self._reader(None, index, canvas, split, others)

    @staticmethod
    def _reader(
        cls: type[Any] | None,
        index: Mapping[str, int],
        fields: Sequence[Sequence[Any]],
        split: Callable[[str], list[str] | str],
        allowed: set[str] | None = None,
    ) -> Read:
        """The reader of one class's rows (``cls`` None: the canvas row, read into a dict of its values)."""
        namespace: dict[str, Any] = {"_split": split, "_int": _INTEGER, "_number": _NUMBER, "_isfinite": math.isfinite}
        lines = ["def read(r, ids, codes):"]
        allowed = allowed or {"type", *(column for column, *_ in fields)}
        empty = [i for column, i in index.items() if column not in allowed]
        if len(empty) > 1:  # the columns the row may not fill must be empty
            namespace.update(_others=operator.itemgetter(*empty), _blank=("",) * len(empty))
            lines.append("    if _others(r) != _blank: return None")  # faster than any()
        elif empty:
            lines.append(f"    if r[{empty[0]}]: return None")
        names = []
        defaults = _defaults(Canvas if cls is None else cls)
        for n, (column, name, spec, _) in enumerate(fields):
            names.append((name, f"x{n}"))
            lines += [f"    v = r[{index[column]}]", '    if v[:1] == "\'": v = v[1:]']
            lines += [f"    {line}" for line in _cell_code(n, spec, defaults[name], namespace)]
            lines.append(f"    x{n} = v")
        if cls is None:
            lines.append("    return {" + ", ".join(f"{name!r}: {x}" for name, x in names) + "}")
        else:
            namespace.update(_new=object.__new__, _cls=cls, _ElementError=ElementError)
            lines.append("    o = _new(_cls)")
            for n, (name, x) in enumerate(names):
                slot = getattr(cls, name)
                assert isinstance(slot, MemberDescriptorType), (cls, name)  # a slot: set straight, as attrs does
                namespace[f"_slot{n}"] = slot.__set__
                lines.append(f"    _slot{n}(o, {x})")
            if hasattr(cls, "__attrs_post_init__"):  # the class's checks across fields
                lines += ["    try:", "        o.__attrs_post_init__()", "    except _ElementError:"]
                lines.append("        return None")
            lines.append("    return o")
        what = f"CSV read {cls.__name__ if cls is not None else 'canvas'}"
        return generate("\n".join(lines), "read", what, namespace)  # type: ignore[no-any-return]

    def row_reader(self, text: str, header: Row) -> Callable[[Row], tuple[str, Any] | None] | None:
        """What reads one element's row of a file fast: its list's name and element, or None to hand over.

        For the thorough reader, which then reads slowly, to say what is wrong, only the rows
        this one gives up on: a file refused for a few bad cells costs about what loading it
        would. A row is read only when the thorough reader would read it equal, with no problem
        (its ids and rule codes checked with it). None when ``header`` is not the columns in
        their order, or when some text of the file holds a NUL or a lone surrogate.
        """
        if header != self._columns or not _plain_text(text):
            return None
        readers = self._readers
        width = len(self._columns)

        def read(row: Row) -> tuple[str, Any] | None:
            reader = readers.get(row[0]) if len(row) == width else None
            if reader is None:
                return None
            ids: list[str] = []
            codes: list[str] = []
            element = reader[1](row, ids, codes)
            if element is None or not all_ids(ids) or not all(map(RULE_CODE.fullmatch, codes)):
                return None
            return reader[0], element

        return read

    def canvas(self, text: str, rows: list[Row]) -> Canvas | None:
        """The canvas in ``rows``, read from ``text``, or None when the file is not plainly valid."""
        if not rows or rows[0] != self._columns or not _plain_text(text):
            return None
        lists: dict[str, Any] = {name: [] for name, _ in ELEMENT_LISTS}
        readers = {kind: (lists[name].append, read) for kind, (name, read) in self._readers.items()}
        ids: list[str] = []
        codes: list[str] = []
        head: dict[str, Any] | None = None
        width = len(self._columns)
        for row in islice(rows, 1, None):
            if len(row) != width:
                if len(row) <= 1 and not any(row):
                    continue  # a blank line
                return None
            kind = row[0]
            if kind == "canvas":
                if head is not None or row[self._format_at] != self._format:
                    return None
                head = self._head(row, ids, codes)
                if head is None:
                    return None
                continue
            reader = readers.get(kind)
            if reader is None:
                return None
            element = reader[1](row, ids, codes)
            if element is None:
                return None
            reader[0](element)
        if head is None or not all_ids(ids) or not all(map(RULE_CODE.fullmatch, codes)):
            return None
        try:  # the canvas's own validators check its values; its lists hold elements just built
            canvas = Canvas(**head)
        except ElementError:
            return None
        for name, items in lists.items():
            object.__setattr__(canvas, name, tuple(items))
        return canvas


def _defaults(cls: type[Any]) -> dict[str, Any]:
    """Each field's default value as an instance holds it (through the field's converter), or ``attrs.NOTHING``."""
    defaults: dict[str, Any] = {}
    for field in attrs.fields(cls):
        default: Any = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING and callable(field.converter):
            default = field.converter(default)
        defaults[field.name] = default
    return defaults


def _cell_code(n: int, spec: Spec, default: Any, namespace: dict[str, Any]) -> list[str]:
    """The statements turning ``v``, a cell without its protecting quote, into field ``n``'s value.

    They do what the exporter's ``_from_cell`` and the field's validator do for a cell that is
    right, and ``return None`` wherever they might not. ``default`` is the field's default
    value (``attrs.NOTHING``: it has none).
    """
    kind = spec.kind
    if kind in _LIST_KINDS:
        lines = [
            "if not v: v = ()",
            "elif '\\\\' in v or '\\r' in v:",  # escapes: the exporter's own split
            "    v = _split(v)",
            "    if type(v) is str: return None",
            "    v = tuple(v)",
            "else: v = tuple(v.split('\\n'))",
        ]
        if kind is Kind.REFS:
            lines.append("ids.extend(v)")
        elif kind is Kind.CODES:
            lines.append("codes.extend(v)")
        return lines
    body: list[str]
    if kind in _STRING_KINDS:
        body = []
        if kind in (Kind.ID, Kind.REF):
            body.append("ids.append(v)")
        elif kind is Kind.LABEL:
            body.append("if not v or v.isspace(): return None")
    else:
        if default is not attrs.NOTHING:
            namespace[f"_d{n}"] = default
            body = [f"if not v: v = _d{n}", "else:"]
        else:
            body = ["if not v: return None", "else:"]
        body += [f"    {line}" for line in _value_code(n, spec, namespace)]
    if spec.optional:
        return ["if not v: v = None", "else:", *(f"    {line}" for line in body or ["pass"])]
    return body


def _value_code(n: int, spec: Spec, namespace: dict[str, Any]) -> list[str]:
    """The statements reading a non-empty cell ``v`` of a field that holds no text."""
    kind = spec.kind
    if kind is Kind.INTEGER:
        low, high = spec.low, spec.high
        lines = ["if len(v) > 20 or not _int(v): return None", "v = int(v)"]
        if low is not None:
            lines.append(f"if v < {low}: return None")
        if high is not None:
            lines.append(f"if v > {high}: return None")
        return lines
    if kind is Kind.BOOLEAN:
        namespace["_booleans"] = {"true": True, "false": False}
        return ["v = _booleans.get(v.casefold())", "if v is None: return None"]
    if kind is Kind.NUMBER:
        return [
            "if len(v) > 40: return None",
            "if _int(v): v = int(v)",
            "elif _number(v):",
            "    v = float(v)",
            "    if not _isfinite(v): return None",
            "else: return None",
        ]
    if kind is Kind.CHOICE:
        assert spec.choices is not None
        namespace[f"_choices{n}"] = {member.value: member for member in spec.choices}
        return [f"v = _choices{n}.get(v)", "if v is None: return None"]
    if kind in (Kind.ID, Kind.REF, Kind.REFS, Kind.TEXT, Kind.LABEL, Kind.TEXTS, Kind.CODES, Kind.ELEMENTS):
        raise AssertionError(f"{kind} is read by _cell_code")  # text and lists never come here
    assert_never(kind)
