"""Analyses of a canvas: where users are lost, who is exposed, what depends on whom, what to build first.

Plain functions over a :class:`~usager.canvas.Canvas`, each returning frozen
attrs values that name elements by id (witnesses, never bare booleans):

- :func:`transitions`: each stage's way to the next one, with its brakes and answers;
- :func:`bottleneck`: the transition that loses the most users, by unanswered severity;
- :func:`persona_exposure`: the brakes each persona meets, and those nothing in place answers;
- :func:`partner_dependency`: what each partner brings, and the stages that fall with it;
- :func:`priorities`: the answers not yet built, best first, by a documented score.

They accept any canvas, even an inconsistent one: a reference that names no
element, or an element of the wrong kind, is ignored, and when an id is used
twice the first element holds it (as in :func:`usager.to_graph`).
This module imports networkx (for :func:`partner_dependency`); ``import usager``
does not import it until ``usager.analysis`` is first used.

```pycon
>>> import usager
>>> from usager import analysis
>>> canvas = usager.load("examples/mediatheque.json")
>>> analysis.bottleneck(canvas).stage
'discovery'

```
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import networkx as nx

from usager.canvas import Canvas, element_kind
from usager.elements import (
    ASSESSMENT_FIELDS,
    Activity,
    Brake,
    Contribution,
    ContributionStatus,
    Element,
    Experience,
    Facilitator,
    FacilitatorStatus,
    Partner,
    Persona,
    Resource,
    Stage,
    unassessed,
)

__all__ = [
    "NEUTRAL_MARK",
    "Dependency",
    "Exposure",
    "Priority",
    "Transition",
    "bottleneck",
    "partner_dependency",
    "persona_exposure",
    "priorities",
    "score",
    "transitions",
]


def _ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Transition:
    """The way from one stage to the next: what holds users back there and what answers it.

    ``stage`` and ``next`` are stage ids (the last stage leads back to the
    first); ``brakes`` the brakes held at ``stage``, in document order;
    ``severity`` the sum of their severities; ``unaddressed`` the sum of the
    severities of those brakes that no ``in_place`` facilitator addresses;
    ``facilitators`` the facilitators addressing those brakes or easing
    ``stage``, whatever their status; ``score`` the mean experience score felt
    at ``stage`` (every persona together), or ``None`` when no experience is.
    """

    stage: str
    next: str
    brakes: tuple[str, ...] = attrs.field(converter=_ids)
    severity: int
    unaddressed: int
    facilitators: tuple[str, ...] = attrs.field(converter=_ids)
    score: float | None


@attrs.frozen(kw_only=True)
class Exposure:
    """The brakes one persona meets.

    ``brakes`` are the brakes affecting ``persona`` (a brake that names no
    persona affects everyone), in document order; ``unaddressed`` those of
    them that no ``in_place`` facilitator addresses. ``severity`` and
    ``unaddressed_severity`` sum their severities, so personas can be compared.
    """

    persona: str
    brakes: tuple[str, ...] = attrs.field(converter=_ids)
    unaddressed: tuple[str, ...] = attrs.field(converter=_ids)
    severity: int
    unaddressed_severity: int


@attrs.frozen(kw_only=True)
class Dependency:
    """What one partner brings, and what the cycle loses without it.

    ``activities`` are the activities the partner performs, ``resources`` the
    resources it provides. ``stages_at_risk`` are the stages that some
    activity supports now (directly, or through a facilitator that eases the
    stage or addresses a brake held at it) and that no activity would support
    any more without the partner's activities. ``weakened`` are the other
    activities that use a resource the partner provides: they keep running,
    but without that resource.
    """

    partner: str
    activities: tuple[str, ...] = attrs.field(converter=_ids)
    resources: tuple[str, ...] = attrs.field(converter=_ids)
    stages_at_risk: tuple[str, ...] = attrs.field(converter=_ids)
    weakened: tuple[str, ...] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class Priority:
    """An answer not yet built, with its assessment and its :func:`score`.

    ``id`` names a facilitator (``kind == "facilitator"``) or a contribution
    (``kind == "contribution"``); ``status`` is its status's value; ``brakes``
    the brakes it answers (a facilitator's ``addresses``, a contribution's
    ``brakes``); ``unaddressed`` the sum of the severities of those brakes
    that nothing in place answers yet. ``missing`` names the marks of the
    assessment left empty, which the score counts as :data:`NEUTRAL_MARK`.
    """

    id: str
    kind: str
    status: str
    score: float
    desirability: int
    feasibility: int
    viability: int
    effort: int
    brakes: tuple[str, ...] = attrs.field(converter=_ids)
    unaddressed: int
    missing: tuple[str, ...] = attrs.field(converter=_ids)


def _holders(canvas: Canvas) -> list[Element]:
    """Every element that holds its id (the first of a shared id), in document order."""
    index = canvas._ids()
    return [e for e in canvas.elements() if index[e.id] is e]


def _cycle(canvas: Canvas) -> list[Stage]:
    index = canvas._ids()
    return [s for s in canvas.stages if index[s.id] is s]


def _answered(canvas: Canvas) -> set[str]:
    """The ids of the brakes that some ``in_place`` facilitator addresses."""
    return {
        brake
        for f in _holders(canvas)
        if isinstance(f, Facilitator) and f.status is FacilitatorStatus.IN_PLACE
        for brake in f.addresses
    }


def _brakes(canvas: Canvas) -> list[Brake]:
    return [b for b in _holders(canvas) if isinstance(b, Brake)]


def transitions(canvas: Canvas) -> list[Transition]:
    """One :class:`Transition` per stage, in cycle order.

    ```pycon
    >>> [t.unaddressed for t in transitions(usager.load("examples/mediatheque.json"))]
    [2, 0, 0, 0, 0, 0]

    ```
    """
    stages = _cycle(canvas)
    answered = _answered(canvas)
    elements = _holders(canvas)
    brakes = _brakes(canvas)
    result = []
    for i, stage in enumerate(stages):
        held = [b for b in brakes if b.stage == stage.id]
        held_ids = {b.id for b in held}
        facilitators = [
            f.id
            for f in elements
            if isinstance(f, Facilitator) and (stage.id in f.stages or held_ids.intersection(f.addresses))
        ]
        scores = [e.score for e in elements if isinstance(e, Experience) and e.stage == stage.id]
        result.append(
            Transition(
                stage=stage.id,
                next=stages[(i + 1) % len(stages)].id,
                brakes=[b.id for b in held],
                severity=sum(b.severity for b in held),
                unaddressed=sum(b.severity for b in held if b.id not in answered),
                facilitators=facilitators,
                score=sum(scores) / len(scores) if scores else None,
            )
        )
    return result


def bottleneck(canvas: Canvas) -> Transition | None:
    """The transition with the largest ``unaddressed`` severity; ties go to the earliest in the cycle.

    ``None`` when every brake has an ``in_place`` facilitator addressing it.

    ```pycon
    >>> bottleneck(usager.load("examples/mediatheque.json")).brakes
    ('inconnue',)

    ```
    """
    found: Transition | None = None
    for transition in transitions(canvas):
        if transition.unaddressed > (found.unaddressed if found else 0):
            found = transition
    return found


def persona_exposure(canvas: Canvas) -> list[Exposure]:
    """One :class:`Exposure` per persona, in document order.

    ```pycon
    >>> [(e.persona, e.unaddressed) for e in persona_exposure(usager.load("examples/mediatheque.json"))]
    [('retraitee', ()), ('parent', ('inconnue',))]

    ```
    """
    answered = _answered(canvas)
    brakes = _brakes(canvas)
    result = []
    for persona in (p for p in _holders(canvas) if isinstance(p, Persona)):
        met = [b for b in brakes if not b.personas or persona.id in b.personas]
        open_ = [b for b in met if b.id not in answered]
        result.append(
            Exposure(
                persona=persona.id,
                brakes=[b.id for b in met],
                unaddressed=[b.id for b in open_],
                severity=sum(b.severity for b in met),
                unaddressed_severity=sum(b.severity for b in open_),
            )
        )
    return result


def _support_graph(canvas: Canvas) -> nx.DiGraph[str]:
    """Who supports what: activity → stage or facilitator, facilitator → stage it eases or holds a brake at."""
    index = canvas._ids()
    graph: nx.DiGraph[str] = nx.DiGraph()
    for element in _holders(canvas):
        if isinstance(element, Activity):
            graph.add_node(element.id)
            for target in element.supports:
                if isinstance(index.get(target), (Stage, Facilitator)):
                    graph.add_edge(element.id, target)
        elif isinstance(element, Facilitator):
            for target in element.stages:
                if isinstance(index.get(target), Stage):
                    graph.add_edge(element.id, target)
            for brake_id in element.addresses:
                brake = index.get(brake_id)
                if isinstance(brake, Brake) and isinstance(index.get(brake.stage), Stage):
                    graph.add_edge(element.id, brake.stage)
    return graph


def _supported(graph: nx.DiGraph[str], activities: Iterable[str], stages: set[str]) -> set[str]:
    """The stages reached from any of ``activities``: one walk from all of them at once."""
    seen = {a for a in activities if a in graph}
    todo = list(seen)
    while todo:
        for target in graph.successors(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen & stages


def partner_dependency(canvas: Canvas) -> list[Dependency]:
    """One :class:`Dependency` per partner, in document order.

    The stages at risk are found by reachability in the support graph
    (activity → stage or facilitator, facilitator → stage), once with every
    activity and once without the partner's.

    ```pycon
    >>> [(d.partner, d.stages_at_risk) for d in partner_dependency(usager.load("examples/mediatheque.json"))]
    [('editeur-sigb', ('purchase',)), ('mairie', ('discovery',))]

    ```
    """
    elements = _holders(canvas)
    activities = [a for a in elements if isinstance(a, Activity)]
    resources = [r for r in elements if isinstance(r, Resource)]
    stages = [s.id for s in _cycle(canvas)]
    stage_ids = set(stages)
    graph = _support_graph(canvas)
    supported = _supported(graph, (a.id for a in activities), stage_ids)
    result = []
    for partner in (p for p in elements if isinstance(p, Partner)):
        performed = [a.id for a in activities if a.partner == partner.id]
        provided = [r.id for r in resources if r.partner == partner.id]
        remaining = _supported(graph, (a.id for a in activities if a.partner != partner.id), stage_ids)
        lost = supported - remaining
        result.append(
            Dependency(
                partner=partner.id,
                activities=performed,
                resources=provided,
                stages_at_risk=[s for s in stages if s in lost],
                weakened=[a.id for a in activities if a.partner != partner.id and any(r in provided for r in a.uses)],
            )
        )
    return result


#: The mark a missing part of an assessment counts as: the middle of the 1–5 scale.
NEUTRAL_MARK = 3

_OPEN_FACILITATOR = (FacilitatorStatus.IDEA, FacilitatorStatus.PLANNED)
_CLOSED_CONTRIBUTION = (
    ContributionStatus.DONE,
    ContributionStatus.DECLINED,
    ContributionStatus.DUPLICATE,
    ContributionStatus.WITHDRAWN,
)


def score(desirability: int, feasibility: int, viability: int, effort: int) -> float:
    """The priority score: ``desirability × feasibility × viability ÷ effort``, each mark 1 to 5.

    An answer is worth building when it is wanted *and* feasible *and* viable:
    the product lets a 1 in any of the three sink it, where a sum would let
    two good marks hide a bad one. Dividing by the effort favours what costs
    little. The score runs from 0.2 (1·1·1 for an effort of 5) to 125
    (5·5·5 for an effort of 1).

    ```pycon
    >>> score(4, 5, 4, 2)
    40.0

    ```
    """
    return desirability * feasibility * viability / effort


def priorities(canvas: Canvas) -> list[Priority]:
    """The assessed answers not yet built, best first.

    Facilitators that are ``idea`` or ``planned`` and contributions still
    open (``proposed``, ``under_review``, ``accepted``, ``in_progress``) that
    carry at least one mark of an assessment, ranked by :func:`score`
    (highest first); ties go to the one answering more unanswered severity,
    then to the more wanted, then to the less costly, then to document order.

    ```pycon
    >>> [p.id for p in priorities(usager.load("examples/mediatheque.json"))]
    ['accueil-mairie', 'samedi-parents-enfants', 'resa-telephone']

    ```
    """
    answered = _answered(canvas)
    index = canvas._ids()
    ranked: list[tuple[tuple[float, int, int, int, int], Priority]] = []
    for position, element in enumerate(_holders(canvas)):
        if isinstance(element, Facilitator) and element.status in _OPEN_FACILITATOR:
            brakes = element.addresses
        elif isinstance(element, Contribution) and element.status not in _CLOSED_CONTRIBUTION:
            brakes = element.brakes
        else:
            continue
        if unassessed(element):
            continue
        marks = {name: getattr(element, name) for name in ASSESSMENT_FIELDS}
        missing = [name for name, mark in marks.items() if mark is None]
        d, f, v, e = (NEUTRAL_MARK if mark is None else mark for mark in marks.values())
        held = [b for b in (index.get(i) for i in dict.fromkeys(brakes)) if isinstance(b, Brake)]
        unaddressed = sum(b.severity for b in held if b.id not in answered)
        priority = Priority(
            id=element.id,
            kind=element_kind(element),
            status=element.status.value,
            score=score(d, f, v, e),
            desirability=d,
            feasibility=f,
            viability=v,
            effort=e,
            brakes=brakes,
            unaddressed=unaddressed,
            missing=missing,
        )
        ranked.append(((-priority.score, -unaddressed, -d, e, position), priority))
    return [p for _, p in sorted(ranked, key=lambda item: item[0])]
