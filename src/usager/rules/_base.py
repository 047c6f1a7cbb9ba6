"""A small, complete canvas that the rules' examples start from."""

from __future__ import annotations

from usager.canvas import Canvas
from usager.elements import Activity, Brake, Facilitator, Partner, Persona, Resource, Usager


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
    )
