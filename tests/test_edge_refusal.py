"""Refusing a document: what it costs, where its problems stand, and what it may raise."""

from __future__ import annotations

from typing import Any

import cattrs
import pydantic
import pytest

import usager
from usager import Brake, LoadError, Metric
from usager.errors import ElementError

BASE: dict[str, Any] = {"format": "usager/2", "name": "x"}
HUGE = 10**5000  # more digits than Python writes as text


def brake(**fields: Any) -> dict[str, Any]:
    return {"id": "b", "label": "B", "stage": "usage", **fields}


# ---------------------------------------------------------------- the dict form and the hooks


@pytest.mark.parametrize(
    ("document", "where", "found"),
    [
        ({1: "x"}, "$", "the number 1"),
        ({None: 1}, "$", "null"),
        ({("a",): 1}, "$", "tuple"),
        ({**BASE, 2.5: 1}, "$", "the number 2.5"),
        ({**BASE, "brakes": [{**brake(), 3: 4}]}, "$.brakes[0]", "the number 3"),
    ],
)
def test_a_key_that_is_no_string_is_a_problem_at_its_object(document: dict[Any, Any], where: str, found: str) -> None:
    """A dict whose key is not text is refused with a LoadError naming the object, not a TypeError."""
    with pytest.raises(LoadError) as info:
        usager.from_dict(document)
    problems = [(p.where, p.message) for p in info.value.problems]
    assert (where, f"a key must be a string, found {found}") in problems


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({**BASE, "brakes": [brake(severity=HUGE)]}, "$.brakes[0].severity"),
        ({**BASE, "brakes": [brake(tags=[HUGE])]}, "$.brakes[0].tags[0]"),
        ({**BASE, "name": -HUGE}, "$.name"),
        ({**BASE, "metrics": [{"id": "m", "label": "M", "stage": "usage", "unit": "u", "current": HUGE}]},
         "$.metrics[0].current"),
        ({**BASE, "metrics": [{"id": "m", "label": "M", "stage": "usage", "unit": "u", "target": 10**400}]},
         "$.metrics[0].target"),
    ],
)  # fmt: skip
def test_a_huge_integer_is_shown_cut(document: dict[str, Any], where: str) -> None:
    """An integer of thousands of digits is refused with its first digits and their count, not a ValueError."""
    with pytest.raises(LoadError) as info:
        usager.from_dict(document)
    [problem] = info.value.problems
    assert problem.where == where
    assert "10000000000000000000… (" in problem.message
    assert len(str(info.value)) < 300


def test_a_number_field_refuses_an_integer_too_large_for_a_float() -> None:
    """A 401-digit integer is not a number a metric can hold, in every reader and at construction."""
    with pytest.raises(ElementError, match=r"expected a finite number, found 10000000000000000000… \(401 digits\)"):
        Metric(id="m", label="M", stage="usage", unit="u", current=10**400)
    with pytest.raises(ElementError, match=r"found the number 10000000000000000000… \(5001 digits\)$"):
        Brake(id="b", label="B", stage="usage", severity=HUGE)
    canvas = usager.Canvas.standard("x").add(Metric(id="m", label="M", stage="usage", unit="u", current=3))
    big = str(10**400)
    for name, old, new in (("json", '"current": 3', f'"current": {big}'), ("yaml", "current: 3", f"current: {big}"),
                           ("toml", "current = 3", f"current = {big}"), ("csv", ",3,", f",{big},")):  # fmt: skip
        text = usager.dumps(canvas, name)
        assert text.count(old) == 1
        with pytest.raises(LoadError, match=r"10000000000000000000… \(401 digits\)"):
            usager.loads(text.replace(old, new), name)


@pytest.mark.parametrize(
    "document",
    [{1: "x"}, {None: 1}, {("a",): 1}, {**BASE, "brakes": [{**brake(severity=HUGE), 3: 4}]}],
)
def test_the_pydantic_hook_and_the_converter_raise_their_own_errors(document: dict[Any, Any]) -> None:
    """Through pydantic a ValidationError, through usager.converter a cattrs error: nothing else."""

    class Model(pydantic.BaseModel):
        canvas: usager.Canvas

    with pytest.raises(pydantic.ValidationError, match=r"a key must be a string|digits"):
        Model(canvas=document)
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure(document, usager.Canvas)
    assert cattrs.transform_error(info.value)
    element = document.get("brakes", [document])[0]
    with pytest.raises(cattrs.ClassValidationError):
        usager.converter.structure(element, Brake)


def test_the_converter_refuses_a_huge_number_for_a_float() -> None:
    """A float field of an app's own class refuses an integer too large for a float: a cattrs error."""
    with pytest.raises(ValueError, match=r"expected a finite number, found the number 10000000000000000000…"):
        usager.converter.structure(HUGE, float)
    with pytest.raises(ValueError, match=r"expected a string, found the number 10000000000000000000…"):
        usager.converter.structure(HUGE, str)
