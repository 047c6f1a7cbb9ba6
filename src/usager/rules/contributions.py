"""Rules U050–U052: the contributions usagers propose, and the answers they get."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from usager.canvas import Canvas
from usager.elements import Contribution, ContributionStatus, unassessed
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import Context, Witness, changed, rule


def _with(**changes: Any) -> Canvas:
    """The complete canvas with its one contribution (a text when a bench is free) changed."""
    return changed(complete(), "sms", **changes)


@rule(
    "U050",
    Severity.WARNING,
    "a declined contribution has no answer, or a duplicate one names no duplicate_of",
    explanation=(
        "Usagers who take the time to propose an improvement are owed a reply. A declined "
        "contribution says why in `answer`; one marked as a duplicate says which contribution it "
        "repeats in `duplicate_of`, so that its author can follow that one."
    ),
    bad=lambda: _with(status="declined"),
    good=lambda: _with(
        status="declined", answer="We have no phone to send texts; the online booking shows free benches."
    ),
)
def unanswered_contribution(ctx: Context) -> Iterator[Witness]:
    """One finding per declined contribution without an answer, and per duplicate naming no original."""
    for contribution in ctx.of_kind("contribution"):
        assert isinstance(contribution, Contribution)
        if contribution.status is ContributionStatus.DECLINED and not contribution.answer.strip():
            message = ctx.tr(
                "{contribution} was declined with no answer to its author", contribution=ctx.describe(contribution)
            )
            yield message, (contribution.id,)
        if contribution.status is ContributionStatus.DUPLICATE and contribution.duplicate_of is None:
            message = ctx.tr(
                "{contribution} is a duplicate but names no duplicate_of", contribution=ctx.describe(contribution)
            )
            yield message, (contribution.id,)


@rule(
    "U051",
    Severity.WARNING,
    "a done contribution names nothing in realized_by",
    explanation=(
        "A contribution marked done became something real: a facilitator put in place or a key "
        "activity. Naming it in `realized_by` lets the team show usagers what their proposal "
        "changed, and keeps the canvas honest about where the improvement lives."
    ),
    bad=lambda: _with(status="done"),
    good=lambda: _with(status="done", realized_by="booking", answer="Book a bench online and come when it is free."),
)
def unrealized_contribution(ctx: Context) -> Iterator[Witness]:
    """One finding per done contribution with no realized_by."""
    for contribution in ctx.of_kind("contribution"):
        assert isinstance(contribution, Contribution)
        if contribution.status is ContributionStatus.DONE and contribution.realized_by is None:
            message = ctx.tr(
                "{contribution} is done but names nothing in realized_by", contribution=ctx.describe(contribution)
            )
            yield message, (contribution.id,)


_WEIGHED = (ContributionStatus.UNDER_REVIEW, ContributionStatus.ACCEPTED, ContributionStatus.IN_PROGRESS)


@rule(
    "U052",
    Severity.INFO,
    "a contribution under review, accepted or in progress carries no assessment",
    explanation=(
        "Reviewing a proposal is judging whether it is wanted, feasible and viable, and what it "
        "costs (`desirability`, `feasibility`, `viability`, `effort`, each 1 to 5). A contribution "
        "that got that far without an assessment cannot be ranked against the team's own ideas."
    ),
    bad=lambda: _with(status="accepted", desirability=None, feasibility=None, viability=None, effort=None),
    good=lambda: _with(status="accepted"),
)
def unassessed_contribution(ctx: Context) -> Iterator[Witness]:
    """One finding per contribution under review, accepted or in progress with no assessment at all."""
    for contribution in ctx.of_kind("contribution"):
        assert isinstance(contribution, Contribution)
        if contribution.status in _WEIGHED and unassessed(contribution):
            message = ctx.tr(
                "{contribution} is {status} and carries no assessment",
                contribution=ctx.describe(contribution),
                status=ctx.word(contribution.status.value),
            )
            yield message, (contribution.id,)
