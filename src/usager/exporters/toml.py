"""The ``toml`` exporter: the ``usager/2`` document as TOML, lossless both ways.

Written canonically: the canvas's own keys first, then one ``[[list]]`` table
per element, in the document's order, each key on its own line and
multi-line text as ``\"\"\"`` strings. TOML has no null: a key whose value is
null is left out, and a missing key reads as its default (null for the keys
that take it); empty element lists are left out too. The option
``defaults=omit`` leaves out the keys that hold their default as well, as
``usager fmt`` does; :meth:`TomlExporter.reformat` writes so with the text's
comments, which the scanner below finds, put back at their keys and elements.

Read with the standard library's ``tomllib`` (``tomli`` on Python 3.10). TOML
values carry their own types, so a quoted ``"3"`` is text and no severity;
everything else is checked by the same reader as JSON's, so both give the
same messages. When a document is refused, a small scanner finds the line and
column of each problem's value (and of a key given twice, which TOML forbids).

A text nested more than 1000 levels deep is refused before
``tomllib`` reads it (which takes time and memory growing with the square of a
dotted key's length), with the line and column where it goes too deep.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from usager._document import DUPLICATE_KEY, FORMAT, Locate, element_name, from_document, to_document
from usager._i18n import say, speaking
from usager._text import decode_text
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import LoadError, Problem
from usager.exporters import OptionHelp
from usager.exporters._formats.handwritten import (
    Comment,
    Kept,
    Key,
    Lines,
    check_kept,
    choices,
    comment_at,
    element_keys,
    is_default,
    kept,
    keyer,
    placed,
)
from usager.exporters._formats.handwritten import defaults as omitted
from usager.exporters._formats.jsontext import Positions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

__all__ = ["TomlExporter", "to_toml"]

Path = tuple[str | int, ...]

# ---------------------------------------------------------------- writing

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_LIST_NAMES = [name for name, _ in ELEMENT_LISTS]
#: Longest inline array of texts, in characters; longer ones get one item per line.
_INLINE = 80


def _escape(char: str) -> str:
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


_SPECIAL = re.compile(r'["\\\x00-\x1f\x7f]')
#: What a multi-line string escapes: the same, less line feeds and tabs.
_SPECIAL_IN_LINES = re.compile(r'["\\\x00-\x08\x0b-\x1f\x7f]')


def _escaped(match: re.Match[str]) -> str:
    return _escape(match.group())


def _string(text: str) -> str:
    """``text`` as a TOML string: a basic one, or a multi-line one when it holds line breaks."""
    if "\n" not in text:
        return '"' + (_SPECIAL.sub(_escaped, text) if _SPECIAL.search(text) else text) + '"'
    return '"""\n' + _SPECIAL_IN_LINES.sub(_escaped, text) + '"""'


def _value(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    items = [_value(item) for item in value]
    if not items:
        return "[]"
    inline = "[" + ", ".join(items) + "]"
    if len(inline) <= _INLINE and not any("\n" in item for item in items):
        return inline
    return "[\n" + "".join(f"  {item},\n" for item in items) + "]"


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _pair(out: Lines, here: Key, key: str, value: Any, comments: Kept) -> None:
    """The line (or lines) of ``key = value``, noting where they start and end; a list with comments a line per item."""
    first = len(out.lines)
    if isinstance(value, list) and value and comments.inside(here):
        out.lines.append(f"{_key(key)} = [")
        for n, item in enumerate(value):
            text = _value(item).split("\n")
            out.mark((*here, n), len(out.lines), len(out.lines) + len(text) - 1)
            text[0] = "  " + text[0]
            text[-1] += ","
            out.lines += text
        out.lines.append("]")
    else:
        out.lines += f"{_key(key)} = {_value(value)}".split("\n")
    out.mark(here, first, len(out.lines) - 1)


def to_toml(canvas: Canvas, *, defaults: str = "keep", comments: Kept | None = None) -> str:
    """The canvas as canonical TOML text.

    ``defaults="omit"`` leaves out the keys that hold the value they take when left out
    (``tags = []``, ``description = ""``, ``severity = 2``...). ``comments`` are put back at
    the keys and elements they belong to (``usager fmt``); a key with comments is written even
    when it holds its default.
    """
    omit = defaults == "omit"
    notes = comments or Kept()
    out = Lines()
    document = to_document(canvas)
    top = omitted()

    def written(here: Key, key: str, value: Any, default: dict[str, Any]) -> bool:
        if value is None:
            return False
        return notes.has(here) or not (omit and key in default and is_default(value, default[key]))

    for k, v in document.items():
        if (k not in _LIST_NAMES or (not v and notes.has((k,)))) and written((k,), k, v, top):
            _pair(out, (k,), k, v, notes)
    for list_name in _LIST_NAMES:
        default = omitted(list_name)
        elements = document[list_name]
        for element, key in zip(elements, element_keys([e["id"] for e in elements]), strict=True):
            out.lines.append("")
            path = (list_name, key)
            if not out.at.get((list_name,)):
                out.mark((list_name,), len(out.lines))
            out.mark(path, len(out.lines))
            out.lines.append(f"[[{list_name}]]")
            for k, v in element.items():
                if written((*path, k), k, v, default):
                    _pair(out, (*path, k), k, v, notes)
    lines = out.lines if comments is None else placed(out, comments)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- how deep

#: How deep a TOML text may nest tables and arrays: as deep as YAML's reader allows (and about as
#: deep as JSON's, which Python's stack bounds). The document is a level, and so is each table a
#: dotted key or a header opens (a ``[[list]]`` in the middle of a header counts as one), each
#: ``[[list]]`` and its element, and each inline array or table. A canvas is four levels deep.
_MAX_DEPTH = 1000

#: A plain scalar in one line: a basic string, a number, a date or a boolean.
_SCALAR = r'(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"|[^\s"\'\[\]{},=#]+)'
#: What the depth check reads: strings (whatever they hold), comments, line feeds and the
#: characters that nest or separate; keys, numbers and dates in between are passed over.
_TOKENS = (
    r'"""(?:[^"\\]+|\\[\s\S]?|""?(?!"))*(?:"""(?:""?)?|\Z)'
    r"|'''[\s\S]*?(?:'''(?:''?)?|\Z)"
    r'|"(?:[^"\\\n]+|\\.)*"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
    r"|[\n\[\]{}.,=]"
)
_TOKEN = re.compile(_TOKENS)
#: The same, and a whole line at once when it is a header of one bare key, or a bare key and a
#: scalar or a flat array of scalars (most lines of a canvas).
_NESTING = re.compile(
    r"(?P<line>(?m:^)[ \t]*(?:(?P<header>\[\[?)[ \t]*[A-Za-z0-9_-]+[ \t]*\]\]?|[A-Za-z0-9_-]+[ \t]*=[ \t]*"
    rf"(?:{_SCALAR}|(?P<list>\[[ \t]*(?:{_SCALAR}[ \t]*,[ \t]*)*(?:{_SCALAR}[ \t]*)?\])))"
    r"[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z))|" + _TOKENS
)


def _pieces(text: str, opened: list[tuple[str, int]]) -> Iterator[re.Match[str]]:
    """The lines and tokens of ``text`` for the depth check: a line's tokens where an array is ``opened``.

    (There a line such as ``[1]]`` is no header: its brackets nest and close.)
    """
    for match in _NESTING.finditer(text):
        if match.lastgroup and opened:
            yield from _TOKEN.finditer(text, match.start(), match.end())
        else:
            yield match


def _deepest(text: str) -> tuple[int, int]:
    """How deep ``text`` nests, and the index where it first goes so deep; in one pass, in linear time.

    Reading stops where the text goes deeper than ``_MAX_DEPTH``. Lenient, like the scanner
    below: a text that is not TOML is measured as well as it can be, and ``tomllib`` then
    says what is wrong with it.
    """
    deepest, where = 1, 0
    table = 1  # the depth of the current table's keys: the document's at first
    depth = table  # the depth of what is read now
    key = True  # reading a key (else a value)
    header = False  # reading a [table] or [[list]] header
    line_start = True  # nothing read yet on this line
    #: Each inline array or table open here: '[' or '{', and the depth outside it.
    opened: list[tuple[str, int]] = []
    for match in _pieces(text, opened):
        token = match.group()
        if match.lastgroup:  # a whole line, read at once
            if not opened:
                if match.group("header"):
                    table = len(match.group("header")) + 1
                listed = match.group("list")
                level = table + 1 if listed else table
                if level > deepest:
                    deepest, where = level, match.start("list" if listed else "line")
                key, header, line_start, depth = True, False, True, table
            continue
        if token == "\n":
            if not opened:
                key, header, line_start, depth = True, False, True, table
            continue
        first = token[0]
        if first in "\"'#":
            pass  # a string or a comment: no level, wherever it stands
        elif header:
            if first == ".":
                depth += 1
            elif first == "]":
                header = False
                table = depth
        elif key and first == ".":
            depth += 1
        elif first == "[" and key and line_start and not opened:
            header = True
            # [a]: the document and a; [[a]]: the document, the list a and its element (each '.' adds one).
            depth = 3 if text.startswith("[", match.end()) else 2
        elif first == "=" and key:
            key = False
        elif first in "[{" and not key:
            opened.append((first, depth))
            depth += 1
            key = first == "{"
        elif first in "]}" and opened:
            depth = opened.pop()[1]
            key = False
        elif first == "," and opened:
            kind, outside = opened[-1]
            depth = outside + 1
            key = kind == "{"
        line_start = False
        if depth > deepest:
            deepest, where = depth, match.start()
            if depth > _MAX_DEPTH:
                break
    return deepest, where


def _too_deep(text: str) -> Problem | None:
    """The problem of a text nested deeper than ``_MAX_DEPTH``, where it goes so deep; None for any other text."""
    if text.count(".") + text.count("[") + text.count("{") < _MAX_DEPTH:
        return None  # too few dots and brackets to nest so deep
    depth, index = _deepest(text)
    if depth <= _MAX_DEPTH:
        return None
    message = say(
        "the document is nested more than {depth} levels deep (tables, keys and arrays "
        "inside one another): too deeply to be a canvas",
        depth=_MAX_DEPTH,
    )
    return _nesting_problem(text, index, message)


def _nesting_problem(text: str, index: int, message: str) -> Problem:
    """The problem ``message`` at the line and column of ``index``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem("$", message, line=line, column=column)


# ---------------------------------------------------------------- where things are


@attrs.define
class _Table:
    """A table named in a header: the index of its last element when it is a [[list]] (else -1), and its own tables."""

    index: int = -1
    #: The tables named below this one, by the index of its element (-1 when it is no list).
    below: dict[int, dict[str, _Table]] = attrs.Factory(dict)


class _Scanner:
    """Notes where each key and value of a TOML text starts, by path; and the first key given twice.

    Lenient: it assumes the text is TOML (or was up to its first error).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.positions = Positions(text)
        #: The tables the headers named, key by key (a header is resolved in one walk down).
        self.tables: dict[str, _Table] = {}
        self.seen: set[Path] = set()
        self.duplicate: Path | None = None
        #: The lines that hold a comment.
        self.comments: list[int] = []
        #: The comments, in order.
        self.found: list[Comment] = []
        #: Where each array ends (the index of its ']'), and its path.
        self.ends: list[tuple[int, Path]] = []
        self._counted = (0, 1)  # an index the scanner passed, and its line: lines are counted on from there
        #: The id of each element (``("brakes", 0)``), where it is a plain string.
        self.ids: dict[Path, str] = {}

    def run(self) -> _Scanner:
        text = self.text
        table: Path = ()
        self.positions.values[()] = 0
        while self.skip(newlines=True) < len(text):
            start = self.i
            if text.startswith("[[", start):
                self.i += 2
                table = self.header(self.dotted(), array=True)
                self.i = self.after("]]")
                self.positions.values[table] = start
            elif text[start] == "[":
                self.i += 1
                table = self.header(self.dotted(), array=False)
                self.i = self.after("]")
                self.positions.values[table] = start
            else:
                self.pair(table)
            self.line_end()
        return self

    def after(self, end: str) -> int:
        """The index just after the next ``end`` on this line; the line's end when it has none."""
        text = self.text
        line_end = text.find("\n", self.i)
        line_end = len(text) if line_end < 0 else line_end
        found = text.find(end, self.i, line_end)
        return line_end if found < 0 else found + len(end)

    def skip(self, *, newlines: bool) -> int:
        """Skip white space (and comments and line breaks when ``newlines``); the index reached."""
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char in " \t" or (newlines and char in "\r\n"):
                self.i += 1
            elif char == "#" and newlines:
                self.comment()
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end
            else:
                break
        return self.i

    def line(self) -> int:
        """The 1-based line of the scanner's index, counted on from the last one asked (the scanner only goes on)."""
        index, line = self._counted
        line += self.text.count("\n", index, self.i)
        self._counted = (self.i, line)
        return line

    def comment(self) -> None:
        """Note the comment at the scanner's index."""
        line = self.line()
        self.comments.append(line)
        self.found.append(comment_at(self.text, self.i, line))

    def line_end(self) -> None:
        if self.skip(newlines=False) < len(self.text) and self.text[self.i] == "#":
            self.comment()
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    def note(self, path: Path, start: int) -> None:
        if path in self.seen and self.duplicate is None:
            self.duplicate = path
        self.seen.add(path)
        self.positions.keys[path] = start

    def dotted(self) -> list[str]:
        keys = []
        text = self.text
        while True:
            self.skip(newlines=False)
            char = text[self.i : self.i + 1]
            if char == '"':
                start = self.i
                self.string()
                keys.append(tomllib.loads(f"k = {text[start : self.i]}")["k"])
            elif char == "'":
                self.i += 1
                start = self.i
                self.i = self.after("'")
                keys.append(text[start : self.i - 1] if text[self.i - 1 : self.i] == "'" else text[start : self.i])
            else:
                match = _BARE_KEY.match(text, self.i)
                if match is None:
                    return keys
                keys.append(match.group())
                self.i = match.end()
            self.skip(newlines=False)
            if text[self.i : self.i + 1] != ".":
                return keys
            self.i += 1

    def header(self, keys: list[str], *, array: bool) -> Path:
        resolved: list[str | int] = []
        level = self.tables
        for n, key in enumerate(keys):
            resolved.append(key)
            found = level.get(key)
            if found is None:
                found = level[key] = _Table()
            if array and n == len(keys) - 1:
                found.index += 1
            if found.index >= 0:
                resolved.append(found.index)
            level = found.below.setdefault(found.index, {})
        path = tuple(resolved)
        if not array:
            self.note(path, self.i)
        return path

    def pair(self, table: Path) -> None:
        start = self.i
        path = (*table, *self.dotted())
        self.note(path, start)
        self.skip(newlines=False)
        self.i += 1  # the '='
        self.skip(newlines=False)
        value_start = self.i
        self.value(path)
        if len(path) == 3 and path[2] == "id" and type(path[1]) is int:
            with contextlib.suppress(tomllib.TOMLDecodeError):
                found = tomllib.loads(f"id = {self.text[value_start : self.i].strip()}")["id"]
                if type(found) is str:
                    self.ids[path[:2]] = found

    def string(self) -> None:
        text = self.text
        for quote in ('"""', "'''", '"', "'"):
            if text.startswith(quote, self.i):
                break
        i = self.i + len(quote)
        while i < len(text):
            if quote[0] == '"' and text[i] == "\\":
                i += 2
            elif text.startswith(quote, i):
                i += len(quote)
                while len(quote) == 3 and text[i : i + 1] == quote[0] and text.startswith(quote, i - 2):
                    i += 1  # up to two quotes may end a multi-line string's text
                break
            else:
                i += 1
        self.i = i

    def value(self, path: Path) -> None:
        text = self.text
        self.positions.values[path] = self.i
        char = text[self.i : self.i + 1]
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.i += 1
            index = 0
            while self.skip(newlines=True) < len(text) and text[self.i] != "]":
                item = self.i
                self.value((*path, index))
                index += 1
                self.skip(newlines=True)
                if text[self.i : self.i + 1] == ",":
                    self.i += 1
                if self.i == item:
                    break  # no value and no ',' (a '}' in an array): the scan goes on after it
            self.ends.append((self.i, path))
            self.i += 1
        elif char == "{":
            self.i += 1
            while self.skip(newlines=False) < len(text) and text[self.i] not in "}\n":
                self.pair(path)
                self.skip(newlines=False)
                if text[self.i : self.i + 1] == ",":
                    self.i += 1
            self.i += 1
        else:
            match = re.compile(r"[^,\]}\n#]*").match(text, self.i)
            assert match is not None
            self.i = match.end()


def _found(text: str) -> list[Comment]:
    """The comments of the TOML text ``text``, in order."""
    scanner = _scan(text)
    return [] if scanner is None else scanner.found


def _scan(text: str) -> _Scanner | None:
    try:
        return _Scanner(text).run()
    except (IndexError, ValueError, tomllib.TOMLDecodeError, RecursionError):  # pragma: no cover - defensive
        return None


_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _syntax_problem(exc: ValueError, text: str) -> Problem:
    """A Problem naming what is wrong with the TOML text, and where."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    match = _AT.search(message)
    line: int | None = getattr(exc, "lineno", None)
    column: int | None = getattr(exc, "colno", None)
    if match is not None:
        message = message[: match.start()]
        if line is None and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        elif line is None:
            line = text.count("\n") + 1
            column = len(text) - text.rfind("\n")
    if "overwrite" in message or "twice" in message:
        scanner = _scan(text)
        if scanner is not None and scanner.duplicate is not None:
            path = scanner.duplicate
            position = scanner.positions.locate(path, True)
            assert position is not None
            where = Problem.at(path, "").where
            known = scanner.ids.get(path[:2])
            element = element_name(str(path[0]), known) if known else None
            return Problem(where, say(DUPLICATE_KEY), path=path, line=position[0], column=position[1], element=element)
    reason = message[:1].lower() + message[1:]
    if line is not None and column is not None and reason == "invalid value":
        lines = text.split("\n")
        here = lines[line - 1][column - 1 : column] if line <= len(lines) else ""
        if here.isalpha():
            reason += say(': text goes in double quotes (label = "My text")')
    if not reason:
        return Problem("", say("not valid TOML"), line=line, column=column)
    return Problem("", say("not valid TOML: {reason}", reason=reason), line=line, column=column)


class TomlExporter:
    """The canvas as TOML, for people who write canvases by hand; read back as strictly as JSON."""

    name = "toml"
    suffixes = (".toml",)
    media_type = "application/toml"
    binary = False
    #: The options :meth:`export` takes, and the values each allows (the first is the default).
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType({"defaults": ("keep", "omit")})
    #: What each option means, and its default.
    option_help: Mapping[str, OptionHelp] = MappingProxyType(
        {"defaults": OptionHelp("write every key (keep) or leave out those holding their default (omit)", "keep")}
    )

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The canvas as TOML text; ``defaults``: ``keep`` (each key that has a value) or ``omit`` (:func:`to_toml`)."""
        return to_toml(canvas, defaults=choices(self.name, self.options, options)["defaults"])

    def comments(self, data: str | bytes) -> tuple[int, ...]:
        """The lines of ``data`` that hold a comment (which a rewrite would drop); () when it does not parse."""
        text = decode_text(data)
        if _too_deep(text) is not None:
            return ()
        try:
            tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            return ()
        scanner = _scan(text)
        return () if scanner is None else tuple(dict.fromkeys(scanner.comments))

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read a TOML canvas strictly; raise :class:`LoadError` naming the line, column and path of each problem."""
        return self._read(decode_text(data, source=source), source)

    def reformat(self, data: str | bytes, *, source: str | None = None) -> str:
        """The canvas of the TOML text ``data`` written as ``usager fmt`` writes it, its comments kept.

        Keys holding their default are left out (as ``defaults=omit``). Each comment goes with the
        key or element it stands above or at the end of. Raises :class:`LoadError` for a text that
        is no canvas, as :meth:`load` does, and for a comment that could not be kept, naming its line.
        """
        text = decode_text(data, source=source)
        canvas = self._read(text, source)
        scanner = _scan(text)
        if scanner is None:  # pragma: no cover - a text tomllib reads is scanned
            raise LoadError([Problem("", "the comments of this TOML text could not be found")], source=source)
        positions = scanner.positions
        starts = [(*positions.line_column(index), path) for path, index in positions.keys.items()]
        starts += [
            (*positions.line_column(index), path)
            for path, index in positions.values.items()
            if path and type(path[-1]) is int
        ]
        ids = {name: [e.id for e in getattr(canvas, name)] for name in _LIST_NAMES}
        ends = [(positions.line_column(index)[0], path) for index, path in scanner.ends]
        notes = kept(scanner.found, starts, keyer(ids), text, ends)
        output = to_toml(canvas, defaults="omit", comments=notes)
        check_kept(scanner.found, output, self.load, canvas, _found, source)
        return output

    def _read(self, text: str, source: str | None) -> Canvas:
        """The canvas of ``text``; see :meth:`load`."""
        too_deep = _too_deep(text)
        if too_deep is not None:
            raise LoadError([too_deep], source=source)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LoadError([_syntax_problem(exc, text)], source=source) from None
        except RecursionError:  # inline arrays or tables deeper than Python's stack lets tomllib read
            problem = _nesting_problem(text, _deepest(text)[1], say("the document is nested too deeply to be a canvas"))
            raise LoadError([problem], source=source) from None
        except ValueError:  # an integer with more digits than Python converts
            message = say("not a readable TOML document: an integer has more than 4300 digits")
            raise LoadError.at("$", message, source=source) from None
        if not document:
            raise LoadError(
                [
                    Problem(
                        "$",
                        say("the document is empty (a canvas starts with format = {format})", format=repr(FORMAT)),
                        line=1,
                        column=1,
                    )
                ],
                source=source,
            )
        try:
            return from_document(document, source=source, locate=_locator(text))
        except LoadError as exc:
            raise _in_toml_words(exc) from None

    def locator(self, data: str | bytes) -> Locate:
        """Where each path stands in the TOML text ``data`` (an element: its ``[[list]]`` header), scanned once."""
        return _locator(decode_text(data))


def _locator(text: str) -> Locate:
    """Where a path stands in ``text``: the text is scanned the first time one is asked for."""
    found: list[_Scanner | None] = []

    def locate(path: Path, key: bool) -> tuple[int, int] | None:
        if not found:
            found.append(_scan(text))
        scanner = found[0]
        return None if scanner is None else scanner.positions.locate(path, key)

    return locate


def _in_toml_words(error: LoadError) -> LoadError:
    """``error`` with TOML's advice where its words help: a ``[brakes]`` table wants ``[[brakes]]``.

    The advice is said in the error's language.
    """
    with speaking(error.language):
        table = say("expected an array, found {found}", found=say("an object"))
        problems = []
        for problem in error.problems:
            if len(problem.path) == 1 and problem.path[0] in _LIST_NAMES and problem.message == table:
                name = problem.path[0]
                advice = say("each element is a [[{name}]] table", name=name)
                problem = attrs.evolve(problem, message=f"{problem.message}: {advice}")
            problems.append(problem)
        return LoadError(problems, source=error.source, more=error.more)
