from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import Canvas, LoadError, dumps, loads
from usager._document import NonFinite, from_document, object_pairs
from usager._fastjson import fast_load

from .strategies import canvases, mutated_documents


def thorough(data: bytes) -> Canvas | LoadError:
    """What the thorough reader makes of ``data``."""
    try:
        return from_document(json.loads(data, parse_constant=NonFinite, object_pairs_hook=object_pairs))
    except LoadError as exc:
        return exc


@given(canvases())
def test_the_fast_path_reads_every_canvas_it_writes(canvas: Canvas) -> None:
    """Any canvas written is read back by the fast path itself, equal."""
    assert fast_load(dumps(canvas, "json").encode("utf-8")) == canvas
    assert fast_load(dumps(canvas, "json", indent=None).encode("utf-8")) == canvas


@given(mutated_documents(), st.booleans())
def test_the_fast_path_accepts_nothing_the_thorough_reader_refuses(document: dict[str, Any], ascii_only: bool) -> None:
    """On any mutated document, the fast path either hands over or agrees with the thorough reader."""
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8")
    fast = fast_load(raw)
    if fast is not None:
        assert fast == thorough(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"format": "usager/1", "name": "x", "name": "y"}',
        b'{"format": "usager/1", "name": "x", "stages": [{"id": "s", "kind": "usage", "kind": "purchase"}]}',
        b'{"format": "usager/1", "name": "a\\u0000b"}',
        b'{"format": "usager/1", "name": " "}',
        b'{"format": "usager/1", "name": "x", "stages": [{"id": "s s", "kind": "usage"}]}',
        b'{"format": "usager/1", "name": "x", "stages": [{"id": "s", "kind": "custom"}]}',
        b'{"format": "usager/1", "name": "x", "brakes": [{"id": "b", "label": "B"}]}',
        b'{"format": "usager/1", "name": "x", "brakes": [{"id": "b", "label": "B", "stage": "s", "severity": 2.0}]}',
        b'{"format": "usager/1", "name": "\\ud800"}',
        b'{"format": "usager/1", "name": "x", "extra": 1}',
        b'{"name": "x"}',
    ],
)
def test_the_fast_path_hands_over_what_is_not_plainly_valid(raw: bytes) -> None:
    """Duplicated keys, NUL, blank labels, bad ids, missing keys... go to the thorough reader."""
    assert fast_load(raw) is None
    with pytest.raises(LoadError):
        loads(raw, "json")


@pytest.mark.parametrize(
    "raw",
    [
        b'{"format" : "usager/1", "name": "x"}',
        b'{"format": "usager/1", "name": "a\\":b", "description": "c\\\\"}',
        b'{"format": "usager/1", "name": "x: y", "description": "\\":"}',
    ],
)
def test_unusual_but_valid_documents_still_load(raw: bytes) -> None:
    """Spacing before colons and colons or quotes inside strings are read right (by one path or the other)."""
    assert loads(raw, "json") == thorough(raw)


def test_the_fast_path_hands_over_a_usager_1_document_with_new_keys() -> None:
    """A usager/1 document naming a usager/2 key goes to the thorough reader, which says it needs usager/2."""
    old = b'{"format": "usager/1", "name": "x", "partners": [{"id": "p", "label": "P", "tags": []}]}'
    assert fast_load(old) is None
    assert "needs format 'usager/2'" in str(thorough(old))
    # Inside a JSON string a quote is escaped, so the word in a text never looks like the key.
    same_word = b'{"format": "usager/1", "name": "x", "description": "\\"tags\\" in a text"}'
    assert fast_load(same_word) == thorough(same_word) == Canvas(name="x", description='"tags" in a text')


def test_the_fast_path_reads_schema_numbers_and_new_lists() -> None:
    """$schema, float and integer metrics and every new list are read by the fast path."""
    text = (
        b'{"$schema": "https://example.org/s.json", "format": "usager/2", "name": "x",'
        b' "stages": [{"id": "s", "kind": "usage"}],'
        b' "metrics": [{"id": "m", "label": "M", "stage": "s", "target": 1e+16, "current": 3}],'
        b' "experiences": [{"id": "e", "stage": "s", "score": -2}],'
        b' "contributions": [{"id": "c", "title": "T", "status": "done", "realized_by": "f"}]}'
    )
    canvas = fast_load(text)
    assert canvas is not None
    assert canvas == thorough(text)
    assert canvas.schema == "https://example.org/s.json"
    assert (canvas.metrics[0].target, canvas.metrics[0].current) == (1e16, 3)
    assert fast_load(text.replace(b'"score": -2', b'"score": -3')) is None


@pytest.mark.parametrize("code", ["U20", "u020", "U020\n", "U0200", " U020", "X020"])
def test_the_fast_path_refuses_bad_rule_codes(code: str) -> None:
    """A suppress list holding something that is not a rule code is not read by the fast path."""
    text = json.dumps({"format": "usager/2", "name": "x", "partners": [{"id": "p", "label": "P", "suppress": [code]}]})
    assert fast_load(text.encode()) is None
    assert isinstance(thorough(text.encode()), LoadError)
    good = text.replace(json.dumps(code), '"U020"')
    assert fast_load(good.encode()) == thorough(good.encode())
