"""The ``html`` exporter: the workshop report as one self-contained page.

A person double-clicks the file and reads it in any browser, or prints it:
the CSS is inline (with print styles for A4 or A3 paper), the drawing is
inline SVG at its natural size (its text as large as Graphviz wrote it, the
page scrolling sideways where it is wider than the window, a link fitting it
to the page width), with its text equivalent beside it; the emotion curves are
inline SVG charts drawn here, and the page has no script and loads nothing
from anywhere (its Content-Security-Policy says so to the browser too). Every
text of the canvas goes through :func:`html.escape` as it is written; the
report's content (:mod:`usager.exporters._reporting.content`) holds only plain
text, so no label can become markup. The drawing is read back from Graphviz's
SVG and written again keeping only the shapes, texts and titles of a drawing
(no script, no link, no style sheet, no id can come through). Where Graphviz
is missing, or the canvas has errors, the page is still made and says why the
drawing is not there.

The page is built with the standard library's string building and
:func:`html.escape`: the page has one fixed shape, and a template engine
would add a dependency for no gain in safety here.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from usager import exporters
from usager._i18n import tr
from usager._version import __version__
from usager.canvas import Canvas
from usager.elements import Language
from usager.errors import CanvasError, GraphvizNotFoundError, OptionError, RenderError
from usager.exporters import OptionHelp
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
    Report,
    Strong,
    Table,
    signed,
)
from usager.exporters._reporting.content import build
from usager.exporters.dot import LAYOUTS

__all__ = ["HtmlExporter", "curve_svg", "drawing_of", "page", "spark_svg", "svg_markup"]

_PAPER = {"a4": "A4 portrait", "a3": "A3 landscape"}

_CSS = """
:root { --ink: #1d2433; --muted: #5b6474; --line: #d5d9e0; --accent: #1f5fa8; --alert: #b3261e; --soft: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif; }
header, main > section, footer { max-width: 60rem; margin-left: auto; margin-right: auto; }
main > section#drawing { max-width: none; }
#drawing > h2, #drawing > .note, #drawing > details { max-width: 60rem; margin-left: auto; margin-right: auto; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
figure.quote { margin: .3rem 0 .8rem 1.2rem; }
figure.quote blockquote { margin: 0; padding: .2rem .8rem; border-left: 4px solid var(--accent); font-style: italic; }
figure.quote blockquote p { margin: 0; }
figure.quote blockquote p::before { content: open-quote; }
figure.quote blockquote p::after { content: close-quote; }
figure.quote figcaption { color: var(--muted); font-size: .9rem; padding-left: .8rem; }
ol.outline > li { margin-bottom: .3rem; }
details summary { cursor: pointer; color: var(--accent); }
figure.spark { margin: .3rem 0 .8rem; }
figure.spark svg { display: block; width: 100%; max-width: 36rem; height: auto; }
figure.spark figcaption { color: var(--muted); font-size: .85rem; }
.summary { color: var(--muted); margin: 0; }
nav ol { columns: 2; padding-left: 1.2rem; margin: .8rem 0 0; }
nav a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.flag td:first-child { border-left: 4px solid var(--alert); }
tr.flag td { background: #fdf1f0; }
.drawing { margin: 0; }
.drawing .scroll { overflow-x: auto; border: 1px solid var(--line); background: #fff; }
.drawing .frame { margin: 0 auto; }
.drawing svg { display: block; width: 100%; height: auto; }
#drawing-fit:target .frame { min-width: 0 !important; }
.drawing .size { text-align: right; font-size: .9rem; margin: 0 0 .3rem; }
.drawing .size a { color: var(--accent); }
.drawing .natural, #drawing-fit:target .fit { display: none; }
#drawing-fit:target .natural { display: inline; }
.drawing figcaption { color: var(--muted); font-size: .9rem; text-align: center; }
.note { padding: .6rem .8rem; background: var(--soft); border-left: 4px solid var(--muted); }
.curve { margin: 0; }
.curve svg { width: 100%; height: auto; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .9rem; }
.swatch { display: inline-block; width: 1.6rem; height: .25rem; margin-right: .4rem; vertical-align: middle; }
bdi { white-space: pre-wrap; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, .curve, .drawing { break-inside: avoid; }
  main > section#drawing, #drawing > * { max-width: none; }
  .drawing .scroll { overflow: visible; border: none; }
  .drawing .frame { min-width: 0 !important; }
  .drawing svg { max-height: 180mm; }
  .drawing .size { display: none; }
  tr.flag td { background: none; }
}
"""

#: Colours of the curve's series (Okabe and Ito's palette, readable by colour-blind readers), with dashes for print.
_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442")
_DASHES = ("", "6 3", "2 3", "8 3 2 3")


def _h(text: str) -> str:
    """Plain text as HTML text, isolated for bidirectional text (a right-to-left mark stays inside)."""
    return f"<bdi>{html.escape(text)}</bdi>"


def _inline(parts: Iterable[Inline]) -> str:
    return "".join(f"<strong>{_h(p.text)}</strong>" if isinstance(p, Strong) else _h(p) for p in parts)


def _table(table: Table) -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in table.headers)
    rows = []
    for i, row in enumerate(table.rows):
        flag = ' class="flag"' if i < len(table.flagged) and table.flagged[i] else ""
        cells = "".join(
            f'<td class="num">{_h(c)}</td>' if j in table.numeric else f"<td>{_h(c)}</td>" for j, c in enumerate(row)
        )
        rows.append(f"<tr{flag}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _wrapped(text: str, width: int = 17) -> list[str]:
    """``text`` on at most two lines of about ``width`` characters, cut with an ellipsis beyond."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], lines[1] + " …"]
    return [line if len(line) <= width + 2 else line[: width - 1] + "…" for line in lines] or [""]


def curve_svg(curve: Curve) -> str:
    """The emotion curve as an inline SVG chart: stages across, scores −2 to +2 up, one line per series."""
    width, height, left, right, top, bottom = 720, 250, 36, 12, 14, 46
    columns = max(len(curve.stages), 1)
    step = (width - left - right) / columns

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    def y(score: float) -> float:
        return top + (2 - score) / 4 * (height - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(curve.caption)}" font-family="sans-serif" font-size="11">'
    ]
    for score in (-2, -1, 0, 1, 2):
        mark = f"{score:+d}" if score else "0"
        colour, weight = ("#8a93a3", 1.5) if score == 0 else ("#e3e6eb", 1)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(score):.1f}" y2="{y(score):.1f}" '
            f'stroke="{colour}" stroke-width="{weight}"/>'
            f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end" fill="#5b6474">{mark}</text>'
        )
    for i, stage in enumerate(curve.stages):
        lines = "".join(
            f'<tspan x="{x(i):.1f}" dy="{0 if n == 0 else 13}">{html.escape(line)}</tspan>'
            for n, line in enumerate(_wrapped(stage))
        )
        out.append(
            f'<text y="{height - bottom + 18}" text-anchor="middle" fill="#1d2433">'
            f"<title>{html.escape(stage)}</title>{lines}</text>"
        )
    for n, (name, points) in enumerate(curve.series):
        colour, dash = _COLOURS[n % len(_COLOURS)], _DASHES[n % len(_DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        for i, point in enumerate([*points, None]):
            if point is not None:
                run.append(f"{x(i):.1f},{y(point):.1f}")
                continue
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed}/>'
                )
            run = []
        for i, point in enumerate(points):
            if point is not None:
                label = html.escape(f"{name}: {point:+.2g}")
                out.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(point):.1f}" r="4" fill="{colour}"><title>{label}</title></circle>'
                )
    out.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{_COLOURS[n % len(_COLOURS)]}"></span>{_h(name)}</li>'
        for n, (name, _) in enumerate(curve.series)
    )
    return f'<figure class="curve">{"".join(out)}<figcaption>{_h(curve.caption)}</figcaption></figure>' + (
        f'<ul class="legend">{legend}</ul>'
    )


def spark_svg(curve: Curve, language: Language) -> str:
    """One persona's emotion curve as a small inline SVG chart, with its scores in words beneath."""
    width, height, pad = 360, 64, 8
    [(_, points)] = curve.series
    columns = max(len(curve.stages), 1)
    step = (width - 2 * pad) / columns

    def x(i: int) -> float:
        return pad + step * (i + 0.5)

    def y(score: float) -> float:
        return pad + (2 - score) / 4 * (height - 2 * pad)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(curve.caption)}">'
        f'<line x1="{pad}" x2="{width - pad}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#8a93a3" stroke-width="1"/>'
    ]
    run: list[str] = []
    for i, point in enumerate([*points, None]):
        if point is not None:
            run.append(f"{x(i):.1f},{y(point):.1f}")
        elif run:
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{_COLOURS[0]}" stroke-width="2"/>')
            run = []
    for i, point in enumerate(points):
        if point is not None:
            label = html.escape(f"{curve.stages[i]}: {signed(point, language)}")
            dot = f'<circle cx="{x(i):.1f}" cy="{y(point):.1f}" r="3.5" fill="{_COLOURS[0]}">'
            out.append(f"{dot}<title>{label}</title></circle>")
    out.append("</svg>")
    steps = " · ".join(f"{_h(stage)} {_h(signed(p, language))}" for stage, p in zip(curve.stages, points, strict=True))
    return f'<figure class="spark">{"".join(out)}<figcaption>{_h(curve.caption)}<br>{steps}</figcaption></figure>'


def _outline(outline: Outline) -> str:
    entries = "".join(
        f"<li>{_inline(entry)}<ul>{''.join(f'<li>{_inline(item)}</li>' for item in items)}</ul></li>"
        for entry, items in outline.entries
    )
    return f'<ol class="outline">{entries}</ol>'


def _drawing(block: Drawing, drawing: str | None, language: Language) -> str:
    words = (
        f'<details id="drawing-text"><summary>{_h(block.outline_title)}</summary>{_outline(block.outline)}</details>'
    )
    if drawing is None:
        return f'<p class="note">{_h(block.note)}</p>{words}'
    fit = tr(language, "Fit the drawing to the page width")
    natural = tr(language, "Show the drawing at a readable size")
    return (
        f'<figure class="drawing" id="drawing-fit"><p class="size"><a class="fit" href="#drawing-fit">{_h(fit)}</a>'
        f'<a class="natural" href="#drawing">{_h(natural)}</a></p><div class="scroll">{drawing}</div>'
        f'<figcaption id="drawing-title">{_h(block.alt)}</figcaption></figure>{words}'
    )


def _block(block: Block, drawing: str | None, language: Language) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.parts)}</p>"
    if isinstance(block, Items):
        return "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Heading):
        return f"<h3>{_h(block.text)}</h3>"
    if isinstance(block, Quote):
        cite = f"<figcaption>— {_h(block.cite)}</figcaption>" if block.cite.strip() else ""
        return f'<figure class="quote"><blockquote><p>{_h(block.text)}</p></blockquote>{cite}</figure>'
    if isinstance(block, Outline):
        return _outline(block)
    if isinstance(block, Curve):
        return spark_svg(block, language) if block.compact else curve_svg(block)
    assert isinstance(block, Drawing)
    return _drawing(block, drawing, language)


def page(report: Report, drawing: str | None, paper: str = "a4") -> str:
    """The report as a self-contained HTML page; ``drawing`` is the drawing as :func:`svg_markup` writes it, or None."""
    lang = report.language.value
    toc = "".join(f'<li><a href="#{s.anchor}">{_h(s.title)}</a></li>' for s in report.sections)
    body = "".join(
        f'<section id="{s.anchor}"><h2>{_h(s.title)}</h2>'
        + "".join(_block(b, drawing, report.language) for b in s.blocks)
        + "</section>"
        for s in report.sections
    )
    description = f"<p>{_h(report.description)}</p>" if report.description.strip() else ""
    made = tr(lang, "Report made by usager {version} from the canvas file.", version=__version__)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(report.title)}</title>\n"
        f"<style>{_CSS}@page {{ size: {_PAPER[paper]}; margin: 12mm; }}\n</style>\n</head>\n<body>\n"
        f'<header><h1>{_h(report.title)}</h1><p class="summary">{_h(report.summary)}</p>{description}'
        f"<nav><ol>{toc}</ol></nav></header>\n<main>{body}</main>\n<footer>{_h(made)}</footer>\n</body>\n</html>\n"
    )


#: The elements and attributes of a drawing kept in the page (Graphviz's ``<a>`` becomes a ``<g>`` with a title).
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
_SVG_TAGS = frozenset(
    {"g", "title", "polygon", "polyline", "path", "ellipse", "circle", "rect", "line", "text", "tspan"}
)
_SVG_ATTRIBUTES = frozenset(
    {
        "points", "d", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "transform",
        "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "opacity",
        "font-family", "font-size", "font-weight", "font-style", "text-anchor", "text-decoration", "class",
    }
)  # fmt: skip


def svg_markup(data: bytes, *, labelled_by: str, described_by: str) -> str:
    """The SVG drawing as markup to put in the page, labelled and described by the elements of those ids.

    It is framed as wide as the page, but never wider than Graphviz drew it, nor narrower than
    three quarters of that (the page scrolls sideways rather than shrink its text further).

    Only the shapes, texts and titles of a drawing are kept, with their geometry and colours: no
    script, link, style sheet, foreign content or id can come from the SVG into the page.
    """
    root = ElementTree.fromstring(data)
    size = "".join(
        f' {name}="{html.escape(root.get(name, ""))}"' for name in ("width", "height", "viewBox") if root.get(name)
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg"{size} role="img" aria-labelledby="{labelled_by}" '
        f'aria-describedby="{described_by}">'
    ]

    def write(element: ElementTree.Element) -> None:
        tag = element.tag.removeprefix(_SVG) if isinstance(element.tag, str) else ""
        title = element.get(_XLINK_TITLE) if tag == "a" else None
        tag = "g" if tag == "a" else tag
        if tag not in _SVG_TAGS:
            return
        kept = "".join(f' {k}="{html.escape(v)}"' for k, v in element.attrib.items() if k in _SVG_ATTRIBUTES)
        out.append(f"<{tag}{kept}>")
        if title:
            out.append(f"<title>{html.escape(title)}</title>")
        inside(element)
        out.append(f"</{tag}>")

    def inside(element: ElementTree.Element) -> None:
        out.append(html.escape(element.text or ""))
        for child in element:
            write(child)
            out.append(html.escape(child.tail or ""))

    inside(root)
    out.append("</svg>")
    width = _pixels(root.get("width", ""))
    if width is None:
        return f'<div class="frame">{"".join(out)}</div>'
    # as wide as the page, never wider than drawn, nor so narrow that its smallest text reads under 10 px
    style = f"max-width:{width:.0f}px;min-width:{width * _SMALLEST:.0f}px"
    return f'<div class="frame" style="{style}">{"".join(out)}</div>'


#: The narrowest a drawing is shown by default, as a share of its natural width: Graphviz writes
#: its smallest text at 10 pt (13.3 px), so three quarters of that still reads at 10 px.
_SMALLEST = 0.75


def _pixels(length: str) -> float | None:
    """A length of the SVG (``1159pt``, ``800px``, ``800``) in CSS pixels, or None when it is not one."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*(pt|px)?\s*", length)
    if match is None:
        return None
    return float(match[1]) * (4 / 3 if match[2] == "pt" else 1)


def drawing_of(canvas: Canvas, layout: str = "cycle") -> tuple[str | None, str]:
    """The drawing made by the ``svg`` exporter as SVG markup for the page, or None and why not.

    ``layout`` is the drawing's layout (``cycle`` or ``lanes``, as for the ``dot`` exporter);
    why not is said in the canvas language.
    """
    lang = canvas.language
    try:
        data = exporters.export("svg", canvas, layout=layout)
    except GraphvizNotFoundError:
        return None, tr(lang, "The drawing needs Graphviz (its dot program), which is not installed here; "
                              "install Graphviz and export the report again.")  # fmt: skip
    except CanvasError:
        return None, tr(lang, "The canvas has errors (see the findings); it is drawn once they are fixed.")
    except RenderError as exc:
        return None, tr(lang, "Graphviz could not draw the canvas: {reason}", reason=str(exc))
    assert isinstance(data, bytes)
    try:
        return svg_markup(data, labelled_by="drawing-title", described_by="drawing-text"), ""
    except ElementTree.ParseError as exc:
        return None, tr(lang, "Graphviz could not draw the canvas: {reason}", reason=f"its SVG is unreadable ({exc})")


class HtmlExporter:
    """The workshop report as one self-contained HTML page, in the canvas language."""

    name = "html"
    suffixes = (".html", ".htm")
    media_type = "text/html"
    binary = False
    #: ``paper``: the printed page size (``a4`` portrait or ``a3`` landscape); ``drawing``: embed the drawing;
    #: ``layout``: the drawing's layout, as for the ``dot`` exporter (``cycle`` or ``lanes``).
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType(
        {"paper": ("a4", "a3"), "drawing": bool, "layout": LAYOUTS}
    )
    #: What each option means, and its default.
    option_help: Mapping[str, OptionHelp] = MappingProxyType(
        {
            "paper": OptionHelp("the printed page: A4 portrait (a4) or A3 landscape (a3)", "a4"),
            "drawing": OptionHelp("embed the drawing of the canvas (rendered by Graphviz)", True),
            "layout": OptionHelp("the drawing's layout, as for the dot exporter: cycle or lanes", "cycle"),
        }
    )

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The page.

        Options: ``paper`` (``"a4"``, the default, or ``"a3"``), ``drawing`` (default True),
        ``layout`` (``"cycle"``, the default, or ``"lanes"``).
        """
        paper = options.pop("paper", "a4")
        with_drawing = options.pop("drawing", True)
        layout = options.pop("layout", LAYOUTS[0])
        if options:
            raise OptionError(f"the html exporter takes no option {', '.join(map(repr, sorted(options)))}; "
                              "its options are paper, drawing, layout")  # fmt: skip
        if paper not in _PAPER:
            raise OptionError(f"paper takes 'a4' or 'a3', not {paper!r}")
        if not isinstance(with_drawing, bool):
            raise OptionError(f"drawing takes true or false, not {with_drawing!r}")
        if layout not in LAYOUTS:
            raise OptionError(f"layout takes one of {', '.join(map(repr, LAYOUTS))}, not {layout!r}")
        if with_drawing:
            drawing, note = drawing_of(canvas, layout)
        else:
            drawing, note = None, tr(canvas.language, "The drawing was left out of this report.")
        return page(build(canvas, drawing_note=note, layout=layout), drawing, paper)
