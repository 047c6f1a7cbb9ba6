"""Rules U020–U021: the lanes of brakes and facilitators."""

from __future__ import annotations

from collections.abc import Iterator

from usager.elements import Facilitator
from usager.findings import Severity
from usager.rules._base import complete
from usager.rules._registry import Context, Witness, rule


@rule(
    "U020",
    Severity.WARNING,
    "a brake has no facilitator addressing it",
    explanation=(
        "Facilitators are the answers to the brakes. A brake no facilitator addresses is a known "
        "reason for users to drop out that nothing is yet done about."
    ),
    bad=lambda: complete().replace(Facilitator(id="slots", label="Fifteen-minute repair slots", stages=["usage"])),
    good=complete,
)
def unaddressed_brake(ctx: Context) -> Iterator[Witness]:
    """One finding per brake with no ``addresses`` edge coming in."""
    for brake in ctx.of_kind("brake"):
        if not ctx.has_edge_in(brake.id, "addresses"):
            yield f"{ctx.describe(brake)} has no facilitator addressing it", (brake.id,)


@rule(
    "U021",
    Severity.WARNING,
    "a facilitator addresses no brake and eases no stage",
    explanation=(
        "A facilitator helps the user from one stage to the next: it answers brakes "
        "(`addresses`) or eases stages (`stages`). One that does neither floats outside the cycle."
    ),
    bad=lambda: complete().add(Facilitator(id="newsletter", label="Newsletter")),
    good=complete,
)
def idle_facilitator(ctx: Context) -> Iterator[Witness]:
    """One finding per facilitator with no ``addresses`` or ``eases`` edge going out."""
    for facilitator in ctx.of_kind("facilitator"):
        if not ctx.has_edge_out(facilitator.id, "addresses", "eases"):
            yield f"{ctx.describe(facilitator)} addresses no brake and eases no stage", (facilitator.id,)
