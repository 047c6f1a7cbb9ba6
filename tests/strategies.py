"""Strategies the tests share; the canvas strategies themselves are usager's own."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from usager.strategies import HOSTILE, any_canvases, texts

__all__ = ["HOSTILE", "canvases", "json_values", "text"]

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
