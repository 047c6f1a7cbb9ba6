"""Boxes placed in points, the links between them, and the DOT source they become.

Both drawings compute every position in Python and pin it (``pos="x,y!"``). The links that
join elements are then routed around the boxes by :mod:`.route`, each line given to
Graphviz as its edge's points; the ``nop2`` engine only draws: the boxes where they are
pinned, a routed line along its points, any other link (the cycle's arcs, the emotion
curves, the legend's samples) as a straight line. A box's size is computed from its wrapped
label, generously (wide characters count double), and fixed (``fixedsize=true``), so that
boxes never overlap however Graphviz measures the text. All text goes through
:mod:`usager.exporters._drawing.dottext`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import attrs

from usager.elements import Language
from usager.exporters._drawing.dottext import quote, quote_tooltip

__all__ = ["EDGE", "FONT", "STYLE", "WORDS", "Box", "Group", "Link", "grid", "size", "source", "stack"]

FONT = "Helvetica,Arial,sans-serif"
#: Space between boxes, in points.
GAP = 14.0

WORDS: dict[Language, dict[str, str]] = {
    Language.EN: {
        "brakes": "Brakes", "facilitators": "Facilitators", "backstage": "Backstage", "stages": "Stages",
        "run": "Key activities: running the service", "launch": "Key activities: launching it",
        "resources": "Key resources", "partners": "Key partners", "people": "People", "legend": "Legend",
        "stage": "Stage", "transition": "Transition to the next stage", "brake": "Brake",
        "facilitator": "Facilitator", "activity": "Key activity", "resource": "Key resource",
        "partner": "Key partner", "persona": "Persona", "usager": "Usagers", "severity": "severity",
        "more": "and {n} more", "broken": "missing", "findings": "Findings", "score": "score",
        "experience": "Experience score", "idea": "idea", "planned": "planned", "retired": "retired",
        "supports": "supports", "no persona": "Usagers without a persona", "at": "at",
        "next": "leads to the next stage", "holds": "holds users back at", "addresses": "addresses",
        "eases": "eases", "uses": "uses", "performs": "performs", "provides": "provides",
        "curve": "the emotion curve", "dangling": "names a missing element", "draft": "DRAFT",
        "error": "error", "warning": "warning", "info": "info", ":": ": ",
        "answers": "answers", "no answer": "no answer yet", "metrics": "Metrics", "metric": "Metric",
        "contributions": "Contributions", "contribution": "Contribution", "everyone": "All usagers",
        "target": "target", "now": "now", "proposed": "proposed", "under_review": "under review",
        "accepted": "accepted", "in_progress": "in progress", "done": "done", "declined": "declined",
        "duplicate": "duplicate", "withdrawn": "withdrawn", "realized": "realized by",
        "persona curve": "a persona's emotion curve",
    },
    Language.FR: {
        "brakes": "Freins", "facilitators": "Facilitateurs", "backstage": "Coulisses", "stages": "Étapes",
        "run": "Activités clés : faire fonctionner le service", "launch": "Activités clés : le lancer",
        "resources": "Ressources clés", "partners": "Partenaires clés", "people": "Personnes",
        "legend": "Légende", "stage": "Étape", "transition": "Passage à l'étape suivante", "brake": "Frein",
        "facilitator": "Facilitateur", "activity": "Activité clé", "resource": "Ressource clé",
        "partner": "Partenaire clé", "persona": "Persona", "usager": "Usagers", "severity": "gravité",
        "more": "et {n} de plus", "broken": "introuvable", "findings": "Constats",
        "score": "ressenti", "experience": "Ressenti", "idea": "idée", "planned": "prévu",
        "retired": "abandonné", "supports": "soutient", "no persona": "Usagers sans persona", "at": "à",
        "next": "mène à l'étape suivante", "holds": "retient les usagers à", "addresses": "répond à",
        "eases": "facilite", "uses": "utilise", "performs": "réalise", "provides": "fournit",
        "curve": "la courbe du ressenti", "dangling": "nomme un élément absent", "draft": "BROUILLON",
        "error": "erreur", "warning": "avertissement", "info": "information", ":": " : ",
        "answers": "réponses", "no answer": "sans réponse", "metrics": "Indicateurs", "metric": "Indicateur",
        "contributions": "Contributions", "contribution": "Contribution", "everyone": "Tous les usagers",
        "target": "cible", "now": "actuel", "proposed": "proposée", "under_review": "à l'étude",
        "accepted": "acceptée", "in_progress": "en cours", "done": "réalisée", "declined": "refusée",
        "duplicate": "doublon", "withdrawn": "retirée", "realized": "réalisée par",
        "persona curve": "la courbe du ressenti d'une persona",
    },
}  # fmt: skip

#: Node attributes by kind.
STYLE: dict[str, str] = {
    "stage": 'shape=box, style="rounded,filled,bold", fillcolor="#aed6f1", color="#1f618d", penwidth=2',
    "transition": 'shape=point, width=0.12, color="#1f618d"',
    "waypoint": 'shape=point, width=0.01, color="#1f618d"',
    "brake": 'shape=octagon, style=filled, color="#b03a2e"',
    "facilitator": 'shape=box, style="rounded,filled", fillcolor="#abebc6", color="#1e8449"',
    "activity": 'shape=box, style=filled, fillcolor="#fcf3cf", color="#9a7d0a"',
    "resource": 'shape=cylinder, style=filled, fillcolor="#e8daef", color="#6c3483"',
    "partner": 'shape=house, style=filled, fillcolor="#d5dbdb", color="#515a5a"',
    "persona": 'shape=note, style=filled, fillcolor="#fae5d3", color="#a04000"',
    "experience": 'shape=circle, style=filled, color="#7f8c8d"',
    "metric": 'shape=box, style="filled", fillcolor="#d6eaf8", color="#2874a6"',
    "contribution": 'shape=note, style=filled, fillcolor="#fdebd0", color="#af601a"',
    # an element of a type no part of its own draws (see parts.others_group)
    "element": 'shape=box, style=filled, fillcolor="#f2f3f4", color="#566573"',
    "more": 'shape=box, style="rounded,dotted", color="#7f8c8d", fontcolor="#515a5a"',
    "broken": 'shape=box, style="dashed,bold,filled", fillcolor="#ffffff", color="#c0392b", fontcolor="#c0392b"',
    "title": 'shape=plaintext, fontcolor="#34495e"',
    "caption": 'shape=box, style="rounded,filled", fillcolor="#fdfefe", color="#c0392b", fontcolor="#641e16"',
    "text": 'shape=plaintext, fontcolor="#34495e"',
    "anchor": 'shape=point, width=0.06, color="#7f8c8d"',
}
#: The fill of a brake by severity: the more it holds users back, the deeper the red.
SEVERITY_FILL = {1: "#fdedec", 2: "#f5b7b1", 3: "#e6705f"}
#: A brake's outline width by severity.
SEVERITY_PEN = {1: 1.0, 2: 1.6, 3: 2.6}

#: Edge attributes by relation.
EDGE: dict[str, str] = {
    "next": 'color="#1f618d", penwidth=2.5, arrowsize=0.8',
    "ring": 'color="#1f618d", penwidth=2.5, arrowhead=none',
    "holds": 'color="#b03a2e", penwidth=1.5, arrowhead=tee',
    "addresses": 'color="#1e8449", style=dashed',
    "eases": 'color="#1e8449", penwidth=1.5',
    "uses": 'color="#7f8c8d", style=dashed',
    "performs": 'color="#7f8c8d", style=dotted',
    "provides": 'color="#7f8c8d", style=dotted',
    "curve": 'color="#34495e", penwidth=3, arrowhead=none',
    "persona curve": 'color="#c0392b", penwidth=1.6, arrowhead=none',
    "dangling": 'color="#c0392b", style=dashed, penwidth=1.5',
}

_LINE = 1.3  # line height, in font sizes


def text_width(line: str, fontsize: float) -> float:
    """A generous estimate of the width of ``line`` in points: wide characters count double."""
    units = 0.0
    for char in line:
        if unicodedata.east_asian_width(char) in "WF" or ord(char) > 0xFFFF:
            units += 1.1
        elif char.isupper() or char in "mwMW@%…":
            units += 0.86
        else:
            units += 0.62
    return units * fontsize


def size(lines: list[str], fontsize: float, shape: str = "box") -> tuple[float, float]:
    """The width and height, in points, of a box that holds ``lines`` with a margin."""
    width = max((text_width(line, fontsize) for line in lines), default=0.0) + 18
    height = len(lines) * fontsize * _LINE + 14
    if shape in ("octagon", "note", "cylinder", "house"):  # room for the cut corners, the fold, the roof
        width, height = width * 1.18 + 8, height + 14
    return max(width, 40.0), max(height, 26.0)


@attrs.define
class Box:
    """A node: its DOT name, kind, label lines, tooltip lines, size and centre, in points."""

    key: str
    kind: str
    lines: list[str]
    tooltip: list[str] = attrs.field(factory=list)
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0
    fontsize: float = 11.0
    extra: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.w and self.lines:
            shape = STYLE[self.kind].split(",")[0].removeprefix("shape=")
            self.w, self.h = size(self.lines, self.fontsize, shape)
            if shape == "circle":
                self.w = self.h = max(self.w, self.h)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top)."""
        return self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2


@attrs.define
class Link:
    """An edge between two boxes (by key), styled by its relation."""

    tail: str
    head: str
    relation: str
    extra: str = ""
    #: Drawn as laid out, never routed (the legend's samples).
    fixed: bool = False


@attrs.define
class Group:
    """Boxes and links that move together; positions are absolute, :meth:`move` shifts them all."""

    boxes: list[Box] = attrs.field(factory=list)
    links: list[Link] = attrs.field(factory=list)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of every box, or zeros when empty."""
        if not self.boxes:
            return 0.0, 0.0, 0.0, 0.0
        edges = [b.bounds() for b in self.boxes]
        return min(e[0] for e in edges), min(e[1] for e in edges), max(e[2] for e in edges), max(e[3] for e in edges)

    @property
    def width(self) -> float:
        """The width of the bounds."""
        left, _, right, _ = self.bounds()
        return right - left

    @property
    def height(self) -> float:
        """The height of the bounds."""
        _, bottom, _, top = self.bounds()
        return top - bottom

    def move(self, dx: float, dy: float) -> Group:
        """Shift every box by (dx, dy); returns the group."""
        for box in self.boxes:
            box.x += dx
            box.y += dy
        return self

    def place(self, left: float, top: float) -> Group:
        """Move the group so its bounds start at ``left`` and end at ``top``."""
        x0, _, _, y1 = self.bounds()
        return self.move(left - x0, top - y1)

    def add(self, *others: Group) -> Group:
        """Take the boxes and links of ``others``."""
        for other in others:
            self.boxes += other.boxes
            self.links += other.links
        return self


def grid(boxes: list[Box], columns: int, gap: float = GAP) -> Group:
    """``boxes`` in rows of ``columns``, each column as wide as its widest box, top-left at (0, 0)."""
    columns = max(1, min(columns, len(boxes)))
    widths = [max(b.w for b in boxes[c::columns]) for c in range(columns)] if boxes else []
    rows = [boxes[i : i + columns] for i in range(0, len(boxes), columns)]
    y = 0.0
    for row in rows:
        height = max(b.h for b in row)
        x = 0.0
        for column, box in enumerate(row):
            box.x, box.y = x + widths[column] / 2, y - height / 2
            x += widths[column] + gap
        y -= height + gap
    return Group(list(boxes))


def stack(groups: Iterable[Group], gap: float = GAP * 2, *, across: bool = False) -> Group:
    """The groups one under the other (or side by side with ``across``), starting at (0, 0)."""
    out = Group()
    cursor = 0.0
    for group in groups:
        if not group.boxes:
            continue
        if across:
            group.place(cursor, 0.0)
            cursor += group.width + gap
        else:
            group.place(0.0, cursor)
            cursor -= group.height + gap
        out.add(group)
    return out


#: The kinds of box whose lines are flush left (a list, a legend's words), not centred.
_LEFT = ("caption", "text", "more")


def _flush_left(lines: list[str]) -> str:
    r"""Like :func:`quote`, each line quoted on its own and ended by ``\l`` (flush left)."""
    return '"' + "".join(quote([line])[1:-1] + "\\l" for line in lines) + '"'


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def source(title: list[str], group: Group) -> str:
    """The DOT source of ``group``: pinned boxes, straight links, the title on top."""
    lines = [
        "digraph usager {",
        f'  graph [label={quote(title)}, labelloc=t, fontsize=22, fontname="{FONT}", layout=nop2, '
        f"splines=line, outputorder=edgesfirst, pad=0.3];",
        f'  node [fontname="{FONT}", fontsize=11, fixedsize=true];',
        f'  edge [fontname="{FONT}", fontsize=9, arrowsize=0.7];',
    ]
    for box in group.boxes:
        attributes = [f'pos="{_number(box.x)},{_number(box.y)}!"']
        attributes.append(f"width={box.w / 72:.3f}, height={box.h / 72:.3f}")
        if box.kind in ("transition", "waypoint", "anchor"):
            attributes.append('label=""')
        elif box.kind in _LEFT:
            attributes.append(f"label={_flush_left(box.lines)}")
        else:
            attributes.append(f"label={quote(box.lines)}")
        if box.tooltip:
            attributes.append(f"tooltip={quote_tooltip(box.tooltip)}")
        if box.fontsize != 11:
            attributes.append(f"fontsize={_number(box.fontsize)}")
        attributes.append(STYLE[box.kind])
        if box.extra:
            attributes.append(box.extra)
        lines.append(f"  {box.key} [{', '.join(attributes)}];")
    for link in group.links:
        extra = f", {link.extra}" if link.extra else ""
        lines.append(f"  {link.tail} -> {link.head} [{EDGE[link.relation]}{extra}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
