from __future__ import annotations

from pathlib import Path

import pytest

import usager
from usager import Severity
from usager.examples import mediatheque

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


def test_there_are_at_least_three_examples() -> None:
    """The examples folder holds the three documented canvases."""
    assert {p.name for p in EXAMPLES} >= {"mediatheque.json", "budget-app.json", "open-data.json"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_loads_and_has_no_finding(path: Path) -> None:
    """Each example is a complete canvas: loads, no finding at all, worth reading."""
    canvas = usager.load(path)
    assert [f for f in usager.check(canvas) if f.severity is not Severity.INFO] == []
    assert usager.check(canvas) == []
    assert len(canvas.personas) >= 2
    assert len(canvas.usagers) >= 2
    assert len(canvas.brakes) >= 3
    assert len(canvas.facilitators) >= 3
    assert canvas.activities
    assert canvas.resources
    assert canvas.partners


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_in_canonical_form(path: Path) -> None:
    """Each example file is exactly what dumps writes, so diffs stay small."""
    assert path.read_text(encoding="utf-8") == usager.dumps(usager.load(path), "json")


def test_the_built_in_example_is_the_media_library_file() -> None:
    """The example python -m usager and usager demo use is examples/mediatheque.json."""
    assert usager.load(Path(EXAMPLES[0]).with_name("mediatheque.json")) == mediatheque()


def test_a_canvas_shows_as_its_drawing_in_a_notebook() -> None:
    """The notebook bundle holds the SVG drawing and a text summary."""
    bundle = mediatheque()._repr_mimebundle_()
    assert bundle["text/plain"] == (
        "Canvas 'Médiathèque municipale' (fr): 2 personas, 2 usagers, 6 stages, 3 brakes, 4 facilitators, "
        "4 activities, 2 resources, 2 partners, 12 experiences, 4 metrics, 3 contributions"
    )
    assert bundle["image/svg+xml"].startswith("<?xml")


def test_notebook_display_falls_back_to_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without Graphviz the bundle is text that says why; an inconsistent canvas shows as its draft."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("USAGER_GRAPHVIZ", "dot")  # not the WebAssembly build either
    bundle = mediatheque()._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert "no drawing: Graphviz's 'dot' program was not found" in bundle["text/plain"]
    monkeypatch.undo()
    broken = usager.Canvas(name="x", brakes=[usager.Brake(id="b", label="B", stage="s")])
    assert "DRAFT" in broken._repr_mimebundle_()["image/svg+xml"]
