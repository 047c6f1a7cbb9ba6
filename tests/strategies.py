"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

import usager
from usager import (
    Activity,
    Brake,
    BrakeKind,
    Canvas,
    DigitalComfort,
    Facilitator,
    Partner,
    Persona,
    Phase,
    Relationship,
    Resource,
    ResourceKind,
    Stage,
    StageKind,
    Usager,
)

#: Text meant to break things: quotes, backslashes, braces, angle brackets, separators,
#: control characters, formula starters, right-to-left marks, emoji, combining marks.
HOSTILE = [
    '"',
    "'",
    "\\",
    "{",
    "}",
    "<",
    ">",
    "<b>x</b>",
    "&amp;",
    "\n",
    "\r\n",
    "\r",
    "\t",
    ",",
    ";",
    "|",
    "=SUM(A1)",
    "+1",
    "-1",
    "@x",
    "\u202e",
    "\u200f",
    "مرحبا",
    "😀",
    "e\u0301",
    "\x01",
    "\x7f",
    "\u2028",
    "\ufeff",
    "NaN",
    "null",
    "\\n",
    "\\l",
    "${x}",
    "%s",
    "'=1",
]

# Any text but NUL and lone surrogates, mixed with the hostile pieces above.
_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
text = st.one_of(
    st.text(_CHARS, max_size=20),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(_CHARS, max_size=5)), max_size=4).map("".join),
)
label = text.map(lambda s: s if s.strip() else f"L{s}")
_ID_START = string.ascii_letters + string.digits + "_"
ids = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(_ID_START),
    st.text(_ID_START + ".-", max_size=8),
)
texts = st.lists(text, max_size=3)


def _refs(pool: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(pool) | ids, max_size=3) if pool else st.lists(ids, max_size=2)


def _ref(pool: list[str]) -> st.SearchStrategy[str | None]:
    return st.none() | (st.sampled_from(pool) if pool else ids)


@st.composite
def canvases(draw: st.DrawFn, max_per_list: int = 4) -> Canvas:
    """Any canvas that constructs: references may dangle, ids may repeat, text is hostile."""
    pool = draw(st.lists(ids, min_size=1, max_size=12, unique=True))
    pick = st.sampled_from(pool)

    def many(build: Any) -> list[Any]:
        return draw(st.lists(build, max_size=max_per_list))

    personas = many(
        st.builds(
            Persona,
            id=pick,
            name=label,
            description=text,
            goals=texts,
            frustrations=texts,
            digital_comfort=st.none() | st.sampled_from(DigitalComfort),
        )
    )
    usagers = many(
        st.builds(
            Usager,
            id=pick,
            name=label,
            persona=_ref(pool),
            relationship=st.sampled_from(Relationship),
            stage=_ref(pool),
            needs=texts,
        )
    )
    kinds = st.sampled_from(StageKind)
    stages = many(
        st.builds(
            Stage,
            id=pick,
            kind=kinds.filter(lambda k: k is not StageKind.CUSTOM),
            label=text,
            description=text,
            touchpoints=texts,
        )
        | st.builds(Stage, id=pick, kind=st.just(StageKind.CUSTOM), label=label, description=text, touchpoints=texts)
    )
    brakes = many(
        st.builds(
            Brake,
            id=pick,
            label=label,
            stage=pick,
            description=text,
            kind=st.sampled_from(BrakeKind),
            personas=_refs(pool),
            severity=st.integers(1, 3),
        )
    )
    facilitators = many(
        st.builds(Facilitator, id=pick, label=label, description=text, addresses=_refs(pool), stages=_refs(pool))
    )
    activities = many(
        st.builds(
            Activity,
            id=pick,
            label=label,
            description=text,
            phase=st.sampled_from(Phase),
            supports=_refs(pool),
            uses=_refs(pool),
            partner=_ref(pool),
        )
    )
    resources = many(
        st.builds(
            Resource, id=pick, label=label, description=text, kind=st.sampled_from(ResourceKind), partner=_ref(pool)
        )
    )
    partners = many(st.builds(Partner, id=pick, label=label, description=text))
    return Canvas(
        name=draw(label),
        description=draw(text),
        language=draw(st.sampled_from(usager.Language)),
        personas=personas,
        usagers=usagers,
        stages=stages,
        brakes=brakes,
        facilitators=facilitators,
        activities=activities,
        resources=resources,
        partners=partners,
    )


#: JSON-ish values to mutate documents with.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(string.printable, max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
