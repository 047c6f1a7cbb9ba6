from __future__ import annotations

import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usager import Canvas, LoadError, dumps, loads
from usager._document import NonFinite, from_document, object_pairs
from usager._fastjson import _canonical_load, fast_load
from usager.canvas import ELEMENT_LISTS
from usager.examples import mediatheque

from .profiles import examples
from .strategies import canvases, json_values, mutated_documents


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


@pytest.mark.parametrize("code", ["U20", "u020", "U020\n", "U02000000", " U020", "team001", "TEAM01"])
def test_the_fast_path_refuses_bad_rule_codes(code: str) -> None:
    """A suppress list holding something that is not a rule code is not read by the fast path."""
    text = json.dumps({"format": "usager/2", "name": "x", "partners": [{"id": "p", "label": "P", "suppress": [code]}]})
    assert fast_load(text.encode()) is None
    assert isinstance(thorough(text.encode()), LoadError)
    good = text.replace(json.dumps(code), '"U020"')
    assert fast_load(good.encode()) == thorough(good.encode())


def _verdict(data: bytes) -> Canvas | LoadError | ValueError:
    """What the thorough reader makes of ``data``, invalid JSON included."""
    try:
        return thorough(data)
    except ValueError as exc:  # not JSON at all: json.JSONDecodeError
        return exc


#: Keys an element or the document may hold, and a few it may not.
_KEYS = sorted({key for cls in (Canvas, *(c for _, c in ELEMENT_LISTS)) for key in attrs.fields_dict(cls)} | {"x"})
#: Characters that change how a JSON text is read.
_SIGNIFICANT = [":", '"', "\\", ",", " ", "{", "}", "[", "]", "\\u003a", "\\u0000", "\n"]


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """A canonical document's text with one or two textual changes: keys added, renamed or doubled, characters."""
    text = dumps(draw(canvases(max_per_list=2)), "json", indent=draw(st.sampled_from([2, None])))
    for _ in range(draw(st.integers(1, 2))):
        operation = draw(st.sampled_from(["insert member", "rename key", "double member", "character", "cut"]))
        position = draw(st.integers(0, len(text)))
        if operation == "insert member":
            braces = [i + 1 for i, c in enumerate(text) if c == "{"]
            at = draw(st.sampled_from(braces))
            value = json.dumps(draw(json_values | st.sampled_from(["s", "U020", "usage"])))
            text = f'{text[:at]}"{draw(st.sampled_from(_KEYS))}": {value}, {text[at:]}'
        elif operation == "rename key":
            keys = [m.start() + 1 for m in re.finditer(r'"[a-z_$]+":', text)]
            at = draw(st.sampled_from(keys))
            text = f"{text[:at]}{draw(st.sampled_from(_KEYS))}{text[text.index(chr(34), at) :]}"
        elif operation == "double member":
            members = list(re.finditer(r'"[a-z_$]+": (?:"[^"\\]*"|-?[0-9.e+]+|true|false|null|\[\])(?=[,}\n])', text))
            if members:
                m = draw(st.sampled_from(members))
                text = f"{text[: m.end()]}, {m.group()}{text[m.end() :]}"
        elif operation == "character":
            text = text[:position] + draw(st.sampled_from(_SIGNIFICANT)) + text[position:]
        else:
            text = text[:position] + text[position + draw(st.integers(1, 3)) :]
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(mutated_texts())
def test_the_fast_path_agrees_with_the_thorough_reader_on_mutated_texts(raw: bytes) -> None:
    """Doubled, unknown and renamed keys, stray colons, quotes and escapes: the fast path hands over or agrees."""
    fast = fast_load(raw)
    if fast is not None:
        assert fast == _verdict(raw)


@given(canvases(), st.sampled_from([2, None]))
def test_the_canonical_tier_reads_every_canvas_it_writes(canvas: Canvas, indent: int | None) -> None:
    """Every canvas written is read back by the first tier (elements decoded straight by msgspec), equal."""
    data = dumps(canvas, "json", indent=indent).encode("utf-8", "surrogatepass")
    assert _canonical_load(data, b"\\" in data) == canvas


@given(mutated_documents(), st.booleans())
def test_the_canonical_tier_accepts_nothing_the_thorough_reader_refuses(
    document: dict[str, Any], ascii_only: bool
) -> None:
    """On any mutated canonical document, the first tier hands over or gives the thorough reader's canvas."""
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8")
    fast = _canonical_load(raw, b"\\" in raw)
    if fast is not None:
        assert fast == thorough(raw)


def test_the_canonical_tier_builds_the_element_classes_themselves() -> None:
    """The elements the first tier reads are of the element classes, not of their views."""
    canvas = _canonical_load(dumps(mediatheque(), "json").encode("utf-8"), True)
    assert canvas is not None
    assert {type(e) for e in canvas.elements()} <= {cls for _, cls in ELEMENT_LISTS}
    assert canvas == mediatheque()


@pytest.mark.parametrize(
    "raw",
    [
        # a key doubled, an unknown key, in an element: msgspec alone would not notice
        b'{"format": "usager/2", "name": "x", "partners": [{"id": "p", "label": "P", "label": "Q", "description": "",'
        b' "tags": [], "suppress": []}]}',
        b'{"format": "usager/2", "name": "x", "partners": [{"id": "p", "label": "P", "description": "", "tags": [],'
        b' "suppress": [], "extra": 1}]}',
        b'{"format": "usager/2", "name": "x", "partners": [{"id": "p", "label": "P", "description": "a\\"b",'
        b' "tags": [], "suppress": [], "extra": "c:d"}]}',
    ],
)
def test_the_canonical_tier_hands_over_doubled_and_unknown_keys(raw: bytes) -> None:
    """A doubled or unknown key in a canonical element is left to the thorough reader, which names it."""
    assert _canonical_load(raw, b"\\" in raw) is None
    assert fast_load(raw) is None
    assert isinstance(thorough(raw), LoadError)


@pytest.mark.parametrize(
    ("ident", "read"),
    [("a" * 128, True), ("a" * 129, False), ("", False), (".a", False), ("-a", False), ("a.-_9", True), ("é", False)],
)
def test_both_tiers_check_ids_as_the_thorough_reader_does(ident: str, read: bool) -> None:
    """Length, first character and character set of ids: read by the fast path exactly when they are ids."""
    partner = {"id": ident, "label": "P", "description": "", "tags": [], "suppress": []}
    canonical = json.dumps({"format": "usager/2", "name": "x", "partners": [partner]}).encode()
    short = json.dumps({"format": "usager/2", "name": "x", "partners": [{"id": ident, "label": "P"}]}).encode()
    for raw in (canonical, short):
        assert (fast_load(raw) is not None) is read
        assert isinstance(thorough(raw), Canvas) is read
    assert (_canonical_load(canonical, False) is not None) is read
