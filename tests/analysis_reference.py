"""The first implementations of usager.analysis's transitions, persona_exposure and partner_dependency.

Written as the definitions read (one pass over the canvas per stage, per persona, per partner),
they are quadratic; the library's are linear. The tests hold the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from usager.analysis import Dependency, Exposure, Transition
from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    Element,
    Experience,
    Facilitator,
    FacilitatorStatus,
    Partner,
    Persona,
    Resource,
    Stage,
)


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
    """One :class:`Transition` per stage, in cycle order."""
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


def persona_exposure(canvas: Canvas) -> list[Exposure]:
    """One :class:`Exposure` per persona, in document order."""
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
    reached: set[str] = set()
    for activity in activities:
        reached |= nx.descendants(graph, activity)
    return reached & stages


def partner_dependency(canvas: Canvas) -> list[Dependency]:
    """One :class:`Dependency` per partner, in document order.

    The stages at risk are found by reachability in the support graph
    (activity → stage or facilitator, facilitator → stage), once with every
    activity and once without the partner's.

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
