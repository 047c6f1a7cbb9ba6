"""Hypothesis strategies for canvases and their elements (install ``usager[testing]``).

- :func:`canvases` draws consistent canvases (no error-level finding) of realistic shape:
  the six standard stages or a custom cycle, several brakes per stage, facilitators
  addressing them, a backstage, people.
- :func:`inconsistent_canvases` draws canvases that trip a given rule.
- :func:`any_canvases` draws any canvas that can be built: dangling references, shared ids.
- :func:`texts`, :func:`labels` and :func:`ids` draw the values inside.

Text is hostile by default: quotes, backslashes, separators, line breaks, control characters,
formula starters, markup, right-to-left marks, emoji. Pass ``hostile=False`` for plain text.
Once ``usager[testing]`` is installed, ``st.from_type(usager.Canvas)`` draws :func:`canvases`.

>>> from hypothesis import given
>>> from usager.strategies import canvases
>>> @given(canvases(max_brakes_per_stage=1))
... def test_round_trip(canvas): ...
"""

from __future__ import annotations

import functools
import itertools
import string
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from usager import rules
from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    BrakeKind,
    DigitalComfort,
    Element,
    Facilitator,
    Language,
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

__all__ = ["HOSTILE", "any_canvases", "canvases", "ids", "inconsistent_canvases", "labels", "texts"]

T = TypeVar("T")

#: Pieces of text meant to break exporters and parsers.
HOSTILE: tuple[str, ...] = (
    '"', "'", "\\", "{", "}", "<", ">", "<b>x</b>", "&amp;", "\n", "\r\n", "\r", "\t", ",", ";", "|",
    "=SUM(A1)", "+1", "-1", "@x", "\u202e", "\u200f", "مرحبا", "😀", "e\u0301", "\x01", "\x7f", "\u2028",
    "\ufeff", "NaN", "null", "\\n", "\\l", "${x}", "%s", "'=1", "é", "数据",
)  # fmt: skip

_CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_PLAIN = st.characters(categories=["Lu", "Ll", "Nd"], max_codepoint=0x24F) | st.just(" ")
_ID_START = string.ascii_letters + string.digits + "_"


@functools.cache
def texts(*, hostile: bool = True, max_size: int = 20) -> st.SearchStrategy[str]:
    """Any text a field takes (no NUL, no lone surrogate); hostile pieces mixed in unless ``hostile=False``."""
    if not hostile:
        return st.text(_PLAIN, max_size=max_size)
    pieces = st.one_of(st.sampled_from(HOSTILE), st.text(_CHARS, max_size=5))
    return st.one_of(
        st.text(_CHARS, max_size=max_size), st.lists(pieces, max_size=4).map("".join).filter(lambda s: len(s) <= 60)
    )


@functools.cache
def labels(*, hostile: bool = True) -> st.SearchStrategy[str]:
    """Non-blank text, for names and labels."""
    return texts(hostile=hostile).map(lambda s: s if s.strip() else f"L{s}")


def ids() -> st.SearchStrategy[str]:
    """Valid ids (see the id rule in the file format docs)."""
    return st.builds(lambda head, tail: head + tail, st.sampled_from(_ID_START), st.text(_ID_START + ".-", max_size=8))


_INDEX = st.integers(0, 2**16)
_BOOL = st.booleans()
_ONE_IN_TEN = st.integers(0, 9)
_COMFORT = st.none() | st.sampled_from(DigitalComfort)
_RELATIONSHIP = st.sampled_from(Relationship)
_BRAKE_KIND = st.sampled_from(BrakeKind)
_SEVERITY = st.integers(1, 3)
_RESOURCE_KIND = st.sampled_from(ResourceKind)
_PHASE = st.sampled_from(Phase)
_LANGUAGE = st.sampled_from(Language)


@functools.cache
def _upto(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, n)


@functools.cache
def _indexes(n: int) -> st.SearchStrategy[list[int]]:
    return st.lists(_INDEX, max_size=n)


# Pools change from one canvas to the next: drawing indexes from fixed strategies (rather than
# building st.sampled_from(pool) each time) keeps generation and shrinking fast.
def _pick(draw: st.DrawFn, pool: list[str]) -> str:
    return pool[draw(_INDEX) % len(pool)]


def _maybe(draw: st.DrawFn, pool: list[str]) -> str | None:
    if not pool:
        return None
    present: bool = draw(_BOOL)
    return _pick(draw, pool) if present else None


def _subset(draw: st.DrawFn, pool: list[str], max_size: int = 3) -> list[str]:
    if not pool:
        return []
    return list(dict.fromkeys(pool[i % len(pool)] for i in draw(_indexes(max_size))))


@st.composite
def canvases(
    draw: st.DrawFn,
    *,
    hostile: bool = True,
    max_personas: int = 3,
    max_brakes_per_stage: int = 2,
    max_facilitators: int = 4,
    max_backstage: int = 3,
    standard_stages: bool | None = None,
) -> Canvas:
    """A consistent canvas (no error-level finding) of realistic shape.

    The cycle is the six standard stages in order (with custom stages here and there), or a
    custom cycle of one to four stages; ``standard_stages`` forces one or the other. Every
    reference names an element of the right kind and every id is unique, so only warnings
    and infos (an unaddressed brake, an idle partner...) may remain.
    """
    label, text = labels(hostile=hostile), texts(hostile=hostile)
    few_texts = st.lists(text, max_size=2)
    prefix = draw(ids())
    id_pool = (f"{prefix}-{n}" for n in itertools.count())
    standard = draw(_BOOL) if standard_stages is None else standard_stages
    stages: list[Stage] = []
    if standard:
        for kind in StageKind.standard():
            stages.append(Stage(id=next(id_pool), kind=kind, label=kind.label() if draw(_BOOL) else ""))
            if draw(_ONE_IN_TEN) == 0:
                stages.append(Stage(id=next(id_pool), kind=StageKind.CUSTOM, label=draw(label)))
    else:
        for _ in range(1 + draw(_upto(3))):
            stages.append(Stage(id=next(id_pool), kind=StageKind.CUSTOM, label=draw(label), description=draw(text)))
    stage_ids = [s.id for s in stages]
    personas = [
        Persona(id=next(id_pool), name=draw(label), description=draw(text), goals=draw(few_texts),
                digital_comfort=draw(_COMFORT))
        for _ in range(draw(_upto(max_personas)))
    ]  # fmt: skip
    persona_ids = [p.id for p in personas]
    usagers = [
        Usager(id=next(id_pool), name=draw(label), persona=p, stage=_maybe(draw, stage_ids),
               relationship=draw(_RELATIONSHIP))
        for p in persona_ids
        if draw(_BOOL)
    ]  # fmt: skip
    brakes = [
        Brake(id=next(id_pool), label=draw(label), stage=stage, kind=draw(_BRAKE_KIND),
              personas=_subset(draw, persona_ids, 2), severity=draw(_SEVERITY), description=draw(text))
        for stage in stage_ids
        for _ in range(draw(_upto(max_brakes_per_stage)))
    ]  # fmt: skip
    brake_ids = [b.id for b in brakes]
    facilitators = [
        Facilitator(id=next(id_pool), label=draw(label), addresses=_subset(draw, brake_ids),
                    stages=_subset(draw, stage_ids, 2))
        for _ in range(draw(_upto(max_facilitators)))
    ]  # fmt: skip
    partners = [Partner(id=next(id_pool), label=draw(label)) for _ in range(draw(_upto(max_backstage)))]
    partner_ids = [p.id for p in partners]
    resources = [
        Resource(id=next(id_pool), label=draw(label), kind=draw(_RESOURCE_KIND), partner=_maybe(draw, partner_ids))
        for _ in range(draw(_upto(max_backstage)))
    ]
    supportable = stage_ids + [f.id for f in facilitators]
    activities = [
        Activity(id=next(id_pool), label=draw(label), phase=draw(_PHASE), supports=_subset(draw, supportable),
                 uses=_subset(draw, [r.id for r in resources], 2), partner=_maybe(draw, partner_ids))
        for _ in range(draw(_upto(max_backstage)))
    ]  # fmt: skip
    return Canvas(
        name=draw(label), description=draw(text), language=draw(_LANGUAGE), personas=personas,
        usagers=usagers, stages=stages, brakes=brakes, facilitators=facilitators, activities=activities,
        resources=resources, partners=partners,
    )  # fmt: skip


def _fresh(canvas: Canvas, base: str) -> str:
    n = 0
    while f"{base}-{n}" in canvas:
        n += 1
    return f"{base}-{n}"


def _add(make: Callable[[Canvas, str], Element]) -> Callable[[Canvas], Canvas]:
    def mutate(canvas: Canvas) -> Canvas:
        return canvas.add(make(canvas, _fresh(canvas, "broken")))

    return mutate


def _duplicate_id(canvas: Canvas) -> Canvas:
    return attrs.evolve(canvas, partners=[*canvas.partners, Partner(id=canvas.stages[0].id, label="Twin")])


def _dangling(canvas: Canvas) -> Canvas:
    return canvas.add(Brake(id=_fresh(canvas, "brake"), label="Dangling", stage=_fresh(canvas, "missing")))


def _wrong_kind(canvas: Canvas) -> Canvas:
    partner = Partner(id=_fresh(canvas, "partner"), label="Not a stage")
    canvas = canvas.add(partner)
    return canvas.add(Brake(id=_fresh(canvas, "brake"), label="Wrong kind", stage=partner.id))


def _no_stage(canvas: Canvas) -> Canvas:
    return Canvas(name=canvas.name, language=canvas.language, personas=canvas.personas, partners=canvas.partners)


def _out_of_order(canvas: Canvas) -> Canvas:
    standard = [s for s in canvas.stages if s.kind is not StageKind.CUSTOM]
    order = {standard[0].id: standard[1], standard[1].id: standard[0]}
    return attrs.evolve(canvas, stages=[order.get(s.id, s) for s in canvas.stages])


def _shared_kind(canvas: Canvas) -> Canvas:
    return canvas.add(Stage(id=_fresh(canvas, "stage"), kind=canvas.stages[0].kind, label="Again"))


def _all_run(canvas: Canvas) -> Canvas:
    return attrs.evolve(canvas, activities=[attrs.evolve(a, phase=Phase.RUN) for a in canvas.activities])


_MUTATIONS: dict[str, tuple[Callable[[Canvas], Canvas], bool | None]] = {
    "U001": (_duplicate_id, None),
    "U002": (_dangling, None),
    "U003": (_wrong_kind, None),
    "U010": (_no_stage, None),
    "U011": (_out_of_order, True),
    "U012": (_shared_kind, True),
    "U020": (_add(lambda c, i: Brake(id=i, label="Unaddressed", stage=c.stages[-1].id)), None),
    "U021": (_add(lambda c, i: Facilitator(id=i, label="Idle")), None),
    "U030": (_add(lambda c, i: Stage(id=i, kind=StageKind.CUSTOM, label="Unsupported")), None),
    "U031": (_add(lambda c, i: Activity(id=i, label="Supports nothing")), None),
    "U032": (_add(lambda c, i: Resource(id=i, label="Unused")), None),
    "U033": (_add(lambda c, i: Partner(id=i, label="Idle partner")), None),
    "U034": (_all_run, None),
    "U040": (_add(lambda c, i: Persona(id=i, name="Nobody")), None),
}


def inconsistent_canvases(code: str, *, hostile: bool = True) -> st.SearchStrategy[Canvas]:
    """Canvases that trip the rule ``code`` (``"U002"``...), built by breaking a consistent one.

    Raises :class:`ValueError` for a code that is not a rule's.
    """
    known = [r.code for r in rules.all_rules()]
    if code not in _MUTATIONS:
        raise ValueError(f"no rule has the code {code!r}; the codes are {', '.join(known)}")
    mutate, standard = _MUTATIONS[code]
    return canvases(hostile=hostile, standard_stages=standard).map(mutate)


@st.composite
def any_canvases(draw: st.DrawFn, *, hostile: bool = True, max_per_list: int = 4) -> Canvas:
    """Any canvas that can be built: references may dangle or name the wrong kind, ids may repeat."""
    pool = draw(st.lists(ids(), min_size=1, max_size=12, unique=True))
    pick = st.sampled_from(pool)
    label, text = labels(hostile=hostile), texts(hostile=hostile)
    refs = st.lists(pick | ids(), max_size=3)
    ref = st.none() | pick

    def many(strategy: st.SearchStrategy[T]) -> list[T]:
        return draw(st.lists(strategy, max_size=max_per_list))

    standard_kind = st.sampled_from(StageKind.standard())
    lists: dict[str, Any] = {
        "personas": many(st.builds(Persona, id=pick, name=label, description=text, goals=st.lists(text, max_size=3),
                                   digital_comfort=st.none() | st.sampled_from(DigitalComfort))),
        "usagers": many(st.builds(Usager, id=pick, name=label, persona=ref, stage=ref,
                                  relationship=st.sampled_from(Relationship), needs=st.lists(text, max_size=2))),
        "stages": many(st.builds(Stage, id=pick, kind=standard_kind, label=text, touchpoints=st.lists(text, max_size=2))
                       | st.builds(Stage, id=pick, kind=st.just(StageKind.CUSTOM), label=label)),
        "brakes": many(st.builds(Brake, id=pick, label=label, stage=pick, kind=st.sampled_from(BrakeKind),
                                 personas=refs, severity=st.integers(1, 3), description=text)),
        "facilitators": many(st.builds(Facilitator, id=pick, label=label, addresses=refs, stages=refs)),
        "activities": many(st.builds(Activity, id=pick, label=label, phase=st.sampled_from(Phase), supports=refs,
                                     uses=refs, partner=ref)),
        "resources": many(st.builds(Resource, id=pick, label=label, kind=st.sampled_from(ResourceKind), partner=ref)),
        "partners": many(st.builds(Partner, id=pick, label=label, description=text)),
    }  # fmt: skip
    return Canvas(name=draw(label), description=draw(text), language=draw(st.sampled_from(Language)), **lists)


def _hypothesis_setup_hook() -> None:
    """Called by Hypothesis through its ``hypothesis`` entry point: ``st.from_type(Canvas)`` draws canvases."""
    st.register_type_strategy(Canvas, canvases())
