from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usager import Canvas, Severity, StageKind, check
from usager.rules import all_rules
from usager.strategies import HOSTILE, canvases, ids, inconsistent_canvases, labels, texts

from .profiles import examples
from .test_text import id_problem


@given(canvases())
def test_canvases_are_consistent(canvas: Canvas) -> None:
    """canvases() never draws a canvas with an error finding."""
    assert [f for f in check(canvas) if f.severity is Severity.ERROR] == []


@given(canvases(standard_stages=True, max_brakes_per_stage=1, max_personas=1))
def test_canvases_respect_their_bounds(canvas: Canvas) -> None:
    """The size parameters bound what is drawn; standard_stages gives the six kinds in order."""
    assert [s.kind for s in canvas.stages if s.kind is not StageKind.CUSTOM] == list(StageKind.standard())
    assert len(canvas.personas) <= 1
    for stage in canvas.stages:
        assert sum(b.stage == stage.id for b in canvas.brakes) <= 1


@given(canvases(standard_stages=False))
def test_custom_cycles_are_drawn(canvas: Canvas) -> None:
    """standard_stages=False gives a cycle of custom stages."""
    assert all(s.kind is StageKind.CUSTOM for s in canvas.stages)
    assert 1 <= len(canvas.stages) <= 4


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_inconsistent_canvases_trip_their_rule(rule: object) -> None:
    """inconsistent_canvases(code) always trips that rule."""
    code = rule.code  # type: ignore[attr-defined]

    @settings(max_examples=examples(15))
    @given(inconsistent_canvases(code))
    def trips(canvas: Canvas) -> None:
        assert code in {f.code for f in check(canvas)}

    trips()


def test_inconsistent_canvases_refuse_an_unknown_code() -> None:
    """A code that is no rule's is refused, listing the codes."""
    with pytest.raises(ValueError, match="no rule has the code 'U999'; the codes are U001"):
        inconsistent_canvases("U999")


@given(st.data())
def test_texts_can_be_plain_or_hostile(data: st.DataObject) -> None:
    """hostile=False draws letters, digits and spaces only; labels are never blank."""
    plain = data.draw(texts(hostile=False))
    assert all(c.isalnum() or c == " " for c in plain)
    assert data.draw(labels()).strip()
    assert id_problem(data.draw(ids())) is None


def test_hostile_text_is_drawn() -> None:
    """The hostile pieces show up in drawn text."""
    seen: set[str] = set()

    @settings(max_examples=300)
    @given(texts())
    def collect(value: str) -> None:
        seen.update(piece for piece in HOSTILE if piece in value)

    collect()
    assert len(seen) > len(HOSTILE) // 2


@given(st.from_type(Canvas))
def test_from_type_draws_consistent_canvases(canvas: Canvas) -> None:
    """The hypothesis entry point registers canvases() for st.from_type(Canvas)."""
    assert [f for f in check(canvas) if f.severity is Severity.ERROR] == []


def test_from_type_is_registered_by_the_entry_point() -> None:
    """st.from_type(Canvas) resolves to usager's canvases strategy, not a generic attrs build."""
    assert repr(st.from_type(Canvas)) == "canvases()"


def test_importing_the_strategies_first_in_a_fresh_interpreter_works() -> None:
    """'import usager.strategies' before hypothesis: the entry point does not import a half-loaded module."""
    code = (
        "import usager.strategies\n"
        "from hypothesis import given, settings, strategies as st\n"
        "from usager import Canvas, check\n"
        "@settings(max_examples=5, database=None)\n"
        "@given(st.from_type(Canvas))\n"
        "def draw(canvas):\n"
        "    assert isinstance(canvas, Canvas)\n"
        "draw()\n"
        "print(repr(st.from_type(Canvas)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "canvases()"
