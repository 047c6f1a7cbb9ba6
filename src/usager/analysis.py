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

import heapq
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
    at = {stage.id: i for i, stage in enumerate(stages)}
    held: list[list[Brake]] = [[] for _ in stages]
    held_at: dict[str, int] = {}  # the stage each brake is held at, by brake id
    facilitators: list[list[str]] = [[] for _ in stages]
    scores: list[list[int]] = [[] for _ in stages]
    brakes = _brakes(canvas)
    for brake in brakes:
        where = at.get(brake.stage)
        if where is not None:
            held[where].append(brake)
            held_at[brake.id] = where
    for element in _holders(canvas):
        if isinstance(element, Facilitator):
            # the stages it eases, and those that hold a brake it addresses, each once
            reached = {at[s] for s in element.stages if s in at}
            reached.update(held_at[b] for b in element.addresses if b in held_at)
            for where in reached:
                facilitators[where].append(element.id)
        elif isinstance(element, Experience) and element.stage in at:
            scores[at[element.stage]].append(element.score)
    return [
        Transition(
            stage=stage.id,
            next=stages[(i + 1) % len(stages)].id,
            brakes=[b.id for b in held[i]],
            severity=sum(b.severity for b in held[i]),
            unaddressed=sum(b.severity for b in held[i] if b.id not in answered),
            facilitators=facilitators[i],
            score=sum(scores[i]) / len(scores[i]) if scores[i] else None,
        )
        for i, stage in enumerate(stages)
    ]


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
    personas = [p for p in _holders(canvas) if isinstance(p, Persona)]
    everyone = [i for i, b in enumerate(brakes) if not b.personas]  # the brakes every persona meets
    named: dict[str, list[int]] = {p.id: [] for p in personas}  # the brakes naming each persona
    for i, brake in enumerate(brakes):
        for persona_id in dict.fromkeys(brake.personas):
            if persona_id in named:
                named[persona_id].append(i)
    result = []
    for persona in personas:
        met = [brakes[i] for i in heapq.merge(everyone, named[persona.id])]  # in document order
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


#: Stands for the activities no partner performs, among the performers of :func:`_performers`.
_NO_PARTNER = ""


def _performers(graph: nx.DiGraph[str], activities: list[Activity]) -> dict[str, frozenset[str]]:
    """For each node the activities reach, who performs them: up to two partner ids (``""``: no partner).

    Two are enough to know that losing one partner leaves the node supported. The labels flow
    along the support graph in topological order, each node taking its predecessors' (one pass
    over the edges).
    """
    performers: dict[str, frozenset[str]] = {a.id: frozenset((a.partner or _NO_PARTNER,)) for a in activities}
    for node in nx.topological_sort(graph):
        if node in performers and not graph.in_degree(node):
            continue
        found: set[str] = set(performers.get(node, ()))
        for source in graph.predecessors(node):
            found.update(performers.get(source, ()))
            if len(found) >= 2:
                break
        if found:
            performers[node] = frozenset(sorted(found)[:2])
    return performers


def partner_dependency(canvas: Canvas) -> list[Dependency]:
    """One :class:`Dependency` per partner, in document order.

    The stages at risk are those the support graph (activity → stage or facilitator,
    facilitator → stage) connects to the partner's activities and to no other activity.

    ```pycon
    >>> [(d.partner, d.stages_at_risk) for d in partner_dependency(usager.load("examples/mediatheque.json"))]
    [('editeur-sigb', ('purchase',)), ('mairie', ('discovery',))]

    ```
    """
    elements = _holders(canvas)
    activities = [a for a in elements if isinstance(a, Activity)]
    partners = [p for p in elements if isinstance(p, Partner)]
    performed: dict[str, list[str]] = {p.id: [] for p in partners}
    provided: dict[str, list[str]] = {p.id: [] for p in partners}
    weakened: dict[str, list[str]] = {p.id: [] for p in partners}
    provider: dict[str, str] = {}  # the partner providing each resource, by resource id
    for element in elements:
        if isinstance(element, Resource) and element.partner in provided:
            provided[element.partner].append(element.id)
            provider[element.id] = element.partner
    for activity in activities:
        if activity.partner in performed:
            performed[activity.partner].append(activity.id)
        for partner_id in dict.fromkeys(provider[r] for r in activity.uses if r in provider):
            if partner_id != activity.partner:
                weakened[partner_id].append(activity.id)
    graph = _support_graph(canvas)
    performers = _performers(graph, activities)
    at_risk: dict[str, list[str]] = {p.id: [] for p in partners}
    for stage in _cycle(canvas):
        alone = performers.get(stage.id, frozenset())
        if len(alone) == 1:
            (partner_id,) = alone
            if partner_id in at_risk:
                at_risk[partner_id].append(stage.id)
    return [
        Dependency(
            partner=p.id,
            activities=performed[p.id],
            resources=provided[p.id],
            stages_at_risk=at_risk[p.id],
            weakened=weakened[p.id],
        )
        for p in partners
    ]


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
