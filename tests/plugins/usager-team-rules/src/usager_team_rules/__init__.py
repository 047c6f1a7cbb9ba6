"""A team's own usager rules, and a few broken ones."""

from __future__ import annotations

from collections.abc import Iterator

from usager import Canvas, Rule, Severity
from usager.examples import complete
from usager.rules import Context, Witness, changed


def _brake_evidence(ctx: Context) -> Iterator[Witness]:
    for brake in ctx.canvas.brakes:
        if brake.severity == 3 and not brake.evidence:
            yield f"brake {brake.id!r} has severity 3 but names no evidence", (brake.id,)


def _bad() -> Canvas:
    return changed(complete(), "queue", severity=3, evidence=())


def _good() -> Canvas:
    return changed(complete(), "queue", severity=3, evidence=("interviews, March",))


BRAKE_EVIDENCE = Rule(
    code="TEAM001",
    severity=Severity.WARNING,
    summary="a severity-3 brake names evidence",
    explanation="A blocking brake is a strong claim: say what shows it (interviews, figures).",
    run=_brake_evidence,
    bad=_bad,
    good=_good,
)


def _unlabelled_stages(ctx: Context) -> Iterator[Witness]:
    for stage in ctx.canvas.stages:
        if not stage.description:
            yield f"stage {stage.id!r} has no description", (stage.id,)


def labelled_stages() -> Rule:
    """The rule TEAM002, built when its entry point is loaded."""
    return Rule(
        code="TEAM002",
        severity=Severity.INFO,
        summary="every stage is described",
        explanation="A stage without a description leaves readers guessing.",
        run=_unlabelled_stages,
        bad=complete,
        good=complete,
    )


def _explode(ctx: Context) -> Iterator[Witness]:
    raise ZeroDivisionError("the team rule divided by zero")


EXPLODING = Rule(
    code="TEAM003",
    severity=Severity.ERROR,
    summary="always fails",
    explanation="Raises during every check.",
    run=_explode,
    bad=complete,
    good=complete,
)

RESERVED = Rule(
    code="U900",
    severity=Severity.WARNING,
    summary="takes a reserved code",
    explanation="Codes starting with U are usager's.",
    run=_brake_evidence,
    bad=_bad,
    good=_good,
)

TWIN = Rule(
    code="TEAM001",
    severity=Severity.ERROR,
    summary="takes a code already taken",
    explanation="Its code is TEAM001's.",
    run=_brake_evidence,
    bad=_bad,
    good=_good,
)

NOT_A_RULE = {"code": "TEAM004"}
