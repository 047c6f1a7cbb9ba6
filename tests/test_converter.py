from __future__ import annotations

import attrs
import cattrs
import pytest
from hypothesis import given

import usager
from usager import Brake, BrakeKind, Canvas, Persona
from usager.examples import complete
from usager.strategies import any_canvases


@attrs.frozen
class Workshop:
    title: str
    canvas: Canvas
    brakes: list[Brake]


def workshop() -> Workshop:
    canvas = complete()
    return Workshop(title="Kick-off", canvas=canvas, brakes=list(canvas.brakes))


def test_converter_is_a_cattrs_converter() -> None:
    """usager.converter is an ordinary cattrs converter."""
    assert isinstance(usager.converter, cattrs.Converter)


@given(any_canvases())
def test_a_canvas_unstructures_to_its_document(canvas: Canvas) -> None:
    """Unstructuring gives to_dict's document, and structuring reads it back."""
    data = usager.converter.unstructure(canvas)
    assert data == usager.to_dict(canvas)
    assert usager.converter.structure(data, Canvas) == canvas


def test_an_app_model_nesting_a_canvas_round_trips() -> None:
    """An attrs class with a Canvas field and a list of brakes goes to plain data and back."""
    data = usager.converter.unstructure(workshop())
    assert data["canvas"]["format"] == "usager/2"
    assert data["brakes"][0] == usager.to_dict(complete())["brakes"][0]
    assert usager.converter.structure(data, Workshop) == workshop()


def test_nested_errors_have_cattrs_paths() -> None:
    """transform_error names the path of every problem, through the app's own fields."""
    data = usager.converter.unstructure(workshop())
    data["canvas"]["brakes"][0]["stage"] = None
    data["brakes"][0]["kind"] = "fear"
    data["title"] = None
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure(data, Workshop)
    assert cattrs.transform_error(info.value) == [
        "invalid value for type, expected str @ $.title",
        "unknown error (expected an id (a string), found null) @ $.canvas.brakes[0].stage",
        "unknown error (expected one of 'thought', 'feeling', 'prejudice', 'physical', 'discontinuity', "
        "'missing_feature', 'digital_skills', 'privacy', 'trust', 'other', found the string 'fear') @ $.brakes[0].kind",
    ]


def test_each_leaf_error_carries_the_readers_reason_and_problem() -> None:
    """Below cattrs' notes, each problem is a usager error whose message is the reason, with its problem."""
    document = usager.to_dict(complete())
    document["brakes"][0]["severity"] = 2.9
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure(document, Canvas)
    assert str(info.value).startswith(
        "brake 'jargon', $.brakes[0].severity: expected 1, 2 or 3 (3 = blocks the user), found the number 2.9"
    )
    [brakes] = info.value.exceptions
    [brake] = brakes.exceptions  # type: ignore[attr-defined]
    [leaf] = brake.exceptions
    assert isinstance(leaf, usager.UsagerError)
    assert str(leaf) == "expected 1, 2 or 3 (3 = blocks the user), found the number 2.9"
    assert (
        str(leaf.problem)
        == "brake 'jargon', $.brakes[0].severity: expected 1, 2 or 3 (3 = blocks the user), found the number 2.9"
    )  # type: ignore[attr-defined]


def test_a_missing_key_is_a_missing_field() -> None:
    """A missing required key is reported the way cattrs reports a missing field."""
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure({"id": "p"}, Persona)
    assert cattrs.transform_error(info.value) == ["required field missing @ $.name"]


@pytest.mark.parametrize(
    ("value", "cls"),
    [(None, str), (2.9, int), (True, int), ("1", float), (float("nan"), float), (1, bool), ("fear", BrakeKind)],
    ids=["null-str", "float-int", "bool-int", "str-float", "nan", "int-bool", "unknown-member"],
)
def test_primitives_are_strict(value: object, cls: type) -> None:
    """cattrs' lenient defaults (str(), int()) are replaced by strict hooks."""
    with pytest.raises(ValueError, match="expected"):
        usager.converter.structure(value, cls)


def test_an_enum_structures_from_its_value() -> None:
    """Enum members are written as their values and read back from them."""
    assert usager.converter.unstructure(BrakeKind.TRUST) == "trust"
    assert usager.converter.structure("trust", BrakeKind) is BrakeKind.TRUST
