"""The ``cycle`` layout: the engagement canvas as its poster shows it.

Stage *i* of *n* sits on a circle at the angle 90° − 360°·*i*/*n* (clockwise
from the top); the arc to the next stage carries a dot, the transition. Each
brake sits outside the circle inside the angular sector of the transition it
holds (between its stage and the next), the most severe nearest, stacked
outward in rings when the sector is full. Facilitators sit inside the circle
at the mean angle of the transitions they answer (through the brakes they
address and the stages they ease): one answering two neighbouring
transitions sits between them; one whose transitions lie on opposite sides
sits at the one it answers most, at most :data:`FACILITATORS` to a sector,
with room between them for the lines; the rest of a sector's facilitators are
listed, tag and label, in a box in their place, and the brakes they answer
name them by tag. A brake's line leads to its stage, as does the line of a
facilitator easing it. The backstage stands below the circle, the
people and the legend beside it. :data:`SHOWING` says how each element type is
drawn; an element type it does not name has a panel of its own below the backstage.

All geometry is in points; the circle's radius grows until no two boxes
overlap.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Experience,
    Facilitator,
    Metric,
    Partner,
    Persona,
    Resource,
    Stage,
    Usager,
)
from usager.exporters._drawing.parts import (
    Showing,
    Subject,
    backstage_group,
    draft_group,
    legend_group,
    more_box,
    others_group,
    people_group,
)
from usager.exporters._drawing.scene import GAP, Box, Group, Link, stack

__all__ = ["SHOWING", "cycle"]

#: How the cycle shows each element type; any other is drawn in a panel of its own (``others_group``).
SHOWING = Showing(
    own={
        Persona: "people: a card per persona",
        Usager: "people: on the card of their persona",
        Stage: "the circle",
        Brake: "outside the circle, at the transition each holds",
        Facilitator: "inside the circle, by what each answers",
        Activity: "backstage: by phase",
        Resource: "backstage",
        Partner: "backstage",
    },
    not_shown={
        Experience: "not drawn one by one: each stage shows their mean score; the emotion curve is in the report",
        Metric: "the report's metrics table lists them, with their targets and current values",
        Contribution: "the report lists them, by status",
    },
)

#: At most this many brakes per transition and facilitators per sector are drawn.
BRAKES, FACILITATORS = 6, 6
_STEP = 12.0  # degrees between the points of an arc


def _angle(i: float, n: int) -> float:
    return 90.0 - 360.0 * i / n


def _at(box: Box, radius: float, angle: float) -> None:
    box.x, box.y = radius * math.cos(math.radians(angle)), radius * math.sin(math.radians(angle))


def _corners(box: Box) -> list[tuple[float, float]]:
    left, bottom, right, top = box.bounds()
    return [(left, bottom), (left, top), (right, bottom), (right, top)]


def _extent(box: Box, around: float) -> tuple[float, float]:
    """The smallest and largest angle of the box's corners, unwrapped near ``around``."""
    angles = []
    for x, y in _corners(box):
        a = math.degrees(math.atan2(y, x))
        angles.append(a + 360.0 * round((around - a) / 360.0))
    return min(angles), max(angles)


def _near(box: Box) -> float:
    left, bottom, right, top = box.bounds()
    return math.hypot(min(max(0.0, left), right), min(max(0.0, bottom), top))


def _far(box: Box) -> float:
    return max(math.hypot(x, y) for x, y in _corners(box))


def _overlap(a: Box, b: Box, gap: float = GAP / 2) -> bool:
    l1, b1, r1, t1 = a.bounds()
    l2, b2, r2, t2 = b.bounds()
    return l1 < r2 + gap and l2 < r1 + gap and b1 < t2 + gap and b2 < t1 + gap


def _fit_before(box: Box, radius: float, cursor: float) -> tuple[float, float]:
    """Place ``box`` at ``radius`` so its largest corner angle is ``cursor``; its (min, max) angles."""
    angle = cursor - 5.0
    for _ in range(6):
        _at(box, radius, angle)
        high = _extent(box, angle)[1]
        angle -= high - cursor
    _at(box, radius, angle)
    return _extent(box, angle)


def _ring(boxes: Sequence[Box], radius: float, low: float, high: float) -> int:
    """Place as many of ``boxes`` as fit side by side at ``radius`` between the angles; how many fit."""
    margin = math.degrees(GAP / 2 / radius)
    cursor, placed, last_low = high - margin, 0, high
    for box in boxes:
        box_low, _ = _fit_before(box, radius, cursor)
        if box_low < low + margin:
            break
        placed, last_low = placed + 1, box_low
        cursor = box_low - math.degrees(GAP / radius)
    if placed:  # centre the ring in its sector
        shift = (last_low - (low + margin)) / 2
        for box in boxes[:placed]:
            angle = math.degrees(math.atan2(box.y, box.x)) - shift
            _at(box, radius, angle)
    return placed


def _outward(boxes: list[Box], limit: float, low: float, high: float) -> None:
    """Stack ``boxes`` in rings outside ``limit``, inside the sector from ``low`` to ``high`` degrees."""
    while boxes:
        radius = limit + max(max(b.w, b.h) for b in boxes[:3]) / 2 + GAP
        placed = 0
        for _ in range(40):
            placed = _ring(boxes, radius, low, high)
            short = limit + GAP - min((_near(b) for b in boxes[:placed]), default=limit)
            if placed and short <= 0:
                break
            radius += max(short, 20.0)
        placed = max(placed, 1)
        limit = max(_far(b) for b in boxes[:placed])
        boxes = boxes[placed:]


class _Occupied:
    """The boxes placed so far, hashed by area, to test a new one against its neighbours only."""

    def __init__(self, cell: float = 160.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _span(self, box: Box) -> list[tuple[int, int]]:
        left, bottom, right, top = box.bounds()
        c = self.cell
        return [
            (i, j)
            for i in range(math.floor((left - GAP * 2) / c), math.floor((right + GAP * 2) / c) + 1)
            for j in range(math.floor((bottom - GAP * 2) / c), math.floor((top + GAP * 2) / c) + 1)
        ]

    def hits(self, box: Box) -> bool:
        """Whether ``box`` comes too near a box placed before."""
        return any(_overlap(box, other, GAP * 2) for cell in self._span(box) for other in self.cells.get(cell, ()))

    def add(self, box: Box) -> None:
        """Remember ``box``."""
        for cell in self._span(box):
            self.cells.setdefault(cell, []).append(box)


def _inward(boxes: list[Box], wanted: list[float], limit: float, sector: float, stages: list[Box]) -> bool:
    """Put each box inside the circle of radius ``limit``, as near its wanted angle and the rim as room allows.

    Candidates run from the rim inward, at angles spreading from the wanted one within half a
    sector, then anywhere; False when a box finds no room.
    """
    occupied = _Occupied()
    for stage in stages:
        occupied.add(stage)
    for box, want in zip(boxes, wanted, strict=True):
        if not _settle(box, want, limit, sector, occupied):
            return False
        occupied.add(box)
    return True


def _settle(box: Box, want: float, limit: float, sector: float, occupied: _Occupied) -> bool:
    half = math.hypot(box.w, box.h) / 2
    radius = limit - half
    for spread in (sector / 2, 180.0):
        radius = limit - min(box.w, box.h) / 2
        while radius >= 0:
            step = math.degrees(24.0 / max(radius, 24.0))
            for k in range(int(spread / step) + 1):
                for angle in (want - k * step, want + k * step) if k else (want,):
                    _at(box, radius, angle)
                    if _far(box) <= limit and not occupied.hits(box):
                        return True
            radius -= 24.0
    return False


def _home(targets: list[int], n: int) -> float:
    """Where a facilitator answering the transitions ``targets`` sits (see the module documentation)."""
    if not targets:
        return -90.0
    angles = [math.radians(_angle(t + 0.5, n)) for t in targets]
    x, y = sum(map(math.cos, angles)) / len(angles), sum(map(math.sin, angles)) / len(angles)
    if math.hypot(x, y) >= 0.5:
        return math.degrees(math.atan2(y, x))
    most = max(dict.fromkeys(targets), key=targets.count)
    return _angle(most + 0.5, n)


def _outside(box: Box, radius: float, angle: float, towards: float, margin: float = 14.0) -> float:
    """The first angle, going from ``angle`` towards ``towards``, where the circle is ``margin`` clear of ``box``."""
    step = 0.25 if towards > angle else -0.25
    point = Box("p", "waypoint", [], w=1, h=1)
    while (towards - angle) * step > 0:
        _at(point, radius, angle)
        if not _overlap(point, box, margin):
            return angle
        angle += step
    return towards


def _arcs(stages: list[Box], radius: float) -> list[tuple[float, float]] | None:
    """For each stage, where its arc to the next one leaves it and reaches the next; None when too tight."""
    n, arcs = len(stages), []
    for i, box in enumerate(stages):
        start, end = _angle(i, n), _angle(i + 1, n)
        leave = _outside(box, radius, start, end)
        reach = _outside(stages[(i + 1) % n], radius, end, leave)
        if leave - reach < math.degrees(40.0 / radius):
            return None
        arcs.append((leave, reach))
    return arcs


def _ring_links(subject: Subject, stages: list[Box], radius: float, group: Group) -> list[Box]:
    """The arcs of the cycle, through small points, each with its transition dot halfway; the dots.

    Each arc has the same number of points whatever the labels: only the count of stages sets it.
    """
    n, dots = len(stages), []
    arcs = _arcs(stages, radius) or [(_angle(i, n), _angle(i + 1, n)) for i in range(n)]
    half = max(1, math.ceil(180.0 / n / _STEP))
    for i, (box, (leave, reach)) in enumerate(zip(stages, arcs, strict=True)):
        middle = (leave + reach) / 2
        dot = Box(f"{box.key}t", "transition", [], [subject.words["transition"]], w=9, h=9)
        _at(dot, radius, middle)
        angles = [leave + (middle - leave) * k / half for k in range(half)]
        angles += [middle + (reach - middle) * k / half for k in range(1, half + 1)]
        chain = [box.key]
        for k, angle in enumerate(angles):
            if k == half:
                chain.append(dot.key)
            point = Box(f"{box.key}w{k}", "waypoint", [], w=1, h=1)
            _at(point, radius, angle)
            group.boxes.append(point)
            chain.append(point.key)
        chain.append(stages[(i + 1) % n].key)
        group.boxes.append(dot)
        group.links += [Link(a, b, "ring") for a, b in itertools.pairwise(chain[:-1])]
        group.links.append(Link(chain[-2], chain[-1], "next"))
        dots.append(dot)
    return dots


def _circle(subject: Subject) -> Group:
    stages = subject.stage_boxes()
    n = len(stages)
    brakes = subject.brake_boxes(BRAKES)
    sectors: dict[int, list[Facilitator]] = {}
    homes: dict[str, float] = {}
    for facilitator in subject.canvas.facilitators:
        home = _home(subject.targets(facilitator), n)
        homes[facilitator.id] = home
        sectors.setdefault(round((90.0 - home) / (360.0 / n) - 0.5) % n, []).append(facilitator)
    inner: list[Box] = []
    wanted: list[float] = []
    for sector, members in sorted(sectors.items()):
        for facilitator in members[:FACILITATORS]:
            inner.append(subject.box(facilitator))
            wanted.append(homes[facilitator.id])
        if len(members) > FACILITATORS:
            inner.append(more_box(f"more_f{sector}", members[FACILITATORS:], subject))
            wanted.append(_angle(sector + 0.5, n))
    widest = max(max(b.w, b.h) for b in stages)
    radius = max(110.0, n * (widest + GAP) / (2 * math.pi), (len(inner) * 190.0) / (2 * math.pi) + widest)
    for _ in range(60):
        for i, box in enumerate(stages):
            _at(box, radius, _angle(i, n))
        crowded = _arcs(stages, radius) is None
        # the arcs between neighbours need room too: chord sag, and the dot between them
        # inside the arcs (points every few degrees: their chords sag a little), clear of the stages
        limit = radius * math.cos(math.radians(_STEP / 2)) - GAP * 2
        if not crowded and (not inner or _inward(inner, wanted, limit, 360.0 / n, stages)):
            break
        radius *= 1.08
    group = Group(stages + inner)
    _ring_links(subject, stages, radius, group)
    outer = max(_far(b) for b in stages) + GAP
    for i, boxes in enumerate(brakes):
        _outward(boxes, outer, _angle(i + 1, n), _angle(i, n))
        group.boxes += boxes
        group.links += [Link(box.key, stages[i].key, "holds") for box in boxes if box.kind == "brake"]
    group.links += subject.facilitator_links(stages)
    return group


def cycle(subject: Subject, showing: Showing = SHOWING) -> Group:
    """Every box and link of the cycle drawing, placed.

    ``showing`` says how each element type is drawn; a type it does not name gets a panel of its own.
    """
    circle = _circle(subject) if subject.stages else Group()
    width = max(circle.width, 600.0)
    side = []
    if subject.people:
        side.append(people_group(subject, width / 2))
    backstage = backstage_group(subject, width) if subject.backstage else Group()
    others = others_group(subject, showing.others(), width)
    draft = draft_group(subject, width)
    side.append(legend_group(subject, Group().add(circle, backstage, others, draft, *side), columns=2))
    top = stack([circle, stack(side, gap=GAP * 4)], gap=GAP * 4, across=True)
    if top.width > width:  # again, in the whole width of the circle and its side
        if backstage.boxes:
            backstage = backstage_group(subject, top.width)
        if others.boxes:
            others = others_group(subject, showing.others(), top.width)
    return stack([top, backstage, others, draft], gap=GAP * 4)
