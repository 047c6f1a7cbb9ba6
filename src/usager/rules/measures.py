"""Rules U060–U061: the emotion curve and the metrics of each stage."""

from __future__ import annotations

from collections.abc import Iterator

from usager.elements import Metric
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import Context, Witness, changed, rule


@rule(
    "U060",
    Severity.INFO,
    "a stage has no experience score (a gap in the emotion curve)",
    explanation=(
        "The emotion curve says how users feel at each stage, from -2 to +2, as interviews and "
        "observation tell. A stage with no experience is a gap in that curve: nobody has yet "
        "asked how it feels to go through it."
    ),
    bad=lambda: complete().remove("signing-in"),
    good=complete,
)
def stage_without_experience(ctx: Context) -> Iterator[Witness]:
    """One finding per stage that no experience is felt at."""
    for stage in ctx.of_kind("stage"):
        if not ctx.has_edge_in(stage.id, "felt_at"):
            yield ctx.tr("{stage} has no experience score", stage=ctx.describe(stage)), (stage.id,)


@rule(
    "U061",
    Severity.INFO,
    "a metric has neither a target nor a current value",
    explanation=(
        "A metric tells whether a stage works only once it has a figure: where the team stands "
        "(`current`) or where it aims (`target`). One with neither is still a wish to measure."
    ),
    bad=lambda: changed(complete(), "returning", target=None, current=None),
    good=complete,
)
def empty_metric(ctx: Context) -> Iterator[Witness]:
    """One finding per metric with no target and no current value."""
    for metric in ctx.of_kind("metric"):
        assert isinstance(metric, Metric)
        if metric.target is None and metric.current is None:
            message = ctx.tr("{metric} has neither a target nor a current value", metric=ctx.describe(metric))
            yield message, (metric.id,)
