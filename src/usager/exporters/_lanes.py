"""The ``lanes`` layout: the journey-map grid.

One column per stage, in cycle order, with the transition's dot between a
stage and the next and an arrow from the last back over the top to the first.
Brakes stand in a lane above, in their stage's column, the most severe
nearest the stage; facilitators in a lane below, in the column of the
transition they answer most (ties go to the earliest); between them, when the
canvas has experiences, the mean score of each stage as a curve. The
backstage, the people and the legend come beneath.
"""

from __future__ import annotations

import itertools

from usager.exporters._parts import Subject, backstage_group, draft_group, legend_group, more_box, people_group
from usager.exporters._scene import GAP, Box, Group, Link, stack

__all__ = ["lanes"]

#: At most this many brakes and facilitators are drawn per column.
BRAKES, FACILITATORS = 5, 4
_SCORE_STEP = 16.0  # points per score unit on the curve


def _column_of(targets: list[int]) -> int:
    if not targets:
        return 0
    return max(dict.fromkeys(targets), key=targets.count)


def _grid(subject: Subject) -> Group:
    stages = subject.stage_boxes()
    n, words = len(stages), subject.words
    brakes: list[list[Box]] = []
    for i, held in enumerate(subject.brakes):
        boxes = [subject.box(b) for b in held[:BRAKES]]
        if len(held) > BRAKES:
            boxes.append(more_box(f"more_b{i}", held[BRAKES:], subject))
        brakes.append(boxes)
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
    group = Group()
    # the stage row, at y = 0
    stage_half = max(b.h for b in stages) / 2
    dots = []
    for i, box in enumerate(stages):
        box.x, box.y = i * width, 0.0
        dot = Box(f"{box.key}t", "transition", [], [words["transition"]], w=9, h=9, x=i * width + width / 2, y=0.0)
        dots.append(dot)
        group.boxes += [box, dot]
        group.links.append(Link(box.key, dot.key, "ring"))
        if i + 1 < n:
            group.links.append(Link(dot.key, stages[i + 1].key, "next"))
    # brakes above, the most severe nearest the stage
    top = stage_half
    for i, boxes in enumerate(brakes):
        y = stage_half + GAP * 2
        for box in boxes:
            box.x, box.y = i * width, y + box.h / 2
            y += box.h + GAP
            group.boxes.append(box)
            if box.kind == "brake":
                group.links.append(Link(box.key, dots[i].key, "holds"))
        top = max(top, y)
    # the way back, over the top of the brakes lane
    left, right = -width / 2, (n - 1) * width + width / 2
    high = top + GAP * 2
    points = [(right, high), (left, high), (left, 0.0)]
    chain = [dots[-1].key]
    for k, (x, y) in enumerate(points):
        point = Box(f"back{k}", "waypoint", [], w=1, h=1, x=x, y=y)
        group.boxes.append(point)
        chain.append(point.key)
    chain.append(stages[0].key)
    group.links += [Link(a, b, "ring") for a, b in itertools.pairwise(chain[:-1])]
    group.links.append(Link(chain[-2], chain[-1], "next"))
    # the experience curve
    bottom = -stage_half - GAP * 2
    scored = [(i, subject.scores[s.id]) for i, s in enumerate(subject.stages) if s.id in subject.scores]
    if scored:
        base = bottom - 2 * _SCORE_STEP - 20
        previous = None
        for i, scores in scored:
            mean = sum(scores) / len(scores)
            fill = "#abebc6" if mean > 0.25 else "#f5b7b1" if mean < -0.25 else "#f9e79f"
            box = Box(f"score{i}", "experience", [f"{mean:+.1f}"], [f"{words['experience']}: {mean:+.2f}"],
                      w=36, h=36, x=i * width, y=base + mean * _SCORE_STEP, fontsize=10,
                      extra=f'fillcolor="{fill}"')  # fmt: skip
            group.boxes.append(box)
            if previous is not None:
                group.links.append(Link(previous, box.key, "curve"))
            previous = box.key
        bottom = base - 2 * _SCORE_STEP - 18 - GAP * 2
    # facilitators below
    for i, boxes in enumerate(columns):
        y = bottom
        for box in boxes:
            box.x, box.y = i * width, y - box.h / 2
            y -= box.h + GAP
            group.boxes.append(box)
    for facilitator in subject.canvas.facilitators:
        group.links += subject.links(facilitator.id, "addresses", facilitator.addresses)
        if facilitator.id in subject.drawn:
            for stage_id in dict.fromkeys(facilitator.stages):
                if stage_id in subject.position:
                    link = Link(subject.drawn[facilitator.id].key, dots[subject.position[stage_id]].key, "eases")
                    group.links.append(link)
    # the lane names, on the left
    names = [("stages", 0.0)]
    if any(brakes):
        names.append(("brakes", (stage_half + GAP * 2 + top) / 2))
    if any(columns):
        names.append(("facilitators", bottom - 30))
    if scored:
        names.append(("experience", bottom + 2 * _SCORE_STEP + 18 + GAP * 2))
    for name, y in names:
        head = Box(f"lane_{name}", "title", [words[name]], fontsize=13)
        head.x, head.y = left - GAP * 2 - head.w / 2, y
        group.boxes.append(head)
    return group


def lanes(subject: Subject) -> Group:
    """Every box and link of the lanes drawing, placed."""
    grid = _grid(subject) if subject.stages else Group()
    width = max(grid.width, 600.0)
    backstage = backstage_group(subject, width) if subject.backstage else Group()
    people = people_group(subject, width) if subject.people else Group()
    body = stack([grid, backstage, people], gap=GAP * 4)
    draft = draft_group(subject, body.width)
    legend = legend_group(subject, Group().add(body, draft))
    return stack([body, legend, draft], gap=GAP * 4)
