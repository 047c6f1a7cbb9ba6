from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import usager
from usager import (
    Brake,
    Canvas,
    Contribution,
    ElementError,
    Experience,
    Facilitator,
    Metric,
    Stage,
    UnknownIdError,
    Usager,
)
from usager.examples import complete
from usager.strategies import canvases

DANGLING = {"U002", "U003"}


def library() -> Canvas:
    return Canvas.standard("Library").add(
        Brake(id="deposit", label="Deposit", stage="purchase"),
        Brake(id="hours", label="Opening hours", stage="usage"),
        Facilitator(id="free", label="Free card", addresses=["deposit", "hours"], stages=["purchase"]),
        Usager(id="ana", name="Ana", stage="purchase"),
        Experience(id="e1", stage="purchase", score=-1),
        Metric(id="m1", label="Sign-ups", stage="purchase"),
        Contribution(id="c1", title="No deposit", brakes=["deposit"], author="ana", realized_by="free"),
    )


def codes(canvas: Canvas) -> set[str]:
    return {f.code for f in usager.check(canvas)}


def test_remove_leaves_references_by_default() -> None:
    """Without cascade, the facilitator still names the removed brake (U002)."""
    canvas = library().remove("deposit")
    assert "deposit" not in canvas
    assert canvas.get("free", Facilitator).addresses == ("deposit", "hours")
    assert "U002" in codes(canvas)


def test_remove_with_cascade_drops_the_references() -> None:
    """With cascade, lists lose the id and optional references become None."""
    canvas = library().remove("deposit", cascade=True)
    assert canvas.get("free", Facilitator).addresses == ("hours",)
    assert canvas.get("c1", Contribution).brakes == ()
    assert not codes(canvas) & DANGLING


def test_cascade_removes_what_cannot_stand_without_the_element() -> None:
    """Removing a stage removes its brakes, experiences and metrics, and what named them."""
    canvas = library().remove("purchase", cascade=True)
    assert [b.id for b in canvas.brakes] == ["hours"]
    assert (canvas.experiences, canvas.metrics) == ((), ())
    assert canvas.get("free", Facilitator).addresses == ("hours",)
    assert canvas.get("free", Facilitator).stages == ()
    assert canvas.get("ana", Usager).stage is None
    assert not codes(canvas) & DANGLING


@given(canvases(max_personas=2, max_facilitators=2, max_backstage=2), st.data())
def test_cascade_never_leaves_a_dangling_reference(canvas: Canvas, data: st.DataObject) -> None:
    """Whatever is removed from a consistent canvas, with cascade no reference dangles."""
    ids = [e.id for e in canvas.elements()]
    gone = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    assert not codes(canvas.remove(*gone, cascade=True)) & DANGLING


def test_remove_given_a_list_says_to_unpack_it() -> None:
    """remove(['x']) is a TypeError that says how to write it."""
    with pytest.raises(TypeError, match=r"write remove\(\*ids\), not remove\(ids\)"):
        library().remove(["deposit"])  # type: ignore[arg-type]


def test_remove_given_an_element_says_to_pass_its_id() -> None:
    """remove(brake) is a TypeError that says to pass brake.id."""
    canvas = library()
    with pytest.raises(TypeError, match=r"takes ids, not elements: write remove\(element.id\)"):
        canvas.remove(canvas.brakes[0])  # type: ignore[arg-type]


def test_remove_an_unknown_id_is_refused() -> None:
    """An id no element has raises UnknownIdError, and nothing is removed."""
    with pytest.raises(UnknownIdError, match="'ghost'"):
        library().remove("deposit", "ghost")


def test_add_given_a_list_says_to_unpack_it() -> None:
    """add([brake]) names the mistake."""
    with pytest.raises(ElementError, match=r"write add\(\*elements\), not add\(elements\)"):
        Canvas.standard("x").add([Brake(id="b", label="B", stage="usage")])  # type: ignore[arg-type]


def test_rename_changes_the_id_and_every_reference() -> None:
    """Every reference follows the new id; nothing dangles."""
    canvas = library().rename("deposit", "caution")
    assert canvas.get("caution", Brake).label == "Deposit"
    assert canvas.get("free", Facilitator).addresses == ("caution", "hours")
    assert canvas.get("c1", Contribution).brakes == ("caution",)
    assert not codes(canvas) & DANGLING


def test_rename_a_stage_moves_what_is_held_there() -> None:
    """A stage's brakes, experiences, metrics and usagers follow its new id."""
    canvas = library().rename("purchase", "sign-up")
    assert [b.stage for b in canvas.brakes] == ["sign-up", "usage"]
    assert canvas.get("e1", Experience).stage == "sign-up"
    assert canvas.get("ana", Usager).stage == "sign-up"
    assert canvas.brakes_at("sign-up") == (canvas.get("deposit", Brake),)


@given(canvases(max_personas=2, max_facilitators=2, max_backstage=2), st.data())
def test_rename_and_back_is_the_same_canvas(canvas: Canvas, data: st.DataObject) -> None:
    """Renaming to a fresh id and back gives the canvas back, and renaming leaves no dangling reference."""
    old = data.draw(st.sampled_from([e.id for e in canvas.elements()]))
    renamed = canvas.rename(old, "fresh-id-0")
    assert not codes(renamed) & DANGLING
    assert renamed.rename("fresh-id-0", old) == canvas


def test_rename_refuses_a_taken_or_bad_id() -> None:
    """The new id must be free and valid."""
    with pytest.raises(ElementError, match="'hours' is already taken"):
        library().rename("deposit", "hours")
    with pytest.raises(ElementError, match="cannot be an id"):
        library().rename("deposit", "a b")
    with pytest.raises(UnknownIdError):
        library().rename("ghost", "spirit")


def test_get_with_a_kind_returns_that_kind() -> None:
    """get(id, Brake) gives the brake."""
    assert library().get("deposit", Brake).label == "Deposit"


def test_get_with_the_wrong_kind_says_what_the_id_is() -> None:
    """An id of another kind raises UnknownIdError naming both kinds."""
    with pytest.raises(UnknownIdError, match="'purchase' is a Stage of canvas 'Library', not a Brake"):
        library().get("purchase", Brake)


def test_get_refuses_a_kind_that_is_not_an_element_class() -> None:
    """A kind must be an element class."""
    with pytest.raises(TypeError, match="element class such as Brake"):
        library().get("purchase", str)  # type: ignore[type-var]


def test_repr_is_short() -> None:
    """A canvas's repr is one line that counts its lists, whatever their size."""
    canvas = complete()
    assert repr(canvas).startswith("<Canvas 'Repair café' (en): ")
    big = Canvas.standard("x").add(*(Brake(id=f"b{i}", label="B" * 50, stage="usage") for i in range(200)))
    assert repr(big) == "<Canvas 'x' (en): 6 stages, 200 brakes>"


def test_brakes_at_a_stage() -> None:
    """brakes_at takes a stage or its id."""
    canvas = library()
    assert [b.id for b in canvas.brakes_at("purchase")] == ["deposit"]
    assert canvas.brakes_at(canvas.get("usage", Stage)) == (canvas.get("hours", Brake),)


def test_facilitators_for_a_brake() -> None:
    """facilitators_for lists those addressing the brake."""
    canvas = library()
    assert [f.id for f in canvas.facilitators_for("hours")] == ["free"]
    assert canvas.facilitators_for(canvas.get("deposit", Brake)) == canvas.facilitators


def test_contributions_for_an_element() -> None:
    """contributions_for finds contributions naming the element in any reference."""
    canvas = library()
    assert [c.id for c in canvas.contributions_for("deposit")] == ["c1"]
    assert [c.id for c in canvas.contributions_for("ana")] == ["c1"]
    assert [c.id for c in canvas.contributions_for("free")] == ["c1"]
    assert canvas.contributions_for("hours") == ()


def test_queries_refuse_what_is_not_an_id() -> None:
    """A query given a number says what it takes."""
    with pytest.raises(TypeError, match=r"brakes_at\(\) takes ids \(strings\), not int"):
        library().brakes_at(3)  # type: ignore[arg-type]
