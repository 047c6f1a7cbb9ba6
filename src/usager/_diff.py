"""What changed between two versions of a canvas: :func:`diff` and :class:`CanvasDiff`.

Elements are matched by id. An element present in both versions and different
is *changed*, field by field; one whose kind changed (a brake that became a
facilitator under the same id) is removed and added. The order of the stages
is the cycle's and is compared; the order of the other lists means nothing and
is not a change. When an id is used twice, the first element holding it is
compared (as in :func:`usager.to_graph`; the findings report the duplicate). The cycle order, the
canvas's own fields, and the findings of :func:`usager.check` on each version
are compared too. The diff reads like a changelog (:meth:`CanvasDiff.text`),
as Markdown for a pull-request comment (:meth:`CanvasDiff.markdown`), or as
plain data with stable keys for tools (:meth:`CanvasDiff.to_dict`); its texts
are in the language of the new version.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

import attrs

from usager._check import check
from usager._fields import specs
from usager._i18n import tr
from usager.canvas import Canvas, element_kind, element_label
from usager.elements import Element, Language
from usager.errors import shown
from usager.findings import Finding

__all__ = ["CanvasDiff", "ElementChange", "FieldChange", "StageOrder", "diff", "element_data"]


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class FieldChange:
    """One field that differs: its ``name`` (the document's key) and its ``old`` and ``new`` values."""

    name: str
    old: Any
    new: Any


@attrs.frozen(kw_only=True)
class ElementChange:
    """An element present in both versions and different: its ``id``, ``kind`` and changed ``fields``."""

    id: str
    kind: str
    fields: tuple[FieldChange, ...] = attrs.field(converter=_tuple)


@attrs.frozen(kw_only=True)
class StageOrder:
    """The cycle order (stage ids) before and after, when the stages both versions share moved."""

    old: tuple[str, ...] = attrs.field(converter=_tuple)
    new: tuple[str, ...] = attrs.field(converter=_tuple)


@attrs.frozen(kw_only=True)
class CanvasDiff:
    """What changed from one version of a canvas to another.

    ``added`` holds the elements of the new version only (in its document
    order), ``removed`` those of the old version only; ``changed`` one entry
    per id present in both and different; ``canvas`` the changes of the
    canvas's ``name``, ``description`` and ``language``; ``stage_order`` the
    old and new cycle order when the stages both share were reordered, else
    ``None``; ``findings_added`` and ``findings_resolved`` the findings of the
    new version that the old one lacked, and the other way round (a finding
    is known by its code and subjects). ``language`` is the new version's,
    for the texts. ``bool(diff)`` is false when the canvases are equal.
    """

    added: tuple[Element, ...] = attrs.field(converter=_tuple)
    removed: tuple[Element, ...] = attrs.field(converter=_tuple)
    changed: tuple[ElementChange, ...] = attrs.field(converter=_tuple)
    canvas: tuple[FieldChange, ...] = attrs.field(converter=_tuple)
    stage_order: StageOrder | None
    findings_added: tuple[Finding, ...] = attrs.field(converter=_tuple)
    findings_resolved: tuple[Finding, ...] = attrs.field(converter=_tuple)
    language: Language = Language.EN

    def __bool__(self) -> bool:
        """Whether anything changed."""
        return bool(
            self.added
            or self.removed
            or self.changed
            or self.canvas
            or self.stage_order
            or self.findings_added
            or self.findings_resolved
        )

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain JSON-ready data, with stable keys in a fixed order.

        Each added or removed element is its document object after a ``type`` key naming its
        element type (``"type": "brake"``), so that an element's own ``kind`` stays as it is.
        """
        return {
            "equal": not self,
            "canvas": [_change_data(c) for c in self.canvas],
            "added": [_element_entry(e) for e in self.added],
            "removed": [_element_entry(e) for e in self.removed],
            "changed": [
                {"id": c.id, "kind": c.kind, "fields": [_change_data(f) for f in c.fields]} for c in self.changed
            ],
            "stage_order": None
            if self.stage_order is None
            else {"old": list(self.stage_order.old), "new": list(self.stage_order.new)},
            "findings_added": [_finding_data(f) for f in self.findings_added],
            "findings_resolved": [_finding_data(f) for f in self.findings_resolved],
        }

    def lines(self) -> list[str]:
        """The diff as changelog lines, in the new version's language (empty when nothing changed)."""
        lang = self.language
        lines = [
            tr(lang, "canvas {field} {old} → {new}", field=c.name, old=_value(c.old, lang), new=_value(c.new, lang))
            for c in self.canvas
        ]
        lines += [f"+ {_named(e, lang)}" for e in self.added]
        lines += [f"- {_named(e, lang)}" for e in self.removed]
        for change in self.changed:
            kind = tr(lang, change.kind)
            for f in change.fields:
                old, new = _value(f.old, lang), _value(f.new, lang)
                lines.append(f"~ {kind} {shown(change.id)} {f.name} {old} → {new}")
        if self.stage_order is not None:
            old, new = ", ".join(self.stage_order.old), ", ".join(self.stage_order.new)
            lines.append(tr(lang, "stage order changed: {old} → {new}", old=old, new=new))
        lines += [f"+ {_on(f, lang)}" for f in self.findings_added]
        lines += [f"- {_on(f, lang)} ({tr(lang, 'resolved')})" for f in self.findings_resolved]
        return lines

    def text(self) -> str:
        """The diff as a changelog: one line per change, ``+`` added, ``-`` removed, ``~`` changed."""
        lines = self.lines()
        return "\n".join(lines) + "\n" if lines else tr(self.language, "no change") + "\n"

    def markdown(self) -> str:
        """The diff as Markdown, for a pull-request comment: a heading and the changelog in a ``diff`` block.

        The block shows added lines in green and removed ones in red where Markdown is rendered
        with highlighting; its fence is longer than any run of backticks in the text, so no user
        text can close it or become markup.
        """
        lang = self.language
        if not self:
            return f"**{tr(lang, 'no change')}**\n"
        lines = self.lines()
        longest = max((len(run) for line in lines for run in re.findall("`+", line)), default=0)
        fence = "`" * max(3, longest + 1)
        return "\n".join([f"### {tr(lang, 'Canvas changes')}", "", f"{fence}diff", *lines, fence]) + "\n"


def _value(value: Any, language: Language) -> str:
    if value is None:
        return tr(language, "nothing")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v, language) for v in value) + "]"
    return repr(value)


def _named(element: Element, language: Language) -> str:
    return f"{tr(language, element_kind(element))} {shown(element.id)} ({shown(element_label(element, language))})"


def _on(finding: Finding, language: Language) -> str:
    where = f" {tr(language, 'on')} {shown(finding.subjects[0])}" if finding.subjects else ""
    return f"{finding.code}{where}: {finding.message}"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _change_data(change: FieldChange) -> dict[str, Any]:
    return {"name": change.name, "old": _plain(change.old), "new": _plain(change.new)}


def _finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "subjects": list(finding.subjects),
    }


def element_data(element: Element) -> dict[str, Any]:
    """An element as its document object (the keys of the JSON format, values plain)."""
    return {spec.key or field.name: spec.to_plain(getattr(element, field.name)) for field, spec in specs(type(element))}


def _element_entry(element: Element) -> dict[str, Any]:
    """An added or removed element: its element type under ``type``, then all its fields."""
    return {"type": element_kind(element), **element_data(element)}


def _fields(old: Any, new: Any) -> list[FieldChange]:
    return [
        FieldChange(name=spec.key or field.name, old=getattr(old, field.name), new=getattr(new, field.name))
        for field, spec in specs(type(old))
        if getattr(old, field.name) != getattr(new, field.name)
    ]


def _by_id(canvas: Canvas) -> dict[str, Element]:
    index: dict[str, Element] = {}
    for element in canvas.elements():
        index.setdefault(element.id, element)
    return index


def _stage_order(old: Sequence[str], new: Sequence[str]) -> StageOrder | None:
    shared = set(old) & set(new)
    if [s for s in old if s in shared] == [s for s in new if s in shared]:
        return None
    return StageOrder(old=old, new=new)


def _key(finding: Finding) -> tuple[str, tuple[str, ...]]:
    return finding.code, finding.subjects


def _only_in(findings: list[Finding], others: list[Finding]) -> list[Finding]:
    """The findings of ``findings`` not matched (by code and subjects, counting repeats) in ``others``."""
    left = Counter(_key(f) for f in others)
    result = []
    for finding in findings:
        if left[_key(finding)]:
            left[_key(finding)] -= 1
        else:
            result.append(finding)
    return result


def diff(old: Canvas, new: Canvas) -> CanvasDiff:
    """What changed from ``old`` to ``new`` (see :class:`CanvasDiff`).

    ```pycon
    >>> import usager
    >>> old = usager.Canvas.standard("Shop")
    >>> new = old.add(usager.Brake(id="far", label="Too far", stage="discovery"))
    >>> print(usager.diff(old, new).text(), end="")
    + brake 'far' ('Too far')
    + U020 on 'far': brake 'far' (Too far) has no facilitator addressing it

    ```
    """
    before, after = _by_id(old), _by_id(new)
    same_kind = {i for i in before.keys() & after.keys() if type(before[i]) is type(after[i])}
    changed = [
        ElementChange(id=i, kind=element_kind(e), fields=_fields(e, after[i]))
        for i, e in before.items()
        if i in same_kind and e != after[i]
    ]
    canvas = [
        FieldChange(name=name, old=getattr(old, attribute), new=getattr(new, attribute))
        for name, attribute in (
            ("name", "name"),
            ("description", "description"),
            ("language", "language"),
            ("$schema", "schema"),
        )
        if getattr(old, attribute) != getattr(new, attribute)
    ]
    if old == new:
        old_findings = new_findings = []
    else:
        old_findings, new_findings = check(old), check(new)
    return CanvasDiff(
        added=[e for i, e in after.items() if i not in same_kind],
        removed=[e for i, e in before.items() if i not in same_kind],
        changed=[c for c in changed if c.fields],
        canvas=canvas,
        stage_order=_stage_order([s.id for s in old.stages], [s.id for s in new.stages]),
        findings_added=_only_in(new_findings, old_findings),
        findings_resolved=_only_in(old_findings, new_findings),
        language=new.language,
    )
