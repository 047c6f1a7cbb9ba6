"""The blocks a report is made of: plain text only, escaped by whoever writes them.

:mod:`usager.exporters._reporting.content` builds a :class:`Report` of these blocks; the
``markdown`` and ``html`` exporters write them, each escaping every string for
its own format. No block holds markup, so no text of a canvas can become markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from usager.elements import Language

__all__ = [
    "Block",
    "Curve",
    "Drawing",
    "Heading",
    "Inline",
    "Items",
    "Outline",
    "Paragraph",
    "Quote",
    "Report",
    "Section",
    "Strong",
    "Table",
    "clean",
    "number",
    "signed",
]


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen
class Strong:
    """Text to stress."""

    text: str


#: A piece of a paragraph or list item: plain text, or text to stress.
Inline = str | Strong


@attrs.frozen
class Paragraph:
    """A paragraph of text pieces."""

    parts: tuple[Inline, ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Items:
    """A bulleted list; each item is a sequence of text pieces."""

    items: tuple[tuple[Inline, ...], ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Heading:
    """The title of a part of a section (a persona, a stage)."""

    text: str


@attrs.frozen
class Quote:
    """Words someone said, quoted as they said them, and who said them (``cite``, or empty)."""

    text: str
    cite: str = ""


@attrs.frozen
class Outline:
    """A numbered list whose entries each have a list of their own: ``entries`` are (entry, its items)."""

    entries: tuple[tuple[tuple[Inline, ...], tuple[tuple[Inline, ...], ...]], ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Table:
    """A table: ``headers``, ``rows`` of cells, the ``numeric`` columns (right-aligned), ``flagged`` rows."""

    headers: tuple[str, ...] = attrs.field(converter=_tuple)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_tuple)
    numeric: tuple[int, ...] = attrs.field(default=(), converter=_tuple)
    flagged: tuple[bool, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen
class Curve:
    """The emotion curve: a score (−2…+2, or None) per stage for each series (a persona, or everyone)."""

    stages: tuple[str, ...] = attrs.field(converter=_tuple)
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = attrs.field(converter=_tuple)
    caption: str = ""
    #: A small curve of one series (a persona's), beside the text about it, rather than the full chart.
    compact: bool = False


@attrs.frozen
class Drawing:
    """Where the drawing goes: its ``alt`` text, and a ``note`` saying why it is missing, when it is.

    ``outline`` is its text equivalent: the stages in order, their brakes and what answers them.
    """

    alt: str
    note: str
    outline: Outline = Outline(())
    #: The title of the text equivalent.
    outline_title: str = ""


Block = Paragraph | Items | Table | Curve | Drawing | Heading | Quote | Outline


@attrs.frozen
class Section:
    """A titled part of the report; ``anchor`` is its stable id in the page."""

    anchor: str
    title: str
    blocks: tuple[Block, ...] = attrs.field(converter=_tuple)


@attrs.frozen
class Report:
    """The whole report: its title, language, a one-line summary, the sections."""

    title: str
    language: Language
    summary: str
    description: str
    sections: tuple[Section, ...] = attrs.field(converter=_tuple)


def clean(text: str) -> str:
    """``text`` with control characters (but tabs and line breaks) shown as U+FFFD, for display."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" and c not in "\t\n\r" else c for c in text)


def number(value: float | None, language: Language) -> str:
    """A figure as a reader expects it: no trailing ``.0``, a decimal comma in French, ``–`` for none."""
    if value is None:
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return text.replace(".", ",") if language is Language.FR else text


def signed(value: float | None, language: Language) -> str:
    return "–" if value is None else ("+" if value > 0 else "") + number(value, language)
