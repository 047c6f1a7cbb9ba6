"""The shared ``__repr__`` of :func:`usager._repr.fields_repr` is the one attrs writes."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from usager import Brake
from usager._fields import Spec
from usager._repr import fields_repr
from usager.canvas import ELEMENT_LISTS


@attrs.frozen(kw_only=True)
class Generated:
    """A record whose repr attrs writes."""

    a: Any
    b: Any = 0
    hidden: Any = attrs.field(default=0, repr=False)
    shouted: str = attrs.field(default="", repr=str.upper)


@fields_repr
@attrs.frozen(kw_only=True, repr=False)
class Shared:
    """The same record, with the shared repr."""

    a: Any
    b: Any = 0
    hidden: Any = attrs.field(default=0, repr=False)
    shouted: str = attrs.field(default="", repr=str.upper)


values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5), st.tuples(st.text()))
records = st.fixed_dictionaries({"a": values, "b": values, "hidden": values, "shouted": st.text()})


@given(records)
def test_the_repr_is_the_one_attrs_writes(fields: dict[str, Any]) -> None:
    """The repr names the class and each shown field as attrs' does, a field's own repr function included."""
    assert repr(Shared(**fields)) == repr(Generated(**fields)).replace("Generated(", "Shared(", 1)


def test_an_instance_met_again_while_shown_is_shown_as_dots() -> None:
    """A record holding itself (through a list) is shown with ``...`` where it comes back, as attrs does."""
    box: list[Any] = []
    shared, generated = Shared(a=box), Generated(a=[])
    box.append(shared)
    generated.a.append(generated)
    assert repr(shared) == repr(generated).replace("Generated(", "Shared(", 1) == "Shared(a=[...], b=0, shouted=)"


def test_an_element_shows_every_field_in_order() -> None:
    """An element's repr is its class and each field, in the class's order."""
    brake = Brake(id="b1", label="Fear", stage="s1")
    assert repr(brake) == (
        "Brake(id='b1', label='Fear', stage='s1', description='', kind=<BrakeKind.OTHER: 'other'>, personas=(),"
        " severity=2, evidence=(), tags=(), suppress=())"
    )


def test_the_element_classes_compile_no_repr_of_their_own() -> None:
    """Each element class and the field description use the shared repr, named after the class."""
    for cls in (*(cls for _, cls in ELEMENT_LISTS), Spec):
        assert cls.__repr__.__code__ is Shared.__repr__.__code__, cls
        assert cls.__repr__.__qualname__ == f"{cls.__name__}.__repr__"
