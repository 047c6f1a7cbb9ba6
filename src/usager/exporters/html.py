"""The ``html`` exporter: the workshop report as one self-contained page.

A person double-clicks the file and reads it in any browser, or prints it:
the CSS is inline (with print styles for A4 or A3 paper), the drawing is
embedded as an image (``<img src="data:image/svg+xml;base64,...">``, which a
browser never runs anything from), the emotion curve is an inline SVG chart
drawn here, and the page has no script and loads nothing from anywhere (its
Content-Security-Policy says so to the browser too). Every text of the canvas
goes through :func:`html.escape` as it is written; the report's content
(:mod:`usager.exporters._reporting.content`) holds only plain text, so no label can
become markup. Where Graphviz is missing, or the canvas has errors, the page
is still made and says why the drawing is not there.

The page is built with the standard library's string building and
:func:`html.escape`: the page has one fixed shape, and a template engine
would add a dependency for no gain in safety here.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from usager import exporters
from usager._i18n import tr
from usager._version import __version__
from usager.canvas import Canvas
from usager.errors import CanvasError, GraphvizNotFoundError, OptionError, RenderError
from usager.exporters import OptionHelp
from usager.exporters._reporting.blocks import Block, Curve, Drawing, Inline, Items, Paragraph, Report, Strong, Table
from usager.exporters._reporting.content import build

__all__ = ["HtmlExporter", "curve_svg"]

_PAPER = {"a4": "A4 portrait", "a3": "A3 landscape"}

_CSS = """
:root { --ink: #1d2433; --muted: #5b6474; --line: #d5d9e0; --accent: #1f5fa8; --alert: #b3261e; --soft: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent); }
.summary { color: var(--muted); margin: 0; }
nav ol { columns: 2; padding-left: 1.2rem; margin: .8rem 0 0; }
nav a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.flag td:first-child { border-left: 4px solid var(--alert); }
tr.flag td { background: #fdf1f0; }
.drawing img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
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
  .drawing img { max-height: 180mm; }
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


def _block(block: Block, drawing: bytes | None) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.parts)}</p>"
    if isinstance(block, Items):
        return "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Curve):
        return curve_svg(block)
    assert isinstance(block, Drawing)
    if drawing is None:
        return f'<p class="note">{_h(block.note)}</p>'
    data = base64.b64encode(drawing).decode("ascii")
    return f'<div class="drawing"><img src="data:image/svg+xml;base64,{data}" alt="{html.escape(block.alt)}"></div>'


def page(report: Report, drawing: bytes | None, paper: str = "a4") -> str:
    """The report as a self-contained HTML page; ``drawing`` is the SVG drawing, or None."""
    lang = report.language.value
    toc = "".join(f'<li><a href="#{s.anchor}">{_h(s.title)}</a></li>' for s in report.sections)
    body = "".join(
        f'<section id="{s.anchor}"><h2>{_h(s.title)}</h2>{"".join(_block(b, drawing) for b in s.blocks)}</section>'
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


def drawing_of(canvas: Canvas) -> tuple[bytes | None, str]:
    """The SVG drawing made by the ``svg`` exporter, or None and why not (in the canvas language)."""
    lang = canvas.language
    try:
        data = exporters.export("svg", canvas)
    except GraphvizNotFoundError:
        return None, tr(lang, "The drawing needs Graphviz (its dot program), which is not installed here; "
                              "install Graphviz and export the report again.")  # fmt: skip
    except CanvasError:
        return None, tr(lang, "The canvas has errors (see the findings); it is drawn once they are fixed.")
    except RenderError as exc:
        return None, tr(lang, "Graphviz could not draw the canvas: {reason}", reason=str(exc))
    assert isinstance(data, bytes)
    return data, ""


class HtmlExporter:
    """The workshop report as one self-contained HTML page, in the canvas language."""

    name = "html"
    suffixes = (".html", ".htm")
    media_type = "text/html"
    binary = False
    #: ``paper``: the printed page size (``a4`` portrait or ``a3`` landscape); ``drawing``: embed the drawing.
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType({"paper": ("a4", "a3"), "drawing": bool})
    #: What each option means, and its default.
    option_help: Mapping[str, OptionHelp] = MappingProxyType(
        {
            "paper": OptionHelp("the printed page: A4 portrait (a4) or A3 landscape (a3)", "a4"),
            "drawing": OptionHelp("embed the drawing of the canvas (rendered by Graphviz)", True),
        }
    )

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The page. Options: ``paper`` (``"a4"``, the default, or ``"a3"``), ``drawing`` (default True)."""
        paper = options.pop("paper", "a4")
        with_drawing = options.pop("drawing", True)
        if options:
            raise OptionError(f"the html exporter takes no option {', '.join(map(repr, sorted(options)))}; "
                              "its options are paper, drawing")  # fmt: skip
        if paper not in _PAPER:
            raise OptionError(f"paper takes 'a4' or 'a3', not {paper!r}")
        if not isinstance(with_drawing, bool):
            raise OptionError(f"drawing takes true or false, not {with_drawing!r}")
        if with_drawing:
            drawing, note = drawing_of(canvas)
        else:
            drawing, note = None, tr(canvas.language, "The drawing was left out of this report.")
        return page(build(canvas, drawing_note=note), drawing, paper)
