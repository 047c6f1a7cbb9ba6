"""The registry of consistency rules: :class:`Rule`, the :func:`rule` decorator, :class:`Context`.

Each rule has a stable code (``U001``...), a severity, a one-line summary, an
explanation, and two example canvases, one that trips it and one that does
not. :func:`usager.check` runs them; the docs are generated from them. The rule
modules register themselves here; :mod:`usager.rules` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from usager._graph import Resolution, resolve
from usager._i18n import tr, word
from usager.canvas import Canvas, element_kind, element_label
from usager.elements import Element, Facilitator
from usager.findings import Finding, Severity

__all__ = ["RULES", "Context", "Rule", "RuleFunction", "Witness", "rule"]

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
    _incoming: dict[str, set[str]]
    _outgoing: dict[str, set[str]]
    _sources: dict[tuple[str, str], list[str]]

    @classmethod
    def of(cls, canvas: Canvas) -> Context:
        """Resolve ``canvas`` and build the indexes the rules share."""
        resolution = resolve(canvas)
        by_kind: dict[str, list[Element]] = {}
        for element in resolution.index.values():
            by_kind.setdefault(element_kind(element), []).append(element)
        incoming: dict[str, set[str]] = {}
        outgoing: dict[str, set[str]] = {}
        sources: dict[tuple[str, str], list[str]] = {}
        for a, b, relation in resolution.edges:
            incoming.setdefault(b, set()).add(relation)
            outgoing.setdefault(a, set()).add(relation)
            sources.setdefault((b, relation), []).append(a)
        return cls(canvas, resolution.index, resolution, by_kind, incoming, outgoing, sources)

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
        return relation in self._incoming.get(node, ())

    def has_edge_out(self, node: str, *relations: str) -> bool:
        """Whether an edge with one of ``relations`` leaves ``node``."""
        out = self._outgoing.get(node, ())
        return any(r in out for r in relations)

    def sources(self, node: str, relation: str) -> list[str]:
        """The nodes with a ``relation`` edge into ``node``."""
        return self._sources.get((node, relation), [])

    def facilitators_addressing(self, brake: str) -> list[Facilitator]:
        """The facilitators that address ``brake``, in document order."""
        return [f for f in (self.index[s] for s in self.sources(brake, "addresses")) if isinstance(f, Facilitator)]

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
