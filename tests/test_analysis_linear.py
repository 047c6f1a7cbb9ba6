"""The analyses in one pass: the same answers as the definitions read, at a cost that grows with the canvas."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

import usager
from usager import Activity, Brake, Canvas, Facilitator, Partner, Resource, analysis
from usager.strategies import any_canvases, canvases

from . import analysis_reference as reference
from .profiles import examples

ROOT = Path(__file__).resolve().parent.parent


def tangled(canvas: Canvas) -> Canvas:
    """``canvas`` with what the generated ones rarely hold: shared performers, resources and addresses."""
    if not canvas.stages:
        return canvas
    stage = canvas.stages[0].id
    return canvas.add(
        Partner(id="p-one", label="One"),
        Partner(id="p-two", label="Two"),
        Resource(id="r-one", label="R1", partner="p-one"),
        Resource(id="r-two", label="R2", partner="p-two"),
        Activity(id="a-one", label="A1", partner="p-one", supports=[stage], uses=["r-one", "r-two"]),
        Activity(id="a-two", label="A2", partner="p-two", supports=["f-bridge"], uses=["r-one"]),
        Activity(id="a-ghost", label="A3", partner="ghost", supports=["f-bridge"]),
        Facilitator(id="f-bridge", label="Bridge", stages=[stage], addresses=["b-here", "b-here"]),
        Brake(id="b-here", label="Here", stage=stage, personas=[]),
    )


def same(canvas: Canvas) -> None:
    assert analysis.transitions(canvas) == reference.transitions(canvas)
    assert analysis.persona_exposure(canvas) == reference.persona_exposure(canvas)
    assert analysis.partner_dependency(canvas) == reference.partner_dependency(canvas)


@settings(max_examples=examples(200))
@given(canvases())
def test_the_same_answers_on_consistent_canvases(canvas: Canvas) -> None:
    same(canvas)
    same(tangled(canvas))


@settings(max_examples=examples(200))
@given(any_canvases())
def test_the_same_answers_on_any_canvas(canvas: Canvas) -> None:
    """Dangling references, shared ids, brakes at no stage: both read them alike."""
    same(canvas)


def test_the_same_answers_on_the_examples() -> None:
    for path in sorted((ROOT / "examples").glob("*.json")):
        canvas = usager.load(path)
        same(canvas)
        same(tangled(canvas))


def test_a_partner_whose_activities_alone_reach_a_stage_puts_it_at_risk() -> None:
    canvas = Canvas.standard("Risk")
    stage, other = canvas.stages[0].id, canvas.stages[1].id
    canvas = canvas.add(
        Partner(id="p", label="P"),
        Partner(id="q", label="Q"),
        Activity(id="a", label="A", partner="p", supports=["f"]),
        Facilitator(id="f", label="F", stages=[stage]),
        Activity(id="b", label="B", partner="p", supports=[other]),
        Activity(id="c", label="C", partner="q", supports=[other]),
    )
    risk = {d.partner: d.stages_at_risk for d in analysis.partner_dependency(canvas)}
    assert risk == {"p": (stage,), "q": ()}


@pytest.mark.slow
def test_the_analyses_of_a_large_canvas_finish() -> None:
    """At 40,000 elements the first implementations take about a minute (a graph search per partner,
    a pass over the canvas per stage and per persona: 13 s at 20,000); these take well under a second.
    The alarm turns a return to the quadratic into a failure rather than a long wait."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import canvas_of
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    canvas = canvas_of(40_000)

    def too_long(signum: int, frame: object) -> None:
        raise TimeoutError("the analyses of 40,000 elements took over 20 s: quadratic again?")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)
    try:
        assert analysis.partner_dependency(canvas)
        assert analysis.transitions(canvas)
        assert analysis.persona_exposure(canvas)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
