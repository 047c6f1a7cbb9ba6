from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import usager
from usager import Activity, Brake, Canvas, Contribution, Experience, Facilitator, Partner, Resource, Stage, analysis
from usager.strategies import any_canvases, canvases

from .profiles import examples

ROOT = Path(__file__).resolve().parent.parent


def example(name: str) -> Canvas:
    return usager.load(ROOT / "examples" / f"{name}.json")


def small() -> Canvas:
    """Two stages; one brake answered in place, one only planned."""
    return Canvas(
        name="Shop",
        stages=[Stage(id="find", kind="custom", label="Find"), Stage(id="buy", kind="custom", label="Buy")],
        brakes=[
            Brake(id="far", label="Too far", stage="find", severity=3),
            Brake(id="price", label="Too dear", stage="find", severity=1),
            Brake(id="queue", label="Long queue", stage="buy", severity=2),
        ],
        facilitators=[
            Facilitator(id="map", label="A map", addresses=["far"]),
            Facilitator(id="tills", label="More tills", addresses=["queue"], status="planned", effort=2),
            Facilitator(id="sign", label="A sign", stages=["buy"], status="idea"),
        ],
        experiences=[
            Experience(id="e1", stage="find", score=-1),
            Experience(id="e2", stage="find", score=2),
        ],
    )


def test_transitions_follow_the_cycle_and_close_it() -> None:
    """One transition per stage, in order, the last leading back to the first."""
    assert [(t.stage, t.next) for t in analysis.transitions(small())] == [("find", "buy"), ("buy", "find")]


def test_a_transition_sums_the_severity_of_its_brakes() -> None:
    """severity is the sum of the brakes held at the stage; unaddressed leaves out those answered in place."""
    find = analysis.transitions(small())[0]
    assert (find.brakes, find.severity, find.unaddressed) == (("far", "price"), 4, 1)


def test_a_planned_facilitator_does_not_answer_a_brake() -> None:
    """A brake addressed only by a planned facilitator stays unaddressed, and the facilitator is listed."""
    buy = analysis.transitions(small())[1]
    assert (buy.unaddressed, buy.facilitators) == (2, ("tills", "sign"))


def test_a_transition_score_is_the_mean_experience() -> None:
    """score is the mean of the experience scores at the stage, None where there is none."""
    assert [t.score for t in analysis.transitions(small())] == [0.5, None]


def test_the_bottleneck_is_the_largest_unaddressed_severity() -> None:
    """The transition losing most users is the one with the most unanswered severity."""
    found = analysis.bottleneck(small())
    assert found is not None
    assert found.stage == "buy"


def test_bottleneck_ties_go_to_the_earliest_stage() -> None:
    """Two transitions with the same unaddressed severity: the earlier one in the cycle is named."""
    canvas = small().replace(Brake(id="far", label="Too far", stage="find", severity=1))
    canvas = canvas.replace(Facilitator(id="map", label="A map", addresses=["far"], status="idea"))
    found = analysis.bottleneck(canvas)
    assert found is not None
    assert (found.stage, found.unaddressed) == ("find", 2)


def test_no_bottleneck_when_every_brake_is_answered() -> None:
    """When every brake has an in-place answer, bottleneck is None."""
    assert analysis.bottleneck(example("budget-app")) is None


def test_the_mediatheque_bottleneck_is_the_unknown_free_library() -> None:
    """On the media library, new residents not knowing it is free holds users at discovery."""
    found = analysis.bottleneck(example("mediatheque"))
    assert found is not None
    assert (found.stage, found.brakes, found.unaddressed) == ("discovery", ("inconnue",), 2)


def test_a_brake_with_no_personas_exposes_everyone() -> None:
    """Every persona meets a brake that names none; a brake naming one persona exposes that one alone."""
    exposure = {e.persona: e for e in analysis.persona_exposure(example("mediatheque"))}
    assert exposure["retraitee"].brakes == ("ecrans", "inscription")
    assert exposure["parent"].brakes == ("inscription", "inconnue")


def test_exposure_names_what_nothing_in_place_answers() -> None:
    """unaddressed lists the persona's brakes with no in-place facilitator, with their severity summed."""
    parent = analysis.persona_exposure(example("mediatheque"))[1]
    assert (parent.unaddressed, parent.unaddressed_severity) == (("inconnue",), 2)


def test_a_partner_leaving_puts_its_only_supported_stages_at_risk() -> None:
    """A stage that only the partner's activity supports is at risk; the partner's resources are listed."""
    sigb = analysis.partner_dependency(example("mediatheque"))[0]
    assert (sigb.partner, sigb.activities, sigb.resources, sigb.stages_at_risk) == (
        "editeur-sigb",
        ("portail",),
        ("catalogue",),
        ("purchase",),
    )


def test_activities_using_a_partner_resource_are_weakened() -> None:
    """An activity of the team that uses the partner's resource is named as weakened, not lost."""
    assert analysis.partner_dependency(example("mediatheque"))[0].weakened == ("mediation",)


def test_support_through_a_facilitator_counts() -> None:
    """A stage supported through a facilitator's brake stays supported when another partner leaves."""
    canvas = Canvas(
        name="x",
        stages=[Stage(id="s", kind="custom", label="S")],
        brakes=[Brake(id="b", label="B", stage="s")],
        facilitators=[Facilitator(id="f", label="F", addresses=["b"])],
        activities=[
            Activity(id="own", label="Own", supports=["f"]),
            Activity(id="theirs", label="Theirs", supports=["s"], partner="p"),
        ],
        partners=[Partner(id="p", label="P")],
    )
    assert analysis.partner_dependency(canvas)[0].stages_at_risk == ()


def test_priorities_rank_by_the_documented_score() -> None:
    """Priorities come best first by desirability × feasibility × viability ÷ effort."""
    ranked = analysis.priorities(example("open-data"))
    assert [(p.id, p.score) for p in ranked] == [
        ("bac-a-sable", 32.0),
        ("conducteurs-jsonld", 16.0),
        ("archives-1980", 6.0),
    ]


def test_priority_ties_go_to_the_answer_of_an_unanswered_brake() -> None:
    """At the same score, the answer to an unanswered brake comes before a proposal that answers none."""
    ranked = [p.id for p in analysis.priorities(example("mediatheque"))]
    assert ranked[:2] == ["accueil-mairie", "samedi-parents-enfants"]


def test_priorities_leave_out_what_is_built_closed_or_unassessed() -> None:
    """In place and retired facilitators, closed contributions and unassessed ones are not priorities."""
    canvas = small().add(
        Facilitator(id="old", label="Old", status="retired", desirability=5),
        Contribution(id="c1", title="Done", status="done", desirability=5),
        Contribution(id="c2", title="Unassessed"),
    )
    assert [p.id for p in analysis.priorities(canvas)] == ["tills"]


def test_missing_marks_count_as_neutral_and_are_named() -> None:
    """A partial assessment scores its missing marks as 3 and names them."""
    (tills,) = analysis.priorities(small())
    assert (tills.score, tills.missing) == (13.5, ("desirability", "feasibility", "viability"))


def test_the_analyses_name_only_ids_of_the_canvas() -> None:
    """Every id an analysis returns is an element of the canvas."""
    canvas = example("open-data")
    named = [t.stage for t in analysis.transitions(canvas)]
    named += [i for t in analysis.transitions(canvas) for i in (*t.brakes, *t.facilitators)]
    named += [i for e in analysis.persona_exposure(canvas) for i in (e.persona, *e.brakes)]
    named += [i for d in analysis.partner_dependency(canvas) for i in (*d.activities, *d.stages_at_risk)]
    assert all(i in canvas for i in named)


@settings(max_examples=examples(60))
@given(canvases())
def test_unaddressed_never_exceeds_severity(canvas: Canvas) -> None:
    """On any canvas, a transition's unanswered severity is at most its severity."""
    assert all(0 <= t.unaddressed <= t.severity for t in analysis.transitions(canvas))


@settings(max_examples=examples(60))
@given(canvases(), st.data())
def test_a_partner_without_activities_puts_no_stage_at_risk(canvas: Canvas, data: st.DataObject) -> None:
    """Removing a partner that performs no activity (whatever it provides) never puts a stage at risk."""
    partner = Partner(id="idle-partner-x", label="Idle")
    resources = [attrs.evolve(r, partner=partner.id) for r in canvas.resources if data.draw(st.booleans())]
    canvas = canvas.add(partner).replace(*resources)
    (dependency,) = [d for d in analysis.partner_dependency(canvas) if d.partner == partner.id]
    assert dependency.stages_at_risk == ()


@settings(max_examples=examples(60))
@given(canvases(), st.data())
def test_an_in_place_facilitator_never_raises_unaddressed(canvas: Canvas, data: st.DataObject) -> None:
    """Adding an in-place facilitator for a brake lowers or keeps every transition's unanswered severity."""
    if not canvas.brakes:
        return
    brake = data.draw(st.sampled_from(canvas.brakes))
    before = analysis.transitions(canvas)
    after = analysis.transitions(canvas.add(Facilitator(id="answer-x", label="Answer", addresses=[brake.id])))
    assert all(a.unaddressed <= b.unaddressed for a, b in zip(after, before, strict=True))


@settings(max_examples=examples(40))
@given(any_canvases())
def test_the_analyses_accept_any_canvas(canvas: Canvas) -> None:
    """Dangling references and shared ids never make an analysis raise."""
    analysis.transitions(canvas)
    analysis.persona_exposure(canvas)
    analysis.partner_dependency(canvas)
    analysis.priorities(canvas)


@settings(max_examples=examples(60))
@given(canvases())
def test_priorities_come_best_first(canvas: Canvas) -> None:
    """Scores never rise down the list of priorities."""
    scores = [p.score for p in analysis.priorities(canvas)]
    assert scores == sorted(scores, reverse=True)


def test_the_examples_in_the_docstrings_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module's doctests, run from the project's root on the media library."""
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(analysis, extraglobs={"usager": usager})
    assert (result.failed, result.attempted > 5) == (0, True)


def test_importing_usager_does_not_import_networkx() -> None:
    """usager.analysis is imported only when first used, and networkx with it."""
    code = "import sys, usager; assert 'networkx' not in sys.modules; usager.analysis; assert 'networkx' in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_resources_do_not_count_as_support() -> None:
    """A resource the partner provides is listed, but only activities support stages."""
    canvas = Canvas(
        name="x",
        stages=[Stage(id="s", kind="custom", label="S")],
        activities=[Activity(id="a", label="A", supports=["s"], uses=["r"])],
        resources=[Resource(id="r", label="R", partner="p")],
        partners=[Partner(id="p", label="P")],
    )
    (dependency,) = analysis.partner_dependency(canvas)
    assert (dependency.resources, dependency.stages_at_risk, dependency.weakened) == (("r",), (), ("a",))


def test_the_analysis_page_examples_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every pycon example of docs/analysis.md prints what the page says, from the project's root."""
    monkeypatch.chdir(ROOT)
    page = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    blocks = "\n".join(b for b in page.split("```pycon\n")[1:] for b in [b.split("```")[0]])
    test = doctest.DocTestParser().get_doctest(blocks, {}, "analysis.md", "docs/analysis.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert (runner.failures, runner.tries > 5) == (0, True)


def test_the_examples_page_states_the_analyses() -> None:
    """What docs/examples.md says of each example is what the analyses find."""
    found = {
        name: (
            analysis.bottleneck(example(name)),
            [d.stages_at_risk for d in analysis.partner_dependency(example(name))],
            analysis.priorities(example(name))[0].id,
        )
        for name in ("mediatheque", "budget-app", "open-data")
    }
    bottleneck = found["mediatheque"][0]
    assert bottleneck is not None
    assert (bottleneck.stage, found["mediatheque"][1], found["mediatheque"][2]) == (
        "discovery",
        [("purchase",), ("discovery",)],
        "accueil-mairie",
    )
    assert found["budget-app"] == (None, [(), ()], "split-expenses")
    assert found["open-data"] == (None, [("extended_usage",), ("purchase",)], "bac-a-sable")
