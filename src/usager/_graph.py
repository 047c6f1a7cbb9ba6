"""The journey graph: :func:`to_graph` and the table of references it follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from usager.canvas import Canvas, element_kind
from usager.elements import Activity, Brake, Element, Facilitator, Resource, Usager

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["REFERENCES", "Reference", "iter_references", "to_graph"]


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


#: Every reference field of the canvas, in the order the graph's edges follow.
REFERENCES: tuple[Reference, ...] = (
    Reference(Usager, "persona", "embodies", ("persona",)),
    Reference(Usager, "stage", "at", ("stage",)),
    Reference(Brake, "stage", "holds", ("stage",)),
    Reference(Brake, "personas", "affects", ("persona",)),
    Reference(Facilitator, "addresses", "addresses", ("brake",)),
    Reference(Facilitator, "stages", "eases", ("stage",)),
    Reference(Activity, "supports", "supports", ("stage", "facilitator")),
    Reference(Activity, "uses", "uses", ("resource",)),
    Reference(Activity, "partner", "performs", ("partner",), reverse=True),
    Reference(Resource, "partner", "provides", ("partner",), reverse=True),
)
_BY_OWNER: dict[type[Any], tuple[Reference, ...]] = {
    cls: tuple(r for r in REFERENCES if r.owner is cls) for cls in {r.owner for r in REFERENCES}
}


def iter_references(element: Element) -> Iterator[tuple[Reference, str, int | None]]:
    """Yield ``(reference, target id, list index or None)`` for every id ``element`` names."""
    for ref in _BY_OWNER.get(type(element), ()):
        value = getattr(element, ref.field)
        if value is None:
            continue
        if isinstance(value, tuple):
            for i, target in enumerate(value):
                yield ref, target, i
        else:
            yield ref, value, None


def to_graph(canvas: Canvas) -> nx.MultiDiGraph[str]:
    """The canvas as a :class:`networkx.MultiDiGraph`.

    One node per element, keyed by id, with the attributes ``kind`` (the
    element's type name in lower case) and ``element``. Edges carry
    ``relation`` (also their key): ``next`` from each stage to the next one
    and from the last back to the first, then ``holds``, ``affects``,
    ``addresses``, ``eases``, ``supports``, ``uses``, ``performs``,
    ``provides``, ``embodies`` and ``at`` as the canvas's references say.

    An inconsistent canvas still gives a graph: when an id is used twice the
    first element holds the node and the others are left out, and a reference
    that names no element, or an element of the wrong kind, gives no edge.
    :func:`usager.check` reports all of these.
    """
    import networkx as nx

    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=canvas.name, language=canvas.language.value)
    index: dict[str, Element] = {}
    for element in canvas.elements():
        index.setdefault(element.id, element)
    graph.add_nodes_from((i, {"kind": element_kind(e), "element": e}) for i, e in index.items())

    edges: list[tuple[str, str, str, dict[str, str]]] = []
    cycle = [s.id for s in canvas.stages if index[s.id] is s]
    for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
        edges.append((a, b, "next", {"relation": "next"}))
    for element in index.values():
        for ref, target, _ in iter_references(element):
            other = index.get(target)
            if other is None or element_kind(other) not in ref.targets:
                continue
            a, b = (target, element.id) if ref.reverse else (element.id, target)
            edges.append((a, b, ref.relation, {"relation": ref.relation}))
    graph.add_edges_from(edges)  # type: ignore[arg-type]  # the stubs miss MultiGraph's (u, v, key, data) form
    return graph
