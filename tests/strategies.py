"""Strategies the tests share; the canvas strategies themselves are usager's own."""

from __future__ import annotations

import json
import string
from typing import Any

from hypothesis import strategies as st

from usager import dumps
from usager.examples import mediatheque
from usager.strategies import HOSTILE, any_canvases, texts

__all__ = ["HOSTILE", "canvases", "json_values", "mutated_documents", "text"]

#: Any canvas that can be built, hostile text included.
canvases = any_canvases
#: Hostile text.
text = texts()

#: JSON-ish values to mutate documents with.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(string.printable, max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


_EXAMPLE = json.loads(dumps(mediatheque()))
# Values of every kind to mutate, the rarer ones included: a suppression, a $schema, a float.
_EXAMPLE["brakes"][0]["suppress"] = ["U020"]
_EXAMPLE = {"$schema": "https://example.org/usager.schema.json", **_EXAMPLE}
_EXAMPLE["metrics"][0]["current"] = 85.5
_EXAMPLE_PATHS = _paths(_EXAMPLE)[1:]


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The example document with one value, anywhere in it, replaced by any JSON value."""
    document = json.loads(json.dumps(_EXAMPLE))
    path = draw(st.sampled_from(_EXAMPLE_PATHS))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = draw(json_values)
    return document  # type: ignore[no-any-return]
