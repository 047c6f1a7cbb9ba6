"""Running the rules: :func:`check` and :func:`validate`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from usager.canvas import Canvas
from usager.errors import CanvasError, UnknownRuleError
from usager.findings import Finding, Severity
from usager.rules import Context, Rule, all_rules

__all__ = ["UnknownRuleError", "check", "rules_run", "run", "validate"]


def _codes(selectors: Iterable[str] | str | None, known: list[str], option: str) -> set[str] | None:
    if selectors is None:
        return None
    if isinstance(selectors, str):
        selectors = [selectors]
    chosen: set[str] = set()
    for selector in selectors:
        matched = [c for c in known if c.startswith(selector.strip().upper())] if selector.strip() else []
        if not matched:
            raise UnknownRuleError(
                f"{option}: {selector!r} matches no rule code; the codes are {', '.join(known)} "
                "(a prefix such as 'U03' selects a group)"
            )
        chosen.update(matched)
    return chosen


def check(
    canvas: Canvas,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    *,
    suppressed: bool = False,
) -> list[Finding]:
    """Run the consistency rules over ``canvas`` and return what they find.

    ``select`` and ``ignore`` take rule codes or prefixes (``"U03"`` is every
    backstage rule), like a linter's options: only selected rules run (all of
    them by default), less the ignored ones. A selector that matches no code
    raises :class:`UnknownRuleError`.

    A finding whose first subject lists its code in ``suppress`` is left out,
    as a linter's ``# noqa`` would; with ``suppressed=True`` it is returned
    too, marked ``suppressed``.

    Findings come in rule-code order, and within a rule in the document order
    of the elements concerned, so the same canvas always gives the same list.
    ``check`` never raises on a canvas, however inconsistent.
    """
    return run(Context.of(canvas), rules_run(select, ignore), suppressed=suppressed)


def rules_run(select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None) -> list[Rule]:
    """The rules :func:`check` runs with ``select`` and ``ignore``, in code order.

    A selector that matches no code raises :class:`UnknownRuleError`.
    """
    rules = all_rules()
    known = [r.code for r in rules]
    selected = _codes(select, known, "select")
    ignored = _codes(ignore, known, "ignore") or set()
    return [r for r in rules if (selected is None or r.code in selected) and r.code not in ignored]


def run(context: Context, rules: Sequence[Rule], *, suppressed: bool = False) -> list[Finding]:
    """The findings of ``rules``, in their order, over a canvas already resolved in ``context``.

    Suppressed findings are left out, or kept and marked when ``suppressed`` is true.
    """
    findings: list[Finding] = []
    index = context.index
    for rule in rules:
        for finding in rule.findings(context):
            first = index.get(finding.subjects[0]) if finding.subjects else None
            if first is None or finding.code not in first.suppress:
                findings.append(finding)
            elif suppressed:
                findings.append(attrs.evolve(finding, suppressed=True))
    return findings


def validate(canvas: Canvas) -> Canvas:
    """Return ``canvas`` when it has no error-level finding, else raise :class:`CanvasError`.

    The error carries every finding (warnings too) in ``findings``; its
    message lists the errors.
    """
    findings = check(canvas)
    if any(f.severity is Severity.ERROR for f in findings):
        raise CanvasError(findings)
    return canvas
