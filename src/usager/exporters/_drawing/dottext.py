"""Turning any text into a safe, wrapped DOT quoted string."""

from __future__ import annotations

import re

__all__ = ["quote", "quote_tooltip", "wrap"]

# C0 controls (but line feed), DEL, and the two non-characters XML refuses: shown as visible symbols.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f\ufffe\uffff]")
_ELLIPSIS = "…"


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\t":
        return " "
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ ...
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def _wrap_paragraph(paragraph: str, width: int, out: list[str]) -> None:
    """Greedy wrapping at spaces (textwrap is 10x slower).

    A word is never cut, but a word longer than a whole line: it is hyphenated, each piece
    but the last ending in ``-``.
    """
    if len(paragraph) <= width:
        out.append(paragraph)
        return
    line = ""
    for word in paragraph.split(" "):
        if len(word) > width:
            if line:
                out.append(line)
            while len(word) > width:
                out.append(word[: width - 1] + "-")
                word = word[width - 1 :]
            line = word
        elif not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            out.append(line)
            line = word
    out.append(line)


def _shorten(line: str, width: int) -> str:
    """``line`` ended by `` …``, whole words dropped from its end until it fits in ``width``.

    A word is never cut: when the first word alone leaves no room, the line runs over the
    width by the ellipsis. A piece of a hyphenated word (one longer than a line) ends with
    the ellipsis instead of its hyphen.
    """
    words = line.split(" ")
    while len(words) > 1 and len(" ".join(words)) + 2 > width:
        words.pop()
    kept = " ".join(words)
    if kept.endswith("-"):
        return kept[:-1] + _ELLIPSIS
    return f"{kept} {_ELLIPSIS}".lstrip()


def wrap(text: str, *, width: int = 24, max_lines: int = 6) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces, at most ``max_lines`` of them.

    Words are never cut (one longer than ``width`` is hyphenated); when the text needs more
    lines, the last ends in `` …`` after a whole word (running over the width by those two
    characters when its one word fills it).
    """
    width = max(width, 2)  # room for a letter and a hyphen
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNSAFE.sub(_visible, text)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        _wrap_paragraph(paragraph, width, lines)
        if len(lines) > max_lines:
            break
    while lines and not lines[-1].strip() and len(lines) > 1:
        lines.pop()
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _shorten(lines[-1], width)
    return lines


def quote(lines: list[str] | str) -> str:
    r"""A DOT quoted string showing ``lines`` as they are, centred, one per line.

    Inside a quoted string DOT reads ``\"`` as a quote, and its label
    layout reads further escapes (``\n``, ``\l``, ``\N``, ``\G``...) and
    HTML entities (``&amp;``): so backslashes are doubled and ampersands
    written as ``&amp;``, and user text can neither end the string nor
    change what is drawn.
    """
    if isinstance(lines, str):
        lines = [_UNSAFE.sub(_visible, lines)]
    escaped = (line.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;") for line in lines)
    return '"' + "\\n".join(escaped) + '"'


def quote_tooltip(lines: list[str]) -> str:
    r"""A DOT quoted string for a ``tooltip`` showing ``lines`` as they are.

    Graphviz reads a tooltip's backslashes twice (once as a quoted string, once
    for the ``\N``, ``\G``, ``\L``... escapes that name the node or graph), so a
    backslash is written as four; quotes and ampersands as in :func:`quote`.
    """
    escaped = (line.replace("\\", "\\\\\\\\").replace('"', '\\"').replace("&", "&amp;") for line in lines)
    return '"' + "\\n".join(escaped) + '"'
