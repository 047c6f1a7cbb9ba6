"""Rules U020–U024: the lanes of brakes and facilitators."""

from __future__ import annotations

from collections.abc import Iterator

from usager.elements import Brake, Facilitator, FacilitatorStatus, unassessed
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import Context, Witness, changed, rule


@rule(
    "U020",
    Severity.WARNING,
    "a brake has no facilitator addressing it",
    explanation=(
        "Facilitators are the answers to the brakes. A brake no facilitator addresses is a known "
        "reason for users to drop out that nothing is yet done about."
    ),
    bad=lambda: complete().add(Brake(id="no-parts", label="Spare parts are hard to find", stage="usage")),
    good=complete,
)
def unaddressed_brake(ctx: Context) -> Iterator[Witness]:
    """One finding per brake that no facilitator addresses (a contribution's proposal is not an answer yet)."""
    for brake in ctx.of_kind("brake"):
        if not ctx.facilitators_addressing(brake.id):
            yield ctx.tr("{brake} has no facilitator addressing it", brake=ctx.describe(brake)), (brake.id,)


@rule(
    "U021",
    Severity.WARNING,
    "a facilitator addresses no brake and eases no stage",
    explanation=(
        "A facilitator helps the user from one stage to the next: it answers brakes "
        "(`addresses`) or eases stages (`stages`). One that does neither floats outside the cycle."
    ),
    bad=lambda: complete().add(Facilitator(id="newsletter", label="Monthly newsletter")),
    good=complete,
)
def idle_facilitator(ctx: Context) -> Iterator[Witness]:
    """One finding per facilitator with no ``addresses`` or ``eases`` edge going out."""
    for facilitator in ctx.of_kind("facilitator"):
        if not ctx.has_edge_out(facilitator.id, "addresses", "eases"):
            message = ctx.tr(
                "{facilitator} addresses no brake and eases no stage", facilitator=ctx.describe(facilitator)
            )
            yield message, (facilitator.id,)


@rule(
    "U022",
    Severity.WARNING,
    "a severity-3 brake has no facilitator in place addressing it",
    explanation=(
        "A blocking brake (severity 3) stops users at its stage. An idea or a plan that answers it "
        "does not help them yet: until a facilitator addressing it is `in_place`, the brake is "
        "answered only on paper."
    ),
    bad=lambda: changed(complete(), "booking", status="planned"),
    good=complete,
)
def severe_brake_on_paper(ctx: Context) -> Iterator[Witness]:
    """One finding per severity-3 brake with no in-place facilitator addressing it, when some facilitator does."""
    for brake in ctx.of_kind("brake"):
        assert isinstance(brake, Brake)
        answers = ctx.facilitators_addressing(brake.id)
        if brake.severity == 3 and answers and not any(f.status is FacilitatorStatus.IN_PLACE for f in answers):
            statuses = ", ".join(
                ctx.tr("{facilitator} is {status}", facilitator=ctx.describe(f), status=ctx.word(f.status.value))
                for f in answers
            )
            message = ctx.tr(
                "{brake} blocks users, and no facilitator in place addresses it ({statuses})",
                brake=ctx.describe(brake),
                statuses=statuses,
            )
            yield message, (brake.id, *(f.id for f in answers))


@rule(
    "U023",
    Severity.INFO,
    "a facilitator addresses brakes held only at stages it does not ease, while it eases some stage",
    explanation=(
        "A facilitator helps at the stages it eases and answers the brakes it addresses. When it "
        "eases some stages but every brake it addresses is held elsewhere, one of the two lists is "
        "likely wrong: it eases the wrong stage, or answers the wrong brakes."
    ),
    bad=lambda: changed(complete(), "welcome", stages=["usage"]),
    good=complete,
)
def facilitator_elsewhere(ctx: Context) -> Iterator[Witness]:
    """One finding per facilitator whose addressed brakes all stand at stages it does not ease."""
    for facilitator in ctx.of_kind("facilitator"):
        assert isinstance(facilitator, Facilitator)
        eased = set(facilitator.stages)
        brakes = [b for b in (ctx.index.get(i) for i in facilitator.addresses) if isinstance(b, Brake)]
        if eased and brakes and not any(b.stage in eased for b in brakes):
            held = ", ".join(sorted({b.stage for b in brakes}))
            eases = ", ".join(facilitator.stages)
            message = ctx.tr(
                "{facilitator} eases {eases} but addresses brakes held at {held}",
                facilitator=ctx.describe(facilitator),
                eases=eases,
                held=held,
            )
            yield message, (facilitator.id,)


@rule(
    "U024",
    Severity.INFO,
    "a facilitator not yet in place carries no assessment",
    explanation=(
        "The method converges on answers that are wanted, feasible and viable. A facilitator that is "
        "still an idea or a plan needs that judgement (`desirability`, `feasibility`, `viability`, "
        "`effort`, each 1 to 5) before the team can rank it against the others."
    ),
    bad=lambda: complete().add(
        Facilitator(id="tool-loans", label="Lend tools to take home", stages=["extended_usage"], status="idea")
    ),
    good=lambda: complete().add(
        Facilitator(
            id="tool-loans",
            label="Lend tools to take home",
            stages=["extended_usage"],
            status="idea",
            desirability=4,
            feasibility=3,
            viability=4,
            effort=2,
        )
    ),
)
def unassessed_facilitator(ctx: Context) -> Iterator[Witness]:
    """One finding per idea or planned facilitator with no assessment at all."""
    for facilitator in ctx.of_kind("facilitator"):
        assert isinstance(facilitator, Facilitator)
        if facilitator.status in (FacilitatorStatus.IDEA, FacilitatorStatus.PLANNED) and unassessed(facilitator):
            message = ctx.tr(
                "{facilitator} is {status} and carries no assessment",
                facilitator=ctx.describe(facilitator),
                status=ctx.word(facilitator.status.value),
            )
            yield message, (facilitator.id,)
