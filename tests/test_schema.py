from __future__ import annotations

import json
import re
import sys
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import LoadError
from usager._document import from_document, to_document
from usager._schema import json_schema
from usager._text import is_blank
from usager.strategies import canvases

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

#: Strings on which a schema and a loader are likely to disagree.
TRICKY = (
    "", " ", "x", "\x00", "a\x00b", "\ud800", "a\udfff", "a\n", "\n", "a b", "\ufeff", "\x1c", "\x1f", "\x85",
    "\xa0", "\u2028", "\u3000", "\u200b", "\u180e", "\t", "a\r", "x" * 128, "x" * 129, "é", "-a", ".a", "_a",
    "a.b-c", "😀", "A\u0301", "1", "abc\n", "\u0085x",
)  # fmt: skip
tricky_strings = st.one_of(st.sampled_from(TRICKY), st.lists(st.sampled_from(TRICKY), max_size=3).map("".join))


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _string_paths(item, (*path, i))
    return found


def _loader_accepts(document: dict[str, Any]) -> bool:
    try:
        from_document(document)
    except LoadError:
        return False
    return True


def _lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) < 0xE000 for char in text)


@given(canvases(), st.data())
def test_the_schema_and_the_loader_agree_on_text_and_ids(canvas: Any, data: st.DataObject) -> None:
    """A document the loader reads is valid under the schema and the reverse, for any tricky text or id.

    But for lone surrogates, which only the loader refuses (no portable pattern names them).
    """
    document = to_document(canvas)
    assert VALIDATOR.is_valid(document)
    assert _loader_accepts(document)
    paths = [p for p in _string_paths(document) if p != ("format",)]
    path = data.draw(st.sampled_from(paths))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = text = data.draw(tricky_strings)
    if _lone_surrogate(text):
        assert not _loader_accepts(document)
    else:
        assert VALIDATOR.is_valid(document) == _loader_accepts(document), (path, text)


def test_ids_ending_in_a_line_feed_are_refused_by_both() -> None:
    """Python's $ matches before a final line feed: the schema refuses a line feed in an id besides its pattern."""
    document = {"format": "usager/1", "name": "x", "partners": [{"id": "p\n", "label": "P"}]}
    assert not VALIDATOR.is_valid(document)
    assert not _loader_accepts(document)


def test_the_schema_knows_white_space_as_the_loader_does() -> None:
    """The label pattern's white space is exactly what str.isspace() knows; NUL is never text."""
    label = re.compile(SCHEMA["$defs"]["label"]["pattern"])
    text = re.compile(SCHEMA["$defs"]["text"]["pattern"])
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if code == 0:
            assert not text.search(char)
            assert not label.search(char)
        else:
            assert (label.search(char) is None) == is_blank(char), hex(code)


def test_the_schema_accepts_the_examples_as_written() -> None:
    """The committed schema file is the one json_schema() makes, and it is itself a valid schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert json.loads(json.dumps(SCHEMA)) == SCHEMA


def _keys_of_every_object() -> list[tuple[str, str, dict[str, Any]]]:
    objects = [("canvas", SCHEMA)] + [(name, d) for name, d in SCHEMA["$defs"].items() if "properties" in d]
    return [(where, key, prop) for where, obj in objects for key, prop in obj["properties"].items()]


@pytest.mark.parametrize(("where", "key", "prop"), _keys_of_every_object())
def test_every_key_has_a_title_and_a_description(where: str, key: str, prop: dict[str, Any]) -> None:
    """Editors show help on hover for every key: each property has a title and a sentence."""
    assert prop["title"]
    assert prop["description"].endswith(".")


def test_descriptions_come_from_the_field_descriptions() -> None:
    """A key's description is its field's doc, written once on the field."""
    from usager import Brake
    from usager._fields import spec_of

    severity = SCHEMA["$defs"]["Brake"]["properties"]["severity"]
    assert severity["title"] == "Severity"
    assert severity["description"] == spec_of(attrs.fields(Brake).severity).doc


def test_every_element_has_a_title() -> None:
    """Each element's definition is titled with its class name."""
    assert SCHEMA["$defs"]["Brake"]["title"] == "Brake"
