"""The ``yaml`` exporter: the ``usager/2`` document as YAML a person writes by hand, lossless both ways.

Writing needs nothing but usager: block style, one element per item, keys in
the document's order, multi-line text as literal blocks (``|``), text quoted
only where YAML would read it as something else (``'no'``, ``'1.10'``).
Options leave out the keys that hold their default (``defaults=omit``) and
write short lists and elements on one line (``layout=compact``), as ``usager
fmt`` does; :meth:`YamlExporter.reformat` writes so with the text's comments,
which it finds beside the scalars PyYAML's scanner marks and puts back at the
keys and elements they belong to.

Reading uses PyYAML (a dependency of usager) and is as strict as
JSON. The text is parsed into events (with their positions), never into Python
values by YAML's rules: a scalar becomes what the field it stands in expects.
Text fields take any plain scalar as text (``no`` stays ``'no'``, ``1.10``
stays ``'1.10'``); a number or a boolean is read from a plain scalar only
where the field holds one (a quoted ``"3"`` is text, and not a severity);
``null``, ``~`` or nothing is null, as in JSON. Tags, anchors,
aliases, merge keys, keys that are not text and a second document are refused
with their line and column. Every other problem is reported by the same
reader as JSON's, so both give the same messages, with ``line:column``.

PyYAML reads YAML 1.1, which differs from YAML 1.2 in a few characters; they are
read as YAML 1.2 reads them (and as other tools write them): NEL, LS and PS
(U+0085, U+2028, U+2029) are ordinary characters, not line breaks; DEL, the other
C1 controls, U+FFFE and U+FFFF may stand inside quotes (only); and a literal or
folded block's line may start with a tab after its indentation.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from usager._document import DuplicateKeys, Locate, from_document, spec_at, to_document
from usager._fields import kinds_shaped
from usager._i18n import N_, say
from usager._text import decode_text
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import CannotLoadError, LoadError, Problem, UsagerError
from usager.exporters import OptionHelp
from usager.exporters._formats.handwritten import (
    Comment,
    Kept,
    Key,
    Lines,
    check_kept,
    choices,
    comment_at,
    defaults,
    element_keys,
    is_default,
    kept,
    keyer,
    placed,
)

__all__ = ["MODELINE", "YamlExporter", "to_yaml"]

Path = tuple[str | int, ...]

_LIST_NAMES = frozenset(name for name, _ in ELEMENT_LISTS)

# ---------------------------------------------------------------- writing

#: Characters a YAML stream may hold as they are (YAML's printable set, less line breaks other
#: than LF, and less the byte order mark, which a reader may drop).
_RAW = r"\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_NEEDS_ESCAPE = re.compile(f"[^{_RAW}]")
#: Text that may stand unquoted: it starts with a letter, a digit, '_' or a non-ASCII character,
#: holds no ':', '#', tab or line break, and does not end with a space.
_START = r"A-Za-z0-9_\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_NEVER = r"\x00-\x1f\x7f-\x9f:#\u2028\u2029\ufeff\ufffe\uffff"
_PLAIN = re.compile(f"[{_START}](?:[^{_NEVER}]*[^{_NEVER} ])?")
#: Plain text that YAML 1.1 or 1.2 readers would take for a boolean, a null or a number.
_TYPED = re.compile(
    r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|[0-9][0-9a-fA-FoOxX_.:+\-]*"
)
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\", "\x00": "\\0"}


def _quoted(text: str) -> str:
    """``text`` in double quotes, with every character YAML would not keep as it is escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _NEEDS_ESCAPE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _block(text: str, indent: int) -> list[str] | None:
    """``text`` as a literal block (its header, then its lines) indented by ``indent``; None when it cannot be one."""
    body = text.rstrip("\n")
    if "\n" not in text or not body.strip() or _NEEDS_ESCAPE.search(text) or "\t" in text:
        return None
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    lines = body.split("\n")
    if any(line != line.rstrip(" ") and not line.strip(" ") for line in lines):
        return None  # a line of spaces only: readers disagree on it
    first = next(line for line in lines if line)
    header = "|" + ("2" if first.startswith(" ") else "") + chomp
    pad = " " * indent
    return [header] + [pad + line if line else "" for line in lines] + [""] * (trailing - 1)


def _float(value: float) -> str:
    """A finite float as YAML 1.1 and 1.2 readers both read it: ``1e+16`` is written ``1.0e+16``.

    YAML 1.1 (PyYAML's ``safe_load``) takes a number in exponent notation for a float only when
    its mantissa has a dot, and would read ``1e+16`` as text.
    """
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


def _scalar(value: Any, indent: int) -> list[str]:
    """A scalar as YAML: one line, or a literal block's header and lines (indented by ``indent``)."""
    if value is None:
        return ["null"]
    if value is True or value is False:
        return ["true" if value else "false"]
    if isinstance(value, float):
        return [_float(value)]
    if isinstance(value, int):
        return [repr(value)]
    if _PLAIN.fullmatch(value) and not _TYPED.fullmatch(value):
        return [value]
    return _block(value, indent) or [_quoted(value)]


#: The widest line a list or an element is written on in flow style (``[a, b]``, ``{id: a, label: B}``).
WIDTH = 80
#: Characters a plain scalar may not hold in flow style, where they end or separate items.
_FLOW_INDICATORS = re.compile(r"[,\[\]{}]")


def _flow_scalar(value: Any) -> str | None:
    """A scalar as it stands in a flow collection, on one line; None for a text of several lines."""
    if isinstance(value, str):
        if "\n" in value:
            return None
        if _PLAIN.fullmatch(value) and not _TYPED.fullmatch(value) and not _FLOW_INDICATORS.search(value):
            return value
        return _quoted(value)
    return _scalar(value, 0)[0]


def _flow(value: Any) -> str | None:
    """A scalar or a list of scalars in flow style, on one line; None when some text holds a line break."""
    if not isinstance(value, list):
        return _flow_scalar(value)
    items = [_flow_scalar(item) if not isinstance(item, (dict, list)) else None for item in value]
    return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]


class _Writer:
    """Writes a document as block YAML, noting the line of each key and element (for the comments put back).

    ``omit`` leaves out the keys that hold their default value; ``compact`` writes a list of
    scalars, and an element of a few keys, on one line in flow style where it fits in
    :data:`WIDTH` columns, and a blank line above each list of elements. A key with comments
    is written even when it holds its default, and a list or an element with comments inside
    in block style, a line per item.
    """

    def __init__(self, *, omit: bool, compact: bool, comments: Kept | None) -> None:
        self.out = Lines()
        self.omit = omit
        self.compact = compact
        self.comments = comments or Kept()

    def document(self, document: dict[str, Any]) -> None:
        items = {}
        for key, value in document.items():
            if key in _LIST_NAMES:
                items[key] = element_keys([element["id"] for element in value])
        self.mapping(document, 0, "", (), defaults(), items)

    def mapping(
        self,
        obj: dict[str, Any],
        indent: int,
        first: str,
        path: Key,
        default: dict[str, Any],
        elements: dict[str, list[tuple[str, int]]],
    ) -> None:
        """The keys of ``obj`` at column ``indent``; the first line starts with ``first`` (``- `` in a list)."""
        lines = self.out.lines
        pad = " " * indent
        lead = first
        if first:
            self.out.mark(path, len(lines))
        for key, value in obj.items():
            here = (*path, key)
            if self.omit and key in default and is_default(value, default[key]) and not self.comments.has(here):
                continue
            head = f"{lead or pad}{key}:"
            lead = ""
            if self.compact and key in elements:
                lines.append("")  # a blank line above each list of elements
            self.out.mark(here, len(lines))
            if isinstance(value, list):
                inline = self.compact and not self.comments.inside(here) and key not in elements and _flow(value)
                if inline and len(head) + 1 + len(inline) <= WIDTH:
                    lines.append(f"{head} {inline}")
                    continue
                if not value:
                    lines.append(f"{head} []")
                    continue
                lines.append(head)
                for n, item in enumerate(value):
                    if isinstance(item, dict):
                        element = (key, elements[key][n]) if key in elements else (*here, n)
                        self.element(item, indent, element, key)
                    else:
                        text = _scalar(item, indent + 4)
                        self.out.mark((*here, n), len(lines))
                        lines.append(f"{pad}  - {text[0]}")
                        lines += text[1:]
            else:
                text = _scalar(value, indent + 2)
                lines.append(f"{head} {text[0]}")
                lines += text[1:]

    def element(self, element: dict[str, Any], indent: int, path: Key, list_name: str) -> None:
        """An element of a list whose key is at column ``indent``: in flow style when it fits, else key by key."""
        pad = " " * indent
        default = defaults(list_name) if list_name in _LIST_NAMES else {}
        if self.compact and not self.comments.inside(path):
            kept = {
                k: v
                for k, v in element.items()
                if not (self.omit and k in default and is_default(v, default[k]) and not self.comments.has((*path, k)))
            }
            pairs = [(k, _flow(v)) for k, v in kept.items()]
            if len(pairs) > 1 and all(text is not None for _, text in pairs):
                line = f"{pad}  - {{" + ", ".join(f"{k}: {text}" for k, text in pairs) + "}"
                if len(line) <= WIDTH:
                    self.out.mark(path, len(self.out.lines))
                    self.out.lines.append(line)
                    return
        self.mapping(element, indent + 4, f"{pad}  - ", path, default, {})


#: The comment through which editors (VS Code's YAML extension) find a file's JSON Schema.
MODELINE = "# yaml-language-server: $schema="


def _modeline(canvas: Canvas) -> str | None:
    """The ``# yaml-language-server: $schema=...`` comment of a canvas with a ``$schema``; None else."""
    schema = canvas.schema
    if schema is not None and not _NEEDS_ESCAPE.search(schema) and "\n" not in schema and "\t" not in schema:
        return MODELINE + schema.strip()
    return None


def to_yaml(canvas: Canvas, *, defaults: str = "keep", layout: str = "block", comments: Kept | None = None) -> str:
    """The canvas as canonical YAML text.

    A canvas with a ``$schema`` starts with the ``# yaml-language-server: $schema=...`` comment
    too, so that editors validate the file and explain each key; the comment is made from the
    ``$schema`` key, which is what is read back.

    ``defaults="omit"`` leaves out the keys that hold the value they take when left out
    (``tags: []``, ``description: ""``, ``severity: 2``...); ``layout="compact"`` writes a
    list of texts or ids, and an element of a few short keys, on one line where it fits in
    :data:`WIDTH` columns (``personas: [commuter, tourist]``), and a blank line above each
    list of elements. ``comments`` are put back at the keys and elements they belong to
    (``usager fmt``).
    """
    writer = _Writer(omit=defaults == "omit", compact=layout == "compact", comments=comments)
    modeline = _modeline(canvas)
    if modeline is not None:
        writer.out.lines.append(modeline)
    writer.document(to_document(canvas))
    lines = writer.out.lines if comments is None else placed(writer.out, comments)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- reading

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INTEGER = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_VALUE_KINDS = kinds_shaped("number", "boolean")


def _value(text: str) -> Any:
    """A plain scalar where a number, a boolean or null may stand, read as JSON would read it unquoted."""
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    try:
        if _INTEGER.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    except ValueError:  # more digits than Python converts
        return text
    return text


def _plain(text: str, path: Path) -> Any:
    """A plain (unquoted) scalar read by what the field at ``path`` expects.

    ``null``, ``~`` and nothing are null everywhere (where text is expected, that is an
    error, as in JSON: the text "null" is written in quotes). Any other plain scalar is
    text, except where the field holds a number or a boolean.
    """
    if text in _NULLS:
        return None
    found = spec_at(path)
    if found is None:
        return _value(text)
    spec, item = found
    if not item and (spec.kind in _VALUE_KINDS or spec.is_list):
        return _value(text)
    return text


#: The characters YAML 1.1 reads otherwise than YAML 1.2: NEL, LS and PS, line breaks in 1.1 and
#: ordinary characters in 1.2; and those 1.2 takes inside quotes only, and 1.1 nowhere.
_OTHERWISE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
#: Of them, those that may stand inside quotes only.
_QUOTED_ONLY = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
#: The private-use characters that stand in for them while PyYAML reads the text.
_STAND_INS = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


def _yaml_1_2(text: str) -> tuple[str, dict[int, str]]:
    """``text`` to read with PyYAML as YAML 1.2 reads it, and what puts back the characters it changed.

    Each character of :data:`_OTHERWISE` in ``text`` is replaced by a private-use character the
    text does not hold, which both YAMLs read as a letter, one for one (so every position stays).
    """
    found = sorted(set(_OTHERWISE.findall(text)))
    if not found:
        return text, {}
    held = set(text)
    free = (chr(code) for code in itertools.chain(*_STAND_INS) if chr(code) not in held)
    forth: dict[int, str] = {}
    for char, stand_in in zip(found, free, strict=False):  # a text holding all private-use ones keeps the rest
        forth[ord(char)] = stand_in
    return text.translate(forth), {ord(stand_in): chr(code) for code, stand_in in forth.items()}


#: What libyaml says of a tab after the indentation of a block scalar's first line (which YAML 1.2
#: allows: ``|`` then ``␣␣\tcode``); PyYAML's own reader takes it.
_LIBYAML_TAB = "found a tab character where an indentation space is expected"

_T = TypeVar("_T")


def _with_a_loader(read: Callable[[Any], _T]) -> _T:
    """``read(loader)`` with libyaml's loader when PyYAML has it, else (or where libyaml refuses that tab) PyYAML's."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return read(fast)
        except yaml.MarkedYAMLError as exc:
            if exc.problem != _LIBYAML_TAB:
                raise
    return read(yaml.SafeLoader)


class _Refused(Exception):
    def __init__(self, path: Path, mark: Any, message: str) -> None:
        super().__init__(message)
        where = Problem.at(path, message).where if path else ""
        self.problem = Problem(where, message, path=path, line=mark.line + 1, column=mark.column + 1)


class _Reader:
    """Builds the document's plain values from YAML events, noting where each value and key starts."""

    def __init__(self, events: Any, back: dict[int, str]) -> None:
        import yaml

        self.yaml = yaml
        self.events = iter(events)
        #: What puts back the characters :func:`_yaml_1_2` changed.
        self.back = back
        self.values: dict[Path, tuple[int, int]] = {}
        self.keys: dict[Path, tuple[int, int]] = {}
        #: The line where each flow collection (``[a, b]``, ``{id: a}``) ends, and its path.
        self.ends: list[tuple[int, Path]] = []
        #: Where each quoted scalar starts and ends (noted when characters were changed).
        self.quoted: list[tuple[int, int]] = []

    def scalar(self, event: Any) -> str:
        """The text of a scalar event (a value or a key), as it stands in the document."""
        if not self.back:
            return str(event.value)
        if event.style in ('"', "'"):
            self.quoted.append((event.start_mark.index, event.end_mark.index))
        return str(event.value).translate(self.back)

    def document(self) -> Any:
        yaml = self.yaml
        next(self.events)  # the stream's start
        event = next(self.events)
        if isinstance(event, yaml.StreamEndEvent):
            return _EMPTY
        value = self.node(next(self.events), ())
        next(self.events)  # the document's end
        event = next(self.events)
        if isinstance(event, yaml.DocumentStartEvent):
            raise _Refused((), event.start_mark, say("a second document ('---'): a canvas file holds one document"))
        return value

    def node(self, event: Any, path: Path) -> Any:
        yaml = self.yaml
        mark = event.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent):
            message = say(
                "an alias (*{name}): usager files take no anchors nor aliases; write the value out", name=event.anchor
            )
            raise _Refused(path, mark, message.translate(self.back))
        if event.anchor is not None:
            message = say("an anchor (&{name}): usager files take no anchors nor aliases", name=event.anchor)
            raise _Refused(path, mark, message.translate(self.back))
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            message = say("a tag ({tag}): usager files take no tags; write the value alone", tag=tag)
            raise _Refused(path, mark, message.translate(self.back))
        if isinstance(event, yaml.ScalarEvent):
            value = self.scalar(event)
            return _plain(value, path) if event.implicit[0] else value
        if isinstance(event, yaml.SequenceStartEvent):
            flow = event.flow_style
            items: list[Any] = []
            event = next(self.events)
            while not isinstance(event, yaml.SequenceEndEvent):
                items.append(self.node(event, (*path, len(items))))
                event = next(self.events)
            if flow:
                self.ends.append((event.start_mark.line + 1, path))
            return items
        return self.mapping(path, flow=event.flow_style)

    def mapping(self, path: Path, *, flow: bool = False) -> dict[str, Any]:
        yaml = self.yaml
        result: dict[str, Any] = {}
        duplicates: list[str] = []
        event = next(self.events)
        while not isinstance(event, yaml.MappingEndEvent):
            mark = event.start_mark
            if not isinstance(event, yaml.ScalarEvent) or event.anchor is not None or event.tag is not None:
                raise _Refused(path, mark, say("a key must be plain text (no list, mapping, tag, anchor or alias)"))
            key = self.scalar(event)
            if key == "<<" and event.implicit[0]:
                raise _Refused(path, mark, say("a merge key (<<): usager files take none; write the keys out"))
            here = (*path, key)
            self.keys[here] = (mark.line + 1, mark.column + 1)
            if key in result:
                duplicates.append(key)
            result[key] = self.node(next(self.events), (*path, key))
            event = next(self.events)
        if flow:
            self.ends.append((event.start_mark.line + 1, path))
        if duplicates:
            dup = DuplicateKeys(result)
            dup.duplicates = tuple(duplicates)
            return dup
        return result

    def locate(self, path: Path, key: bool) -> tuple[int, int] | None:
        found = self.keys.get(path) if key else None
        return found or self.values.get(path)


def _read(text: str) -> tuple[_Reader, Any]:
    """The reader of ``text`` (with the positions it noted) and the document's plain values, read as YAML 1.2.

    Raises :class:`_Refused`, ``yaml.YAMLError`` or ``RecursionError`` for a text that is no
    usager document.
    """
    import yaml

    prepared, back = _yaml_1_2(text)

    def read(loader: Any) -> tuple[_Reader, Any]:
        reader = _Reader(yaml.parse(prepared, Loader=loader), back)
        return reader, reader.document()

    reader, document = _with_a_loader(read)
    if reader.back:
        starts = [start for start, _ in reader.quoted]
        for match in _QUOTED_ONLY.finditer(text):
            index = match.start()
            inside = bisect.bisect_right(starts, index) - 1
            if inside < 0 or index >= reader.quoted[inside][1]:
                line = text.count("\n", 0, index)
                mark = yaml.Mark("", index, line, index - (text.rfind("\n", 0, index) + 1), None, 0)
                raise _Refused((), mark, _not_printable(ord(match.group()), inside_quotes=True))
    return reader, document


_EMPTY = object()
_HASH = re.compile("#")


class _YamlError(Exception):
    """A text whose comments cannot be found, as it does not parse."""


def _comments(text: str) -> list[Comment]:
    """The comments of the YAML text ``text``, in order; raises :class:`_YamlError` when it does not parse.

    Each ``#`` outside the scalars (which PyYAML's scanner marks, and which never overlap)
    starts a comment, in one pass over both in order.
    """
    import yaml

    prepared = _yaml_1_2(text)[0]

    def scan(loader: Any) -> list[tuple[int, int]]:
        tokens = yaml.scan(prepared, Loader=loader)
        return [(t.start_mark.index, t.end_mark.index) for t in tokens if isinstance(t, yaml.ScalarToken)]

    try:
        spans = _with_a_loader(scan)
    except yaml.YAMLError:
        raise _YamlError from None
    spans.sort()
    starts = [start for start, _ in spans]
    found: list[Comment] = []
    line, counted, last_line = 1, 0, 0
    for match in _HASH.finditer(text):
        index = match.start()
        inside = bisect.bisect_right(starts, index) - 1
        if inside >= 0 and index < spans[inside][1]:
            continue  # a '#' in a text
        line += text.count("\n", counted, index)
        counted = index
        if line != last_line:  # the rest of the line is the comment
            found.append(comment_at(text, index, line))
            last_line = line
    return found


_INDENTED = N_("this line is not indented like the lines around it (keys of one mapping start in one column)")
#: PyYAML's words for common mistakes, and what to write instead.
_ADVICE = (
    ("mapping values are not allowed", N_("a ':' where no key can start: put a text holding ': ' in quotes, "
     "or check this line's indentation")),
    ("could not find expected ':'", N_("expected 'key: value' (a key, a colon and a space)")),
    ("did not find expected key", _INDENTED),
    ("expected <block end>", _INDENTED),
    ("did not find expected '-' indicator", _INDENTED),
    ("found unexpected end of stream", N_("the file ends inside a quoted text: close the quote")),
    ("found undefined alias", N_("an alias (*name): usager files take no anchors nor aliases")),
)  # fmt: skip


def _not_printable(char: int, *, inside_quotes: bool) -> str:
    """What to say of the character ``char`` where YAML refuses it (outside quotes, when ``inside_quotes``)."""
    escape = _quoted(chr(char))
    if inside_quotes:
        return say(
            "not valid YAML: the character U+{code} may stand in a YAML file only inside quotes; "
            "put the text in double quotes (where it may be written {escape})",
            code=f"{char:04X}",
            escape=escape,
        )
    return say(
        "not valid YAML: the character U+{code} may not stand in a YAML file; "
        "write it as an escape ({escape}) inside double quotes",
        code=f"{char:04X}",
        escape=escape,
    )


def _syntax_problem(exc: Exception, text: str) -> Problem:
    """A Problem naming what is wrong with the YAML text, and where, in words a person reads."""
    import yaml

    line: int | None = None
    column: int | None = None
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem("", _not_printable(char, inside_quotes=False), line=line, column=column)
    assert isinstance(exc, yaml.MarkedYAMLError)
    mark = exc.problem_mark or exc.context_mark
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    lines = text.split("\n")
    here = lines[mark.line][mark.column : mark.column + 1] if mark is not None and mark.line < len(lines) else ""
    problem = str(exc.problem or "")
    if here == "\t" or "'\\t'" in problem:
        reason = say("a tab: YAML indents with spaces only; replace the tab with spaces")
    else:
        advised = next((advice for words, advice in _ADVICE if words in problem), None)
        reason = say(advised) if advised is not None else " ".join(str(part) for part in (exc.context, problem) if part)
        for stand_in, original in _yaml_1_2(text)[1].items():  # PyYAML's words name the characters it read
            reason = reason.replace(repr(chr(stand_in))[1:-1], repr(original)[1:-1]).replace(chr(stand_in), original)
    return Problem("", say("not valid YAML: {reason}", reason=reason), line=line, column=column)


class YamlExporter:
    """The canvas as YAML, for people who write canvases by hand; read back as strictly as JSON.

    Writing is canonical and deterministic; reading uses PyYAML, a
    dependency of usager.
    """

    name = "yaml"
    suffixes = (".yaml", ".yml")
    media_type = "application/yaml"
    binary = False
    #: The options :meth:`export` takes, and the values each allows (the first is the default).
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType(
        {"defaults": ("keep", "omit"), "layout": ("block", "compact")}
    )
    #: What each option means, and its default.
    option_help: Mapping[str, OptionHelp] = MappingProxyType(
        {
            "defaults": OptionHelp("write every key (keep) or leave out those holding their default (omit)", "keep"),
            "layout": OptionHelp(
                "a line per item (block), or short lists and elements on one line (compact), as usager fmt writes",
                "block",
            ),
        }
    )

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The canvas as YAML text.

        ``defaults``: ``keep`` (every key written) or ``omit`` (the keys holding their default
        left out); ``layout``: ``block`` (a line per item) or ``compact`` (short lists and elements
        on one line, a blank line above each list of elements). Every way the text reads back to
        the same canvas. See :func:`to_yaml`.
        """
        chosen = choices(self.name, self.options, options)
        return to_yaml(canvas, defaults=chosen["defaults"], layout=chosen["layout"])

    def comments(self, data: str | bytes) -> tuple[int, ...]:
        """The lines of ``data`` that hold a comment; () when it does not parse."""
        try:
            found = _comments(decode_text(data))
        except _YamlError:
            return ()
        return tuple(dict.fromkeys(comment.line for comment in found))

    def reformat(self, data: str | bytes, *, source: str | None = None) -> str:
        """The canvas of the YAML text ``data`` written as ``usager fmt`` writes it, its comments kept.

        Keys holding their default are left out and short lists and elements written on one
        line (as ``defaults=omit, layout=compact``). Each comment goes with the key or element it
        stands above or at the end of (see :mod:`usager.exporters._formats.handwritten`).
        Raises :class:`LoadError` for a text that is no canvas, as :meth:`load` does, and for
        a comment that could not be kept, naming its line.
        """
        text = decode_text(data, source=source)
        reader, canvas = self._read(text, source)
        found = _comments(text)
        written = list(found)
        modeline = _modeline(canvas)
        if modeline is not None:  # the writer writes it from $schema
            first = next((c for c in found if c.text == modeline and not c.trailing), None)
            if first is not None:
                written.remove(first)
        starts = [(*reader.keys[path], path) for path in reader.keys]
        starts += [(*where, path) for path, where in reader.values.items() if path and type(path[-1]) is int]
        ids = {name: [e.id for e in getattr(canvas, name)] for name in _LIST_NAMES}
        notes = kept(written, starts, keyer(ids), text, reader.ends)
        output = to_yaml(canvas, defaults="omit", layout="compact", comments=notes)
        check_kept(written, output, lambda out: self.load(out), canvas, _comments, source)
        return output

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read a YAML canvas strictly; raise :class:`LoadError` naming the line, column and path of each problem."""
        return self._read(decode_text(data, source=source), source)[1]

    def _read(self, text: str, source: str | None) -> tuple[_Reader, Canvas]:
        """The reader of ``text`` (with the positions it noted) and its canvas; see :meth:`load`."""
        try:
            import yaml
        except ImportError:
            raise CannotLoadError(
                "reading YAML needs PyYAML, which usager depends on but this environment lacks: "
                "install it with pip install pyyaml"
            ) from None
        try:
            reader, document = _read(text)
        except _Refused as exc:
            raise LoadError([exc.problem], source=source) from None
        except yaml.YAMLError as exc:
            raise LoadError([_syntax_problem(exc, text)], source=source) from None
        except RecursionError:
            raise LoadError.at("$", say("the document is nested too deeply to be a canvas"), source=source) from None
        if document is _EMPTY:
            raise LoadError([Problem("$", say("the document is empty"), line=1, column=1)], source=source)
        locate: Locate = reader.locate
        return reader, from_document(document, source=source, locate=locate)

    def locator(self, data: str | bytes) -> Locate:
        """Where each path stands in the YAML text ``data``, as :meth:`load` tells problems (parsed on the first call).

        Needs PyYAML; a path not in the text, or a text that does not parse, has no position (None).
        """
        found: list[_Reader | None] = []

        def locate(path: Path, key: bool) -> tuple[int, int] | None:
            if not found:
                found.append(_positions(data))
            reader = found[0]
            return None if reader is None else reader.locate(path, key)

        return locate


def _positions(data: str | bytes) -> _Reader | None:
    """The reader of ``data`` with the positions it noted, or None when ``data`` is not a YAML canvas."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - loading needs PyYAML first
        return None
    try:
        return _read(decode_text(data))[0]
    except (_Refused, yaml.YAMLError, RecursionError, UsagerError):
        return None
