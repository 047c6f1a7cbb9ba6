"""The ``markdown`` exporter: the workshop report as Markdown, in the canvas language.

The same content as the ``html`` report (:mod:`usager.exporters._reporting.content`),
for a wiki, a repository or a pull request: the whole canvas (personas and usagers,
stages with their experiences and users' quotes, brakes and answers, metrics,
the backstage, contributions, an index of ids and tags) and what the analyses
find (findings, transitions, the emotion curve as a table, personas' exposure,
priorities). Every text of the canvas is escaped as it is written: Markdown
punctuation is backslash-escaped and line breaks become spaces, so a label never
becomes markup, raw HTML or a new table row; a quote is a ``>`` block quote.
The drawing is not embedded (Markdown renderers do not show embedded images
alike); ``usager export FILE --to svg`` makes it, and its text equivalent (the
stages in order, their brakes and what answers them) is in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from usager._i18n import tr
from usager.canvas import Canvas
from usager.elements import Language
from usager.errors import OptionError
from usager.exporters._reporting.blocks import (
    Block,
    Curve,
    Drawing,
    Heading,
    Inline,
    Items,
    Outline,
    Paragraph,
    Quote,
    Strong,
    Table,
    signed,
)
from usager.exporters._reporting.content import build

__all__ = ["MarkdownExporter", "escape"]

#: Characters that are markup anywhere in a line (GitHub Flavored Markdown's tables and strikethrough included).
_INLINE = re.compile(r"([\\`*_\[\]<>|&~])")
#: What starts a block when it opens a line: a heading, a list, a quote, a rule, a setext underline.
_LEADING = re.compile(r"^(\s*)(?:([#+\-=])|(\d+)([.)]))")


def escape(text: str) -> str:
    """Plain text as Markdown text, on one line: the punctuation that could be markup is backslash-escaped."""
    one_line = _INLINE.sub(r"\\\1", re.sub(r"\s+", " ", text))
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", one_line)


def _inline(parts: Iterable[Inline]) -> str:
    return "".join(f"**{escape(p.text)}**" if isinstance(p, Strong) else escape(p) for p in parts)


def _table(table: Table) -> list[str]:
    def row(cells: Iterable[str]) -> str:
        return "| " + " | ".join(escape(c) or " " for c in cells) + " |"

    rule = "|" + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.headers))) + "|"
    return [row(table.headers), rule, *(row(r) for r in table.rows), ""]


def _outline(outline: Outline) -> list[str]:
    lines = []
    for n, (entry, items) in enumerate(outline.entries, 1):
        lines.append(f"{n}. {_inline(entry)}")
        lines += [f"   - {_inline(item)}" for item in items]
    return [*lines, ""]


def _block(block: Block, language: Language) -> list[str]:
    if isinstance(block, Paragraph):
        return [_inline(block.parts), ""]
    if isinstance(block, Items):
        return [*(f"- {_inline(item)}" for item in block.items), ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Heading):
        return [f"### {escape(block.text)}", ""]
    if isinstance(block, Quote):
        cite = [">", f"> — {escape(block.cite)}"] if block.cite.strip() else []
        return [f"> {escape(block.text)}", *cite, ""]
    if isinstance(block, Outline):
        return _outline(block)
    if isinstance(block, Curve):
        if not block.compact:
            return [escape(block.caption), ""]
        [(_, points)] = block.series
        steps = " · ".join(
            f"{escape(stage)} {signed(p, language)}" for stage, p in zip(block.stages, points, strict=True)
        )
        return [escape(block.caption), "", steps, ""]
    assert isinstance(block, Drawing)
    note = escape(tr(language, "The drawing is in the HTML report, or: usager export FILE --to svg."))
    return [note, "", f"**{escape(block.outline_title)}**", "", *_outline(block.outline)]


class MarkdownExporter:
    """The workshop report as Markdown, in the canvas language."""

    name = "markdown"
    suffixes = (".md", ".markdown")
    media_type = "text/markdown"
    binary = False
    #: It takes no option.
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType({})

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The report as Markdown text. It takes no option."""
        if options:
            unknown = ", ".join(map(repr, sorted(options)))
            raise OptionError(f"the markdown exporter takes no option {unknown}; it takes none")
        report = build(canvas)
        lang = report.language
        lines = [f"# {escape(report.title)}", "", escape(report.summary), ""]
        if report.description.strip():
            lines += [escape(report.description), ""]
        for section in report.sections:
            lines += [f"## {escape(section.title)}", ""]
            for block in section.blocks:
                lines += _block(block, lang)
        return "\n".join(lines).rstrip("\n") + "\n"
