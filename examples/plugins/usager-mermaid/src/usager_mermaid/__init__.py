"""A Mermaid flowchart exporter for usager canvases.

Registered in the ``usager.exporters`` entry-point group as ``mermaid``.

Two readings, as usager's own drawing (option ``layout``):

- ``"cycle"`` (the default): the cycle from top to bottom, one group per
  transition holding its stage, the brakes that hold users there and the
  facilitators that answer them, and a thick arrow from each stage to the
  next, the last back to the first. (Mermaid has no circular layout.)
- ``"lanes"``: the journey-map grid, one column per stage from left to right,
  its brakes above it, its experience score and facilitators below.

Lanes are capped as the drawing's are ("and N more"), and the chart never
holds more than :data:`MAX_LINKS` links, below Mermaid's limit of 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import usager
from usager import Brake, Canvas, Element, Facilitator, Stage

__all__ = ["LAYOUTS", "MAX_LINKS", "MermaidExporter", "text", "title", "to_mermaid"]

#: The layouts, the first being the default.
LAYOUTS = ("cycle", "lanes")
#: At most this many links (Mermaid refuses more than 500 and draws an error instead).
MAX_LINKS = 480
#: At most this many stages, brakes per stage, facilitators per stage, backstage elements.
STAGES, BRAKES, FACILITATORS, BACKSTAGE = 24, 6, 4, 12

_CLASSES = (
    "  classDef stage fill:#aed6f1,stroke:#1f618d,color:#000\n"
    "  classDef brake fill:#f5b7b1,stroke:#b03a2e,color:#000\n"
    "  classDef severe fill:#e6705f,stroke:#b03a2e,color:#000,stroke-width:3px\n"
    "  classDef facilitator fill:#abebc6,stroke:#1e8449,color:#000\n"
    "  classDef activity fill:#fcf3cf,stroke:#9a7d0a,color:#000\n"
    "  classDef resource fill:#e8daef,stroke:#6c3483,color:#000\n"
    "  classDef partner fill:#d5dbdb,stroke:#515a5a,color:#000\n"
    "  classDef more fill:#ffffff,stroke:#7f8c8d,color:#515a5a,stroke-dasharray:3 3\n"
    "  classDef score fill:#f9e79f,stroke:#7f8c8d,color:#000\n"
)
_SAFE = frozenset(" ,.:;!?()'-_/")
_WORDS = {
    "en": {"more": "and {n} more", "stages": "stages", "backstage": "Backstage"},
    "fr": {"more": "et {n} de plus", "stages": "étapes", "backstage": "Coulisses"},
}
_WORD_JOINER = "#8288;"  # invisible: keeps Mermaid from reading a typed \n or fa:fa- as markup
_ICON = re.compile(r"fa[bklrs]?:fa-$", re.IGNORECASE)


def _visible(char: str) -> str | None:
    """A visible stand-in for a control character (or None when ``char`` is not one)."""
    code = ord(char)
    if char == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␁ ␂ ...
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code <= 0x9F or char in "\ufffe\uffff":  # an entity code would show a Windows-1252 symbol
        return "\ufffd"
    return None


def text(value: str, limit: int = 80) -> str:
    """``value`` as the inside of a Mermaid quoted label.

    Letters, digits, spaces and plain punctuation stay as they are; every
    other character becomes a Mermaid entity code (``#35;``), so no text can
    close the label, start markup or change the chart. Control characters show
    as visible symbols; line breaks become ``<br>``; a typed backslash and an
    ``fa:fa-`` icon name are kept as text. The text is cut at ``limit``
    characters.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    out: list[str] = []
    for i, char in enumerate(value):
        if char == "\n":
            out.append("<br>")
            continue
        char = _visible(char) or char
        if char.isalnum() or char in _SAFE:
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
        if char == "\\" or (char == ":" and _ICON.search(value[max(0, i - 3) : i + 4])):
            out.append(_WORD_JOINER)
    return "".join(out)


def title(value: str, limit: int = 80) -> str:
    """``value`` as a YAML double-quoted string for the chart's title, which Mermaid shows as plain text."""
    value = " ".join(value.split("\n"))
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    shown = "".join(_visible(c) or c for c in value)
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Chart:
    """The lines of a chart, the links counted and capped."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.language = canvas.language.value
        self.words = _WORDS.get(self.language, _WORDS["en"])
        self.ids: dict[str, str] = {}
        for number, element in enumerate(canvas.elements()):
            self.ids.setdefault(element.id, f"n{number}")
        self.lines: list[str] = []
        self.links: list[str] = []
        self.count = 0
        self.dropped = 0
        self.shown: set[str] = set()

    def link(self, line: str, count: int = 1) -> None:
        """Add a line of ``count`` links, unless the chart would then hold more than :data:`MAX_LINKS`."""
        if self.count + count <= MAX_LINKS:
            self.links.append(line)
            self.count += count
        else:
            self.dropped += count

    def label(self, element: Element) -> str:
        if isinstance(element, Stage):
            return element.display_label(self.language)
        return str(getattr(element, "label", getattr(element, "name", element.id)))

    def node(self, element: Element, indent: str = "  ") -> None:
        key = self.ids[element.id]
        self.shown.add(element.id)
        label = text(self.label(element))
        if isinstance(element, Stage):
            self.lines.append(f'{indent}{key}(["{label}"]):::stage')
        elif isinstance(element, Brake):
            marks = "●" * element.severity + "○" * (3 - element.severity)
            style = "severe" if element.severity == 3 else "brake"
            self.lines.append(f'{indent}{key}{{{{"{label}<br>{marks}"}}}}:::{style}')
        elif isinstance(element, Facilitator):
            self.lines.append(f'{indent}{key}("{label}"):::facilitator')
        elif isinstance(element, usager.Activity):
            self.lines.append(f'{indent}{key}["{label}"]:::activity')
        elif isinstance(element, usager.Resource):
            self.lines.append(f'{indent}{key}[("{label}")]:::resource')
        else:
            self.lines.append(f'{indent}{key}[/"{label}"\\]:::partner')

    def more(self, key: str, hidden: Sequence[Element], indent: str = "  ") -> None:
        self.lines.append(f'{indent}{key}["{text(self.words["more"].format(n=len(hidden)))}"]:::more')

    def source(self, direction: str) -> str:
        head = ["---", f"title: {title(self.canvas.name)}", "---", f"flowchart {direction}"]
        tail = [f"  %% {self.dropped} more links left out (Mermaid draws at most 500)"] if self.dropped else []
        return "\n".join(head + self.lines + self.links + tail) + "\n" + _CLASSES


def _groups(canvas: Canvas) -> tuple[list[Stage], list[Stage], list[list[Brake]], list[list[Facilitator]]]:
    """Stages shown and hidden, and per shown place the brakes held and the facilitators that answer most there."""
    stages = list(canvas.stages)
    shown, hidden = (stages, []) if len(stages) <= STAGES else (stages[: STAGES - 1], stages[STAGES - 1 :])
    slots = len(shown) + bool(hidden)
    place = {s.id: i for i, s in enumerate(shown)} | {s.id: len(shown) for s in hidden}
    brakes: list[list[Brake]] = [[] for _ in range(slots)]
    for brake in canvas.brakes:
        brakes[place[brake.stage]].append(brake)
    for held in brakes:
        held.sort(key=lambda b: -b.severity)
    stage_of = {b.id: place[b.stage] for b in canvas.brakes}
    answers: list[list[Facilitator]] = [[] for _ in range(slots)]
    for facilitator in canvas.facilitators:
        targets = [stage_of[b] for b in facilitator.addresses] + [place[s] for s in facilitator.stages]
        answers[max(dict.fromkeys(targets), key=targets.count) if targets else 0].append(facilitator)
    return shown, hidden, brakes, answers


def _lanes_of(chart: _Chart, i: int, brakes: list[Brake], answers: list[Facilitator], indent: str) -> list[str]:
    """Write the brakes and facilitators of place ``i``; their keys, brakes first."""
    keys = []
    for brake in brakes[:BRAKES]:
        chart.node(brake, indent)
        keys.append(chart.ids[brake.id])
    if len(brakes) > BRAKES:
        chart.more(f"more_b{i}", brakes[BRAKES:], indent)
        keys.append(f"more_b{i}")
    for facilitator in answers[:FACILITATORS]:
        chart.node(facilitator, indent)
        keys.append(chart.ids[facilitator.id])
    if len(answers) > FACILITATORS:
        chart.more(f"more_f{i}", answers[FACILITATORS:], indent)
        keys.append(f"more_f{i}")
    return keys


def to_mermaid(canvas: Canvas, *, layout: str = "cycle", backstage: bool = False) -> str:
    """The Mermaid flowchart of ``canvas``; raises ``usager.CanvasError`` when it has error findings."""
    findings = usager.check(canvas)
    if any(f.severity is usager.Severity.ERROR for f in findings):
        raise usager.CanvasError(findings, action=f"cannot draw canvas {canvas.name!r}")
    chart = _Chart(canvas)
    shown, hidden, brakes, answers = _groups(canvas)
    keys = [chart.ids[s.id] for s in shown] + (["more_s"] if hidden else [])
    scores: dict[str, list[int]] = {}
    for experience in canvas.experiences:
        scores.setdefault(experience.stage, []).append(experience.score)
    for i, key in enumerate(keys):
        stage = shown[i] if i < len(shown) else None
        following = shown[(i + 1) % len(keys)] if (i + 1) % len(keys) < len(shown) else None
        if layout == "cycle":
            name = chart.label(stage) if stage is not None else chart.words["more"].format(n=len(hidden))
            after = chart.label(following) if following is not None else chart.words["more"].format(n=len(hidden))
            chart.lines.append(f'  subgraph t{i}["{text(name + " → " + after)}"]')
            chart.lines.append("    direction LR")
        else:
            chart.lines.append(f'  subgraph c{i}[" "]')
            chart.lines.append("    direction TB")
        if stage is not None:
            chart.node(stage, "    ")
        else:
            chart.more("more_s", hidden, "    ")
        lane = _lanes_of(chart, i, brakes[i], answers[i], "    ")
        if layout == "lanes":
            above = [k for k in lane if k.startswith("more_b") or k in {chart.ids[b.id] for b in brakes[i]}]
            below = [k for k in lane if k not in above]
            if stage is not None and stage.id in scores:
                mean = sum(scores[stage.id]) / len(scores[stage.id])
                chart.lines.append(f'    score{i}(("{text(f"{mean:+.1f}")}")):::score')
                below.insert(0, f"score{i}")
            column = [*above, key, *below]
            if len(column) > 1:
                chart.link("  " + " ~~~ ".join(column), count=len(column) - 1)
        chart.lines.append("  end")
    for a, b in zip(keys, keys[1:] + keys[:1], strict=True):
        chart.link(f"  {a} ==> {b}")
    for i, held in enumerate(brakes):
        for brake in held[:BRAKES]:
            chart.link(f"  {chart.ids[brake.id]} -. holds .-x {keys[i]}")
    for facilitator in canvas.facilitators:
        if facilitator.id not in chart.shown:
            continue
        for brake_id in dict.fromkeys(facilitator.addresses):
            if brake_id in chart.shown:
                chart.link(f"  {chart.ids[facilitator.id]} -- addresses --> {chart.ids[brake_id]}")
        for stage_id in dict.fromkeys(facilitator.stages):
            if stage_id in chart.shown:
                chart.link(f"  {chart.ids[facilitator.id]} -- eases --> {chart.ids[stage_id]}")
    if backstage:
        _backstage(chart, canvas)
    return chart.source("TB" if layout == "cycle" else "LR")


def _backstage(chart: _Chart, canvas: Canvas) -> None:
    chart.lines.append(f'  subgraph backstage["{text(chart.words["backstage"])}"]')
    for group in (canvas.activities, canvas.resources, canvas.partners):
        for element in group[:BACKSTAGE]:
            chart.node(element, "    ")
    chart.lines.append("  end")
    for activity in canvas.activities[:BACKSTAGE]:
        for target in dict.fromkeys(activity.supports):
            if target in chart.shown:
                chart.link(f"  {chart.ids[activity.id]} --> {chart.ids[target]}")
        for resource in dict.fromkeys(activity.uses):
            if resource in chart.shown:
                chart.link(f"  {chart.ids[activity.id]} -.-> {chart.ids[resource]}")
    owned: list[usager.Activity | usager.Resource] = [*canvas.activities[:BACKSTAGE], *canvas.resources[:BACKSTAGE]]
    for owner in owned:
        if owner.partner is not None and owner.partner in chart.shown:
            chart.link(f"  {chart.ids[owner.partner]} -.-> {chart.ids[owner.id]}")


class MermaidExporter:
    """The canvas as a Mermaid flowchart (options ``layout``, ``"cycle"`` or ``"lanes"``, and ``backstage``)."""

    name = "mermaid"
    suffixes = (".mmd", ".mermaid")
    media_type = "text/vnd.mermaid"
    binary = False
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType({"layout": LAYOUTS, "backstage": bool})

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The Mermaid source."""
        unknown = set(options) - set(self.options)
        if unknown:
            raise usager.OptionError(
                f"unknown option {', '.join(sorted(map(repr, unknown)))}; the options are layout, backstage"
            )
        layout = options.get("layout", "cycle")
        if layout not in LAYOUTS:
            raise usager.OptionError(f"option 'layout' takes 'cycle' or 'lanes', not {layout!r}")
        backstage = options.get("backstage", False)
        if not isinstance(backstage, bool):
            raise usager.OptionError(f"option 'backstage' takes true or false, not {backstage!r}")
        return to_mermaid(canvas, layout=layout, backstage=backstage)
