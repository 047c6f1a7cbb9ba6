"""Rule U040: personas and the usagers who embody them."""

from __future__ import annotations

from collections.abc import Iterator

from usager.elements import Persona
from usager.findings import Severity
from usager.rules._base import complete
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
    bad=lambda: complete().add(Persona(id="retiree", name="Retired tinkerer")),
    good=complete,
)
def lonely_persona(ctx: Context) -> Iterator[Witness]:
    """One finding per persona with no usager, and per repeated persona in a brake's list."""
    for persona in ctx.of_kind("persona"):
        if not ctx.has_edge_in(persona.id, "embodies"):
            yield f"{ctx.describe(persona)} is embodied by no usager", (persona.id,)
    for brake in ctx.canvas.brakes:
        counts: dict[str, int] = {}
        for persona_id in brake.personas:
            counts[persona_id] = counts.get(persona_id, 0) + 1
        for persona_id, n in counts.items():
            if n > 1:
                yield (
                    f"{ctx.describe(brake)} names persona {persona_id!r} {n} times in personas",
                    (brake.id, persona_id),
                )
