from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import given, settings

from usager import Activity, Brake, Canvas, CanvasError, Facilitator, Persona, Stage, dumps
from usager._example import mediatheque
from usager.exporters._dottext import quote, wrap
from usager.rules._base import complete

from .graphviz_tools import parse, structure
from .strategies import HOSTILE, text


def hostile(canvas: Canvas, label: str) -> Canvas:
    """The same canvas with every name, label and description replaced by ``label``."""

    def change(element: object) -> object:
        fields = {f.name for f in attrs.fields(type(element))}
        changes = {k: label for k in ("name", "label", "description") if k in fields}
        return attrs.evolve(element, **changes)  # type: ignore[misc]

    lists = {name: [change(e) for e in getattr(canvas, name)] for name in (
        "personas", "usagers", "stages", "brakes", "facilitators", "activities", "resources", "partners")}  # fmt: skip
    return attrs.evolve(canvas, name=label, description=label, **lists)  # type: ignore[arg-type]


NASTY = [
    '"; n0 -> n1; "',
    "\\",
    "ends with a backslash \\",
    "<b>html</b>",
    '<IMG SRC="/etc/passwd"/>',
    "a:b",
    "{ } [ ] ; = ,",
    "\\N \\G \\E \\T \\H \\L \\l \\r \\n",
    "line\nbreak\r\nand\rmore",
    "&amp; &lt; &#60;",
    "// comment /* not closed",
    "# comment",
    "\x01\x02\x1b[31m\x7f",
    "\u202eright to left مرحبا 😀",
    "x" * 20_000,
    "subgraph cluster_x { evil }",
    "\ufffe\uffff",
]


def test_a_canvas_with_errors_is_refused_with_its_findings() -> None:
    """Drawing needs a consistent canvas; the CanvasError lists the errors."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="ghost"))
    with pytest.raises(CanvasError, match=r"cannot draw canvas 'x': 1 error\n  U002 error"):
        dumps(canvas, "dot")


def test_warnings_do_not_stop_the_drawing() -> None:
    """An incomplete canvas (warnings only) is drawn."""
    assert dumps(Canvas.standard("x"), "dot").startswith("digraph usager {")


def test_output_is_deterministic() -> None:
    """The same canvas always gives the same source."""
    assert dumps(mediatheque(), "dot") == dumps(mediatheque(), "dot")


def test_the_drawing_has_the_expected_structure() -> None:
    """The real dot sees the cycle, the lanes, the backstage groups and the legend."""
    nodes, edges, clusters = structure(dumps(complete(), "dot"))
    ids = {e.id: f"n{i}" for i, e in enumerate(complete().elements())}
    stage_nodes = [ids[s.id] for s in complete().stages]
    cycle = [(a, f"{a}t") for a in stage_nodes] + [(f"{a}t", b) for a, b in itertools.pairwise(stage_nodes)]
    cycle.append((stage_nodes[0], f"{stage_nodes[-1]}t"))  # the return, written backwards
    assert set(cycle) <= set(edges)
    cluster_names = {name for name, _ in clusters}
    assert {"cluster_people", "cluster_brakes", "cluster_facilitators", "cluster_backstage", "cluster_run",
            "cluster_launch", "cluster_resources", "cluster_partners", "cluster_legend"} == cluster_names  # fmt: skip
    members = dict(clusters)
    assert members["cluster_brakes"] == [ids["no-time"]]
    assert members["cluster_facilitators"] == [ids["slots"]]
    assert members["cluster_launch"] == [ids["fit-out"]]
    # the brake holds users on the transition out of its stage; the facilitator addresses the brake
    assert (ids["no-time"], f"{ids['first_experience']}t") in edges
    assert (ids["slots"], ids["no-time"]) in edges
    assert "cycle" in nodes


def test_labels_show_the_text_and_the_title_is_the_canvas_name() -> None:
    """The graph label is the canvas name; node labels are the elements' labels, in the canvas language."""
    graph = parse(dumps(Canvas.standard("Médiathèque", "fr").add(Activity(id="a", label="Accueil")), "dot"))
    assert graph["label"] == "Médiathèque"
    labels = {o["name"]: o.get("label") for o in graph["objects"]}
    assert labels["n0"] == "Découverte"
    assert labels["cluster_legend"] == "Légende"
    assert labels["cluster_run"] == "Activités clés : faire fonctionner le service"


@pytest.mark.parametrize("label", NASTY, ids=range(len(NASTY)))
def test_no_label_changes_the_graph(label: str) -> None:
    """A hostile label gives exactly the nodes, edges and clusters of the same canvas with plain labels."""
    canvas = complete()
    assert structure(dumps(hostile(canvas, label), "dot")) == structure(dumps(canvas, "dot"))


@settings(max_examples=25)
@given(text.filter(str.strip))
def test_no_generated_label_changes_the_graph(label: str) -> None:
    """Generated hostile text never changes what dot parses."""
    canvas = Canvas(name="x", stages=[Stage(id="s", kind="custom", label="plain")])
    expected = structure(dumps(canvas, "dot"))
    assert structure(dumps(hostile(canvas, label), "dot")) == expected


def test_quote_escapes_what_dot_reads_specially() -> None:
    """Backslashes double, quotes and ampersands escape, lines join with \\n, controls become visible."""
    assert quote(["a\\b", 'say "hi"', "&amp;"]) == '"a\\\\b\\nsay \\"hi\\"\\n&amp;amp;"'
    assert quote("tab\there\x01") == '"tab here\u2401"'
    assert quote("ends\\") == '"ends\\\\"'


def test_wrap_caps_long_labels() -> None:
    """Labels wrap at the width and stop after the last allowed line with an ellipsis."""
    lines = wrap("word " * 200, width=24, max_lines=6)
    assert len(lines) == 6
    assert all(len(line) <= 24 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap("x" * 100, width=10, max_lines=3) == ["x" * 10, "x" * 10, "x" * 9 + "…"]
    assert wrap("a\r\nb\rc") == ["a", "b", "c"]


def test_every_quoted_string_stays_short() -> None:
    """However long the text, no quoted string comes near DOT's 16 KiB limit."""
    source = dumps(hostile(complete(), "é" * 100_000), "dot")
    assert max(len(line) for line in source.splitlines()) < 2_000


def test_options_leave_out_the_backstage_and_the_people() -> None:
    """backstage=False and people=False drop those groups, their nodes and their legend entries."""
    full = structure(dumps(complete(), "dot"))
    bare = structure(dumps(complete(), "dot", backstage=False, people=False))
    names = {name for name, _ in bare[2]}
    assert names == {"cluster_brakes", "cluster_facilitators", "cluster_legend"}
    assert len(bare[0]) < len(full[0])
    with pytest.raises(TypeError, match="'colour'"):
        dumps(complete(), "dot", colour=True)
    with pytest.raises(TypeError, match="True or False"):
        dumps(complete(), "dot", people="no")


def test_brake_severity_shows_as_dots() -> None:
    """A brake's label ends with its severity as filled and empty dots."""
    canvas = Canvas.standard("x").add(
        Persona(id="p", name="P"),
        Brake(id="b", label="Fear", stage="usage", severity=3),
        Facilitator(id="f", label="Help", addresses=["b"]),
    )
    graph = parse(dumps(canvas, "dot"))
    labels = {o["name"]: o.get("label") for o in graph["objects"]}
    assert labels["n7"] == "Fear\\n●●●"  # dot keeps the label as written: a line break escape


def test_hostile_samples_are_covered() -> None:
    """The shared hostile samples all draw."""
    for sample in HOSTILE:
        if sample.strip():
            dumps(hostile(complete(), sample), "dot")
