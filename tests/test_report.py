from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings

import usager
from usager import Brake, Canvas, OptionError, exporters
from usager.exporters._reporting.blocks import clean
from usager.exporters.html import curve_svg
from usager.exporters.markdown import escape
from usager.strategies import canvases

from .chromium_tools import pixels, print_pdf, screenshot
from .profiles import examples

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["mediatheque", "budget-app", "open-data"]

#: Every tag the page is built of; a label must never add one.
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "br", "nav", "ol", "li", "a",
    "main", "section", "ul", "strong", "bdi", "table", "thead", "tbody", "tr", "th", "td", "div", "figure",
    "figcaption", "blockquote", "details", "summary", "span", "footer",
    # the SVG of the emotion curves, and of the drawing (what is kept of Graphviz's)
    "svg", "g", "line", "text", "tspan", "polyline", "polygon", "path", "ellipse", "circle", "rect",
}  # fmt: skip


class Page(HTMLParser):
    """The tags, attributes and texts of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.texts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def example(name: str) -> Canvas:
    return usager.load(ROOT / "examples" / f"{name}.json")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """The HTML report of each example, drawing included where Graphviz is installed."""
    return {name: usager.dumps(example(name), "html") for name in EXAMPLES}


def test_both_reports_are_built_in_exporters() -> None:
    """markdown and html are found by name and by suffix."""
    assert {"markdown", "html"} <= set(exporters.available())
    assert (exporters.name_for_path("r.md"), exporters.name_for_path("r.html")) == ("markdown", "html")


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_page_has_no_script_and_loads_nothing(pages: dict[str, str], name: str) -> None:
    """No script, no event handler, no address outside the page: only the page's own tags and a data image."""
    page = Page(pages[name])
    assert set(page.tags) <= PAGE_TAGS
    assert not [a for a in page.attributes if a[1].startswith("on")]
    assert all(v.startswith("#") for tag, a, v in page.attributes if a == "href")
    assert not [a for a in page.attributes if a[1] in ("src", "style", "id") and a[0] in ("svg", "g", "a")]
    rest = re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", pages[name])
    assert not re.search(r"https?:|ftp:|file:|url\(|@import|//[a-z]", rest)


def test_the_french_example_reads_in_french(pages: dict[str, str]) -> None:
    """The media library's page is in French: its language and section titles."""
    page = pages["mediatheque"]
    assert '<html lang="fr">' in page
    assert "Courbe des émotions" in page
    assert "Goulot d&#x27;étranglement" in page or "Goulot d'étranglement" in page


def test_the_english_example_reads_in_english(pages: dict[str, str]) -> None:
    """The budget app's page is in English."""
    assert '<html lang="en">' in pages["budget-app"]
    assert "Emotion curve" in pages["budget-app"]


def test_the_report_is_deterministic() -> None:
    """The same canvas gives the same page twice."""
    canvas = example("open-data")
    assert usager.dumps(canvas, "html", drawing=False) == usager.dumps(canvas, "html", drawing=False)


@settings(max_examples=examples(40))
@given(canvases())
def test_hostile_labels_never_become_markup(canvas: Canvas) -> None:
    """Whatever the labels hold, the page has only its own tags, and each brake label is there as text."""
    page = Page(usager.dumps(canvas, "html", drawing=False))
    assert set(page.tags) <= PAGE_TAGS
    assert not [a for a in page.attributes if a[1].startswith("on")]
    texts = "\x00".join(page.texts)
    for brake in canvas.brakes:
        assert clean(brake.label) in texts


@settings(max_examples=examples(40))
@given(canvases())
def test_hostile_labels_never_become_markdown(canvas: Canvas) -> None:
    """In the Markdown report, no label opens HTML, code, a link or a new table cell."""
    bare = re.sub(r"\\.", "", usager.dumps(canvas, "markdown"))
    assert not re.search(r"[<`\[&]", bare)
    for table in re.findall(r"(?:^\|.*\n)+", bare, flags=re.M):
        assert len({line.count("|") for line in table.splitlines()}) == 1


def test_markdown_escapes_what_starts_a_block() -> None:
    """A label that would start a heading or a list is escaped; line breaks become spaces."""
    assert (escape("# x"), escape("1. x"), escape("a\nb|c")) == ("\\# x", "1\\. x", "a b\\|c")


def test_markdown_table_rows_keep_their_cells() -> None:
    """A brake label with pipes and line breaks stays in its cell."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="a | b\n| c", stage="usage"))
    row = next(line for line in usager.dumps(canvas, "markdown").splitlines() if line.startswith("| a \\| b"))
    assert row.count("|") - row.count("\\|") == 4


def test_the_curve_breaks_where_a_stage_has_no_score() -> None:
    """Each run of scored stages is one line; an isolated score is only a point."""
    from usager.exporters._reporting.blocks import Curve

    svg = curve_svg(Curve(["a", "b", "c", "d"], [("p", (1.0, 2.0, None, -1.0))], "caption"))
    assert (svg.count("<polyline"), svg.count("<circle")) == (1, 3)


def test_a_canvas_with_errors_still_gets_a_report() -> None:
    """A dangling reference is listed in the findings, and the page says the drawing waits for a fix."""
    canvas = Canvas.standard("x", language="fr").add(Brake(id="b", label="B", stage="nowhere"))
    page = usager.dumps(canvas, "html")
    assert ("U002" in page, "<img" in page) == (True, False)


def test_without_graphviz_the_report_says_the_drawing_needs_it(tmp_path: Path) -> None:
    """With no dot on PATH, the page is still written and says the drawing needs Graphviz."""
    out = tmp_path / "r.html"
    code = f"import usager; usager.dump(usager.load({str(ROOT / 'examples' / 'open-data.json')!r}), {str(out)!r})"
    env = {**os.environ, "PATH": str(tmp_path), "USAGER_GRAPHVIZ": "dot"}  # not the WebAssembly build either
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    page = out.read_text(encoding="utf-8")
    assert ("<img" in page, "Graphviz" in page) == (False, True)


def test_unknown_and_ill_typed_options_are_refused() -> None:
    """The html exporter refuses an unknown option and a paper size it does not know."""
    canvas = example("budget-app")
    with pytest.raises(OptionError, match="colour"):
        usager.dumps(canvas, "html", colour="red")
    with pytest.raises(OptionError, match="a4"):
        usager.dumps(canvas, "html", paper="letter", drawing=False)
    with pytest.raises(OptionError, match="markdown"):
        usager.dumps(canvas, "markdown", paper="a4")


def test_a3_paper_prints_landscape() -> None:
    """paper='a3' sets the printed page to A3 landscape."""
    assert "size: A3 landscape" in usager.dumps(example("budget-app"), "html", paper="a3", drawing=False)


def test_the_markdown_report_names_the_bottleneck() -> None:
    """The French Markdown report says where the media library loses users."""
    text = usager.dumps(example("mediatheque"), "markdown")
    assert "**Goulot d'étranglement :** Découverte → Première expérience" in text


def _not_blank(png: bytes) -> tuple[int, float]:
    """How many colours the top of a screenshot has, and the share of pixels that are not white."""
    seen = pixels(png, max_rows=300)
    return len(set(seen)), sum(p != (255, 255, 255) for p in seen) / len(seen)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_page_shows_in_chromium_without_console_error(pages: dict[str, str], name: str, tmp_path: Path) -> None:
    """In the real headless Chromium the page is not blank, and its console stays silent."""
    page = tmp_path / f"{name}.html"
    page.write_text(pages[name], encoding="utf-8")
    shot = screenshot(page, tmp_path / f"{name}.png", height=900)
    colours, ink = _not_blank(shot.png)
    assert (shot.console, colours > 50, ink > 0.02) == ((), True, True)


@pytest.mark.slow
def test_the_console_check_catches_a_blocked_resource(tmp_path: Path) -> None:
    """A page that loads an address is blocked by the report's policy, and the console says so."""
    page = tmp_path / "bad.html"
    html = usager.dumps(example("budget-app"), "html", drawing=False)
    page.write_text(html.replace("</main>", '<img src="http://example.invalid/x.png"></main>'), encoding="utf-8")
    assert screenshot(page, tmp_path / "bad.png", height=300).console != ()


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("a3", (1191, 842))])
def test_the_page_prints_on_its_paper(paper: str, size: tuple[int, int], tmp_path: Path) -> None:
    """Printed from Chromium, every page is A4 portrait, or A3 landscape with paper='a3' (in points)."""
    page = tmp_path / "r.html"
    page.write_text(usager.dumps(example("open-data"), "html", paper=paper, drawing=False), encoding="utf-8")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", print_pdf(page, tmp_path / "r.pdf"))
    assert boxes
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {size}


def test_usager_export_writes_the_french_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """usager export examples/mediatheque.json --to html -o report.html writes the French report."""
    from usager.cli import main

    out = tmp_path / "report.html"
    assert main(["export", str(ROOT / "examples" / "mediatheque.json"), "--to", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert ("<title>Médiathèque municipale</title>" in page, "Courbe des émotions" in page) == (True, True)
