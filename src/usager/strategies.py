"""Hypothesis strategies for canvases and their elements (install ``usager[testing]``).

- :func:`canvases` draws consistent canvases (no error-level finding) of realistic shape:
  the six standard stages or a custom cycle, several brakes per stage, facilitators
  addressing them, a backstage, people.
- :func:`small_canvases` draws the smallest consistent shapes: one stage, and at most one
  element of each other kind; it shrinks to a single stage.
- :func:`inconsistent_canvases` draws canvases that trip a given rule.
- :func:`any_canvases` draws any canvas that can be built: dangling references, shared ids.
- :func:`texts`, :func:`labels` and :func:`ids` draw the values inside.

Text is hostile by default: quotes, backslashes, separators, line breaks, control characters,
formula starters, markup, right-to-left marks, emoji. Pass ``hostile=False`` for plain text.
Once ``usager[testing]`` is installed, ``st.from_type(usager.Canvas)`` draws :func:`canvases`.

```pycon
>>> from hypothesis import given
>>> from usager.strategies import canvases
>>> @given(canvases(max_brakes_per_stage=1))
... def test_round_trip(canvas): ...

```
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
from usager._fields import Kind, Spec, assert_never, specs
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, Canvas
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    ContributionStatus,
    Element,
    Experience,
    Facilitator,
    Metric,
    Partner,
    Persona,
    Phase,
    Resource,
    Stage,
    StageKind,
    Usager,
)

__all__ = [
    "HOSTILE",
    "any_canvases",
    "canvases",
    "ids",
    "inconsistent_canvases",
    "labels",
    "small_canvases",
    "texts",
]

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
_CONTRIBUTION_STATUS = st.sampled_from(ContributionStatus)
_BOOL = st.booleans()
_ONE_IN_TEN = st.integers(0, 9)


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


@functools.cache
def _value(spec: Spec, *, hostile: bool) -> st.SearchStrategy[Any]:
    """Any valid value of a field that is not an id or a reference, from its description."""
    kind = spec.kind
    strategy: st.SearchStrategy[Any]
    if kind is Kind.TEXT:
        strategy = texts(hostile=hostile)
    elif kind is Kind.LABEL:
        strategy = labels(hostile=hostile)
    elif kind is Kind.TEXTS:
        strategy = st.lists(texts(hostile=hostile), max_size=2)
    elif kind is Kind.CHOICE:
        assert spec.choices is not None
        strategy = st.sampled_from(spec.choices)
    elif kind is Kind.INTEGER:
        strategy = st.integers(spec.low, spec.high)
    elif kind is Kind.BOOLEAN:
        strategy = st.booleans()
    elif kind is Kind.NUMBER:
        strategy = st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    elif kind is Kind.CODES:
        strategy = st.lists(st.sampled_from([r.code for r in rules.all_rules()]) | _codes, max_size=2)
    elif kind in (Kind.ID, Kind.REF, Kind.REFS, Kind.ELEMENTS):
        raise ValueError(f"no value strategy for a {kind.value} field")
    else:
        assert_never(kind)
    return st.none() | strategy if spec.optional else strategy


#: Rule codes that are no rule's.
_codes = st.from_regex(r"U[0-9]{3}", fullmatch=True)


def _build(draw: st.DrawFn, cls: type[T], hostile: bool, **given: Any) -> T:
    """An element of ``cls`` with the ``given`` fields; every other field that is not a reference drawn.

    Suppressions are left empty: a consistent canvas hides no finding.
    """
    for field, spec in specs(cls):
        if field.name not in given and spec.kind not in (Kind.ID, Kind.REF, Kind.REFS, Kind.ELEMENTS, Kind.CODES):
            given[field.name] = draw(_sparse(field, spec, hostile))
    return cls(**given)


def _sparse(field: attrs.Attribute[Any], spec: Spec, hostile: bool) -> st.SearchStrategy[Any]:
    """A field's values, its default as often as not (real canvases leave most optional fields empty)."""
    return _sparse_values(spec, field.default, hostile)


@functools.cache
def _sparse_values(spec: Spec, default: Any, hostile: bool) -> st.SearchStrategy[Any]:
    values = _value(spec, hostile=hostile)
    return values if default is attrs.NOTHING else st.just(default) | values


#: The element types the consistent strategies build by hand; any other is built by :func:`_related`.
_BY_HAND = (Persona, Usager, Stage, Brake, Facilitator, Activity, Resource, Partner, Experience, Metric, Contribution)


def _related(draw: st.DrawFn, cls: type[T], by_kind: dict[str, list[str]], build: Any, most: int) -> list[T]:
    """Up to ``most`` consistent elements of ``cls``, a type no strategy builds by hand (a new one).

    Each reference names an element of a kind its description allows (``by_kind`` holds the
    ids of each kind); an element whose required reference has nothing to name is not made.
    """
    made: list[T] = []
    for _ in range(draw(_upto(most))):
        given: dict[str, Any] = {}
        for field, spec in specs(cls):
            if spec.kind is not Kind.REF and spec.kind is not Kind.REFS:
                continue
            pool = [i for kind in spec.targets for i in by_kind.get(kind, [])]
            if spec.kind is Kind.REFS:
                given[field.name] = _subset(draw, pool, 2)
            elif spec.optional:
                given[field.name] = _maybe(draw, pool)
            elif pool:
                given[field.name] = _pick(draw, pool)
            else:
                break
        else:
            made.append(build(cls, **given))
    return made


def _others(draw: st.DrawFn, lists: dict[str, list[Any]], build: Any, most: int) -> dict[str, list[Any]]:
    """The lists of the element types no strategy builds by hand, each consistent with ``lists``."""
    others: dict[str, list[Any]] = {}
    for element_type in ELEMENT_TYPES:
        if element_type.cls in _BY_HAND:
            continue
        by_kind = {t.name: [e.id for e in lists.get(t.list, others.get(t.list, []))] for t in ELEMENT_TYPES}
        others[element_type.list] = _related(draw, element_type.cls, by_kind, build, most)
    return others


@st.composite
def canvases(
    draw: st.DrawFn,
    *,
    hostile: bool = True,
    max_personas: int = 3,
    max_brakes_per_stage: int = 2,
    max_facilitators: int = 4,
    max_backstage: int = 3,
    max_contributions: int = 3,
    standard_stages: bool | None = None,
) -> Canvas:
    """A consistent canvas (no error-level finding) of realistic shape.

    The cycle is the six standard stages in order (with custom stages here and there), or a
    custom cycle of one to four stages; ``standard_stages`` forces one or the other. Every
    reference names an element of the right kind and every id is unique, so only warnings
    and infos (an unaddressed brake, an idle partner...) may remain.
    """
    label = labels(hostile=hostile)
    prefix = draw(ids())
    id_pool = (f"{prefix}-{n}" for n in itertools.count())
    standard = draw(_BOOL) if standard_stages is None else standard_stages

    def build(cls: type[T], **given: Any) -> T:
        return _build(draw, cls, hostile, id=next(id_pool), **given)

    stages: list[Stage] = []
    if standard:
        for kind in StageKind.standard():
            stages.append(build(Stage, kind=kind, label=kind.label() if draw(_BOOL) else ""))
            if draw(_ONE_IN_TEN) == 0:
                stages.append(build(Stage, kind=StageKind.CUSTOM, label=draw(label)))
    else:
        for _ in range(1 + draw(_upto(3))):
            stages.append(build(Stage, kind=StageKind.CUSTOM, label=draw(label)))
    stage_ids = [s.id for s in stages]
    personas = [build(Persona) for _ in range(draw(_upto(max_personas)))]
    persona_ids = [p.id for p in personas]
    usagers = [build(Usager, persona=p, stage=_maybe(draw, stage_ids)) for p in persona_ids if draw(_BOOL)]
    brakes = [
        build(Brake, stage=stage, personas=_subset(draw, persona_ids, 2))
        for stage in stage_ids
        for _ in range(draw(_upto(max_brakes_per_stage)))
    ]
    brake_ids = [b.id for b in brakes]
    facilitators = [
        build(Facilitator, addresses=_subset(draw, brake_ids), stages=_subset(draw, stage_ids, 2))
        for _ in range(draw(_upto(max_facilitators)))
    ]
    partners = [build(Partner) for _ in range(draw(_upto(max_backstage)))]
    partner_ids = [p.id for p in partners]
    resources = [build(Resource, partner=_maybe(draw, partner_ids)) for _ in range(draw(_upto(max_backstage)))]
    resource_ids = [r.id for r in resources]
    supportable = stage_ids + [f.id for f in facilitators]
    activities = [
        build(
            Activity,
            supports=_subset(draw, supportable),
            uses=_subset(draw, resource_ids, 2),
            partner=_maybe(draw, partner_ids),
        )
        for _ in range(draw(_upto(max_backstage)))
    ]
    # The emotion curve: a score or two at some stages, for everyone or for one persona.
    experiences = [
        build(Experience, stage=stage, persona=_maybe(draw, persona_ids))
        for stage in stage_ids
        for _ in range(draw(_upto(2)))
    ]
    metrics = [build(Metric, stage=_pick(draw, stage_ids)) for _ in range(draw(_upto(2)))]
    usager_ids = [u.id for u in usagers]
    realizers = [f.id for f in facilitators] + [a.id for a in activities]
    contributions: list[Contribution] = []
    for _ in range(draw(_upto(max_contributions))):
        status = draw(_CONTRIBUTION_STATUS)
        if status is ContributionStatus.DUPLICATE and not contributions:
            status = ContributionStatus.PROPOSED
        contributions.append(
            build(
                Contribution,
                author=_maybe(draw, usager_ids),
                stages=_subset(draw, stage_ids, 2),
                brakes=_subset(draw, brake_ids, 2),
                status=status,
                realized_by=_maybe(draw, realizers) if status is ContributionStatus.DONE else None,
                duplicate_of=(
                    _pick(draw, [c.id for c in contributions]) if status is ContributionStatus.DUPLICATE else None
                ),
                supporters=_subset(draw, usager_ids, 2),
            )
        )
    lists: dict[str, list[Any]] = {
        "personas": personas, "usagers": usagers, "stages": stages, "brakes": brakes,
        "facilitators": facilitators, "activities": activities, "resources": resources, "partners": partners,
        "experiences": experiences, "metrics": metrics, "contributions": contributions,
    }  # fmt: skip
    return _build(draw, Canvas, hostile, **lists, **_others(draw, lists, build, 2))


@st.composite
def small_canvases(draw: st.DrawFn, *, hostile: bool = True) -> Canvas:
    """A consistent canvas of one stage and at most one element of each other kind.

    Each element is there or not (a brake at the stage, a facilitator addressing it, a
    persona and an usager embodying it, a partner, a resource and an activity supporting the
    stage, an experience, a metric, a contribution), and its fields are drawn from their
    descriptions. It shrinks to one custom stage, so that a failure found on it is shown on
    the fewest elements: ``usager.testing.check_exporter`` tries these first.
    """
    prefix = draw(ids())
    numbers = itertools.count()

    def build(cls: type[T], **given: Any) -> T:
        return _build(draw, cls, hostile, id=f"{prefix}-{next(numbers)}", **given)

    kind = draw(st.sampled_from([StageKind.CUSTOM, *StageKind.standard()]))
    label = draw(labels(hostile=hostile)) if kind is StageKind.CUSTOM else ""
    stage = build(Stage, kind=kind, label=label)
    lists: dict[str, list[Any]] = {name: [] for name, _ in ELEMENT_LISTS}
    lists["stages"].append(stage)
    if draw(_BOOL):
        lists["personas"].append(build(Persona))
    personas: list[str] = [p.id for p in lists["personas"]]
    if draw(_BOOL) and personas:
        lists["usagers"].append(build(Usager, persona=personas[0], stage=_maybe(draw, [stage.id])))
    if draw(_BOOL):
        lists["brakes"].append(build(Brake, stage=stage.id, personas=_subset(draw, personas, 1)))
    brakes = [b.id for b in lists["brakes"]]
    if draw(_BOOL):
        lists["facilitators"].append(build(Facilitator, addresses=brakes, stages=_subset(draw, [stage.id], 1)))
    if draw(_BOOL):
        lists["partners"].append(build(Partner))
    partners = [p.id for p in lists["partners"]]
    if draw(_BOOL):
        lists["resources"].append(build(Resource, partner=_maybe(draw, partners)))
    if draw(_BOOL):
        lists["activities"].append(
            build(
                Activity,
                supports=[stage.id],
                uses=[r.id for r in lists["resources"]],
                partner=_maybe(draw, partners),
            )
        )
    if draw(_BOOL):
        lists["experiences"].append(build(Experience, stage=stage.id, persona=_maybe(draw, personas)))
    if draw(_BOOL):
        lists["metrics"].append(build(Metric, stage=stage.id))
    if draw(_BOOL):
        status = draw(st.sampled_from([s for s in ContributionStatus if s is not ContributionStatus.DUPLICATE]))
        realizers = [f.id for f in lists["facilitators"]]
        lists["contributions"].append(
            build(
                Contribution,
                author=_maybe(draw, [u.id for u in lists["usagers"]]),
                stages=[stage.id],
                brakes=brakes,
                status=status,
                realized_by=_maybe(draw, realizers) if status is ContributionStatus.DONE else None,
            )
        )
    lists.update(_others(draw, lists, build, 1))
    return _build(draw, Canvas, hostile, **lists)


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


def _severe_on_paper(canvas: Canvas) -> Canvas:
    brake = Brake(id=_fresh(canvas, "brake"), label="Blocking", stage=canvas.stages[0].id, severity=3)
    canvas = canvas.add(brake)
    plan = Facilitator(id=_fresh(canvas, "plan"), label="Planned", addresses=[brake.id], status="planned")
    return canvas.add(plan)


def _elsewhere(canvas: Canvas) -> Canvas:
    brake = Brake(id=_fresh(canvas, "brake"), label="Here", stage=canvas.stages[0].id)
    canvas = canvas.add(brake)
    other = Facilitator(id=_fresh(canvas, "f"), label="There", addresses=[brake.id], stages=[canvas.stages[-1].id])
    return canvas.add(other)


def _contribution(**fields: Any) -> Callable[[Canvas], Canvas]:
    return _add(lambda c, i: Contribution(id=i, title="Proposed by a user", **fields))


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
    "U004": (_add(lambda c, i: Partner(id=i, label="Mistyped", suppress=["U999"])), None),
    "U022": (_severe_on_paper, None),
    "U023": (_elsewhere, True),
    "U024": (_add(lambda c, i: Facilitator(id=i, label="An idea", stages=[c.stages[0].id], status="idea")), None),
    "U041": (_add(lambda c, i: Usager(id=i, name="Lead", lead_user=True)), None),
    "U050": (_contribution(status="declined"), None),
    "U051": (_contribution(status="done"), None),
    "U052": (_contribution(status="accepted"), None),
    "U060": (_add(lambda c, i: Stage(id=i, kind=StageKind.CUSTOM, label="Unfelt")), None),
    "U061": (_add(lambda c, i: Metric(id=i, label="Unmeasured", stage=c.stages[0].id)), None),
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


def _any_element(draw: st.DrawFn, cls: type[T], pool: list[str], hostile: bool) -> T:
    """An element of ``cls``: ids and references from ``pool`` or anywhere, other fields from their description."""
    values: dict[str, Any] = {}
    for field, spec in specs(cls):
        if spec.kind is Kind.ID:
            values[field.name] = _pick(draw, pool)
        elif spec.kind is Kind.REF:
            values[field.name] = _maybe(draw, pool) if spec.optional else _pick(draw, pool)
        elif spec.kind is Kind.REFS:
            values[field.name] = [_pick(draw, pool) if draw(_BOOL) else draw(ids()) for _ in range(draw(_upto(3)))]
        else:
            values[field.name] = draw(_sparse(field, spec, hostile))
    if cls is Stage and values["kind"] is StageKind.CUSTOM and not values["label"].strip():
        values["label"] = draw(labels(hostile=hostile))  # a custom stage names itself
    return cls(**values)


@st.composite
def any_canvases(draw: st.DrawFn, *, hostile: bool = True, max_per_list: int = 3) -> Canvas:
    """Any canvas that can be built: references may dangle or name the wrong kind, ids may repeat.

    Every field of every element is drawn from its description, so a new field is covered as
    soon as it is declared.
    """
    pool = draw(st.lists(ids(), min_size=1, max_size=12, unique=True))
    lists: dict[str, Any] = {
        list_name: [_any_element(draw, cls, pool, hostile) for _ in range(draw(_upto(max_per_list)))]
        for list_name, cls in ELEMENT_LISTS
    }
    scalars = {f.name: draw(_sparse(f, s, hostile)) for f, s in specs(Canvas) if s.kind is not Kind.ELEMENTS}
    return Canvas(**scalars, **lists)
