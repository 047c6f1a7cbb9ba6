"""Acme's usager rule: a facilitator in place names its owner with a tag ``owner:NAME``."""

from __future__ import annotations

from collections.abc import Iterator

from usager import Canvas, Rule, Severity
from usager.examples import complete
from usager.rules import Context, Witness, changed


def _owner(ctx: Context) -> Iterator[Witness]:
    for facilitator in ctx.canvas.facilitators:
        if facilitator.status.value == "in_place" and not any(t.startswith("owner:") for t in facilitator.tags):
            yield f"facilitator {facilitator.id!r} is in place but names no owner (a tag owner:NAME)", (facilitator.id,)


def _good() -> Canvas:
    canvas = complete()
    for facilitator in canvas.facilitators:
        canvas = changed(canvas, facilitator.id, tags=(*facilitator.tags, "owner:front-desk"))
    return canvas


def _bad() -> Canvas:
    canvas = _good()
    return changed(canvas, canvas.facilitators[0].id, status="in_place", tags=())


FACILITATOR_OWNER = Rule(
    code="ACME001",
    severity=Severity.WARNING,
    summary="a facilitator in place names its owner",
    explanation="Whoever keeps a facilitator working is named by a tag owner:NAME, so that it stays in place.",
    run=_owner,
    bad=_bad,
    good=_good,
)
