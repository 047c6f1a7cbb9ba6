"""Rules U030–U034: the backstage (key activities, resources and partners)."""

from __future__ import annotations

from collections.abc import Iterator

from usager.canvas import Canvas
from usager.elements import Activity, Partner, Phase, Resource
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import Context, Witness, changed, rule


def _rota_off_usage() -> Canvas:
    """The complete canvas with its volunteer rota no longer at the benches during usage."""
    base = complete()
    return changed(base, "rota", supports=[s for s in base.get("rota", Activity).supports if s != "usage"])


@rule(
    "U030",
    Severity.WARNING,
    "a stage is supported by no activity (directly or through a facilitator)",
    explanation=(
        "Every stage needs something the team does behind the scenes. An activity supports a "
        "stage directly, or through a facilitator it supports that eases the stage or addresses "
        "a brake held at it. A stage nothing supports is a promise no one is working on."
    ),
    bad=_rota_off_usage,
    good=complete,
)
def unsupported_stage(ctx: Context) -> Iterator[Witness]:
    """One finding per stage that no activity reaches."""
    supported = {f.id for f in ctx.of_kind("facilitator") if ctx.has_edge_in(f.id, "supports")}
    for stage in ctx.of_kind("stage"):
        if ctx.has_edge_in(stage.id, "supports"):
            continue
        if any(f in supported for f in ctx.sources(stage.id, "eases")):
            continue
        brakes = ctx.sources(stage.id, "holds")
        if any(f in supported for b in brakes for f in ctx.sources(b, "addresses")):
            continue
        yield ctx.tr("{stage} is supported by no activity", stage=ctx.describe(stage)), (stage.id,)


@rule(
    "U031",
    Severity.WARNING,
    "an activity supports nothing",
    explanation=(
        "A key activity earns its place by supporting a stage or a facilitator (`supports`). One "
        "that supports nothing is either missing its links or not key."
    ),
    bad=lambda: complete().add(Activity(id="blog", label="Keep a blog of repairs")),
    good=complete,
)
def idle_activity(ctx: Context) -> Iterator[Witness]:
    """One finding per activity with no ``supports`` edge going out."""
    for activity in ctx.of_kind("activity"):
        if not ctx.has_edge_out(activity.id, "supports"):
            yield ctx.tr("{activity} supports nothing", activity=ctx.describe(activity)), (activity.id,)


@rule(
    "U032",
    Severity.WARNING,
    "a resource is used by no activity",
    explanation=(
        "Key resources are what the activities need or build on. A resource no activity uses is "
        "either missing its links or an asset the cycle does not yet exploit."
    ),
    bad=lambda: complete().add(Resource(id="mailing-list", label="Mailing list", kind="data")),
    good=complete,
)
def unused_resource(ctx: Context) -> Iterator[Witness]:
    """One finding per resource with no ``uses`` edge coming in."""
    for resource in ctx.of_kind("resource"):
        if not ctx.has_edge_in(resource.id, "uses"):
            yield ctx.tr("{resource} is used by no activity", resource=ctx.describe(resource)), (resource.id,)


@rule(
    "U033",
    Severity.WARNING,
    "a partner performs and provides nothing",
    explanation=(
        "A key partner brings activities (an activity's `partner`) or resources (a resource's "
        "`partner`). A partner named by neither has no visible part in the cycle."
    ),
    bad=lambda: complete().add(Partner(id="town-hall", label="Town hall")),
    good=complete,
)
def idle_partner(ctx: Context) -> Iterator[Witness]:
    """One finding per partner with no ``performs`` or ``provides`` edge going out."""
    for partner in ctx.of_kind("partner"):
        if not ctx.has_edge_out(partner.id, "performs", "provides"):
            message = ctx.tr("{partner} performs no activity and provides no resource", partner=ctx.describe(partner))
            yield message, (partner.id,)


@rule(
    "U034",
    Severity.INFO,
    "the key activities have no `launch` activity, or no `run` activity",
    explanation=(
        "Launching a service the first time and running it day after day take different work. "
        "The method keeps the two apart: a canvas with only one phase has likely forgotten the "
        "other."
    ),
    bad=lambda: changed(complete(), "opening", phase="run"),
    good=complete,
)
def missing_phase(ctx: Context) -> Iterator[Witness]:
    """One finding per phase that no activity has."""
    phases = {a.phase for a in ctx.canvas.activities if isinstance(a, Activity)}
    for phase in Phase:
        if phase not in phases:
            yield ctx.tr("no key activity has the phase {phase}", phase=repr(phase.value)), ()
