"""The ``lanes`` layout: the journey-map grid.

One column per stage, in cycle order, with the transition's dot between a
stage and the next and an arrow from the last back over the top to the first.
Brakes stand in a lane above, in their stage's column, the most severe
nearest the stage; facilitators in a lane below, in the column of the
transition they answer most (ties go to the earliest); between them, when the
canvas has experiences, the emotion curves, each in a row of its own: all
usagers' mean score at each stage (bold), then one curve per persona, in its
colour, named on the left. Under the facilitators, the metrics at the stage
each measures, then the contributions. A brake names what answers it
(``answers: F1, C2``), by the tags its facilitators and contributions carry.
The backstage, a panel for each element type :data:`SHOWING` does not name, the
people and the legend come beneath. When a single row of stages
would make the drawing more than about twice as wide as tall, the row folds into
bands, one under the other, the line running on from the end of one band to the
start of the next.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Element,
    Experience,
    Facilitator,
    Metric,
    Partner,
    Persona,
    Resource,
    Stage,
    Usager,
)
from usager.exporters._drawing.dottext import wrap
from usager.exporters._drawing.parts import (
    LABEL_LINES,
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
from usager.exporters._drawing.scene.route import PITCH

__all__ = ["SHOWING", "lanes"]

#: How the lanes show each element type; any other is drawn in a panel of its own (``others_group``).
SHOWING = Showing(
    own={
        Persona: "people: a card per persona",
        Usager: "people: on the card of their persona",
        Stage: "the row of stages",
        Brake: "the lane above, in the column of its stage",
        Facilitator: "the lane below, in the column of what each answers most",
        Metric: "a lane below the facilitators, in the column of the stage each measures",
        Contribution: "the last lane, in the column of the first stage (or brake's stage) each concerns",
        Activity: "backstage: by phase",
        Resource: "backstage",
        Partner: "backstage",
    },
    not_shown={
        Experience: "not drawn one by one: their mean score at each stage makes the curves between the lanes, "
        "one for all usagers and one per persona",
    },
)

#: At most this many brakes, facilitators, metrics and contributions are drawn per column.
BRAKES, FACILITATORS, METRICS, CONTRIBUTIONS = 5, 4, 4, 4
_SCORE_STEP = 7.0  # points per score unit on a curve
_ROW = 64.0  # the height of one emotion curve's row
_APART = GAP + PITCH * 2  # between two boxes of a column: room for lines to pass
#: The colours of the personas' curves, in the order of the personas.
PALETTE = ("#c0392b", "#2471a3", "#7d3c98", "#b9770e", "#148f77", "#a04000", "#5d6d7e", "#1e8449")
#: At most this many personas have a curve of their own (the report has every persona's).
CURVES = len(PALETTE)


def _column_of(targets: list[int]) -> int:
    if not targets:
        return 0
    return max(dict.fromkeys(targets), key=targets.count)


def _number(value: float) -> str:
    return f"{value:g}"


def _fill(score: float) -> str:
    return "#abebc6" if score > 0.25 else "#f5b7b1" if score < -0.25 else "#f9e79f"


def _curves(subject: Subject) -> tuple[list[tuple[str, str, dict[str, list[int]]]], int]:
    """The emotion curves: all usagers' first, then each persona's that has scores; (name, colour, scores by stage).

    At most :data:`CURVES` personas have a curve; the second value says how many more have scores.
    """
    if not subject.scores:
        return [], 0
    curves = [(subject.words["everyone"], "#34495e", subject.scores)]
    by_persona: dict[str, dict[str, list[int]]] = {}
    for experience in subject.canvas.experiences:
        if experience.persona is not None:
            by_persona.setdefault(experience.persona, {}).setdefault(experience.stage, []).append(experience.score)
    scored = [p for p in subject.canvas.personas if p.id in by_persona]
    for persona in scored[:CURVES]:
        colour = PALETTE[(len(curves) - 1) % len(PALETTE)]
        curves.append((subject.label(persona), colour, by_persona[persona.id]))
    return curves, max(0, len(scored) - CURVES)


def _metric_box(subject: Subject, metric: Metric) -> Box:
    words = subject.words
    lines = wrap(subject.label(metric), width=22, max_lines=LABEL_LINES)
    unit = f" {metric.unit}" if metric.unit else ""
    arrow = "↑" if metric.direction.value == "increase" else "↓"
    figures = []
    if metric.current is not None:
        figures.append(f"{words['now']} {_number(metric.current)}{unit}")
    if metric.target is not None:
        figures.append(f"{words['target']} {_number(metric.target)}{unit}")
    lines += wrap(f"{arrow} {' · '.join(figures)}" if figures else arrow, width=26, max_lines=3)
    return subject.box(metric, lines, "metric")


def _contribution_box(subject: Subject, contribution: Contribution) -> Box:
    words = subject.words
    lines = [subject.tags[contribution.id], *wrap(subject.label(contribution), width=22, max_lines=LABEL_LINES)]
    lines.append(f"({words[contribution.status.value]})")
    if contribution.realized_by is not None:
        found = subject.resolution.index.get(contribution.realized_by)
        name = subject.tags.get(contribution.realized_by) or (subject.label(found) if found is not None else "")
        if name:
            lines += wrap(f"{words['realized']} {name}", width=24, max_lines=2)
    return subject.box(contribution, lines, "contribution")


def _contribution_column(subject: Subject, contribution: Contribution) -> int:
    for stage_id in contribution.stages:
        if stage_id in subject.position:
            return subject.position[stage_id]
    for brake_id in contribution.brakes:
        brake = subject.resolution.index.get(brake_id)
        if isinstance(brake, Brake) and brake.stage in subject.position:
            return subject.position[brake.stage]
    return 0


def _lane(subject: Subject, n: int, key: str, members: list[list[Element]], most: int, make: Any) -> list[list[Box]]:
    """A box per element of each column (``most`` of them, then "and N more")."""
    columns: list[list[Box]] = []
    for i in range(n):
        column = [make(subject, e) for e in members[i][:most]]
        if len(members[i]) > most:
            column.append(more_box(f"more_{key}{i}", members[i][most:], subject))
        columns.append(column)
    return columns


def _tracks(subject: Subject, n: int) -> int:
    """How many lines may run side by side between two columns: enough for the routed links."""
    links = sum(len(held) for held in subject.brakes)
    links += sum(len(f.addresses) + len(f.stages) for f in subject.canvas.facilitators)
    return min(12, 2 + math.ceil(links / max(n, 1) / 2))


def _grid(subject: Subject, per_band: int) -> Group:
    """The grid, its stages folded into bands of ``per_band`` columns, one band under the other."""
    stages = subject.stage_boxes()
    n, words = len(stages), subject.words
    brakes = subject.brake_boxes(BRAKES)
    answering: list[list[Element]] = [[] for _ in range(n)]
    for facilitator in subject.canvas.facilitators:
        answering[_column_of(subject.targets(facilitator))].append(facilitator)
    measured: list[list[Element]] = [[] for _ in range(n)]
    for metric in subject.canvas.metrics:
        if metric.stage in subject.position:
            measured[subject.position[metric.stage]].append(metric)
    proposed: list[list[Element]] = [[] for _ in range(n)]
    for contribution in subject.canvas.contributions:
        proposed[_contribution_column(subject, contribution)].append(contribution)
    columns = _lane(subject, n, "f", answering, FACILITATORS, lambda s, e: s.box(e))
    metrics = _lane(subject, n, "m", measured, METRICS, _metric_box)
    contributions = _lane(subject, n, "c", proposed, CONTRIBUTIONS, _contribution_box)
    below = [("facilitators", columns), ("metrics", metrics), ("contributions", contributions)]
    everything = stages + [b for lane in (brakes, columns, metrics, contributions) for c in lane for b in c]
    width = max(b.w for b in everything) + GAP * 3 + PITCH * _tracks(subject, n)
    stage_half = max(b.h for b in stages) / 2
    curves, untold = _curves(subject)
    # heights relative to a band's stage row: brakes from `rise` up; the curves' rows from
    # `first` down, one under the other; then the lanes below, each under the deepest column
    # of the one before
    rise = stage_half + GAP * 2 + PITCH * 3
    first = -stage_half - GAP * 2 - PITCH * 3
    left, right = -width / 2, (min(per_band, n) - 1) * width + width / 2
    group = Group()
    dots: list[Box] = []
    origins: list[float] = []
    tops: list[float] = []  # the top of each band's brakes lane
    low = high = 0.0
    for start in range(0, n, per_band):
        band = range(start, min(start + per_band, n))
        top = max(rise + sum(b.h + _APART for b in brakes[i]) for i in band)
        origin = 0.0 if not origins else low - GAP * 4 - top
        if not origins:
            high = top + GAP * 2
        origins.append(origin)
        tops.append(origin + top)
        placed: list[Box] = []
        names: list[tuple[str, str, float, str]] = [("stages", words["stages"], origin, "")]
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
                y += box.h + _APART
                placed.append(box)
                if box.kind == "brake":
                    group.links.append(Link(box.key, stages[i].key, "holds"))
        if any(brakes[i] for i in band):
            names.append(("brakes", words["brakes"], origin + (rise + top) / 2, ""))
        cursor = origin + first
        for number, (name, colour, scores) in enumerate(curves):  # a row per curve
            centre = cursor - _ROW / 2
            previous = None
            for i in band:
                stage_id = subject.stages[i].id if i < len(subject.stages) else None
                if stage_id not in scores:
                    continue
                values = scores[stage_id]
                mean = sum(values) / len(values)
                size, pen = (28.0, 2) if number == 0 else (22.0, 1.2)
                tip = f"{name}{words[':']}{words['experience']} {mean:+.2f}"
                box = Box(f"score{number}_{i}", "experience", [f"{mean:+.1f}"], wrap(tip, width=80, max_lines=2),
                          w=size, h=size, x=(i - start) * width, y=centre + mean * _SCORE_STEP,
                          fontsize=9 if number == 0 else 8,
                          extra=f'fillcolor="{_fill(mean)}", color="{colour}", penwidth={pen}')  # fmt: skip
                placed.append(box)
                if previous is not None:
                    if number == 0:
                        group.links.append(Link(previous, box.key, "curve"))
                    else:
                        group.links.append(Link(previous, box.key, "persona curve", f'color="{colour}"'))
                previous = box.key
            names.append((f"curve{number}", name, centre, colour))
            cursor -= _ROW
        if curves and untold:
            names.append(("curves_more", words["more"].format(n=untold), cursor - GAP, ""))
            cursor -= GAP * 3
        cursor -= GAP * 2
        for lane, boxes in below:  # facilitators, metrics, contributions: each under the one before
            if not any(boxes[i] for i in band):
                continue
            depth = 0.0
            for i in band:
                y = cursor
                for box in boxes[i]:
                    box.x, box.y = (i - start) * width, y - box.h / 2
                    y -= box.h + _APART
                    placed.append(box)
                depth = max(depth, cursor - y)
            names.append((lane, words[lane], cursor - 20, ""))
            cursor -= depth + GAP * 2
        # the lane names, on the left
        suffix = "" if start == 0 else f"_{start // per_band}"
        for key, name, y, colour in names:
            head = Box(f"lane_{key}{suffix}", "title", wrap(name, width=18, max_lines=2), fontsize=13,
                       extra=f'fontcolor="{colour}"' if colour else "")  # fmt: skip
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
    group.links += subject.facilitator_links(stages)
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
    subject.contributions = True
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
