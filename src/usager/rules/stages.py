"""Rules U010–U012: the cycle's stages."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from usager.canvas import Canvas
from usager.elements import Stage, StageKind
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import Context, Witness, rule

_CYCLE = {kind: i for i, kind in enumerate(StageKind.standard())}


def _nothing_yet() -> Canvas:
    """The complete canvas with every list emptied: a name and a description, nothing drawn yet."""
    base = complete()
    return Canvas(name=base.name, language=base.language, description=base.description)


@rule(
    "U010",
    Severity.ERROR,
    "a canvas has no stage",
    explanation=(
        "The canvas is a cycle of stages that takes a person from never having heard of the "
        "service to recommending it. Without a stage there is no cycle for brakes to hold users "
        "in, nor for facilitators to ease. Canvas.standard() starts with the six standard stages."
    ),
    bad=_nothing_yet,
    good=complete,
)
def no_stage(ctx: Context) -> Iterator[Witness]:
    """One finding when the canvas has no stage at all."""
    if not ctx.canvas.stages:
        yield ctx.tr("the canvas has no stage: a cycle needs at least one"), ()


def _swapped() -> list[Stage]:
    stages = list(complete().stages)
    stages[1], stages[2] = stages[2], stages[1]
    return stages


@rule(
    "U011",
    Severity.WARNING,
    "a standard stage kind is missing, or standard kinds are out of cycle order",
    explanation=(
        "The method walks the user through six stages, in this order: discovery, first "
        "experience, purchase, usage, extended usage, prescription, and back to discovery. A "
        "canvas that leaves one out has not yet asked that stage's question. The order of "
        "`stages` is the cycle order; since the cycle closes, it may start at any stage, but the "
        "standard kinds must follow one another as the cycle does. Custom stages may stand anywhere."
    ),
    bad=lambda: attrs.evolve(complete(), stages=_swapped()),
    good=complete,
)
def standard_cycle(ctx: Context) -> Iterator[Witness]:
    """One finding for the missing standard kinds, one for standard kinds out of order."""
    if not ctx.canvas.stages:
        return
    language = ctx.canvas.language
    seen: dict[StageKind, Stage] = {}
    for stage in ctx.canvas.stages:
        if stage.kind is not StageKind.CUSTOM:
            seen.setdefault(stage.kind, stage)
    missing = [k for k in StageKind.standard() if k not in seen]
    if missing:
        names = ", ".join(f"{k.value} ({k.label(language)})" for k in missing)
        if len(missing) > 1:
            yield ctx.tr("the standard stage kinds are missing: {kinds}", kinds=names), ()
        else:
            yield ctx.tr("the standard stage kind is missing: {kinds}", kinds=names), ()
    order = [_CYCLE[k] for k in seen]
    descents = sum(a > b for a, b in zip(order, order[1:] + order[:1], strict=True))
    if len(order) > 2 and descents > 1:
        found = ", ".join(f"{s.id!r} ({k.value})" for k, s in seen.items())
        expected = " → ".join(k.value for k in sorted(seen, key=_CYCLE.__getitem__))
        message = ctx.tr(
            "the standard stages are out of cycle order: found {found}; the cycle goes {expected} (starting anywhere)",
            found=found,
            expected=expected,
        )
        yield message, tuple(s.id for s in seen.values())


@rule(
    "U012",
    Severity.ERROR,
    "two stages share a standard kind",
    explanation=(
        "Each standard stage kind stands once in the cycle. Two stages of the same standard kind "
        "split what the team knows of that stage in two; merge them, or make the extra one a "
        "`custom` stage with a label of its own."
    ),
    bad=lambda: complete().add(Stage(id="second-visit", kind="first_experience", label="Second visit")),
    good=complete,
)
def shared_standard_kind(ctx: Context) -> Iterator[Witness]:
    """One finding per standard kind held by more than one stage."""
    by_kind: dict[StageKind, list[Stage]] = {}
    for stage in ctx.canvas.stages:
        if stage.kind is not StageKind.CUSTOM:
            by_kind.setdefault(stage.kind, []).append(stage)
    for kind, stages in by_kind.items():
        if len(stages) > 1:
            names = ", ".join(ctx.describe(s) for s in stages)
            message = ctx.tr(
                "{count} stages are of kind {kind}: {stages}", count=len(stages), kind=kind.value, stages=names
            )
            yield message, tuple(s.id for s in stages)
