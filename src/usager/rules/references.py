"""Rules U001–U004: ids, the references between elements, and suppressions."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from usager.elements import Brake, Element, Partner, Persona
from usager.findings import Severity
from usager.rules._base import complete
from usager.rules._registry import RULES, Context, Witness, rule


@rule(
    "U001",
    Severity.ERROR,
    "the same id is used twice",
    explanation=(
        "Ids are unique across the whole canvas, whatever the element's kind: references name "
        "elements by id alone, so a shared id makes them ambiguous. The first element with the id "
        "keeps it in the graph; give the others ids of their own (usager.slugify helps)."
    ),
    bad=lambda: attrs.evolve(complete(), personas=[*complete().personas, Persona(id="commuter", name="Night owl")]),
    good=complete,
)
def duplicate_ids(ctx: Context) -> Iterator[Witness]:
    """One finding per id held by more than one element."""
    if len(ctx.index) == ctx.element_count:  # as many ids as elements: none repeats
        return
    holders: dict[str, list[Element]] = {}
    for element in ctx.canvas.elements():
        holders.setdefault(element.id, []).append(element)
    for element_id, elements in holders.items():
        if len(elements) > 1:
            named = [ctx.describe(e) for e in elements]
            held = ", ".join(named[:-1]) + f" and {named[-1]}"
            yield f"the id {element_id!r} is used by {len(elements)} elements: {held}", (element_id,)


@rule(
    "U002",
    Severity.ERROR,
    "a reference names no element",
    explanation=(
        "A field that names another element (a brake's stage, a facilitator's brakes, an "
        "activity's resources...) must name an id that some element has. A dangling reference is "
        "usually a typo or an element removed without updating what pointed at it."
    ),
    bad=lambda: complete().replace(Brake(id="no-time", label="Thinks a repair takes a whole afternoon", stage="frist")),
    good=complete,
)
def dangling_references(ctx: Context) -> Iterator[Witness]:
    """One finding per reference to an id no element has."""
    for element, ref, target, i in ctx.resolution.dangling:
        where = ref.field if i is None else f"{ref.field}[{i}]"
        yield f"{ctx.describe(element)} names {target!r} in {where}, but no element has that id", (element.id, target)


@rule(
    "U003",
    Severity.ERROR,
    "a reference names an element of the wrong kind",
    explanation=(
        "Each reference takes elements of given kinds: a brake is held at a stage, a facilitator "
        "addresses brakes, an activity supports stages or facilitators and uses resources, a "
        "partner is a partner. Naming an element of another kind breaks the journey graph."
    ),
    bad=lambda: complete().replace(Brake(id="no-time", label="Thinks a repair takes a whole afternoon", stage="alex")),
    good=complete,
)
def wrong_kind_references(ctx: Context) -> Iterator[Witness]:
    """One finding per reference to an element its field does not take."""
    for element, ref, target, i in ctx.resolution.wrong_kind:
        where = ref.field if i is None else f"{ref.field}[{i}]"
        expected = " or ".join(ref.targets)
        yield (
            f"{ctx.describe(element)} names {ctx.describe(ctx.index[target])} in {where}, which takes a {expected}",
            (element.id, target),
        )


@rule(
    "U004",
    Severity.WARNING,
    "a suppression names a code that is no rule's",
    explanation=(
        "An element's `suppress` list hides the findings of the rules it names when the element is "
        "their first subject, like a linter's `# noqa: U020`. A code that is no rule's suppresses "
        "nothing: it is a typo, or a rule that no longer exists."
    ),
    bad=lambda: complete().replace(Partner(id="shop", label="Local bike shop", suppress=["U330"])),
    good=lambda: complete().replace(Partner(id="shop", label="Local bike shop", suppress=["U033"])),
)
def unknown_suppression(ctx: Context) -> Iterator[Witness]:
    """One finding per code in a suppress list that no rule has."""
    for element in ctx.canvas.elements():
        for code in element.suppress:
            if code not in RULES:
                yield f"{ctx.describe(element)} suppresses {code!r}, which is no rule's code", (element.id,)
