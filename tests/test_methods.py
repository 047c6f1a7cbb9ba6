"""The shared ``__eq__``, ``__hash__`` and ``__repr__`` of :func:`usager._methods.valued` behave as attrs' own."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from usager import Brake, Canvas, Stage
from usager._methods import valued
from usager.canvas import ELEMENT_LISTS


@attrs.frozen(kw_only=True)
class Generated:
    """A record whose methods attrs writes."""

    a: Any
    b: Any = 0
    hidden: Any = attrs.field(default=0, repr=False)
    ignored: Any = attrs.field(default=0, eq=False)
    shouted: str = attrs.field(default="", repr=str.upper)


@valued
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Shared:
    """The same record, with the shared methods."""

    a: Any
    b: Any = 0
    hidden: Any = attrs.field(default=0, repr=False)
    ignored: Any = attrs.field(default=0, eq=False)
    shouted: str = attrs.field(default="", repr=str.upper)


values = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5), st.tuples(st.text()))
records = st.fixed_dictionaries({"a": values, "b": values, "hidden": values, "ignored": values, "shouted": st.text()})


def twins(fields: dict[str, Any]) -> tuple[Generated, Shared]:
    return Generated(**fields), Shared(**fields)


@given(records)
def test_the_repr_is_the_one_attrs_writes(fields: dict[str, Any]) -> None:
    """The repr names the class and each shown field as attrs' does, a field's own repr function included."""
    generated, shared = twins(fields)
    assert repr(shared) == repr(generated).replace("Generated(", "Shared(", 1)


@given(records, records)
def test_equality_is_the_one_attrs_writes(left: dict[str, Any], right: dict[str, Any]) -> None:
    """Two records are equal, and unequal, exactly when attrs' methods say so (NaN never equal to itself)."""
    (g1, s1), (g2, s2) = twins(left), twins(right)
    assert (s1 == s2, s1 != s2, s1 == s1) == (g1 == g2, g1 != g2, g1 == g1)


@given(records)
def test_equal_records_hash_alike(fields: dict[str, Any]) -> None:
    """A record and its copy hash alike, whatever the fields without ``eq`` hold."""
    shared = Shared(**fields)
    assert hash(shared) == hash(attrs.evolve(shared, ignored="other"))


def test_another_class_is_never_equal() -> None:
    """A record is not equal to an instance of another class with the same fields."""
    assert Shared(a=1) != Generated(a=1)
    assert Shared(a=1).__eq__(Generated(a=1)) is NotImplemented


def test_an_instance_met_again_while_shown_is_shown_as_dots() -> None:
    """A record holding itself (through a list) is shown with ``...`` where it comes back."""
    box: list[Any] = []
    shared = Shared(a=box)
    box.append(shared)
    assert repr(shared) == "Shared(a=[...], b=0, ignored=0, shouted=)"


def test_a_method_of_the_class_body_is_kept() -> None:
    """The canvas keeps its own repr; it still gets the shared equality."""
    assert repr(Canvas(name="x")) == "<Canvas 'x' (en): empty>"
    assert Canvas.__eq__.__qualname__ == "Canvas.__eq__"


def test_every_element_class_has_the_shared_methods() -> None:
    """No element class compiles methods of its own: equality, hash and repr are the shared ones."""
    for cls in (*(cls for _, cls in ELEMENT_LISTS), Canvas):
        for method in (cls.__eq__, cls.__hash__):
            assert method.__code__.co_filename == valued.__code__.co_filename, (cls, method)
        assert method.__qualname__ == f"{cls.__name__}.__hash__"


def test_elements_survive_pickling() -> None:
    """An element and a canvas come back from pickle equal, with the same hash."""
    canvas = Canvas(name="x", stages=[Stage(id="s", kind="usage")], brakes=[Brake(id="b", label="B", stage="s")])
    again = pickle.loads(pickle.dumps(canvas))
    assert again == canvas
    assert hash(again) == hash(canvas)
