"""References between elements, as data: which fields name other elements, and how to change them.

Every reference field is described once (:func:`usager._fields.ref`, :func:`~usager._fields.refs`);
this module reads those descriptions to list, drop or rename the ids an element names, for
:meth:`usager.Canvas.remove` (``cascade=True``) and :meth:`usager.Canvas.rename`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import attrs

from usager._fields import Kind, Spec, specs
from usager.elements import Element

__all__ = ["ids_named", "needs", "renamed", "without"]


def _ref_fields(cls: type[Any]) -> tuple[tuple[str, Spec], ...]:
    return tuple((f.name, s) for f, s in specs(cls) if s.kind in (Kind.REF, Kind.REFS))


_FIELDS: dict[type[Any], tuple[tuple[str, Spec], ...]] = {}


def _fields(cls: type[Any]) -> tuple[tuple[str, Spec], ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = _ref_fields(cls)
    return fields


def ids_named(element: Element) -> Iterator[tuple[str, str]]:
    """Each ``(field, id)`` that ``element`` names, field by field in order."""
    for name, spec in _fields(type(element)):
        value = getattr(element, name)
        if spec.kind is Kind.REFS:
            yield from ((name, v) for v in value)
        elif value is not None:
            yield name, value


def needs(element: Element, gone: Collection[str]) -> bool:
    """Whether ``element`` cannot stand without one of ``gone``: a required reference names it."""
    return any(
        spec.kind is Kind.REF and not spec.optional and getattr(element, name) in gone
        for name, spec in _fields(type(element))
    )


def without(element: Element, gone: Collection[str]) -> Element:
    """``element`` with the ids in ``gone`` dropped from its optional references (``element`` when none is)."""
    changes: dict[str, Any] = {}
    for name, spec in _fields(type(element)):
        value = getattr(element, name)
        if spec.kind is Kind.REFS:
            if any(v in gone for v in value):
                changes[name] = tuple(v for v in value if v not in gone)
        elif spec.optional and value in gone:
            changes[name] = None
    return attrs.evolve(element, **changes) if changes else element


def renamed(element: Element, old: str, new: str) -> Element:
    """``element`` with ``old`` replaced by ``new``, as its own id and in every reference."""
    changes: dict[str, Any] = {"id": new} if element.id == old else {}
    for name, spec in _fields(type(element)):
        value = getattr(element, name)
        if spec.kind is Kind.REFS:
            if old in value:
                changes[name] = tuple(new if v == old else v for v in value)
        elif value == old:
            changes[name] = new
    return attrs.evolve(element, **changes) if changes else element
