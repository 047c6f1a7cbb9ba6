"""Running the rules: :func:`check` and :func:`validate`."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs

from usager._document import to_document
from usager.canvas import Canvas
from usager.errors import CanvasError, UnknownRuleError
from usager.examples import complete
from usager.findings import Finding, Severity
from usager.rules import Context, Rule, all_rules, findings_of

__all__ = ["Configuration", "UnknownRuleError", "check", "document_rule", "rules_run", "run", "validate"]


class Configuration(Protocol):
    """What :func:`check` reads of a configuration: a :class:`usager.Config`."""

    @property
    def select(self) -> tuple[str, ...] | None:
        """The code prefixes to run (None: every rule)."""

    @property
    def extend_select(self) -> tuple[str, ...]:
        """The code prefixes added to ``select``."""

    @property
    def ignore(self) -> tuple[str, ...]:
        """The code prefixes not to run."""

    def severity_of(self, code: str) -> Severity | None:
        """The severity the configuration gives the rule ``code``, or None."""

    def for_file(self, path: str | os.PathLike[str]) -> Configuration:
        """The configuration with the ignores of the file at ``path`` folded into ``ignore``."""

    def ruleset_rules(self) -> tuple[Rule, ...]:
        """The rules of the declarative rulesets the configuration lists."""


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
    config: Configuration | None = None,
    path: str | os.PathLike[str] | None = None,
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

    ``config`` (a :class:`usager.Config`) chooses the rules and their severities as a
    project's configuration file does; ``path``, the file the canvas was read from, adds the
    ignores its ``per-file-ignores`` give that file. The arguments come on top, as a
    linter's command line does: ``select`` replaces the configuration's choice of rules
    (its ``select``, ``extend-select`` and ``ignore``), ``ignore`` adds to its ignores;
    its severities and per-file ignores still apply.
    """
    findings = run(Context.of(canvas), rules_run(select, ignore, config=config, path=path), suppressed=suppressed)
    if config is not None:
        findings = [_with_severity(f, config.severity_of(f.code)) for f in findings]
    return findings


def rules_run(
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    *,
    config: Configuration | None = None,
    path: str | os.PathLike[str] | None = None,
) -> list[Rule]:
    """The rules :func:`check` runs with these arguments, in code order.

    A selector that matches no code raises :class:`UnknownRuleError`.
    """
    rules = all_rules()
    if config is not None and config.ruleset_rules():
        rules = tuple(sorted((*rules, *config.ruleset_rules()), key=lambda r: r.code))
    known = [r.code for r in rules]
    own: tuple[str, ...] = ()  # the ignores the per-file ones give the file: for_file adds them last
    if config is not None and path is not None:
        before = len(config.ignore)
        config = config.for_file(path)
        own = config.ignore[before:]
    if config is not None and select is None:
        chosen_codes = config.select
        if chosen_codes is not None or config.extend_select:
            chosen_codes = (*(known if chosen_codes is None else chosen_codes), *config.extend_select)
        ignore = [*config.ignore, *_selectors(ignore)]
    elif config is not None:
        chosen_codes = tuple(_selectors(select))
        ignore = [*own, *_selectors(ignore)]
    else:
        chosen_codes = None if select is None else tuple(_selectors(select))
    selected = _codes(chosen_codes, known, "select")
    ignored = _codes(ignore or None, known, "ignore") or set()
    return [r for r in rules if (selected is None or r.code in selected) and r.code not in ignored]


def _selectors(selectors: Iterable[str] | str | None) -> list[str]:
    if selectors is None:
        return []
    return [selectors] if isinstance(selectors, str) else list(selectors)


def _with_severity(finding: Finding, severity: Severity | None) -> Finding:
    return finding if severity is None or severity is finding.severity else attrs.evolve(finding, severity=severity)


def run(context: Context, rules: Sequence[Rule], *, suppressed: bool = False) -> list[Finding]:
    """The findings of ``rules``, in their order, over a canvas already resolved in ``context``.

    Suppressed findings are left out, or kept and marked when ``suppressed`` is true.
    """
    findings: list[Finding] = []
    index = context.index
    for rule in rules:
        for finding in findings_of(rule, context):
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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _changes(bad: Canvas, good: Canvas) -> list[str]:
    """What the failing example changes in each list of the document, as bullet points."""
    bad_doc, good_doc = to_document(bad), to_document(good)
    lines: list[str] = []
    for key, value in bad_doc.items():
        before = good_doc[key]
        if value == before:
            continue
        added = [item for item in value if item not in before]
        removed = [item["id"] for item in before if item not in value]
        if removed:
            names = ", ".join(f"`{i}`" for i in removed)
            lines.append(f"- in `{key}`, {names} replaced by:" if added else f"- in `{key}`, without {names}")
        elif added:
            lines.append(f"- in `{key}`, also:")
        else:
            order = ", ".join(f"`{item['id']}`" for item in value)
            lines.append(f"- `{key}` in this order: {order}")
        if added:
            lines += ["", "    ```json"] + [f"    {line}" for line in _json(added).splitlines()] + ["    ```", ""]
    return lines


def document_rule(rule: Rule) -> str:
    """``rule``'s documentation in Markdown, as the rules page gives it.

    A heading with its code, its severity and summary, its explanation, and its failing and
    passing examples told as changes to the reference canvas (:func:`usager.examples.complete`),
    with the findings the failing one gives.
    """
    bad, good, reference = rule.bad(), rule.good(), complete()
    lines = ["", f"## {rule.code}", "", f"**{rule.severity.value}**: {rule.summary}.", "", rule.explanation, ""]
    lines += ["**Failing example**: the [reference canvas](#the-reference-canvas), changed so:", ""]
    lines += _changes(bad, reference)
    lines += ["", "gives:", "", "```text"]
    lines += [str(f) for f in run(Context.of(bad), [rule])]
    lines += ["```", ""]
    if good == reference:
        lines.append(
            f"**Passing example**: the [reference canvas](#the-reference-canvas) as it is gives no {rule.code} finding."
        )
    else:
        lines += ["**Passing example**: the [reference canvas](#the-reference-canvas), changed so:", ""]
        lines += _changes(good, reference)
        lines += ["", f"gives no {rule.code} finding."]
    return "\n".join(lines)
