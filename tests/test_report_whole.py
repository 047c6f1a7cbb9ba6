"""Both reports carry the whole canvas: every field of every element, and the canvas's own fields.

The walk is generic: it reads each field's description (``usager._fields.specs``), so a field
added to an element type (or to the canvas) is looked for in both reports as soon as a canvas
fills it, and the test fails until the reports show it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import usager
from usager import Canvas
from usager._fields import Kind, specs
from usager._i18n import tr
from usager.canvas import element_label
from usager.elements import Experience, Persona, Stage
from usager.examples import complete, mediatheque
from usager.exporters._reporting.blocks import clean, number
from usager.exporters._reporting.content import choice_word
from usager.exporters.html import svg_markup
from usager.strategies import canvases

from .chromium_tools import screenshot
from .graphviz_tools import require_dot
from .profiles import examples
from .test_report import PAGE_TAGS, Page

ROOT = Path(__file__).resolve().parent.parent


def _name(canvas: Canvas, element_id: str) -> str:
    """What the reports call the element of ``element_id`` (its id when no element has it)."""
    element = canvas._ids().get(element_id)
    return element_id if element is None else element_label(element, canvas.language)


def _texts(canvas: Canvas, owner: Any) -> list[tuple[str, str]]:
    """(field, text) for each text a report must show of ``owner``'s fields (an element, or the canvas)."""
    found: list[tuple[str, str]] = []
    lang = canvas.language
    for field, spec in specs(type(owner)):
        value = getattr(owner, field.name)
        if value is None or spec.kind is Kind.ELEMENTS:
            continue
        texts: list[str]
        if spec.kind in (Kind.ID, Kind.TEXT, Kind.LABEL):
            texts = [value]
        elif spec.kind in (Kind.TEXTS, Kind.CODES):
            texts = list(value)
        elif spec.kind is Kind.REF:
            texts = [_name(canvas, value)]
        elif spec.kind is Kind.REFS:
            texts = [_name(canvas, v) for v in value]
        elif spec.kind is Kind.CHOICE:
            texts = [choice_word(lang, value)]
        elif spec.kind is Kind.INTEGER:
            texts = [str(value)]
        elif spec.kind is Kind.NUMBER:
            texts = [number(value, lang)]
        elif spec.kind is Kind.BOOLEAN:
            texts = [tr(lang, field.name.replace("_", " "))] if value else []
        else:  # pragma: no cover - a new kind of field: teach this walk how a report shows it
            raise AssertionError(f"no expectation for a {spec.kind.value} field")
        where = f"{type(owner).__name__}.{field.name}"
        found += [(where, clean(t.strip())) for t in texts if t.strip()]
    return found


def every_text(canvas: Canvas) -> list[tuple[str, str]]:
    """Each text of the canvas a report must show, with the field it comes from."""
    found = _texts(canvas, canvas)
    for element in canvas.elements():
        found += [(f"{where} of {element.id!r}", text) for where, text in _texts(canvas, element)]
    return found


def _markdown_plain(markdown: str) -> str:
    """The Markdown report's text as a reader sees it: backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def missing(canvas: Canvas) -> dict[str, list[str]]:
    """The fields whose text one report or the other lacks: by report, ``field: text``."""
    page = "\x00".join(Page(usager.dumps(canvas, "html", drawing=False)).texts)
    markdown = _markdown_plain(usager.dumps(canvas, "markdown"))
    lacking: dict[str, list[str]] = {"html": [], "markdown": []}
    for where, text in every_text(canvas):
        if text.strip() not in page:
            lacking["html"].append(f"{where}: {text!r}")
        one_line = re.sub(r"\s+", " ", text).strip()  # Markdown writes each text on one line
        if one_line not in markdown:
            lacking["markdown"].append(f"{where}: {one_line!r}")
    return lacking


NOTHING_MISSING = {"html": [], "markdown": []}


def test_the_complete_example_is_shown_whole() -> None:
    """Every field of the repair café's complete canvas, and of the media library, is in both reports."""
    for canvas in (complete(), mediatheque()):
        assert missing(canvas) == NOTHING_MISSING


@settings(max_examples=examples(40), deadline=None)
@given(canvases())
def test_every_field_of_any_canvas_is_shown(canvas: Canvas) -> None:
    """Whatever the canvas holds, hostile text included, each field's text is in both reports."""
    assert missing(canvas) == NOTHING_MISSING


def test_the_walk_finds_a_field_a_report_leaves_out() -> None:
    """A quote missing from the reports is caught: the walk is not vacuous."""
    canvas = complete()
    walked = dict((t, w) for w, t in every_text(canvas))
    assert walked["This time I fixed the lamp myself."] == "Experience.quote of 'regular'"
    blanked = Canvas(name="x").add(Stage(id="s", kind="usage"), Experience(id="e", stage="s", score=1, quote="Q"))
    assert ("Experience.quote of 'e'", "Q") in every_text(blanked)


# ---------------------------------------------------------------- what the designer typed, as it reads


def test_quotes_read_as_quotes() -> None:
    """A user's quote is a block quote in both reports, with who said it."""
    canvas = complete()
    page = usager.dumps(canvas, "html", drawing=False)
    assert (
        '<figure class="quote"><blockquote><p><bdi>This time I fixed the lamp myself.</bdi></p></blockquote>'
        "<figcaption>— <bdi>Careful tinkerer</bdi></figcaption></figure>"
    ) in page
    markdown = usager.dumps(canvas, "markdown")
    assert "> This time I fixed the lamp myself.\n>\n> — Careful tinkerer\n" in markdown


def test_a_hostile_quote_stays_a_quote() -> None:
    """A quote that would start a heading or close the quote stays inside it, escaped."""
    canvas = Canvas.standard("x").add(
        Experience(id="e", stage="usage", score=-1, quote="# heading\n\n</blockquote><script>x</script>")
    )
    markdown = usager.dumps(canvas, "markdown")
    assert "> \\# heading \\</blockquote\\>\\<script\\>x\\</script\\>\n" in markdown
    page = Page(usager.dumps(canvas, "html", drawing=False))
    assert set(page.tags) <= PAGE_TAGS
    assert "# heading\n\n</blockquote><script>x</script>" in page.texts


def test_each_persona_has_a_curve_of_its_own() -> None:
    """Each persona's card has its own curve: its own scores, never averaged with another persona's."""
    canvas = complete()
    markdown = usager.dumps(canvas, "markdown")
    tinkerer = "Discovery – · First experience – · Purchase – · Usage – · Extended usage +2 · Recommendation +1"
    newcomer = "Discovery 0 · First experience +1 · Purchase – · Usage – · Extended usage – · Recommendation –"
    assert markdown.index(tinkerer) < markdown.index("### Curious newcomer") < markdown.index(newcomer)
    page = usager.dumps(canvas, "html", drawing=False)
    assert page.count('<figure class="spark">') == len(canvas.personas)
    assert page.count('<figure class="curve">') == 1  # and the overall chart, a line for each


def test_persona_cards_and_stages_carry_what_was_typed() -> None:
    """Goals, frustrations, ease with digital tools, usagers, a stage's question, description and touchpoints."""
    canvas = Canvas.standard("Shop").add(
        Persona(id="p", name="Ana", description="Night nurse", goals=["Sleep"], frustrations=["Queues"],
                digital_comfort="low"),
        Stage(id="desk", kind="custom", label="Desk", description="The counter", touchpoints=["Bell", "Form"]),
    )  # fmt: skip
    markdown = usager.dumps(canvas, "markdown")
    for line in (
        "### Ana\n\nNight nurse\n\n**Ease with digital tools:** low\n\n"
        "**Goals**\n\n- Sleep\n\n**Frustrations**\n\n- Queues",
        "### 7\\. Desk\n\n**Kind of stage:** Stage\n\n**Question:** What does the user do at this stage",
        "The counter\n\n**Touchpoints:** Bell; Form",
    ):
        assert line in markdown


def test_the_french_report_speaks_french() -> None:
    """The new headings and words are translated in a French canvas's report."""
    markdown = usager.dumps(mediatheque(), "markdown")
    for words in ("## Personas et usagers", "## Étapes", "**Aisance numérique :** faible", "## Index des éléments"):
        assert words in markdown


def test_metrics_say_current_target_and_direction() -> None:
    """A metric's row: current, target, unit, which way is better, how far to go, its source."""
    markdown = usager.dumps(complete(), "markdown")
    row = (
        "| Visitors who come back within a month | Extended usage | 25 | 40 | visitors | ↑ higher is better "
        "| to go: 15 | Sign-in sheet |"
    )
    assert row in markdown


def test_contributions_say_who_supports_and_what_realized_them() -> None:
    """A done contribution names its author, supporters, the answer and what realized it."""
    canvas = mediatheque()
    [done] = [c for c in canvas.contributions if c.realized_by]
    markdown = _markdown_plain(usager.dumps(canvas, "markdown"))
    assert f"**Realized by:** {_name(canvas, done.realized_by or '')}".replace("Realized by:", "Réalisée par :") in (
        markdown
    )


# ---------------------------------------------------------------- the drawing, and its text equivalent


def test_the_drawing_in_words_lists_stages_brakes_and_answers() -> None:
    """Both reports give the drawing's text equivalent: the stages in order, each brake and what answers it."""
    canvas = complete()
    markdown = usager.dumps(canvas, "markdown")
    words = (
        "1. Discovery\n   - No brake.\n2. First experience\n"
        "   - **Repair jargon scares newcomers** (brake, severity 2) — answered by: "
        "A volunteer welcomes each visitor (in place)\n"
    )
    assert words in markdown
    page = usager.dumps(canvas, "html", drawing=False)
    details = page[page.index('<details id="drawing-text">') :]
    assert details.index("Discovery") < details.index("Repair jargon") < details.index("Recommendation")


def test_the_drawing_is_inline_labelled_and_described() -> None:
    """The SVG is in the page at its natural size, labelled by its caption and described by its words."""
    require_dot()
    page = usager.dumps(complete(), "html")
    [svg] = re.findall(r"<svg [^>]*aria-describedby[^>]*>", page)
    assert 'role="img"' in svg
    assert 'aria-labelledby="drawing-title"' in svg
    assert 'aria-describedby="drawing-text"' in svg
    assert re.search(r'width="\d+pt"', svg)  # Graphviz's own size: the text is as large as it wrote it
    assert '<figcaption id="drawing-title">' in page
    assert '<details id="drawing-text">' in page
    assert 'href="#drawing-fit"' in page  # fit to the width, by choice


def test_the_lanes_layout_is_offered() -> None:
    """layout='lanes' draws the lanes, as the dot exporter does; the default stays the cycle."""
    require_dot()
    canvas = complete()
    cycle, lanes = usager.dumps(canvas, "html"), usager.dumps(canvas, "html", layout="lanes")
    assert "drawn as a cycle of stages" in cycle
    assert "drawn as lanes of stages" in lanes
    assert cycle == usager.dumps(canvas, "html", layout="cycle")
    drawn = usager.dumps(canvas, "svg", layout="lanes").decode()
    viewbox = re.search(r'viewBox="([^"]+)"', drawn)
    assert viewbox is not None
    assert f'viewBox="{viewbox[1]}"' in lanes
    with pytest.raises(usager.OptionError, match="lanes"):
        usager.dumps(canvas, "html", layout="grid")


def test_only_a_drawing_comes_through_from_the_svg() -> None:
    """Scripts, handlers, links, styles, foreign content and ids of an SVG are dropped; shapes and texts stay."""
    svg = b"""<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">
<svg width="10pt" height="20pt" viewBox="0 0 10 20" xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
<script>alert(2)</script><style>*{color:red}</style>
<g id="node1" class="node"><a xlink:href="javascript:alert(3)" xlink:title="tip &lt;b&gt;">
<polygon fill="red" points="0,0 1,1" onclick="alert(4)" style="x"/><text x="1" y="2">A &amp; &lt;B&gt;</text></a></g>
<foreignObject><div>bad</div></foreignObject></svg>"""
    markup = svg_markup(svg, labelled_by="t", described_by="d")
    page = Page(markup)
    assert set(page.tags) == {"div", "svg", "g", "title", "polygon", "text"}
    assert not [a for a in page.attributes if a[0] != "div" and a[1] not in (
        "xmlns", "width", "height", "viewbox", "role", "aria-labelledby", "aria-describedby", "class", "fill", "points",
        "x", "y")]  # fmt: skip
    # framed as wide as the page, between three quarters of its natural width (10 pt: 13.3 px) and all of it
    assert markup.startswith('<div class="frame" style="max-width:13px;min-width:10px"><svg ')
    assert "A & <B>" in page.texts
    assert "tip <b>" in page.texts
    assert "alert" not in markup
    assert "bad" not in markup


def test_report_generation_is_deterministic() -> None:
    """The same canvas gives the same reports twice, drawing included."""
    canvas = mediatheque()
    assert usager.dumps(canvas, "markdown") == usager.dumps(canvas, "markdown")
    assert usager.dumps(canvas, "html", layout="lanes") == usager.dumps(canvas, "html", layout="lanes")


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_the_page_with_its_drawing_shows_in_chromium(layout: str, tmp_path: Path) -> None:
    """In the real headless Chromium, the page with the inline drawing shows, its console silent."""
    require_dot()
    page = tmp_path / "r.html"
    page.write_text(usager.dumps(mediatheque(), "html", layout=layout), encoding="utf-8")
    shot = screenshot(page, tmp_path / "r.png", width=1280, height=1600)
    assert shot.console == ()
    assert shot.png.startswith(b"\x89PNG")
