"""What both drawings show, and the groups they share: backstage, people, others, legend, draft panel.

:class:`Subject` reads the canvas once: the stages of the cycle, the brakes held at
each, what each facilitator answers, and which boxes stand for which elements.
Lanes are capped: beyond what a lane can show, a box says "and N more" and
its tooltip names the rest, so that a large canvas never grows without end.

Each layout declares, as a :class:`Showing`, how it shows each element type: by a part of
its own, or not at all and why. Any other element type (a new one) is drawn by
:func:`others_group`, a panel listing its elements by label, so that no element type is
ever left out of a drawing unsaid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs

from usager._graph import Resolution
from usager._i18n import tr
from usager.canvas import ELEMENT_TYPES, Canvas, ElementType, element_kind, element_label
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Element,
    Facilitator,
    FacilitatorStatus,
    Persona,
    Phase,
    Resource,
    Stage,
    Usager,
)
from usager.exporters._drawing.dottext import wrap
from usager.exporters._drawing.scene import GAP, SEVERITY_FILL, SEVERITY_PEN, WORDS, Box, Group, Link, grid, size, stack
from usager.exporters._showing import Showing
from usager.findings import Finding

__all__ = [
    "Showing",
    "Subject",
    "backstage_group",
    "draft_group",
    "legend_group",
    "more_box",
    "others_group",
    "people_group",
]

#: At most this many touchpoints are listed under a stage, and this many entries in a backstage
#: panel, persona cards, usagers on a card.
TOUCHPOINTS, PANEL, CARDS, CARD_LINES, FINDINGS = 3, 12, 8, 5, 12
#: At most this many lines wrap an element's label, and this many elements a "more" box lists.
LABEL_LINES, MORE = 6, 12
#: At most this many stages are drawn; the others share one "and N more" place in the cycle.
STAGES = 24


def capital(text: str) -> str:
    """``text`` with its first letter in upper case (a list's name as a title: ``Touchpoints``)."""
    return text[:1].upper() + text[1:]


def marks(severity: int) -> str:
    """A brake's severity as filled and empty dots: ``●●○``."""
    return "●" * severity + "○" * (3 - severity)


@attrs.define
class Subject:
    """The canvas as the drawings read it (see the module documentation)."""

    canvas: Canvas
    resolution: Resolution
    backstage: bool
    people: bool
    findings: list[Finding] | None  # None: not a draft
    words: dict[str, str] = attrs.field(init=False)
    keys: dict[int, str] = attrs.field(init=False, factory=dict)
    stages: list[Stage] = attrs.field(init=False, factory=list)
    hidden: list[Stage] = attrs.field(init=False, factory=list)
    position: dict[str, int] = attrs.field(init=False, factory=dict)
    brakes: list[list[Brake]] = attrs.field(init=False, factory=list)
    unplaced: list[Element] = attrs.field(init=False, factory=list)
    scores: dict[str, list[int]] = attrs.field(init=False, factory=dict)
    #: Each facilitator's and contribution's tag (``F1``, ``C1``, in document order), by id.
    tags: dict[str, str] = attrs.field(init=False, factory=dict)
    #: The tags of what answers each brake (its facilitators, then its contributions), by brake id.
    answers: dict[str, list[str]] = attrs.field(init=False, factory=dict)
    #: Whether the drawing shows the contributions (a brake names them among its answers only then).
    contributions: bool = attrs.field(init=False, default=False)
    #: What each "and N more" box stands for, by the box's key.
    stand_ins: dict[str, Sequence[Element]] = attrs.field(init=False, factory=dict)
    drawn: dict[str, Box] = attrs.field(init=False, factory=dict)
    #: The element types drawn in a generic panel, by name (for the legend).
    others: dict[str, ElementType[Any]] = attrs.field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self.words = WORDS[self.canvas.language]
        index = self.resolution.index
        for number, element in enumerate(self.canvas.elements()):
            self.keys.setdefault(id(element), f"n{number}")
        self.stages = [s for s in self.canvas.stages if index.get(s.id) is s]
        if len(self.stages) > STAGES:
            self.stages, self.hidden = self.stages[: STAGES - 1], self.stages[STAGES - 1 :]
        self.position = {s.id: i for i, s in enumerate(self.stages)}
        self.position.update((s.id, len(self.stages)) for s in self.hidden)
        self.brakes = [[] for _ in range(len(self.stages) + bool(self.hidden))]
        for brake in self.canvas.brakes:
            at = self.position.get(brake.stage)
            if at is None or index.get(brake.id) is not brake:
                self.unplaced.append(brake)
            else:
                self.brakes[at].append(brake)
        for held in self.brakes:
            held.sort(key=lambda b: -b.severity)  # stable: document order within a severity
        self.unplaced += [s for s in self.canvas.stages if index.get(s.id) is not s]
        for experience in self.canvas.experiences:
            self.scores.setdefault(experience.stage, []).append(experience.score)
        answering: list[Facilitator | Contribution] = [*self.canvas.facilitators, *self.canvas.contributions]
        counts = {Facilitator: 0, Contribution: 0}
        for element in answering:
            counts[type(element)] += 1
            tag = f"{'F' if isinstance(element, Facilitator) else 'C'}{counts[type(element)]}"
            self.tags.setdefault(element.id, tag)
            for brake_id in dict.fromkeys(element.addresses if isinstance(element, Facilitator) else element.brakes):
                self.answers.setdefault(brake_id, []).append(tag)

    @property
    def language(self) -> str:
        """The canvas language's code."""
        return self.canvas.language.value

    def key(self, element: Element) -> str:
        """The DOT name of ``element``'s box (synthetic: ``n`` and its place in the document)."""
        return self.keys[id(element)]

    def label(self, element: Element) -> str:
        """What a person calls ``element``, in the canvas language."""
        return element_label(element, self.canvas.language)

    def tooltip(self, element: Element) -> list[str]:
        """The element's id, full label and description, for the tooltip."""
        text = f"{element.id}: {self.label(element)}"
        description = getattr(element, "description", "")
        return wrap(text + (f"\n{description}" if description else ""), width=80, max_lines=10)

    def targets(self, facilitator: Facilitator) -> list[int]:
        """The positions of the transitions ``facilitator`` answers: its brakes' stages and the stages it eases."""
        out = []
        for brake_id in facilitator.addresses:
            brake = self.resolution.index.get(brake_id)
            if isinstance(brake, Brake) and brake.stage in self.position:
                out.append(self.position[brake.stage])
        out += [self.position[s] for s in facilitator.stages if s in self.position]
        return out

    def answer_tags(self, brake: Brake) -> list[str]:
        """The tags of what answers ``brake`` (its contributions' only when the drawing shows them)."""
        return [t for t in self.answers.get(brake.id, ()) if self.contributions or t.startswith("F")]

    def answered(self, brake: Brake) -> list[str]:
        """The line saying what answers ``brake``, by tag (``answers: F1, C2``), or that nothing does."""
        tags = self.answer_tags(brake)
        if not tags:
            return [self.words["no answer"]]
        return wrap(f"{self.words['answers']}{self.words[':']}{', '.join(tags)}", width=24, max_lines=20)

    def box(self, element: Element, lines: list[str] | None = None, kind: str | None = None) -> Box:
        """The box standing for ``element`` (remembered, so links can find it).

        Its ``kind`` (its style) is its element type's, or the one given (``"element"``, generic).
        A brake shows its severity and what answers it; a facilitator its tag (``F1``), and its
        status when it is not in place.
        """
        kind = kind or element_kind(element)
        lines = lines if lines is not None else wrap(self.label(element), width=22, max_lines=LABEL_LINES)
        box = Box(self.key(element), kind, lines, self.tooltip(element))
        if isinstance(element, Brake) and kind == "brake":
            box.lines = [*lines, marks(element.severity), *self.answered(element)]
            box.extra = f'fillcolor="{SEVERITY_FILL[element.severity]}", penwidth={SEVERITY_PEN[element.severity]}'
        elif isinstance(element, Facilitator) and kind == "facilitator":
            box.lines = [self.tags[element.id], *lines]
            if element.status is not FacilitatorStatus.IN_PLACE:
                box.lines.append(f"({self.words[element.status.value]})")
                box.extra = 'style="rounded,filled,dashed"'
        if box.lines is not lines:
            box.w, box.h = Box("x", kind, box.lines).w, Box("x", kind, box.lines).h
        self.drawn.setdefault(element.id, box)
        return box

    def brake_boxes(self, most: int) -> list[list[Box]]:
        """The boxes of the brakes held at each transition, in cycle order: ``most`` of them, then "and N more"."""
        out = []
        for i, held in enumerate(self.brakes):
            boxes = [self.box(b) for b in held[:most]]
            if len(held) > most:
                boxes.append(more_box(f"more_b{i}", held[most:], self))
            out.append(boxes)
        return out

    def stage_boxes(self) -> list[Box]:
        """The boxes of the cycle: one per stage drawn, then one for the stages left out, if any."""
        boxes = [self.stage_box(s) for s in self.stages]
        if self.hidden:
            box = more_box("more_s", self.hidden, self)
            box.kind, box.fontsize, box.extra = "stage", 13, 'style="rounded,filled,dashed"'
            boxes.append(box)
            for stage in self.hidden:
                self.drawn[stage.id] = box
        return boxes

    def stage_box(self, stage: Stage) -> Box:
        """A stage: its label, then its touchpoints, then its experience score when it has one."""
        lines = wrap(stage.display_label(self.canvas.language), width=20, max_lines=LABEL_LINES)
        points = stage.touchpoints
        if points:
            lines.append("")
            for point in points[:TOUCHPOINTS]:
                lines += ["• " + line for line in wrap(point, width=22, max_lines=2)]
            if len(points) > TOUCHPOINTS:
                lines.append(self.words["more"].format(n=len(points) - TOUCHPOINTS))
        scores = self.scores.get(stage.id)
        if scores:
            lines.append(f"{self.words['score']} {sum(scores) / len(scores):+.1f}")
        tooltip = self.tooltip(stage) + [line for p in points[:20] for line in wrap(f"• {p}", width=80, max_lines=1)]
        box = Box(self.key(stage), "stage", lines, tooltip, fontsize=13)
        self.drawn[stage.id] = box
        return box

    def links(self, source: str, relation: str, targets: Sequence[str], tail_first: bool = True) -> list[Link]:
        """Links from ``source`` to each drawn target, by element id (targets not drawn are skipped)."""
        out = []
        for target in dict.fromkeys(targets):
            if source in self.drawn and target in self.drawn:
                a, b = self.drawn[source].key, self.drawn[target].key
                out.append(Link(a, b, relation) if tail_first else Link(b, a, relation))
        return out

    def facilitator_links(self, stages: Sequence[Box]) -> list[Link]:
        """Each facilitator's links to the brakes it addresses and to each stage it eases.

        A box listing the facilitators a lane had no room for has a line to each brake drawn
        that they address. ``stages`` holds the box of each stage, by its place in the cycle.
        """
        out: list[Link] = []
        for facilitator in self.canvas.facilitators:
            out += self.links(facilitator.id, "addresses", facilitator.addresses)
            if facilitator.id in self.drawn:
                for stage_id in dict.fromkeys(facilitator.stages):
                    if stage_id in self.position:
                        out.append(Link(self.drawn[facilitator.id].key, stages[self.position[stage_id]].key, "eases"))
        for key, hidden in self.stand_ins.items():  # a box listing facilitators: a line to each brake they answer
            brakes = dict.fromkeys(b for f in hidden if isinstance(f, Facilitator) for b in f.addresses)
            out += [Link(key, self.drawn[b].key, "addresses") for b in brakes if b in self.drawn]
        return out


def more_box(key: str, hidden: Sequence[Element], subject: Subject) -> Box:
    """The "and N more" box: it lists the elements left out (the first :data:`MORE` of them), one a line.

    A facilitator is listed with its tag, a brake with the tags of what answers it, so that
    a brake's answers can be found even when the lane had no room for them. Its tooltip
    names them by id.
    """
    tooltip = [f"{e.id}: {subject.label(e)}" for e in hidden[:30]]
    tooltip = [line for text in tooltip for line in wrap(text, width=80, max_lines=1)]
    lines = [subject.words["more"].format(n=len(hidden)) + subject.words[":"].rstrip()]
    for element in hidden[:MORE]:
        label = subject.label(element)
        tag = subject.tags.get(element.id)
        if tag is not None:
            label = f"{tag} {label}"
        answers = ""
        if isinstance(element, Brake) and subject.answer_tags(element):
            answers = f" ({', '.join(subject.answer_tags(element))})"
        lines.append("• " + wrap(label, width=max(12, 30 - len(answers)), max_lines=1)[0] + answers)
    if len(hidden) > MORE:
        lines.append(subject.words["more"].format(n=len(hidden) - MORE))
    subject.stand_ins[key] = hidden
    return Box(key, "more", lines, tooltip)


def _panel(
    subject: Subject,
    key: str,
    title: str,
    elements: Sequence[Element],
    width: float,
    kind: str | None = None,
    fontsize: float = 13,
) -> Group:
    if not elements:
        return Group()
    boxes = [subject.box(e, _backstage_lines(subject, e), kind) for e in elements[:PANEL]]
    if len(elements) > PANEL:
        boxes.append(more_box(f"{key}more", elements[PANEL:], subject))
    widest = max(b.w for b in boxes)
    room = GAP * 2  # lines run between the boxes (see route.py)
    columns = max(1, min(len(boxes), int((width + room) // (widest + room)), math.ceil(math.sqrt(len(boxes) * 2))))
    body = grid(boxes, columns, gap=room)
    head = Group([Box(key, "title", wrap(title, width=60, max_lines=1), fontsize=fontsize)])
    return stack([head, body], gap=GAP)


def _backstage_lines(subject: Subject, element: Element) -> list[str]:
    lines = wrap(subject.label(element), width=22, max_lines=LABEL_LINES)
    if isinstance(element, Activity) and element.supports:
        names = []
        for target in dict.fromkeys(element.supports):
            found = subject.resolution.index.get(target)
            names.append(subject.label(found) if found is not None else f"⚠ {target}")
        lines += wrap(f"→ {', '.join(names)}", width=26, max_lines=4)
    return lines


def backstage_group(subject: Subject, width: float) -> Group:
    """The key activities by phase, the resources and the partners, each in a titled panel."""
    canvas, words = subject.canvas, subject.words
    run = [a for a in canvas.activities if a.phase is Phase.RUN]
    launch = [a for a in canvas.activities if a.phase is Phase.LAUNCH]
    panels = [
        _panel(subject, "run", words["run"], run, width / 2),
        _panel(subject, "launch", words["launch"], launch, width / 2),
        _panel(subject, "resources", words["resources"], list(canvas.resources), width / 2),
        _panel(subject, "partners", words["partners"], list(canvas.partners), width / 2),
    ]  # fmt: skip
    panels = [p for p in panels if p.boxes]
    if not panels:
        return Group()
    rows = [stack(panels[i : i + 2], gap=GAP * 3, across=True) for i in range(0, len(panels), 2)]
    head = Group([Box("backstage", "title", [words["backstage"]], fontsize=16)])
    group = stack([head, *rows], gap=GAP * 2)
    for activity in canvas.activities:
        group.links += subject.links(activity.id, "uses", activity.uses)
    owned: list[Activity | Resource] = [*canvas.activities, *canvas.resources]
    for element in owned:
        if element.partner is not None:
            relation = "performs" if isinstance(element, Activity) else "provides"
            group.links += subject.links(element.partner, relation, [element.id])
    return group


def others_group(subject: Subject, types: Sequence[ElementType[Any]], width: float) -> Group:
    """A panel for each of ``types`` the canvas holds elements of: a box per element, by label.

    Each panel is titled, as the people and the backstage are, by the type's list name in the
    canvas language (``Touchpoints``), shows at most :data:`PANEL` elements and then "and N
    more", and stands beside the next one, two to a row, as the backstage's panels do.
    """
    panels = []
    for element_type in types:
        elements = subject.canvas.of_kind(element_type.cls)
        if not elements:
            continue
        subject.others.setdefault(element_type.name, element_type)
        key = f"others{ELEMENT_TYPES.index(element_type)}"
        title = capital(tr(subject.language, element_type.list))
        panels.append(_panel(subject, key, title, elements, width / 2, kind="element", fontsize=16))
    rows = [stack(panels[i : i + 2], gap=GAP * 3, across=True) for i in range(0, len(panels), 2)]
    return stack(rows, gap=GAP * 2)


def people_group(subject: Subject, width: float) -> Group:
    """One card per persona listing the usagers who embody it, each with the stage they are at."""
    canvas, words = subject.canvas, subject.words
    by_persona: dict[str | None, list[Usager]] = {}
    known = {p.id for p in canvas.personas}
    for usager in canvas.usagers:
        by_persona.setdefault(usager.persona if usager.persona in known else None, []).append(usager)
    cards: list[Box] = []
    for persona in canvas.personas[:CARDS]:
        cards.append(_card(subject, persona, by_persona.get(persona.id, [])))
    if len(canvas.personas) > CARDS:
        cards.append(more_box("peoplemore", canvas.personas[CARDS:], subject))
    if by_persona.get(None):
        cards.append(_card(subject, None, by_persona[None]))
    if not cards:
        return Group()
    head = Group([Box("people", "title", [words["people"]], fontsize=16)])
    columns = max(1, min(len(cards), int((width + GAP) // (max(c.w for c in cards) + GAP))))
    return stack([head, grid(cards, columns)], gap=GAP)


def _card(subject: Subject, persona: Persona | None, usagers: list[Usager]) -> Box:
    words = subject.words
    title = subject.label(persona) if persona is not None else words["no persona"]
    lines = wrap(title, width=24, max_lines=2)
    if usagers:
        lines.append("")
    for usager in usagers[:CARD_LINES]:
        stage = subject.resolution.index.get(usager.stage) if usager.stage is not None else None
        where = f" ({words['at']} {subject.label(stage)})" if stage is not None else ""
        lines += wrap(f"• {usager.name}{where}", width=34, max_lines=2)
    if len(usagers) > CARD_LINES:
        lines.append(words["more"].format(n=len(usagers) - CARD_LINES))
    tooltip = subject.tooltip(persona) if persona is not None else [words["no persona"]]
    tooltip += [line for u in usagers[:20] for line in wrap(f"{u.id}: {u.name}", width=80, max_lines=1)]
    key = subject.key(persona) if persona is not None else "nopersona"
    box = Box(key, "persona", lines, tooltip)
    for usager in usagers:
        subject.drawn[usager.id] = box
    if persona is not None:
        subject.drawn[persona.id] = box
    return box


#: The legend's entries for edges: relation, and the kinds of box it joins.
_RELATIONS = (
    "next", "holds", "addresses", "eases", "uses", "performs", "provides", "curve", "persona curve", "dangling",
)  # fmt: skip


def legend_group(subject: Subject, group: Group, columns: int = 4) -> Group:
    """Samples of every kind of box and every kind of line ``group`` holds, and nothing else."""
    words = subject.words
    kinds = {b.kind for b in group.boxes}
    relations = {link.relation for link in group.links}
    boxes: list[Box] = []
    for kind in (
        "stage", "brake", "facilitator", "activity", "resource", "partner", "persona", "experience", "metric",
        "contribution",
    ):  # fmt: skip
        if kind in kinds:
            name = words[kind if kind != "persona" else "persona"]
            lines = [name]
            if kind == "brake":
                lines += [f"{marks(2)} = {words['severity']} 2/3", f"{words['answers']}{words[':']}F1"]
            elif kind == "facilitator":
                lines = ["F1", name]
            box = Box(f"legend_{kind}", kind, lines, fontsize=10)
            if kind == "brake":
                box.extra = f'fillcolor="{SEVERITY_FILL[2]}"'
            elif kind == "experience":  # a rounded box of the score's colours, not a large circle
                box.lines = [f"+1.0 = {name}"]
                box.w, box.h = size(box.lines, 10)
                box.extra = 'shape=box, style="rounded,filled", fillcolor="#abebc6"'
            boxes.append(box)
    if "element" in kinds:  # a sample of each element type drawn in a generic panel, named by its type
        for element_type in subject.others.values():
            key = f"legend_others{ELEMENT_TYPES.index(element_type)}"
            lines = wrap(capital(tr(subject.language, element_type.name)), width=24, max_lines=1)
            boxes.append(Box(key, "element", lines, fontsize=10))
    if "transition" in kinds:
        boxes.append(Box("legend_transition", "text", ["• " + words["transition"]], fontsize=10))
    rows: list[Group] = []
    for relation in _RELATIONS:
        if relation in relations or (relation == "next" and "ring" in relations):
            key = relation.replace(" ", "_")
            row = Group(
                [
                    Box(f"legend_{key}_a", "anchor", [], w=5, h=5, x=0, y=0),
                    Box(f"legend_{key}_b", "anchor", [], w=5, h=5, x=60, y=0),
                    Box(f"legend_{key}_t", "text", [words[relation]], fontsize=10, x=0, y=0),
                ],
                [Link(f"legend_{key}_a", f"legend_{key}_b", relation, fixed=True)],
            )
            text = row.boxes[2]
            text.x = 70 + text.w / 2
            rows.append(row)
    # the line samples in columns (half as many as the boxes'), filled top to bottom
    across = max(1, columns // 2)
    down = math.ceil(len(rows) / across) if rows else 0
    step = max((row.width for row in rows), default=0.0) + GAP * 2
    samples = Group()
    for k, row in enumerate(rows):
        samples.add(row.move(k // down * step, -(k % down) * 30.0))
    if not boxes and not samples.boxes:
        return Group()
    head = Group([Box("legend", "title", [words["legend"]], fontsize=14)])
    return stack([head, grid(boxes, columns, gap=10), samples], gap=10)


def draft_group(subject: Subject, width: float) -> Group:
    """The broken references (one box per missing id), the elements that have no place, the findings."""
    if subject.findings is None:
        return Group()
    words = subject.words
    missing: dict[str, list[Element]] = {}
    for element, _reference, target, _position in subject.resolution.dangling:
        missing.setdefault(target, []).append(element)
    # each missing id, followed by the brakes it leaves without a stage; then the other misplaced
    beside: dict[str, list[Box]] = {}
    others: list[Box] = []
    for element in subject.unplaced:
        box = subject.box(element)
        if isinstance(element, Brake) and element.stage in missing:
            beside.setdefault(element.stage, []).append(box)
        else:
            others.append(box)
    ordered: list[Box] = []
    broken: list[Box] = []
    links: list[Link] = []
    for number, (target, owners) in enumerate(missing.items()):
        key = f"broken{number}"
        tooltip = [line for o in owners[:20] for line in wrap(f"{o.id} → {target}", width=80, max_lines=1)]
        broken.append(Box(key, "broken", [f"⚠ {words['broken']}", *wrap(target, width=24, max_lines=3)], tooltip))
        ordered += [broken[-1], *beside.get(target, [])]
        for owner in dict.fromkeys(owners):
            if owner.id in subject.drawn:
                links.append(Link(subject.drawn[owner.id].key, key, "dangling"))
    placed = grid(ordered + others, max(1, int((width + GAP) // 190)))
    findings = subject.findings
    lines = [f"{words['draft']} — {words['findings']}"]
    for finding in findings[:FINDINGS]:
        text = f"{finding.code} {words[finding.severity.value]}{words[':']}{finding.message}"
        first, *rest = wrap(text, width=100, max_lines=2)
        lines += [first, *("    " + line for line in rest)]  # a finding's second line indented
    if len(findings) > FINDINGS:
        lines.append(words["more"].format(n=len(findings) - FINDINGS))
    caption = Group([Box("caption", "caption", lines, fontsize=11)])
    group = stack([placed, caption], gap=GAP * 2)
    group.links += [link for link in links if link.tail != link.head]
    return group
