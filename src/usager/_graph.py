"""The journey graph: :func:`to_graph` and the table of references it follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from usager._fields import Kind, spec_of, specs
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, Canvas
from usager.elements import Element

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["REFERENCES", "Reference", "Resolution", "resolve", "to_graph"]


@attrs.frozen
class Reference:
    """A field of an element that names other elements by id.

    ``relation`` is the edge's ``relation`` in the graph, ``targets`` the node
    kinds the field may name. A ``reverse`` edge runs from the named element
    to the one that names it (a partner *performs* an activity).
    """

    owner: type[Any]
    field: str
    relation: str
    targets: tuple[str, ...]
    reverse: bool = False


def _references() -> tuple[Reference, ...]:
    """Every reference field, from the fields' descriptions: element lists in document order, fields in order."""
    return tuple(
        Reference(cls, field.name, spec.relation, spec.targets, spec.reverse)
        for _, cls in ELEMENT_LISTS
        for field, spec in specs(cls)
        if spec.kind in (Kind.REF, Kind.REFS)
    )


#: Every reference field of the canvas, in the order the graph's edges follow.
REFERENCES: tuple[Reference, ...] = _references()
_BY_OWNER: dict[type[Any], tuple[Reference, ...]] = {
    cls: tuple(r for r in REFERENCES if r.owner is cls) for cls in {r.owner for r in REFERENCES}
}


_KIND: dict[type[Any], str] = {t.cls: t.name for t in ELEMENT_TYPES}


@attrs.frozen
class Resolution:
    """What the canvas's references resolve to, found in one pass.

    ``index`` maps each id to the first element that has it; ``edges`` are the graph's edges
    as ``(source, target, relation)``; ``dangling`` and ``wrong_kind`` list the references
    that name no element, or an element of a kind the field does not take, as
    ``(element, reference, target id, list index or None)``.
    """

    index: dict[str, Element]
    edges: list[tuple[str, str, str]]
    dangling: list[tuple[Element, Reference, str, int | None]]
    wrong_kind: list[tuple[Element, Reference, str, int | None]]


#: Per element class, its references as (reference, field, relation, target kinds, reverse, is a list).
#: Only single references run from the named element (a partner *performs* an activity).
_PLANS: dict[type[Any], tuple[tuple[Reference, str, str, frozenset[str], bool, bool], ...]] = {
    cls: tuple(
        (r, r.field, r.relation, frozenset(r.targets), r.reverse, spec_of(attrs.fields_dict(cls)[r.field]).is_list)
        for r in refs
    )
    for cls, refs in _BY_OWNER.items()
}
assert not any(reverse and many for plan in _PLANS.values() for _, _, _, _, reverse, many in plan)


def resolve(canvas: Canvas) -> Resolution:
    """Resolve every reference of ``canvas`` (see :class:`Resolution`)."""
    index = canvas._ids()
    kinds = {element_id: _KIND[type(e)] for element_id, e in index.items()}
    cycle = [s.id for s in canvas.stages if index[s.id] is s]
    edges = [(a, b, "next") for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
    dangling: list[tuple[Element, Reference, str, int | None]] = []
    wrong_kind: list[tuple[Element, Reference, str, int | None]] = []
    unique = len(index) == sum(len(getattr(canvas, name)) for name, _ in ELEMENT_LISTS)
    edge = edges.append
    for list_name, cls in ELEMENT_LISTS:
        plan = _PLANS.get(cls)
        if plan is None:
            continue
        for element in getattr(canvas, list_name):
            element_id = element.id
            owner = unique or index[element_id] is element  # only the first element with an id has edges
            for ref, field, relation, allowed, reverse, many in plan:
                value = getattr(element, field)
                if many:
                    for i, target in enumerate(value):
                        kind = kinds.get(target)
                        if kind in allowed:
                            if owner:
                                edge((element_id, target, relation))  # no list reference is reversed
                        else:
                            (dangling if kind is None else wrong_kind).append((element, ref, target, i))
                elif value is not None:
                    kind = kinds.get(value)
                    if kind in allowed:
                        if owner:
                            edge((value, element_id, relation) if reverse else (element_id, value, relation))
                    else:
                        (dangling if kind is None else wrong_kind).append((element, ref, value, None))
    return Resolution(index=index, edges=edges, dangling=dangling, wrong_kind=wrong_kind)


def to_graph(canvas: Canvas, resolution: Resolution | None = None) -> nx.MultiDiGraph[str]:
    """The canvas as a :class:`networkx.MultiDiGraph`.

    One node per element, keyed by id, with the attributes ``kind`` (the
    element's type name in lower case) and ``element``. Edges carry
    ``relation`` (also their key): ``next`` from each stage to the next one
    and from the last back to the first, then ``holds``, ``affects``,
    ``addresses``, ``eases``, ``supports``, ``uses``, ``performs``,
    ``provides``, ``embodies``, ``at``, ``felt_at``, ``felt_by``,
    ``measures``, ``proposed_by``, ``concerns``, ``realized_by``,
    ``duplicates`` and ``supported_by`` as the canvas's references say.

    An inconsistent canvas still gives a graph: when an id is used twice the
    first element holds the node and the others are left out, and a reference
    that names no element, or an element of the wrong kind, gives no edge.
    :func:`usager.check` reports all of these.
    """
    import networkx as nx

    resolved = resolution or resolve(canvas)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=canvas.name, language=canvas.language.value)
    graph.add_nodes_from((i, {"kind": _KIND[type(e)], "element": e}) for i, e in resolved.index.items())
    edges: list[Any] = [(a, b, r, {"relation": r}) for a, b, r in resolved.edges]
    graph.add_edges_from(edges)  # the stubs miss MultiGraph's (u, v, key, data) form, hence list[Any]
    return graph
