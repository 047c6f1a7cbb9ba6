"""Where things are in a JSON text, for error messages only.

:func:`scan` reads a JSON text once more, the slow way, noting the position of
every value and key by its JSON path; on a syntax error it says what is wrong
in words a person reads (``trailing comma before ']'``, ``missing comma``,
``unclosed string``) and where. The JSON reader runs it only when it refuses a
document, so a document that reads costs nothing more; and then with ``quick``,
which leaves every array and object that the standard library's C decoder reads
to that decoder, so that only the values holding the error are read slowly.

:class:`Index` places the problems of a text that is JSON: it opens the objects and
arrays on the way to each path asked for, one level at a time, skipping the values
it passes over with the C decoder, so that placing a few hundred problems costs
about one more reading of the text, however large it is.
"""

from __future__ import annotations

import bisect
import json
import operator
import re
from collections.abc import Iterator
from itertools import accumulate, count

from usager._i18n import N_, say

__all__ = ["Index", "JsonSyntaxError", "Positions", "element_starts", "scan"]

Path = tuple[str | int, ...]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_SPACE = re.compile(r"[ \t\n\r]*")
#: What ends the plain run of a string's characters: its closing quote, an escape, a line break.
_STRING_STOP = re.compile(r'["\\\n]')
#: A control character, which a string may not hold as it is.
_CONTROL = re.compile(r"[\x00-\x1f]")
_ESCAPES = frozenset('"\\/bfnrtu')
_LITERALS = ("true", "false", "null", "NaN", "Infinity", "-Infinity")


class JsonSyntaxError(Exception):
    """The first thing that makes a text not JSON: ``index`` (in characters) and ``reason``."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason
        #: The 1-based position of ``index``, set by :func:`scan`.
        self.line = self.column = 0


class Positions:
    """Positions of the values and keys of a JSON text by path (the last of a key given twice)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[Path, int] = {}
        self.keys: dict[Path, int] = {}
        # Places whose line is known, in order: their indexes, and each one's line and the index its line starts at.
        self._marks = [0]
        self._known = [(1, 0)]
        self._counted = 0  # characters looked at to count lines from the marks
        self._lines: list[int] | None = (
            None  # the index of each line feed, once counting costs more than finding them all
        )

    def line_column(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of the character at ``index``.

        Lines are counted from the nearest place already known before ``index``, in C: the
        positions of a few hundred problems, asked in about the order of the text, cost one
        count of the line feeds of the text; past two such counts, every line feed is found once.
        """
        text = self.text
        if self._lines is not None:
            line = bisect.bisect_left(self._lines, index)
            start = self._lines[line - 1] + 1 if line else 0
            return line + 1, index - start + 1
        at = bisect.bisect_right(self._marks, index) - 1
        mark = self._marks[at]
        line, start = self._known[at]
        feeds = text.count("\n", mark, index)
        if feeds:
            line += feeds
            start = text.rfind("\n", mark, index) + 1
        self._counted += index - mark
        if self._counted > 2 * len(text):
            self._lines = _line_feeds(text)
        self._marks.insert(at + 1, index)
        self._known.insert(at + 1, (line, start))
        return line, index - start + 1

    def locate(self, path: Path, key: bool) -> tuple[int, int] | None:
        """The line and column of the value at ``path``, or of its key when ``key``."""
        index = (self.keys if key else self.values).get(path)
        if index is None and key:
            index = self.values.get(path)
        return None if index is None else self.line_column(index)


def _line_feeds(text: str) -> list[int]:
    """The index of each line feed of ``text``, found in passes that run in C."""
    lengths = map(len, text.split("\n")[:-1])
    return list(map(operator.add, accumulate(lengths), count()))


def scan(text: str, *, quick: bool = False) -> Positions:
    """The positions in ``text``; raises :class:`JsonSyntaxError` where it is not JSON.

    ``quick`` is for a text known not to be JSON, to say why: an array or an object that
    the C decoder reads is skipped whole, and the positions inside it are not noted.
    """
    positions = Positions(text)
    try:
        _Scanner(text, positions, quick=quick).document()
    except JsonSyntaxError as exc:
        exc.line, exc.column = positions.line_column(exc.index)
        raise
    return positions


def _zero(text: str) -> int:
    """Stands for a number the decoder skips."""
    return 0


#: The C decoder's reading of one value from an index on (the ``NaN`` of a lenient text too).
_read_value = json.scanner.make_scanner(json.JSONDecoder(parse_constant=_zero))  # type: ignore[attr-defined]
#: The same, for a text holding an integer of more digits than Python converts: no number is converted.
_read_value_safely = json.scanner.make_scanner(  # type: ignore[attr-defined]
    json.JSONDecoder(parse_int=_zero, parse_constant=_zero)
)


def _end_of_value(text: str, index: int) -> int:
    """The index just past the JSON value that starts at ``index``; ``ValueError`` where none does."""
    try:
        return _read_value(text, index)[1]  # type: ignore[no-any-return]
    except StopIteration:
        raise ValueError(f"no JSON value at {index}") from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer of more digits than Python converts
        try:
            return _read_value_safely(text, index)[1]  # type: ignore[no-any-return]
        except StopIteration:
            raise ValueError(f"no JSON value at {index}") from None


class Index:
    """Where the values and keys of a text that is JSON stand, by path, found as they are asked for.

    A path opens each object and array on the way to it, once, noting the positions of its keys
    and items, the values in between skipped by the C decoder; an array is read only as far as
    the items asked for. Each position is the one :func:`scan` gives the same path (of a key
    given twice, the last, whose value the reader keeps). The top-level keys are read in one
    pass that notes the items of the element lists (``lists``) too (:func:`element_starts`);
    with ``unique`` (the reader found no top-level key twice), only as far as the keys asked
    for. Placing the first problems of a document costs reading the text as far as they stand,
    not the whole of it: a bad value in a list of a hundred thousand elements, or among a
    hundred thousand unknown keys, is placed by reading up to it.
    """

    def __init__(self, text: str, lists: frozenset[str], *, unique: bool = False) -> None:
        self.positions = Positions(text)
        self.lists = lists
        self.unique = unique
        #: The paths whose keys or items are all noted.
        self.opened: set[Path] = set()
        #: The objects and arrays read part of the way: what reads on, by path.
        self._reading: dict[Path, Iterator[str] | _Items] = {}

    def locate(self, path: Path, key: bool) -> tuple[int, int] | None:
        """The line and column of the value at ``path``, or of its key when ``key``; None when it is not in the text."""
        if () not in self.opened:
            if not self.unique:
                self.everything()
            elif path:
                self.reach((), path[0])
        for depth in range(1, len(path)):
            self.reach(path[:depth], path[depth])
        return self.positions.locate(path, key)

    def everything(self) -> None:
        """Note the positions of the top-level keys and values and of the element lists' items, in one pass."""
        self.opened.add(())
        positions = self.positions
        text = positions.text
        positions.values[()] = _skip(text, 0)
        try:
            top = element_starts(text, self.lists)
        except (ValueError, IndexError, RecursionError):  # not an object: the document alone has a position
            return
        positions.values.update(top.values)
        positions.keys.update(top.keys)
        self.opened.update((name,) for name in self.lists if (name, 0) in top.values)

    def reach(self, path: Path, step: str | int) -> None:
        """Note the positions inside the object or array at ``path`` as far as its key or item ``step``.

        An object is read whole (a key may come back), the document's with ``unique`` excepted.
        """
        if path in self.opened:
            return
        positions = self.positions
        text = positions.text
        reading = self._reading.get(path)
        if reading is None:
            if not path:
                positions.values[()] = _skip(text, 0)
            i = positions.values.get(path, -1)
            if text[i : i + 1] == "{":
                reading = _members(text, path, positions)
            elif text[i : i + 1] == "[":
                reading = _Items(text, i, path, positions.values)
            else:
                self.opened.add(path)
                return
            self._reading[path] = reading
        try:
            if isinstance(reading, _Items):
                if not reading.until(step if type(step) is int else None):
                    return
            else:
                last = bool(path)  # a key of an object is read to its last occurrence, but the document's
                if not last and (step,) in positions.values:
                    return
                for found in reading:
                    if found == step and not last:
                        return
        except (ValueError, IndexError, RecursionError):  # pragma: no cover - only texts that are JSON are indexed
            pass
        self.opened.add(path)
        del self._reading[path]


#: What stands between a key and its value: white space, a colon, white space.
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
#: What stands between two items of an array: white space, and a comma and white space unless it was the last.
_BETWEEN = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")


def _members(text: str, path: Path, positions: Positions, lists: frozenset[str] = frozenset()) -> Iterator[str]:
    """Note where each key of the object at ``path`` stands, and its value; each key in turn, once noted.

    A key is given before its value is read past: the reading may stop there, a large value
    not read. The items of an array under a key of ``lists`` are noted too (the elements of a
    canvas). Raises ``ValueError`` where no object stands at ``path``.
    """
    i = positions.values[path]
    if text[i : i + 1] != "{":
        raise ValueError("not a JSON object")
    i = _skip(text, i + 1)
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
    colon, between = _COLON.match, _BETWEEN.match
    while text[i : i + 1] == '"':
        key_at = i
        key, i = scanstring(text, i + 1)
        match = colon(text, i)
        if match is None:
            raise ValueError(f"no ':' at {i}")
        i = match.end()
        here = (*path, key)
        positions.keys[here] = key_at
        positions.values[here] = i
        yield key
        descend = key in lists and text[i : i + 1] == "["
        i = _items(text, i, here, positions.values) if descend else _end_of_value(text, i)
        match = between(text, i)
        assert match is not None  # the pattern matches the empty string
        i = match.end()


class _Items:
    """Notes where each item of an array starts, as far as asked, and goes on from there when asked again."""

    __slots__ = ("end", "i", "item", "path", "text", "values")

    def __init__(self, text: str, index: int, path: Path, values: dict[Path, int]) -> None:
        self.text = text
        self.path = path
        self.values = values
        self.i = _skip(text, index + 1)  # where the next item starts
        self.item = 0  # its number
        self.end = -1  # the index just past the ']', once reached

    def until(self, last: int | None) -> bool:
        """Note the items up to number ``last`` (all of them when None); whether the array's end was reached.

        The loop runs once per element of a canvas: each item is read by the C decoder (called
        without the Python frame ``raw_decode`` adds), and what follows it matched at once.
        """
        text, path, values = self.text, self.path, self.values
        between = _BETWEEN.match
        read = _read_value
        i, item = self.i, self.item
        while text[i : i + 1] not in ("]", ""):
            if last is not None and item > last:
                self.i, self.item = i, item
                return False
            here = (*path, item)
            values[here] = i
            item += 1
            try:
                end = read(text, i)[1]
            except (StopIteration, ValueError):  # not JSON (raised again below), or an integer Python does not convert
                end = _end_of_value(text, i)
            match = between(text, end)
            assert match is not None  # the pattern matches the empty string
            i = match.end()
        self.i, self.item, self.end = i, item, i + 1
        return True


def _items(text: str, index: int, path: Path, values: dict[Path, int]) -> int:
    """Note where each item of the array whose ``[`` is at ``index`` starts; the index just past its ``]``."""
    items = _Items(text, index, path, values)
    items.until(None)
    return items.end


def element_starts(text: str, lists: frozenset[str]) -> Positions:
    """The positions of the items of the top-level arrays named in ``lists`` (``("brakes", 3)``), fast.

    For a text that is JSON (it loaded): the values are skipped by the standard library's
    C decoder, so this costs about what loading does, where :func:`scan` costs many times
    more. The top-level keys and values are placed too. Each position is the one :func:`scan`
    gives the same path. Raises ``ValueError`` where the text is not a JSON object.
    """
    positions = Positions(text)
    positions.values[()] = _skip(text, 0)
    for _ in _members(text, (), positions, lists):
        pass
    return positions


def _skip(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not white space."""
    match = _SPACE.match(text, index)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _shown(char: str) -> str:
    if char == "\n":
        return say("a line break")
    if char == "\t":
        return say("a tab")
    return say("a carriage return") if char == "\r" else repr(char)


class _Scanner:
    def __init__(self, text: str, positions: Positions, *, quick: bool = False) -> None:
        self.text = text
        self.positions = positions
        self.i = 0
        self.quick = quick

    def space(self) -> str:
        """Skip white space; the next character ('' at the end). Comments are refused."""
        match = _SPACE.match(self.text, self.i)
        assert match is not None
        self.i = match.end()
        char = self.text[self.i : self.i + 1]
        if char == "#" or self.text.startswith(("//", "/*"), self.i):
            raise JsonSyntaxError(
                self.i, say("a comment: JSON allows none (a .yaml or .toml canvas may have comments)")
            )
        return char

    def document(self) -> None:
        if not self.space():
            raise JsonSyntaxError(self.i, say("the document is empty"))
        self.value(())
        if self.space():
            raise JsonSyntaxError(self.i, say("more text after the end of the document (a second value?)"))

    def value(self, path: Path) -> None:
        self.positions.values[path] = self.i
        char = self.text[self.i : self.i + 1]
        if self.quick and char in ("{", "["):
            try:  # a value the C decoder reads holds no error: skipped whole
                self.i = _end_of_value(self.text, self.i)
                return
            except (ValueError, RecursionError):
                pass
        if char == "{":
            self.obj(path)
        elif char == "[":
            self.array(path)
        elif char == '"':
            self.string()
        elif char == "'":
            raise JsonSyntaxError(self.i, say('a single quote: JSON strings take double quotes (")'))
        elif char == "":
            raise JsonSyntaxError(self.i, say("the document ends where a value was expected"))
        elif char == "-" or char.isdigit():
            if self.text.startswith("-Infinity", self.i):
                self.i += len("-Infinity")
                return
            match = _NUMBER.match(self.text, self.i)
            if match is None:
                raise JsonSyntaxError(self.i, say("not a number: a number is written like -12, 3.5 or 1e6"))
            self.i = match.end()
            if self.text[self.i : self.i + 1].isdigit():
                raise JsonSyntaxError(
                    match.start(), say('a number may not start with 0 (text such as "007" takes quotes)')
                )
        else:
            word = _WORD.match(self.text, self.i)
            if word is not None and word.group() in _LITERALS:
                self.i = word.end()
            elif word is not None:
                shown = word.group() if len(word.group()) <= 40 else word.group()[:40] + "…"
                hint = say(" (true, false and null are written in lower case)") if shown.lower() in _LITERALS else ""
                raise JsonSyntaxError(
                    self.i,
                    say("{word} is not a JSON value: text needs double quotes{hint}", word=repr(shown), hint=hint),
                )
            else:
                raise JsonSyntaxError(self.i, say("unexpected {char} where a value was expected", char=_shown(char)))

    def string(self) -> str:
        start = self.i
        text = self.text
        i = start + 1
        while True:
            stop = _STRING_STOP.search(text, i)  # one search: three finds would each run to the end of the text
            end = -1 if stop is None else stop.start()
            if end < 0 or text[end] == "\n":
                raise JsonSyntaxError(
                    start,
                    say("unclosed string: the closing '\"' is missing (a line break inside a text is written \\n)"),
                )
            control = _CONTROL.search(text, i, end)
            if control is not None:
                at = control.start()
                raise JsonSyntaxError(
                    at, say("{char} inside a string: write it as an escape (\\t)", char=_shown(text[at]))
                )
            if text[end] == '"':
                self.i = end + 1
                raw = text[start + 1 : end]
                return json.loads(text[start : end + 1]) if "\\" in raw else raw
            escape = text[end + 1 : end + 2]
            if escape not in _ESCAPES or not escape:
                raise JsonSyntaxError(
                    end, say("invalid escape '\\{escape}': a backslash is written \\\\", escape=escape)
                )
            if escape == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", text[end + 2 : end + 6]) is None:
                raise JsonSyntaxError(end, say("invalid escape: \\u takes four hexadecimal digits"))
            i = end + 2

    def obj(self, path: Path) -> None:
        opening = self.i
        self.i += 1
        char = self.space()
        if char == "}":
            self.i += 1
            return
        while True:
            if char != '"':
                self.not_key(char, opening)
            key_at = self.i
            key = self.string()
            here = (*path, key)
            self.positions.keys[here] = key_at
            if self.space() != ":":
                raise JsonSyntaxError(self.i, say("missing ':' after the key {key}", key=repr(key[:40])))
            self.i += 1
            self.space()
            self.value((*path, key))
            char = self.space()
            if char == ",":
                comma = self.i
                self.i += 1
                char = self.space()
                if char == "}":
                    raise JsonSyntaxError(
                        comma,
                        say("trailing comma before {closing}: remove the comma after the last item", closing="'}'"),
                    )
                continue
            if char == "}":
                self.i += 1
                return
            self.missing(char, opening, "}")

    def not_key(self, char: str, opening: int) -> None:
        if char == "":
            self.missing(char, opening, "}")
        if char == "'":
            raise JsonSyntaxError(self.i, say('a single quote: JSON keys take double quotes (")'))
        if char == ",":
            raise JsonSyntaxError(self.i, say("a comma where a key was expected (two commas in a row?)"))
        if _WORD.match(char):
            raise JsonSyntaxError(self.i, say('a key without quotes: JSON keys take double quotes ("key": ...)'))
        raise JsonSyntaxError(
            self.i, say("unexpected {char} where a key in double quotes was expected", char=_shown(char))
        )

    def missing(self, char: str, opening: int, closing: str) -> None:
        if char == "":
            line, column = self.positions.line_column(opening)
            unclosed = (
                N_("unclosed object: the {opening} at line {line}, column {column} has no matching {closing}")
                if closing == "}"
                else N_("unclosed array: the {opening} at line {line}, column {column} has no matching {closing}")
            )
            where = {"opening": repr(self.text[opening]), "line": line, "column": column, "closing": repr(closing)}
            raise JsonSyntaxError(self.i, say(unclosed, **where))
        if char in '"{[-0123456789tfn':
            raise JsonSyntaxError(self.i, say("missing comma: items are separated by ','"))
        other = "]" if closing == "}" else "}"
        if char == other:
            raise JsonSyntaxError(
                self.i,
                say("{char} closes nothing here: expected ',' or {closing}", char=repr(char), closing=repr(closing)),
            )
        raise JsonSyntaxError(
            self.i, say("unexpected {char}: expected ',' or {closing}", char=_shown(char), closing=repr(closing))
        )

    def array(self, path: Path) -> None:
        opening = self.i
        self.i += 1
        char = self.space()
        if char == "]":
            self.i += 1
            return
        index = 0
        while True:
            if char == ",":
                raise JsonSyntaxError(self.i, say("a comma where an item was expected (two commas in a row?)"))
            self.value((*path, index))
            index += 1
            char = self.space()
            if char == ",":
                comma = self.i
                self.i += 1
                char = self.space()
                if char == "]":
                    raise JsonSyntaxError(
                        comma,
                        say("trailing comma before {closing}: remove the comma after the last item", closing="']'"),
                    )
                continue
            if char == "]":
                self.i += 1
                return
            self.missing(char, opening, "]")
