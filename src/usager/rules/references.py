"""Rules U001–U004: ids, the references between elements, and suppressions."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from usager._suggest import Names
from usager.canvas import element_names
from usager.elements import Element, Persona
from usager.examples import complete
from usager.findings import Severity
from usager.rules._registry import DECLARED_RULES, PLUGIN_RULES, RULES, Context, Witness, changed, rule


@rule(
    "U001",
    Severity.ERROR,
    "the same id is used twice",
    explanation=(
        "Ids are unique across the whole canvas, whatever the element's kind: references name "
        "elements by id alone, so a shared id makes them ambiguous. The first element with the id "
        "keeps it in the graph; give the others ids of their own (usager.slugify helps)."
    ),
    bad=lambda: attrs.evolve(
        complete(), personas=[*complete().personas, Persona(id="newcomer", name="Student on a budget")]
    ),
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
            held = ctx.tr("{first} and {last}", first=", ".join(named[:-1]), last=named[-1])
            message = ctx.tr(
                "the id {id} is used by {count} elements: {elements}",
                id=repr(element_id),
                count=len(elements),
                elements=held,
            )
            yield message, (element_id,)


@rule(
    "U002",
    Severity.ERROR,
    "a reference names no element",
    explanation=(
        "A field that names another element (a brake's stage, a facilitator's brakes, an "
        "activity's resources...) must name an id that some element has. A dangling reference is "
        "usually a typo or an element removed without updating what pointed at it."
    ),
    bad=lambda: changed(complete(), "lee", stage="first-experience"),
    good=complete,
)
def dangling_references(ctx: Context) -> Iterator[Witness]:
    """One finding per reference to an id no element has."""
    names = element_names(ctx.index, ctx.canvas.language) if ctx.resolution.dangling else None
    for element, ref, target, i in ctx.resolution.dangling:
        where = ref.field if i is None else f"{ref.field}[{i}]"
        message = ctx.tr(
            "{element} names {target} in {field}, but no element has that id",
            element=ctx.describe(element),
            target=repr(target),
            field=where,
        )
        yield message + _hint(ctx, names, target, ref.targets), (element.id, target)


def _hint(ctx: Context, names: Names | None, target: str, kinds: tuple[str, ...]) -> str:
    """``; did you mean 'usage' (Utilisation)?`` for the element ``target`` most likely means, or nothing."""
    found = names.suggest(target, kinds) if names is not None else None
    if found is None:
        return ""
    return ctx.tr("; did you mean {suggestion} ({label})?", suggestion=repr(found[0]), label=found[1])


@rule(
    "U003",
    Severity.ERROR,
    "a reference names an element of the wrong kind",
    explanation=(
        "Each reference takes elements of given kinds: a brake is held at a stage, a facilitator "
        "addresses brakes, an activity supports stages or facilitators and uses resources, a "
        "partner is a partner. Naming an element of another kind breaks the journey graph."
    ),
    bad=lambda: changed(complete(), "opening", partner="tools"),
    good=complete,
)
def wrong_kind_references(ctx: Context) -> Iterator[Witness]:
    """One finding per reference to an element its field does not take."""
    for element, ref, target, i in ctx.resolution.wrong_kind:
        where = ref.field if i is None else f"{ref.field}[{i}]"
        expected = f" {ctx.tr('or')} ".join(ctx.tr(kind) for kind in ref.targets)
        message = ctx.tr(
            "{element} names {target} in {field}, which takes a {expected}",
            element=ctx.describe(element),
            target=ctx.describe(ctx.index[target]),
            field=where,
            expected=expected,
        )
        yield message, (element.id, target)


@rule(
    "U004",
    Severity.WARNING,
    "a suppression names a code that is no rule's",
    explanation=(
        "An element's `suppress` list hides the findings of the rules it names when the element is "
        "their first subject, like a linter's `# noqa: U020`. A code that is no rule's suppresses "
        "nothing: it is a typo, or a rule that no longer exists."
    ),
    bad=lambda: changed(complete(), "store", suppress=["U330"]),
    good=lambda: changed(complete(), "store", suppress=["U033"]),
)
def unknown_suppression(ctx: Context) -> Iterator[Witness]:
    """One finding per code in a suppress list that no rule has."""
    for element in ctx.canvas.elements():
        for code in element.suppress:
            if code not in RULES and code not in PLUGIN_RULES and code not in DECLARED_RULES:
                message = ctx.tr(
                    "{element} suppresses {code}, which is no rule's code",
                    element=ctx.describe(element),
                    code=repr(code),
                )
                yield message, (element.id,)
