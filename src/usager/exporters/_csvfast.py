"""Generated CSV row writers: one function per element class, built from the CSV exporter's own pieces.

The CSV exporter writes one row of :data:`~usager.exporters.csv.COLUMNS` cells per element.
Going column by column, with a dict per row, costs several Python calls per cell, empty cells
included (most of them: an element fills a fifth of the columns). :class:`RowWriters`
generates, for each element class, one function that builds the row list directly: the empty
cells are constants, and each field's cell goes through the exporter's own function for a
field's cell, so the output stays exactly what the exporter defines. It knows
nothing of CSV itself: the exporter hands it its columns, fields and cell functions.

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from types import MemberDescriptorType
from typing import Any

import attrs

from usager._fields import RULE_CODE, Kind, Spec
from usager._text import all_ids
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import ElementError

__all__ = ["RowReaders", "RowWriters"]

Row = list[str]

#: The kinds of field whose value is always a text, written as it is unless it needs protecting.
_TEXTS = (Kind.ID, Kind.TEXT, Kind.LABEL, Kind.REF)


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
    """Row writers for each element class, from ``columns``, each class's ``fields`` and the cell function.

    ``fields`` maps an element class to its ``(column, field name, spec, ...)`` tuples; ``written``
    turns a field's value into its cell, made safe to open in a spreadsheet, from the field's spec.
    ``may_change``, when given, tells of a text (of a text, label, id or reference field) whether
    ``written`` may change it: a text it says False of is its own cell, with no call.
    """

    def __init__(
        self,
        columns: Sequence[str],
        fields: Mapping[type[Any], Iterable[Sequence[Any]]],
        written: Callable[[Spec, Any], str],
        may_change: Callable[[str], bool] | None = None,
    ) -> None:
        self._writers = {cls: self._writer(cls, columns, own, written, may_change) for cls, own in fields.items()}

    @staticmethod
    def _writer(
        cls: type[Any],
        columns: Sequence[str],
        fields: Iterable[Sequence[Any]],
        written: Callable[[Spec, Any], str],
        may_change: Callable[[str], bool] | None,
    ) -> Callable[[Any], Row]:
        by_column = {column: (name, spec) for column, name, spec, *_ in fields}
        assert by_column.keys() <= set(columns), cls
        namespace: dict[str, Any] = {"_written": written, "_may_change": may_change}
        items = []
        for i, column in enumerate(columns):
            if column in by_column:
                name, spec = by_column[column]
                namespace[f"_s{i}"] = spec
                if spec.is_list:  # an empty list is always the same cell
                    namespace[f"_c{i}"] = written(spec, ())
                    items.append(f"(_written(_s{i}, e.{name}) if e.{name} else _c{i})")
                elif (values := _few_values(spec)) is not None:  # a cell per value, made once
                    namespace[f"_m{i}"] = {value: written(spec, value) for value in values}
                    items.append(f"(_m{i}[e.{name}] if e.{name} in _m{i} else _written(_s{i}, e.{name}))")
                elif may_change is not None and spec.kind in _TEXTS and not spec.optional:
                    items.append(f"(_written(_s{i}, e.{name}) if _may_change(e.{name}) else e.{name})")
                else:
                    items.append(f"_written(_s{i}, e.{name})")
            else:
                namespace[f"_c{i}"] = cls.__name__.lower() if column == "type" else ""
                items.append(f"_c{i}")
        exec(f"def row(e):\n    return [{', '.join(items)}]\n", namespace)  # from attrs field names only
        return namespace["row"]  # type: ignore[no-any-return]

    def rows(self, elements: Iterable[Any]) -> Iterator[Row]:
        """The row of each element, in order."""
        writers = self._writers
        return (writers[type(e)](e) for e in elements)


# ---------------------------------------------------------------- reading


Read = Callable[[Row, list[str], list[str]], Any]
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)").fullmatch
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?").fullmatch
_LIST_KINDS = (Kind.REFS, Kind.TEXTS, Kind.CODES)
_STRING_KINDS = (Kind.TEXT, Kind.LABEL, Kind.ID, Kind.REF)


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
            self._readers[cls.__name__.lower()] = (list_name, self._reader(cls, index, own, split))
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
        exec("\n".join(lines), namespace)  # generated from the field descriptions only
        return namespace["read"]  # type: ignore[no-any-return]

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
    raise AssertionError(f"no CSV reader for {kind}")  # a new kind of field needs one
