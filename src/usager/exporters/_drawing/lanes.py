"""The ``lanes`` layout: the journey-map grid.

One column per stage, in cycle order, with the transition's dot between a
stage and the next and an arrow from the last back over the top to the first.
Brakes stand in a lane above, in their stage's column, the most severe
nearest the stage; facilitators in a lane below, in the column of the
transition they answer most (ties go to the earliest); between them, when the
canvas has experiences, the mean score of each stage as a curve. The
backstage, a panel for each element type :data:`SHOWING` does not name, the
people and the legend come beneath. When a single row of stages
would make the drawing more than about twice as wide as tall, the row folds into
bands, one under the other, the line running on from the end of one band to the
start of the next.
"""

from __future__ import annotations

import itertools
import math

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

__all__ = ["SHOWING", "lanes"]

#: How the lanes show each element type; any other is drawn in a panel of its own (``others_group``).
SHOWING = Showing(
    own={
        Persona: "people: a card per persona",
        Usager: "people: on the card of their persona",
        Stage: "the row of stages",
        Brake: "the lane above, in the column of its stage",
        Facilitator: "the lane below, in the column of what each answers most",
        Activity: "backstage: by phase",
        Resource: "backstage",
        Partner: "backstage",
    },
    not_shown={
        Experience: "not drawn one by one: their mean score at each stage is the curve between the lanes",
        Metric: "the report's metrics table lists them, with their targets and current values",
        Contribution: "the report lists them, by status",
    },
)

#: At most this many brakes and facilitators are drawn per column.
BRAKES, FACILITATORS = 5, 4
_SCORE_STEP = 16.0  # points per score unit on the curve


def _column_of(targets: list[int]) -> int:
    if not targets:
        return 0
    return max(dict.fromkeys(targets), key=targets.count)


def _grid(subject: Subject, per_band: int) -> Group:
    """The grid, its stages folded into bands of ``per_band`` columns, one band under the other."""
    stages = subject.stage_boxes()
    n, words = len(stages), subject.words
    brakes = subject.brake_boxes(BRAKES)
    columns: list[list[Box]] = [[] for _ in range(n)]
    members: list[list[object]] = [[] for _ in range(n)]
    for facilitator in subject.canvas.facilitators:
        members[_column_of(subject.targets(facilitator))].append(facilitator)
    for i, column in enumerate(members):
        columns[i] = [subject.box(f) for f in column[:FACILITATORS]]  # type: ignore[arg-type]
        if len(column) > FACILITATORS:
            columns[i].append(more_box(f"more_f{i}", column[FACILITATORS:], subject))  # type: ignore[arg-type]
    everything = stages + [b for c in brakes for b in c] + [b for c in columns for b in c]
    width = max(b.w for b in everything) + GAP * 3
    stage_half = max(b.h for b in stages) / 2
    scored = [(i, subject.scores[s.id]) for i, s in enumerate(subject.stages) if s.id in subject.scores]
    # heights relative to a band's stage row: brakes from `rise` up, the curve round `base`,
    # facilitators from `sink` down
    rise = stage_half + GAP * 2
    base = -stage_half - GAP * 2 - 2 * _SCORE_STEP - 20
    sink = base - 2 * _SCORE_STEP - 18 - GAP * 2 if scored else -stage_half - GAP * 2
    left, right = -width / 2, (min(per_band, n) - 1) * width + width / 2
    group = Group()
    dots: list[Box] = []
    origins: list[float] = []
    tops: list[float] = []  # the top of each band's brakes lane
    low = high = 0.0
    for start in range(0, n, per_band):
        band = range(start, min(start + per_band, n))
        top = max(rise + sum(b.h + GAP for b in brakes[i]) for i in band)
        origin = 0.0 if not origins else low - GAP * 4 - top
        if not origins:
            high = top + GAP * 2
        origins.append(origin)
        tops.append(origin + top)
        placed: list[Box] = []
        for i in band:
            x = (i - start) * width
            box = stages[i]
            box.x, box.y = x, origin
            dot = Box(f"{box.key}t", "transition", [], [words["transition"]], w=9, h=9, x=x + width / 2, y=origin)
            dots.append(dot)
            placed += [box, dot]
            group.links.append(Link(box.key, dot.key, "ring"))
            y = origin + rise  # brakes above, the most severe nearest the stage
            for box in brakes[i]:
                box.x, box.y = x, y + box.h / 2
                y += box.h + GAP
                placed.append(box)
                if box.kind == "brake":
                    group.links.append(Link(box.key, dot.key, "holds"))
            y = origin + sink  # facilitators below
            for box in columns[i]:
                box.x, box.y = x, y - box.h / 2
                y -= box.h + GAP
                placed.append(box)
        previous = None  # the experience curve, within the band
        for i, scores in scored:
            if i not in band:
                continue
            mean = sum(scores) / len(scores)
            fill = "#abebc6" if mean > 0.25 else "#f5b7b1" if mean < -0.25 else "#f9e79f"
            box = Box(f"score{i}", "experience", [f"{mean:+.1f}"], [f"{words['experience']}: {mean:+.2f}"],
                      w=36, h=36, x=(i - start) * width, y=origin + base + mean * _SCORE_STEP, fontsize=10,
                      extra=f'fillcolor="{fill}"')  # fmt: skip
            placed.append(box)
            if previous is not None:
                group.links.append(Link(previous, box.key, "curve"))
            previous = box.key
        # the lane names, on the left
        names = [("stages", origin)]
        if any(brakes[i] for i in band):
            names.append(("brakes", origin + (rise + top) / 2))
        if any(columns[i] for i in band):
            names.append(("facilitators", origin + sink - 30))
        if any(i in band for i, _ in scored):
            names.append(("experience", origin + base))
        suffix = "" if start == 0 else f"_{start // per_band}"
        for name, y in names:
            head = Box(f"lane_{name}{suffix}", "title", [words[name]], fontsize=13)
            head.x, head.y = left - GAP * 2 - head.w / 2, y
            placed.append(head)
        group.boxes += placed
        low = Group(placed).bounds()[1]
    # the way on: within a band, from each transition to the next stage; between bands, down
    # the right-hand side, back under the band and into the first stage of the next
    for i in range(n - 1):
        if (i + 1) % per_band:
            group.links.append(Link(dots[i].key, stages[i + 1].key, "next"))
            continue
        number = (i + 1) // per_band
        between = tops[number] + GAP * 2
        _route(group, f"wrap{number}_", dots[i].key, stages[i + 1].key,
               [(right, between), (left, between), (left, origins[number])])  # fmt: skip
    group.links += subject.facilitator_links(dots)
    # the way back, over the top of the first band's brakes
    if len(origins) == 1:
        points = [(right, high), (left, high), (left, 0.0)]
    else:
        far = right + GAP * 2
        points = [(far, origins[-1]), (far, high), (left, high), (left, 0.0)]
    _route(group, "back", dots[-1].key, stages[0].key, points)
    return group


def _route(group: Group, prefix: str, tail: str, head: str, points: list[tuple[float, float]]) -> None:
    """A line from ``tail`` through waypoints at ``points`` to an arrow into ``head``."""
    chain = [tail]
    for k, (x, y) in enumerate(points):
        point = Box(f"{prefix}{k}", "waypoint", [], w=1, h=1, x=x, y=y)
        group.boxes.append(point)
        chain.append(point.key)
    group.links += [Link(a, b, "ring") for a, b in itertools.pairwise(chain)]
    group.links.append(Link(chain[-1], head, "next"))


#: The widest a drawing may be, in heights (the contract allows two; Graphviz adds a title).
_RATIO = 1.9


def _drawing(subject: Subject, grid: Group, showing: Showing) -> Group:
    width = max(grid.width, 600.0)
    backstage = backstage_group(subject, width) if subject.backstage else Group()
    others = others_group(subject, showing.others(), width)
    people = people_group(subject, width) if subject.people else Group()
    body = stack([grid, backstage, others], gap=GAP * 4)
    draft = draft_group(subject, max(body.width, people.width))
    legend = legend_group(subject, Group().add(body, people, draft))
    # the legend beside the people when both fit in the width of the grid, else beneath
    if people.boxes and people.width + GAP * 6 + legend.width <= width:
        foot = stack([people, legend], gap=GAP * 6, across=True)
    else:
        foot = stack([people, legend], gap=GAP * 4)
    return stack([body, foot, draft], gap=GAP * 4)


def lanes(subject: Subject, showing: Showing = SHOWING) -> Group:
    """Every box and link of the lanes drawing, placed.

    ``showing`` says how each element type is drawn; a type it does not name gets a panel of its own.

    The stages stand in one row while the drawing stays at most about twice as wide as
    tall; past that, the row is folded into as few bands as keep it so.
    """
    if not subject.stages:
        return _drawing(subject, Group(), showing)
    n = len(subject.stages) + bool(subject.hidden)
    tried = set()
    for bands in range(1, n + 1):
        per_band = math.ceil(n / bands)
        if per_band in tried:
            continue
        tried.add(per_band)
        drawing = _drawing(subject, _grid(subject, per_band), showing)
        if drawing.width <= _RATIO * drawing.height:
            break
    return drawing
