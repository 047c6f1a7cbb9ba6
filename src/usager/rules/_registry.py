"""The registry of consistency rules: :class:`Rule`, the :func:`rule` decorator, :class:`Context`.

Each rule has a stable code (``U001``...), a severity, a one-line summary, an
explanation, and two example canvases, one that trips it and one that does
not. :func:`usager.check` runs them; the docs are generated from them. The rule
modules register themselves here; :mod:`usager.rules` imports them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from usager._graph import Resolution, resolve
from usager._i18n import tr, word
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, Canvas, element_kind, element_label
from usager.elements import Element, Facilitator
from usager.findings import Finding, Severity

__all__ = ["DECLARED_RULES", "PLUGIN_RULES", "RULES", "Context", "Rule", "RuleFunction", "Witness", "changed", "rule"]

#: What a rule function yields: a message and the ids it concerns.
Witness = tuple[str, tuple[str, ...]]


@attrs.frozen
class Context:
    """What a rule looks at: the canvas, its resolved references, and indexes built once for all rules.

    ``index`` maps each id to the first element that has it; ``resolution`` holds the journey
    graph's edges and the references that dangle or name the wrong kind. No networkx graph is
    built: the rules read the edges through the indexes.
    """

    canvas: Canvas
    index: dict[str, Element]
    resolution: Resolution
    _by_kind: dict[str, list[Element]]
    _out_of: set[tuple[str, str]]
    _sources: dict[tuple[str, str], list[str]]
    _addressing: dict[str, list[Facilitator]] = attrs.field(factory=dict, eq=False)

    @classmethod
    def of(cls, canvas: Canvas) -> Context:
        """Resolve ``canvas`` and build the indexes the rules share."""
        resolution = resolve(canvas)
        index, edges = resolution.index, resolution.edges
        by_kind: dict[str, list[Element]] = {}
        unique = len(index) == sum(len(getattr(canvas, name)) for name, _ in ELEMENT_LISTS)
        for element_type in ELEMENT_TYPES:
            name = element_type.list
            items = getattr(canvas, name)
            # Node elements only: when an id is used twice, the first element holds it.
            nodes = list(items) if unique else [e for e in items if index[e.id] is e]
            if nodes:
                by_kind[element_type.name] = nodes
        sources: defaultdict[tuple[str, str], list[str]] = defaultdict(list)  # read with .get and in: no key is added
        for a, b, relation in edges:
            sources[b, relation].append(a)
        out_of = {(a, relation) for a, _, relation in edges}
        return cls(canvas, index, resolution, by_kind, out_of, sources)

    @property
    def element_count(self) -> int:
        """How many elements the canvas has (more than ``len(index)`` when ids repeat)."""
        return sum(len(getattr(self.canvas, name)) for name, _ in ELEMENT_LISTS)

    def describe(self, element: Element) -> str:
        """Name ``element`` for a message: ``brake 'b1' (Fear of paying online)`` (``frein 'b1' (...)`` in French)."""
        kind = tr(self.canvas.language, element_kind(element))
        return f"{kind} {element.id!r} ({element_label(element, self.canvas.language)})"

    def tr(self, message: str, **fields: object) -> str:
        """``message`` in the canvas language, with its ``{name}`` fields filled."""
        return tr(self.canvas.language, message, **fields)

    def word(self, value: str) -> str:
        """A status or phase value as a word in the canvas language."""
        return word(self.canvas.language, value)

    def has_edge_in(self, node: str, relation: str) -> bool:
        """Whether an edge with ``relation`` arrives at ``node``."""
        return (node, relation) in self._sources  # a key only for a pair with an edge in

    def has_edge_out(self, node: str, *relations: str) -> bool:
        """Whether an edge with one of ``relations`` leaves ``node``."""
        out = self._out_of
        return any((node, r) in out for r in relations)

    def sources(self, node: str, relation: str) -> list[str]:
        """The nodes with a ``relation`` edge into ``node``."""
        return self._sources.get((node, relation), [])

    def facilitators_addressing(self, brake: str) -> list[Facilitator]:
        """The facilitators that address ``brake``, in document order."""
        cache = self._addressing  # two rules ask, brake by brake
        found = cache.get(brake)
        if found is None:
            index = self.index
            found = cache[brake] = [
                f for f in (index[s] for s in self.sources(brake, "addresses")) if isinstance(f, Facilitator)
            ]
        return found

    def of_kind(self, kind: str) -> list[Element]:
        """The node elements of ``kind``, in document order."""
        return self._by_kind.get(kind, [])


RuleFunction = Callable[[Context], Iterable[Witness]]


@attrs.frozen(kw_only=True)
class Rule:
    """A consistency rule.

    ``run`` yields ``(message, subject ids)`` pairs; :meth:`findings` turns
    them into :class:`~usager.findings.Finding` objects with the rule's code
    and severity. ``bad`` and ``good`` build canvases that do and do not trip
    the rule.
    """

    code: str
    severity: Severity
    summary: str
    explanation: str
    run: RuleFunction
    bad: Callable[[], Canvas]
    good: Callable[[], Canvas]

    def summary_in(self, language: str) -> str:
        """The rule's one-line summary in ``language`` (``"fr"`` or ``"en"``)."""
        return tr(language, self.summary)

    def findings(self, context: Context) -> list[Finding]:
        """Run the rule over ``context``."""
        return [
            Finding(code=self.code, severity=self.severity, message=message, subjects=subjects)
            for message, subjects in self.run(context)
        ]


#: Every rule, by code. Filled as the rule modules are imported; use :func:`usager.rules.all_rules`.
RULES: dict[str, Rule] = {}
#: The third-party rules found through the ``usager.rules`` entry points, by code; filled by
#: :func:`usager.rules.all_rules` (so that a suppression may name them).
PLUGIN_RULES: dict[str, Rule] = {}
#: The rules of the declarative rulesets read so far, by code (so that a suppression may name them).
DECLARED_RULES: dict[str, Rule] = {}


def rule(
    code: str,
    severity: Severity,
    summary: str,
    *,
    explanation: str,
    bad: Callable[[], Canvas],
    good: Callable[[], Canvas],
) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as the rule ``code``."""

    def register(run: RuleFunction) -> RuleFunction:
        if code in RULES:
            raise RuntimeError(f"rule {code} is registered twice")
        RULES[code] = Rule(
            code=code, severity=severity, summary=summary, explanation=explanation, run=run, bad=bad, good=good
        )
        return run

    return register


def changed(canvas: Canvas, element_id: str, **changes: Any) -> Canvas:
    """``canvas`` with the fields of its element ``element_id`` changed so: a rule's example in one line."""
    return canvas.replace(attrs.evolve(canvas.get(element_id), **changes))
