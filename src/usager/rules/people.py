"""Rules U040–U041: personas, the usagers who embody them, and lead users."""

from __future__ import annotations

from collections.abc import Iterator

from usager.elements import Persona, Usager
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import Context, Witness, rule


@rule(
    "U040",
    Severity.INFO,
    "a persona is embodied by no usager, or a brake's persona list names a persona twice",
    explanation=(
        "Personas make users concrete; usagers are the real people behind them. A persona no "
        "usager embodies may be an assumption no one has met yet. A brake that names the same "
        "persona twice in `personas` is harmless but shows a slip."
    ),
    bad=lambda: complete().add(Persona(id="student", name="Student on a budget")),
    good=complete,
)
def lonely_persona(ctx: Context) -> Iterator[Witness]:
    """One finding per persona with no usager, and per repeated persona in a brake's list."""
    for persona in ctx.of_kind("persona"):
        if not ctx.has_edge_in(persona.id, "embodies"):
            yield ctx.tr("{persona} is embodied by no usager", persona=ctx.describe(persona)), (persona.id,)
    for brake in ctx.canvas.brakes:
        counts: dict[str, int] = {}
        for persona_id in brake.personas:
            counts[persona_id] = counts.get(persona_id, 0) + 1
        for persona_id, n in counts.items():
            if n > 1:
                message = ctx.tr(
                    "{brake} names persona {persona} {count} times in personas",
                    brake=ctx.describe(brake),
                    persona=repr(persona_id),
                    count=n,
                )
                yield message, (brake.id, persona_id)


@rule(
    "U041",
    Severity.INFO,
    "a lead user has proposed no contribution",
    explanation=(
        "Lead users meet a need before the rest of the market, and often work around the service "
        "to do so: their proposals point where it should go. A usager marked `lead_user` who has "
        "proposed nothing yet is someone worth asking."
    ),
    bad=lambda: complete().remove("sms"),
    good=complete,
)
def silent_lead_user(ctx: Context) -> Iterator[Witness]:
    """One finding per lead user who authored no contribution."""
    for usager in ctx.of_kind("usager"):
        assert isinstance(usager, Usager)
        if usager.lead_user and not ctx.has_edge_in(usager.id, "proposed_by"):
            message = ctx.tr("{usager} is a lead user and has proposed no contribution", usager=ctx.describe(usager))
            yield message, (usager.id,)
