from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import usager
from usager import Brake, Canvas, CanvasError, dump, dumps
from usager.examples import complete, mediatheque
from usager.exporters.render import GraphvizNotFoundError

from .graphviz_tools import require_dot

MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


@pytest.fixture(autouse=True)
def _dot() -> None:
    require_dot()


@pytest.mark.parametrize("format", ["svg", "png", "pdf"])
def test_renderings_start_with_the_right_magic_bytes(format: str) -> None:
    """Each rendering is bytes of its format."""
    data = dumps(mediatheque(), format)
    assert isinstance(data, bytes)
    assert data.startswith(MAGIC[format])


@pytest.mark.parametrize("format", ["svg", "png", "pdf"])
def test_renderings_are_deterministic(format: str) -> None:
    """The same canvas renders to the same bytes (the PDF's creation date is fixed)."""
    assert dumps(complete(), format) == dumps(complete(), format)


def test_the_pdf_creation_date_is_fixed() -> None:
    """The PDF carries a fixed creation date instead of the time it was made."""
    pdf = dumps(complete(), "pdf")
    assert b"/CreationDate (D:19700101000000Z)" in pdf
    assert re.search(rb"/CreationDate \(D:(?!1970)", pdf) is None


def _texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_svg_is_well_formed_and_shows_hostile_text_as_text() -> None:
    """Control characters, markup and quotes appear as text in well-formed SVG."""
    label = '<b>"bold" & \\N</b>\x01'
    canvas = Canvas.standard("x").add(Brake(id="b", label=label, stage="usage"))
    texts = _texts(dumps(canvas, "svg", backstage=False, people=False))
    assert '<b>"bold" & \\N</b>\u2401' in texts


def test_svg_shows_the_stage_labels_in_the_canvas_language() -> None:
    """The French example's drawing shows its title and the French stage names."""
    texts = _texts(dumps(mediatheque(), "svg"))
    assert "Médiathèque municipale" in texts
    for name in ("Découverte", "Première expérience", "Achat", "Utilisation", "Utilisation étendue", "Prescription"):
        assert name in texts


def test_rendering_a_canvas_with_errors_leaves_the_previous_file(tmp_path: Path) -> None:
    """dump of an inconsistent canvas to .svg fails before touching the existing file."""
    target = tmp_path / "canvas.svg"
    target.write_bytes(b"previous")
    with pytest.raises(CanvasError):
        dump(Canvas.standard("x").add(Brake(id="b", label="B", stage="ghost")), target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["canvas.svg"]


def test_dump_picks_the_rendering_from_the_suffix(tmp_path: Path) -> None:
    """A .png path gets a PNG."""
    target = dump(complete(), tmp_path / "canvas.png")
    assert target.read_bytes().startswith(MAGIC["png"])


def test_missing_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without dot on PATH, rendering explains how to install Graphviz; DOT source still works."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("USAGER_GRAPHVIZ", "dot")  # not the WebAssembly build either
    with pytest.raises(GraphvizNotFoundError) as info:
        dumps(complete(), "svg")
    message = str(info.value)
    for hint in ("apt-get install graphviz", "brew install graphviz", "conda install", "'dot' exporter"):
        assert hint in message
    assert isinstance(info.value, usager.UsagerError)
    assert dumps(complete(), "dot").startswith("digraph")


def test_renderers_cannot_load() -> None:
    """Loading a drawing is refused with the list of formats that can be read."""
    with pytest.raises(
        usager.CannotLoadError, match="'svg' format can be written but not read; formats that read: csv, json"
    ):
        usager.loads(b"<svg/>", "svg")


def _tooltips(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in root.iter("{http://www.w3.org/2000/svg}a")]


def test_svg_tooltips_show_backslashes_and_escapes_as_written() -> None:
    """A description holding \\N, \\G, \\L and backslashes shows them as written in the tooltip."""
    description = 'a\\N b\\G c\\L d\\\\e "q" & \\n'
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="usage", description=description))
    tooltips = _tooltips(dumps(canvas, "svg", backstage=False, people=False))
    assert f"b: B\n{description}" in tooltips
