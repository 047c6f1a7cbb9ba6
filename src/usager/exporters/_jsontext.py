"""Where things are in a JSON text, for error messages only.

:func:`scan` reads a JSON text once more, the slow way, noting the position of
every value and key by its JSON path; on a syntax error it says what is wrong
in words a person reads (``trailing comma before ']'``, ``missing comma``,
``unclosed string``) and where. The JSON reader runs it only when it refuses a
document, so a document that reads costs nothing more.
"""

from __future__ import annotations

import bisect
import json
import re

__all__ = ["JsonSyntaxError", "Positions", "element_starts", "scan"]

Path = tuple[str | int, ...]

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_SPACE = re.compile(r"[ \t\n\r]*")
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
        self._lines = [i for i, c in enumerate(text) if c == "\n"]

    def line_column(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of the character at ``index``."""
        line = bisect.bisect_left(self._lines, index)
        start = self._lines[line - 1] + 1 if line else 0
        return line + 1, index - start + 1

    def locate(self, path: Path, key: bool) -> tuple[int, int] | None:
        """The line and column of the value at ``path``, or of its key when ``key``."""
        index = (self.keys if key else self.values).get(path)
        if index is None and key:
            index = self.values.get(path)
        return None if index is None else self.line_column(index)


def scan(text: str) -> Positions:
    """The positions in ``text``; raises :class:`JsonSyntaxError` where it is not JSON."""
    positions = Positions(text)
    try:
        _Scanner(text, positions).document()
    except JsonSyntaxError as exc:
        exc.line, exc.column = positions.line_column(exc.index)
        raise
    return positions


def element_starts(text: str, lists: frozenset[str]) -> Positions:
    """The positions of the items of the top-level arrays named in ``lists`` (``("brakes", 3)``), fast.

    For a text that is JSON (it loaded): the values are skipped by the standard library's
    C decoder, so this costs about what loading does, where :func:`scan` costs many times
    more. Each position is the one :func:`scan` gives the same path. Raises ``ValueError``
    where the text is not a JSON object.
    """
    positions = Positions(text)
    decode = json.JSONDecoder().raw_decode
    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        raise ValueError("not a JSON object")
    i = _skip(text, i + 1)
    while text[i : i + 1] == '"':
        key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
        i = _skip(text, _skip(text, i) + 1)  # past the ':'
        if key in lists and text[i : i + 1] == "[":
            i = _skip(text, i + 1)
            index = 0
            while text[i : i + 1] not in ("]", ""):
                positions.values[(key, index)] = i
                index += 1
                i = _skip(text, decode(text, i)[1])
                if text[i : i + 1] == ",":
                    i = _skip(text, i + 1)
            i += 1
        else:
            i = decode(text, i)[1]
        i = _skip(text, i)
        if text[i : i + 1] == ",":
            i = _skip(text, i + 1)
    return positions


def _skip(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not white space."""
    match = _SPACE.match(text, index)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _shown(char: str) -> str:
    return {"\n": "a line break", "\t": "a tab", "\r": "a carriage return"}.get(char, repr(char))


class _Scanner:
    def __init__(self, text: str, positions: Positions) -> None:
        self.text = text
        self.positions = positions
        self.i = 0

    def space(self) -> str:
        """Skip white space; the next character ('' at the end). Comments are refused."""
        match = _SPACE.match(self.text, self.i)
        assert match is not None
        self.i = match.end()
        char = self.text[self.i : self.i + 1]
        if char == "#" or self.text.startswith(("//", "/*"), self.i):
            raise JsonSyntaxError(self.i, "a comment: JSON allows none (a .yaml or .toml canvas may have comments)")
        return char

    def document(self) -> None:
        if not self.space():
            raise JsonSyntaxError(self.i, "the document is empty")
        self.value(())
        if self.space():
            raise JsonSyntaxError(self.i, "more text after the end of the document (a second value?)")

    def value(self, path: Path) -> None:
        self.positions.values[path] = self.i
        char = self.text[self.i : self.i + 1]
        if char == "{":
            self.obj(path)
        elif char == "[":
            self.array(path)
        elif char == '"':
            self.string()
        elif char == "'":
            raise JsonSyntaxError(self.i, 'a single quote: JSON strings take double quotes (")')
        elif char == "":
            raise JsonSyntaxError(self.i, "the document ends where a value was expected")
        elif char == "-" or char.isdigit():
            if self.text.startswith("-Infinity", self.i):
                self.i += len("-Infinity")
                return
            match = _NUMBER.match(self.text, self.i)
            if match is None:
                raise JsonSyntaxError(self.i, "not a number: a number is written like -12, 3.5 or 1e6")
            self.i = match.end()
            if self.text[self.i : self.i + 1].isdigit():
                raise JsonSyntaxError(match.start(), 'a number may not start with 0 (text such as "007" takes quotes)')
        else:
            word = _WORD.match(self.text, self.i)
            if word is not None and word.group() in _LITERALS:
                self.i = word.end()
            elif word is not None:
                shown = word.group() if len(word.group()) <= 40 else word.group()[:40] + "…"
                hint = " (true, false and null are written in lower case)" if shown.lower() in _LITERALS else ""
                raise JsonSyntaxError(self.i, f"{shown!r} is not a JSON value: text needs double quotes{hint}")
            else:
                raise JsonSyntaxError(self.i, f"unexpected {_shown(char)} where a value was expected")

    def string(self) -> str:
        start = self.i
        text = self.text
        i = start + 1
        while True:
            end = min((p for p in (text.find('"', i), text.find("\\", i), text.find("\n", i)) if p >= 0), default=-1)
            if end < 0 or text[end] == "\n":
                raise JsonSyntaxError(
                    start, "unclosed string: the closing '\"' is missing (a line break inside a text is written \\n)"
                )
            control = next((j for j in range(i, end) if text[j] < " "), None)
            if control is not None:
                raise JsonSyntaxError(control, f"{_shown(text[control])} inside a string: write it as an escape (\\t)")
            if text[end] == '"':
                self.i = end + 1
                raw = text[start + 1 : end]
                return json.loads(text[start : end + 1]) if "\\" in raw else raw
            escape = text[end + 1 : end + 2]
            if escape not in _ESCAPES or not escape:
                raise JsonSyntaxError(end, f"invalid escape '\\{escape}': a backslash is written \\\\")
            if escape == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", text[end + 2 : end + 6]) is None:
                raise JsonSyntaxError(end, "invalid escape: \\u takes four hexadecimal digits")
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
                raise JsonSyntaxError(self.i, f"missing ':' after the key {key[:40]!r}")
            self.i += 1
            self.space()
            self.value((*path, key))
            char = self.space()
            if char == ",":
                comma = self.i
                self.i += 1
                char = self.space()
                if char == "}":
                    raise JsonSyntaxError(comma, "trailing comma before '}': remove the comma after the last item")
                continue
            if char == "}":
                self.i += 1
                return
            self.missing(char, opening, "}")

    def not_key(self, char: str, opening: int) -> None:
        if char == "":
            self.missing(char, opening, "}")
        if char == "'":
            raise JsonSyntaxError(self.i, 'a single quote: JSON keys take double quotes (")')
        if char == ",":
            raise JsonSyntaxError(self.i, "a comma where a key was expected (two commas in a row?)")
        if _WORD.match(char):
            raise JsonSyntaxError(self.i, 'a key without quotes: JSON keys take double quotes ("key": ...)')
        raise JsonSyntaxError(self.i, f"unexpected {_shown(char)} where a key in double quotes was expected")

    def missing(self, char: str, opening: int, closing: str) -> None:
        if char == "":
            line, column = self.positions.line_column(opening)
            raise JsonSyntaxError(
                self.i, f"unclosed {'object' if closing == '}' else 'array'}: the {self.text[opening]!r} "
                f"at line {line}, column {column} has no matching {closing!r}"
            )  # fmt: skip
        if char in '"{[-0123456789tfn':
            raise JsonSyntaxError(self.i, "missing comma: items are separated by ','")
        other = "]" if closing == "}" else "}"
        if char == other:
            raise JsonSyntaxError(self.i, f"{char!r} closes nothing here: expected ',' or {closing!r}")
        raise JsonSyntaxError(self.i, f"unexpected {_shown(char)}: expected ',' or {closing!r}")

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
                raise JsonSyntaxError(self.i, "a comma where an item was expected (two commas in a row?)")
            self.value((*path, index))
            index += 1
            char = self.space()
            if char == ",":
                comma = self.i
                self.i += 1
                char = self.space()
                if char == "]":
                    raise JsonSyntaxError(comma, "trailing comma before ']': remove the comma after the last item")
                continue
            if char == "]":
                self.i += 1
                return
            self.missing(char, opening, "]")
