"""The ``dot`` exporter: the canvas drawn as a Graphviz graph.

The drawing reads as the canvas does: the cycle of stages runs across the
middle, each stage followed by a small dot for the transition to the next
stage (the last leading back to the first). Brakes (red octagons) stand in a
lane above, each attached to the transition it holds users back on;
facilitators (green rounded boxes) stand in a lane below, attached to the
brakes they address and the transitions they ease. The backstage (key
activities by phase, resources, partners) is grouped apart at the bottom, the
personas and usagers at the top, and a legend explains the shapes.

Every node id is synthetic (``n0``, ``n1``... in document order) and user
text only ever appears inside escaped, wrapped and capped quoted labels: no
label can change the graph's structure, break the syntax, become an HTML
label or a port, or make Graphviz open a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from usager._check import run
from usager._graph import Resolution
from usager.canvas import Canvas, element_kind, element_label
from usager.elements import Brake, Element, Language, Phase, Stage
from usager.errors import CanvasError, OptionError
from usager.exporters._dottext import quote, quote_tooltip, wrap
from usager.findings import Severity
from usager.rules import Context, all_rules

__all__ = ["DotExporter", "to_dot"]

FONT = "Helvetica,Arial,sans-serif"

_WORDS: dict[Language, dict[str, str]] = {
    Language.EN: {
        "cycle": "The user's cycle", "brakes": "Brakes", "facilitators": "Facilitators", "backstage": "Backstage",
        "run": "Key activities: running the service", "launch": "Key activities: launching it",
        "resources": "Key resources", "partners": "Key partners", "people": "People", "legend": "Legend",
        "stage": "Stage", "transition": "transition", "brake": "Brake", "facilitator": "Facilitator",
        "activity": "Key activity", "resource": "Key resource", "partner": "Key partner", "persona": "Persona",
        "usager": "Usager", "severity": "severity",
    },
    Language.FR: {
        "cycle": "Le cycle de l'usager", "brakes": "Freins", "facilitators": "Facilitateurs",
        "backstage": "Coulisses", "run": "Activités clés : faire fonctionner le service",
        "launch": "Activités clés : le lancer", "resources": "Ressources clés", "partners": "Partenaires clés",
        "people": "Personnes", "legend": "Légende", "stage": "Étape", "transition": "passage", "brake": "Frein",
        "facilitator": "Facilitateur", "activity": "Activité clé", "resource": "Ressource clé",
        "partner": "Partenaire clé", "persona": "Persona", "usager": "Usager", "severity": "gravité",
    },
}  # fmt: skip

#: Node attributes by kind: shape, fill and line colours.
_STYLE: dict[str, str] = {
    "stage": 'shape=ellipse, style=filled, fillcolor="#aed6f1", color="#1f618d", penwidth=1.5',
    "transition": 'shape=point, width=0.14, color="#1f618d"',
    "brake": 'shape=octagon, style=filled, fillcolor="#f5b7b1", color="#b03a2e"',
    "facilitator": 'shape=box, style="rounded,filled", fillcolor="#abebc6", color="#1e8449"',
    "activity": 'shape=box, style=filled, fillcolor="#fcf3cf", color="#9a7d0a"',
    "resource": 'shape=cylinder, style=filled, fillcolor="#e8daef", color="#6c3483"',
    "partner": 'shape=house, style=filled, fillcolor="#d5dbdb", color="#515a5a"',
    "persona": 'shape=note, style=filled, fillcolor="#fae5d3", color="#a04000"',
    "usager": 'shape=oval, style=filled, fillcolor="#fdebd0", color="#a04000"',
}
#: Edge attributes by relation, and whether the edge is written reversed (``dir=back``) so
#: that the layout ranks its target above its source.
_EDGE: dict[str, tuple[str, bool]] = {
    "next": ('color="#1f618d", penwidth=2', False),
    "holds": ('color="#b03a2e", penwidth=1.5, arrowhead=tee', False),
    "affects": ('color="#a04000", style=dotted', True),
    "addresses": ('color="#1e8449", style=dashed, constraint=false', False),
    "eases": ('color="#1e8449", penwidth=1.5', True),
    "supports": ('color="#7f8c8d"', True),
    "uses": ('color="#7f8c8d", style=dashed', False),
    "performs": ('color="#7f8c8d", style=dotted', True),
    "provides": ('color="#7f8c8d", style=dotted', True),
    "embodies": ('color="#a04000", style=dotted', False),
    "at": ('color="#a04000", style=dotted, constraint=false', False),
}


def _label(element: Element, language: Language) -> list[str]:
    if isinstance(element, Stage):
        return wrap(element.display_label(language), width=20, max_lines=4)
    lines = wrap(element_label(element, language))
    if isinstance(element, Brake):
        lines.append("●" * element.severity + "○" * (3 - element.severity))
    return lines


@attrs.define
class _Writer:
    canvas: Canvas
    resolution: Resolution
    backstage: bool
    people: bool
    lines: list[str] = attrs.field(factory=list)
    ids: dict[str, str] = attrs.field(factory=dict)
    transitions: dict[str, str] = attrs.field(factory=dict)

    @property
    def words(self) -> dict[str, str]:
        return _WORDS[self.canvas.language]

    def shown(self, kind: str) -> bool:
        if kind not in _STYLE:  # experiences, metrics and contributions are not drawn yet
            return False
        if kind in ("activity", "resource", "partner"):
            return self.backstage
        if kind in ("persona", "usager"):
            return self.people
        return True

    def node(self, element: Element, indent: str) -> None:
        node_id = self.ids[element.id]
        kind = element_kind(element)
        tooltip = wrap(f"{element.id}: {getattr(element, 'description', '')}", width=80, max_lines=8)
        self.lines.append(
            f"{indent}{node_id} [label={quote(_label(element, self.canvas.language))}, "
            f"tooltip={quote_tooltip(tooltip)}, {_STYLE[kind]}];"
        )

    def cluster(self, name: str, title: str, elements: list[Element], colour: str, indent: str = "  ") -> None:
        if not elements:
            return
        self.lines.append(f"{indent}subgraph cluster_{name} {{")
        self.lines.append(f'{indent}  label={quote(title)}; style="rounded,dashed"; color="{colour}";')
        for element in elements:
            self.node(element, indent + "  ")
        self.lines.append(f"{indent}}}")

    def of_kind(self, kind: str) -> list[Element]:
        return [e for e in self.canvas.elements() if element_kind(e) == kind and e.id in self.ids]

    def write(self) -> str:
        canvas, words = self.canvas, self.words
        for number, element in enumerate(canvas.elements()):
            if element.id not in self.ids and self.shown(element_kind(element)):
                self.ids[element.id] = f"n{number}"
        title = quote(wrap(canvas.name, width=60, max_lines=3))
        self.lines += [
            "digraph usager {",
            f'  graph [label={title}, labelloc=t, fontsize=20, fontname="{FONT}", nodesep=0.35, ranksep=0.55];',
            f'  node [fontname="{FONT}", fontsize=11];',
            f'  edge [fontname="{FONT}", fontsize=9];',
        ]
        if self.people:
            self.cluster("people", words["people"], self.of_kind("persona") + self.of_kind("usager"), "#a04000")
        self.cluster("brakes", words["brakes"], self.of_kind("brake"), "#b03a2e")
        self.cycle()
        self.cluster("facilitators", words["facilitators"], self.of_kind("facilitator"), "#1e8449")
        if self.backstage:
            self.backstage_clusters()
        self.edges()
        self.legend()
        self.lines.append("}")
        return "\n".join(self.lines) + "\n"

    def cycle(self) -> None:
        stages = self.of_kind("stage")
        if not stages:
            return
        # Not a cluster: Graphviz keeps same-rank nodes in edge order only outside clusters.
        title = quote(self.words["cycle"])
        self.lines.append(f'  cycle [label={title}, shape=plaintext, fontsize=14, fontcolor="#1f618d"];')
        row = ["cycle"]
        for stage in stages:
            self.node(stage, "  ")
            transition = f"{self.ids[stage.id]}t"
            self.transitions[stage.id] = transition
            self.lines.append(
                f"  {transition} [tooltip={quote_tooltip([self.words['transition']])}, {_STYLE['transition']}];"
            )
            row += [self.ids[stage.id], transition]
        self.lines.append(f"  {{ rank=same; {'; '.join(row)}; }}")
        self.lines.append(f"  cycle -> {self.ids[stages[0].id]} [style=invis];")

    def backstage_clusters(self) -> None:
        activities = self.of_kind("activity")
        by_phase = {p: [a for a in activities if a.phase is p] for p in Phase}  # type: ignore[union-attr]
        resources, partners = self.of_kind("resource"), self.of_kind("partner")
        if not (activities or resources or partners):
            return
        self.lines.append("  subgraph cluster_backstage {")
        self.lines.append(f'    label={quote(self.words["backstage"])}; style="rounded,filled"; fillcolor="#fbfcfc"; '
                          'color="#7f8c8d";')  # fmt: skip
        self.cluster("run", self.words["run"], by_phase[Phase.RUN], "#9a7d0a", "    ")
        self.cluster("launch", self.words["launch"], by_phase[Phase.LAUNCH], "#9a7d0a", "    ")
        self.cluster("resources", self.words["resources"], resources, "#6c3483", "    ")
        self.cluster("partners", self.words["partners"], partners, "#515a5a", "    ")
        self.lines.append("  }")

    def edges(self) -> None:
        stages = [s for s in self.of_kind("stage")]
        for stage, following in zip(stages, stages[1:] + stages[:1], strict=True):
            transition = self.transitions[stage.id]
            self.lines.append(f"  {self.ids[stage.id]} -> {transition} [{_EDGE['next'][0]}, arrowhead=none];")
            if following is stages[0]:
                # Written first-to-last and drawn backwards, so that the row's order has no loop.
                self.lines.append(f"  {self.ids[following.id]} -> {transition} [{_EDGE['next'][0]}, dir=back];")
            else:
                self.lines.append(f"  {transition} -> {self.ids[following.id]} [{_EDGE['next'][0]}];")
        for source, relation, target in self.relations():
            style, reverse = _EDGE[relation]
            tail, head = (target, source) if reverse else (source, target)
            direction = ", dir=back" if reverse else ""
            self.lines.append(f"  {tail} -> {head} [{style}{direction}];")

    def relations(self) -> Iterator[tuple[str, str, str]]:
        """(source node, relation, target node) for each reference drawn, in document order."""
        seen: set[tuple[str, str, str]] = set()
        for source, target, relation in self.resolution.edges:
            if relation == "next" or source not in self.ids or target not in self.ids:
                continue
            # a brake holds, and a facilitator eases, the transition out of a stage
            target_node = self.transitions[target] if relation in ("holds", "eases") else self.ids[target]
            edge = (self.ids[source], relation, target_node)
            if edge not in seen:
                seen.add(edge)
                yield edge

    def legend(self) -> None:
        words = self.words
        kinds = ["stage", "brake", "facilitator"]
        kinds += ["activity", "resource", "partner"] if self.backstage else []
        kinds += ["persona", "usager"] if self.people else []
        self.lines.append("  subgraph cluster_legend {")
        self.lines.append(f'    label={quote(words["legend"])}; style="rounded"; color="#bdc3c7"; fontsize=12;')
        for i, kind in enumerate(kinds):
            label = words[kind] + (f"\n●●○ = {words['severity']} 2/3" if kind == "brake" else "")
            self.lines.append(f"    legend{i} [label={quote(label.splitlines())}, fontsize=9, {_STYLE[kind]}];")
        self.lines.append(f"    {{ rank=same; {'; '.join(f'legend{i}' for i in range(len(kinds)))}; }}")
        self.lines.append("  }")


def to_dot(canvas: Canvas, *, backstage: bool = True, people: bool = True) -> str:
    """The DOT source drawing ``canvas``; raises :class:`CanvasError` when it has error findings.

    The references are resolved once: the error rules and the drawing share that resolution.
    """
    context = Context.of(canvas)
    findings = run(context, [r for r in all_rules() if r.severity is Severity.ERROR])
    if findings:
        raise CanvasError(findings, action=f"cannot draw canvas {canvas.name!r}")
    return _Writer(canvas, context.resolution, backstage=backstage, people=people).write()


class DotExporter:
    """The canvas as Graphviz DOT source (see the module documentation for the drawing).

    Options: ``backstage`` (default ``True``) draws the key activities,
    resources and partners; ``people`` (default ``True``) draws the personas
    and usagers. A canvas with error-level findings is refused with a
    :class:`~usager.errors.CanvasError` listing them.
    """

    name = "dot"
    suffixes = (".dot", ".gv")
    media_type = "text/vnd.graphviz"
    binary = False

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The DOT source."""
        return to_dot(canvas, **_options(options))


def _options(options: dict[str, Any]) -> dict[str, bool]:
    unknown = set(options) - {"backstage", "people"}
    if unknown:
        raise OptionError(f"unknown option {', '.join(sorted(map(repr, unknown)))}; the options are backstage, people")
    for key, value in options.items():
        if not isinstance(value, bool):
            raise OptionError(f"option {key!r} takes True or False, not {value!r}")
    return options
