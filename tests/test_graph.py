from __future__ import annotations

import subprocess
import sys

import attrs

import usager
from usager import Activity, Brake, Canvas, Facilitator, Partner, Persona, Resource, Stage, Usager, to_graph


def _edges(canvas: Canvas) -> set[tuple[str, str, str]]:
    return {(u, v, data["relation"]) for u, v, data in to_graph(canvas).edges(data=True)}


def test_nodes_are_keyed_by_id_with_kind_and_element() -> None:
    """Every element is a node carrying its lower-case kind and the element itself."""
    persona = Persona(id="p", name="P")
    graph = to_graph(Canvas(name="x", personas=[persona], partners=[Partner(id="pa", label="Pa")]))
    assert dict(graph.nodes(data="kind")) == {"p": "persona", "pa": "partner"}
    assert graph.nodes["p"]["element"] is persona


def test_stages_form_a_closed_cycle() -> None:
    """Each stage leads to the next and the last back to the first."""
    canvas = Canvas(name="x", stages=[Stage(id=i, kind="custom", label=i) for i in "abc"])
    assert _edges(canvas) == {("a", "b", "next"), ("b", "c", "next"), ("c", "a", "next")}


def test_every_relation_of_the_table_becomes_an_edge() -> None:
    """Each reference field gives the edge the contract names, in the contract's direction."""
    canvas = Canvas(
        name="x",
        personas=[Persona(id="pe", name="P")],
        usagers=[Usager(id="u", name="U", persona="pe", stage="s")],
        stages=[Stage(id="s", kind="usage")],
        brakes=[Brake(id="b", label="B", stage="s", personas=["pe"])],
        facilitators=[Facilitator(id="f", label="F", addresses=["b"], stages=["s"])],
        activities=[Activity(id="a", label="A", supports=["s", "f"], uses=["r"], partner="pa")],
        resources=[Resource(id="r", label="R", partner="pa")],
        partners=[Partner(id="pa", label="Pa")],
    )
    assert _edges(canvas) == {
        ("s", "s", "next"),
        ("u", "pe", "embodies"),
        ("u", "s", "at"),
        ("b", "s", "holds"),
        ("b", "pe", "affects"),
        ("f", "b", "addresses"),
        ("f", "s", "eases"),
        ("a", "s", "supports"),
        ("a", "f", "supports"),
        ("a", "r", "uses"),
        ("pa", "a", "performs"),
        ("pa", "r", "provides"),
    }


def test_edge_keys_are_the_relations() -> None:
    """An edge's key is its relation, so a reference named twice gives one edge."""
    canvas = Canvas(
        name="x",
        stages=[Stage(id="s", kind="usage")],
        facilitators=[Facilitator(id="f", label="F", stages=["s", "s"])],
    )
    graph = to_graph(canvas)
    assert list(graph["f"]["s"]) == ["eases"]


def test_dangling_and_wrong_kind_references_give_no_edge_and_no_crash() -> None:
    """A reference to nothing or to the wrong kind is left out of the graph."""
    canvas = Canvas(
        name="x",
        personas=[Persona(id="pe", name="P")],
        brakes=[Brake(id="b", label="B", stage="nowhere", personas=["pe", "ghost"])],
        facilitators=[Facilitator(id="f", label="F", addresses=["pe"])],
    )
    assert _edges(canvas) == {("b", "pe", "affects")}


def test_duplicated_ids_keep_the_first_element() -> None:
    """When an id is used twice, the first element holds the node."""
    first = Persona(id="d", name="First")
    canvas = Canvas(name="x", personas=[first], partners=[Partner(id="d", label="Second")])
    graph = to_graph(canvas)
    assert graph.number_of_nodes() == 1
    assert graph.nodes["d"]["element"] is first


def test_graph_carries_the_canvas_name_and_language() -> None:
    """The graph's attributes name the canvas."""
    graph = to_graph(Canvas.standard("Médiathèque", "fr"))
    assert graph.graph == {"name": "Médiathèque", "language": "fr"}


def test_the_graph_is_built_in_document_order() -> None:
    """Nodes come in document order, so the same canvas gives the same graph."""
    canvas = Canvas.standard("x").add(Partner(id="pa", label="P"), Persona(id="pe", name="P"))
    assert list(to_graph(canvas)) == [e.id for e in canvas.elements()]
    other = attrs.evolve(canvas)
    assert list(to_graph(other).edges(keys=True)) == list(to_graph(canvas).edges(keys=True))


def test_importing_usager_loads_neither_networkx_nor_graphviz() -> None:
    """import usager stays light; check() and the DOT source never build a graph; to_graph imports networkx."""
    code = (
        "import sys, usager\n"
        "from usager.examples import mediatheque\n"
        "assert 'networkx' not in sys.modules and 'graphviz' not in sys.modules, sorted(sys.modules)\n"
        "usager.check(mediatheque())\n"
        "usager.dumps(mediatheque(), 'dot')\n"
        "assert 'networkx' not in sys.modules, 'check() or the DOT exporter imported networkx'\n"
        "usager.to_graph(mediatheque())\n"
        "assert 'networkx' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_version_2_edges_are_in_the_graph() -> None:
    """Experiences, metrics and contributions give the contract's edges."""
    canvas = Canvas.standard("x").add(
        Persona(id="p", name="P"),
        Usager(id="u", name="U", persona="p"),
        Usager(id="v", name="V"),
        Brake(id="b", label="B", stage="usage"),
        Facilitator(id="f", label="F", addresses=["b"]),
        usager.Experience(id="e", stage="usage", persona="p", score=1),
        usager.Metric(id="m", label="M", stage="purchase"),
        usager.Contribution(id="c0", title="First"),
        usager.Contribution(
            id="c", title="T", author="u", supporters=["v"], stages=["usage"], brakes=["b"], realized_by="f",
            duplicate_of="c0",
        ),
    )  # fmt: skip
    edges = {(a, b, r) for a, b, r in to_graph(canvas).edges(keys=True)}
    assert {
        ("e", "usage", "felt_at"), ("e", "p", "felt_by"), ("m", "purchase", "measures"), ("c", "u", "proposed_by"),
        ("c", "v", "supported_by"), ("c", "usage", "concerns"), ("c", "b", "addresses"), ("c", "f", "realized_by"),
        ("c", "c0", "duplicates"),
    } <= edges  # fmt: skip
    assert to_graph(canvas).nodes["c"]["kind"] == "contribution"


def test_version_2_references_of_the_wrong_kind_are_u003() -> None:
    """realized_by takes a facilitator or an activity; a stage there is U003, a missing id U002."""
    canvas = Canvas.standard("x").add(usager.Contribution(id="c", title="T", realized_by="usage", author="ghost"))
    found = {(f.code, f.subjects) for f in usager.check(canvas, select=["U002", "U003"])}
    assert found == {("U003", ("c", "usage")), ("U002", ("c", "ghost"))}
