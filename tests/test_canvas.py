from __future__ import annotations

import attrs
import pytest

from usager import Brake, Canvas, ElementError, Language, Partner, Persona, Stage, StageKind, UnknownIdError


def test_standard_gives_the_six_stages_in_cycle_order_labelled_in_the_language() -> None:
    """Canvas.standard builds discovery to prescription, in French when asked."""
    canvas = Canvas.standard("Médiathèque", language="fr")
    assert canvas.language is Language.FR
    assert [s.kind for s in canvas.stages] == list(StageKind.standard())
    assert [s.id for s in canvas.stages] == [k.value for k in StageKind.standard()]
    assert canvas.stages[1].label == "Première expérience"
    assert Canvas.standard("Library").stages[5].label == "Recommendation"


def test_canvases_with_the_same_content_are_equal_whatever_the_sequence_type() -> None:
    """Lists and tuples give equal, equally hashed canvases."""
    stage = Stage(id="s", kind="usage")
    a = Canvas(name="x", stages=[stage])
    b = Canvas(name="x", stages=(stage,))
    assert a == b
    assert hash(a) == hash(b)
    a.get("s")  # fills the private index; equality must not depend on it
    assert a == b


def test_canvas_refuses_an_element_in_the_wrong_list() -> None:
    """A brake among the stages is refused, naming the position."""
    with pytest.raises(ElementError, match=r"Canvas\.stages\[0\]: expected a Stage, found a Brake"):
        Canvas(name="x", stages=[Brake(id="b", label="B", stage="s")])  # type: ignore[list-item]


def test_canvas_requires_a_name_and_a_known_language() -> None:
    """A blank name or an unknown language is refused."""
    with pytest.raises(ElementError, match="name"):
        Canvas(name=" ")
    with pytest.raises(ElementError, match="language"):
        Canvas(name="x", language="de")


def test_add_returns_a_new_canvas_and_leaves_the_old_one_alone() -> None:
    """Adding appends to the right lists in a new canvas."""
    old = Canvas.standard("x")
    new = old.add(Persona(id="p", name="P"), Brake(id="b", label="B", stage="usage"))
    assert [p.id for p in new.personas] == ["p"]
    assert [b.id for b in new.brakes] == ["b"]
    assert old.personas == ()
    assert len(new) == len(old) + 2


def test_add_refuses_a_taken_id() -> None:
    """An id already in the canvas, or twice among the new elements, is refused."""
    canvas = Canvas.standard("x")
    with pytest.raises(ElementError, match="'usage' is already taken"):
        canvas.add(Partner(id="usage", label="P"))
    with pytest.raises(ElementError, match="'p' is already taken"):
        canvas.add(Partner(id="p", label="P"), Persona(id="p", name="P"))


def test_replace_swaps_the_element_in_place() -> None:
    """Replacing keeps the position in its list."""
    canvas = Canvas.standard("x")
    new = canvas.replace(Stage(id="purchase", kind="purchase", label="Sign-up"))
    assert new.stages[2].label == "Sign-up"
    assert [s.id for s in new.stages] == [s.id for s in canvas.stages]


def test_replace_refuses_an_unknown_id_or_another_class() -> None:
    """Replace needs an existing element of the same class."""
    canvas = Canvas.standard("x")
    with pytest.raises(UnknownIdError, match="'nope'"):
        canvas.replace(Partner(id="nope", label="P"))
    with pytest.raises(ElementError, match="is a Stage"):
        canvas.replace(Partner(id="usage", label="P"))


def test_remove_drops_elements_and_leaves_references_dangling() -> None:
    """Remove takes elements out; what named them still does."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="usage"))
    new = canvas.remove("usage")
    assert "usage" not in new
    assert new.brakes[0].stage == "usage"
    with pytest.raises(UnknownIdError):
        canvas.remove("nope")


def test_get_and_find_look_elements_up_by_id() -> None:
    """get raises a KeyError subclass, find returns None; the first of duplicated ids wins."""
    first = Persona(id="dup", name="First")
    canvas = attrs.evolve(Canvas.standard("x"), personas=[first, Persona(id="dup", name="Second")])
    assert canvas.get("dup") is first
    assert canvas.find("nope") is None
    with pytest.raises(KeyError):
        canvas.get("nope")
    assert "dup" in canvas
    assert 3 not in canvas


def test_elements_iterates_in_document_order() -> None:
    """Personas first, partners last, each list in its order."""
    canvas = Canvas.standard("x").add(Partner(id="pa", label="P"), Persona(id="pe", name="P"))
    ids = [e.id for e in canvas.elements()]
    assert ids[0] == "pe"
    assert ids[-1] == "pa"
    assert ids[1:7] == [k.value for k in StageKind.standard()]
