from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import usager
from usager import Canvas, CanvasError, ElementError, LoadError, Severity, check, dumps, loads, validate

from .strategies import canvases, json_values, mutated_documents

ELEMENT_CLASSES = [usager.Persona, usager.Usager, usager.Stage, usager.Brake, usager.Facilitator,
                   usager.Activity, usager.Resource, usager.Partner]  # fmt: skip


@given(canvases())
def test_any_canvas_round_trips_through_json(canvas: Canvas) -> None:
    """Whatever the text and however inconsistent, JSON gives the same canvas back."""
    assert loads(dumps(canvas, "json"), "json") == canvas


@given(canvases())
def test_dumps_is_deterministic(canvas: Canvas) -> None:
    """The same canvas always gives the same text, also after a round trip."""
    text = dumps(canvas)
    assert dumps(canvas) == text
    assert dumps(loads(text)) == text


@given(canvases())
def test_check_never_raises_and_validate_agrees_with_it(canvas: Canvas) -> None:
    """check works on any constructed canvas; validate raises exactly when there is an error."""
    findings = check(canvas)
    assert findings == check(canvas)
    assert [f.code for f in findings] == sorted(f.code for f in findings)
    has_error = any(f.severity is Severity.ERROR for f in findings)
    try:
        validate(canvas)
    except CanvasError as exc:
        assert has_error
        assert list(exc.findings) == findings
    else:
        assert not has_error


@given(canvases())
def test_every_graph_node_is_an_element(canvas: Canvas) -> None:
    """The graph has one node per distinct id, and edges only between nodes."""
    graph = usager.to_graph(canvas)
    assert set(graph) == {e.id for e in canvas.elements()}


@given(st.binary())
def test_loads_of_any_bytes_raises_only_load_error(data: bytes) -> None:
    """Arbitrary bytes either load or raise LoadError."""
    with contextlib.suppress(LoadError):
        loads(data, "json")


@given(st.text())
def test_loads_of_any_text_raises_only_load_error(data: str) -> None:
    """Arbitrary text either loads or raises LoadError."""
    with contextlib.suppress(LoadError):
        loads(data, "json")


@given(mutated_documents())
def test_a_mutated_document_loads_or_raises_load_error_at_a_real_path(document: dict[str, Any]) -> None:
    """Replacing any value of a valid document gives a canvas or a LoadError whose paths are JSON paths."""
    try:
        loads(json.dumps(document))
    except LoadError as exc:
        assert exc.problems
        assert all(p.where.startswith("$") for p in exc.problems)


@given(st.sampled_from(ELEMENT_CLASSES), st.dictionaries(st.sampled_from(
    ["id", "name", "label", "kind", "stage", "persona", "personas", "severity", "goals", "phase", "partner",
     "addresses", "supports", "digital_comfort", "relationship", "touchpoints"]), json_values))  # fmt: skip
def test_constructing_elements_raises_only_element_error_or_type_error(cls: type[Any], kwargs: dict[str, Any]) -> None:
    """Any values for known fields give an element, an ElementError, or a TypeError for a missing/extra argument."""
    try:
        cls(**kwargs)
    except ElementError:
        pass
    except TypeError as exc:
        assert "argument" in str(exc)


@given(canvases())
def test_json_is_what_the_standard_library_would_write(canvas: Canvas) -> None:
    """The fast encoder writes byte for byte what json.dumps(indent=2, ensure_ascii=False) writes."""
    from usager._document import to_document

    expected = json.dumps(to_document(canvas), ensure_ascii=False, indent=2) + "\n"
    assert dumps(canvas, "json") == expected
    assert dumps(canvas, "json", indent=None) == json.dumps(to_document(canvas), ensure_ascii=False) + "\n"
