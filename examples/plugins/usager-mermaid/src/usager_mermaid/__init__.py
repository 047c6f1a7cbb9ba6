"""A Mermaid flowchart exporter for usager canvases.

Registered in the ``usager.exporters`` entry-point group as ``mermaid``.
"""

from __future__ import annotations

from typing import Any

import usager
from usager import Canvas

__all__ = ["MermaidExporter", "to_mermaid"]

_CLASSES = (
    "  classDef stage fill:#aed6f1,stroke:#1f618d,color:#000\n"
    "  classDef brake fill:#f5b7b1,stroke:#b03a2e,color:#000\n"
    "  classDef facilitator fill:#abebc6,stroke:#1e8449,color:#000\n"
    "  classDef activity fill:#fcf3cf,stroke:#9a7d0a,color:#000\n"
    "  classDef resource fill:#e8daef,stroke:#6c3483,color:#000\n"
    "  classDef partner fill:#d5dbdb,stroke:#515a5a,color:#000\n"
)
_SAFE = frozenset(" ,.:;!?()'-_/")


def text(value: str, limit: int = 80) -> str:
    """``value`` as the inside of a Mermaid quoted label.

    Letters, digits, spaces and plain punctuation stay as they are; every
    other character becomes a Mermaid entity code (``#35;``), so no text can
    close the label, start markup or change the chart. Line breaks become
    ``<br>``; the text is cut at ``limit`` characters.
    """
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    out: list[str] = []
    for char in value.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\n":
            out.append("<br>")
        elif char.isalnum() or char in _SAFE:
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)


def to_mermaid(canvas: Canvas, *, backstage: bool = False) -> str:
    """The Mermaid flowchart of ``canvas``; raises ``usager.CanvasError`` when it has error findings."""
    findings = usager.check(canvas)
    if any(f.severity is usager.Severity.ERROR for f in findings):
        raise usager.CanvasError(findings, action=f"cannot draw canvas {canvas.name!r}")
    ids = {e.id: f"n{i}" for i, e in enumerate(canvas.elements())}
    lines = ["---", f'title: "{text(canvas.name)}"', "---", "flowchart LR"]
    for stage in canvas.stages:
        lines.append(f'  {ids[stage.id]}(["{text(stage.display_label(canvas.language))}"]):::stage')
    stages = [ids[s.id] for s in canvas.stages]
    for a, b in zip(stages, stages[1:] + stages[:1], strict=True):
        lines.append(f"  {a} ==> {b}")
    for brake in canvas.brakes:
        lines.append(f'  {ids[brake.id]}{{{{"{text(brake.label)}"}}}}:::brake')
        lines.append(f"  {ids[brake.id]} -. holds .-x {ids[brake.stage]}")
    for facilitator in canvas.facilitators:
        lines.append(f'  {ids[facilitator.id]}("{text(facilitator.label)}"):::facilitator')
        for brake_id in dict.fromkeys(facilitator.addresses):
            lines.append(f"  {ids[facilitator.id]} -- addresses --> {ids[brake_id]}")
        for stage_id in dict.fromkeys(facilitator.stages):
            lines.append(f"  {ids[facilitator.id]} -- eases --> {ids[stage_id]}")
    if backstage:
        for activity in canvas.activities:
            lines.append(f'  {ids[activity.id]}["{text(activity.label)}"]:::activity')
            for target in dict.fromkeys(activity.supports):
                lines.append(f"  {ids[activity.id]} --> {ids[target]}")
            for resource in dict.fromkeys(activity.uses):
                lines.append(f"  {ids[activity.id]} -.-> {ids[resource]}")
        for resource in canvas.resources:
            lines.append(f'  {ids[resource.id]}[("{text(resource.label)}")]:::resource')
        for partner in canvas.partners:
            lines.append(f'  {ids[partner.id]}[/"{text(partner.label)}"\\]:::partner')
        for element in (*canvas.activities, *canvas.resources):
            if element.partner is not None:
                lines.append(f"  {ids[element.partner]} -.-> {ids[element.id]}")
    return "\n".join(lines) + "\n" + _CLASSES


class MermaidExporter:
    """The canvas as a Mermaid flowchart (option ``backstage``, default ``False``)."""

    name = "mermaid"
    suffixes = (".mmd", ".mermaid")
    media_type = "text/vnd.mermaid"
    binary = False

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The Mermaid source."""
        unknown = set(options) - {"backstage"}
        if unknown:
            raise TypeError(f"unknown option {', '.join(sorted(map(repr, unknown)))}; the option is backstage")
        return to_mermaid(canvas, backstage=bool(options.get("backstage", False)))
