"""A small, complete canvas that the rules' examples start from."""

from __future__ import annotations

from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    Contribution,
    Experience,
    Facilitator,
    Metric,
    Partner,
    Persona,
    Resource,
    StageKind,
    Usager,
)

#: A score for each stage of the complete canvas: its emotion curve.
_CURVE = {"discovery": 0, "first_experience": -1, "purchase": 1, "usage": 2, "extended_usage": 1, "prescription": 2}


def complete() -> Canvas:
    """A canvas that trips no rule: six stages, one of everything, all linked."""
    return Canvas.standard("Bike repair cafe").add(
        Persona(id="commuter", name="Daily commuter", digital_comfort="medium"),
        Usager(id="alex", name="Alex", persona="commuter", stage="discovery"),
        Brake(id="no-time", label="Thinks a repair takes a whole afternoon", stage="first_experience"),
        Facilitator(id="slots", label="Fifteen-minute repair slots", addresses=["no-time"]),
        Activity(
            id="open",
            label="Open the workshop every evening",
            supports=[
                "discovery",
                "first_experience",
                "purchase",
                "usage",
                "extended_usage",
                "prescription",
                "slots",
            ],
            uses=["tools"],
        ),
        Activity(id="fit-out", label="Fit out the workshop", phase="launch", supports=["discovery"], partner="shop"),
        Resource(id="tools", label="Tool wall", kind="physical", partner="shop"),
        Partner(id="shop", label="Local bike shop"),
        *(Experience(id=f"feel-{k.value}", stage=k.value, score=_CURVE[k.value]) for k in StageKind.standard()),
        Metric(id="repairs", label="Repairs per week", stage="usage", unit="repairs", target=40, current=32),
        Contribution(
            id="evening-slots",
            title="Open on Thursday evenings too",
            author="alex",
            stages=["first_experience"],
            brakes=["no-time"],
            status="done",
            realized_by="slots",
        ),
    )
