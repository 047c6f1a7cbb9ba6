from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given, settings

import usager
from usager import Activity, Brake, Canvas, CanvasError, Facilitator, Persona, Stage, dumps
from usager.examples import complete, mediatheque
from usager.exporters._drawing.dottext import quote, wrap

from .graphviz_tools import parse, structure
from .profiles import examples
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


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_output_is_deterministic(layout: str) -> None:
    """The same canvas always gives the same source."""
    assert dumps(mediatheque(), "dot", layout=layout) == dumps(mediatheque(), "dot", layout=layout)


def _successors(edges: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for tail, head in edges:
        out.setdefault(tail, []).append(head)
    return out


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_the_cycle_runs_from_each_stage_to_the_next_and_back(layout: str) -> None:
    """From each stage the arcs lead, through its transition's dot, to the next stage (the last: the first)."""
    canvas = complete()
    _, edges, _ = structure(dumps(canvas, "dot", layout=layout))
    ids = {e.id: f"n{i}" for i, e in enumerate(canvas.elements())}
    stages = [ids[s.id] for s in canvas.stages]
    successors = _successors(edges)
    for stage, following in zip(stages, stages[1:] + stages[:1], strict=True):
        node, seen = stage, [stage]
        while node != following:
            (node,) = successors[node]  # a stage, a point of an arc and a transition each lead on once
            seen.append(node)
            assert len(seen) < 40
        assert f"{stage}t" in seen


def test_brakes_hold_the_transition_and_facilitators_address_brakes() -> None:
    """A brake is tied to its stage; a facilitator to the brake it addresses."""
    _, edges, _ = structure(dumps(complete(), "dot"))
    ids = {e.id: f"n{i}" for i, e in enumerate(complete().elements())}
    assert (ids["jargon"], ids["first_experience"]) in edges
    assert (ids["welcome"], ids["jargon"]) in edges


def test_the_source_names_its_engine_and_pins_every_node() -> None:
    """The graph says layout=nop2, every node has a pinned position and every routed line its points.

    So dot -Tsvg draws it as usager does: nop2 draws the nodes where they are pinned and each
    edge that has a ``pos`` along it.
    """
    source = dumps(complete(), "dot")
    assert "layout=nop2" in source.splitlines()[1]
    nodes = [line for line in source.splitlines()[4:] if re.match(r"  \w+ \[", line)]
    assert nodes
    assert all(re.search(r'pos="-?[\d.]+,-?[\d.]+!"', line) for line in nodes)


def test_labels_show_the_text_and_the_title_is_the_canvas_name() -> None:
    """The graph label is the canvas name; node labels are the elements' labels, in the canvas language."""
    graph = parse(dumps(Canvas.standard("Médiathèque", "fr").add(Activity(id="a", label="Accueil")), "dot"))
    assert graph["label"] == "Médiathèque"
    labels = {o["name"]: o.get("label") for o in graph["objects"]}
    assert labels["n0"] == "Découverte"
    assert labels["legend"] == "Légende"
    assert labels["run"] == "Activités clés : faire fonctionner le service"


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
@pytest.mark.parametrize("label", NASTY, ids=range(len(NASTY)))
def test_no_label_changes_the_graph(label: str, layout: str) -> None:
    """A hostile label gives exactly the nodes and edges of the same canvas with plain labels."""
    canvas = complete()
    expected = structure(dumps(canvas, "dot", layout=layout))
    assert structure(dumps(hostile(canvas, label), "dot", layout=layout)) == expected


@settings(max_examples=examples(25))
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
    """Labels wrap at spaces and stop after the last allowed line with an ellipsis after a whole word.

    Only a word longer than a line is cut, with a hyphen.
    """
    lines = wrap("word " * 200, width=24, max_lines=6)
    assert len(lines) == 6
    assert all(len(line) <= 24 for line in lines)
    assert lines[-1] == "word word word word …"
    assert wrap("x" * 100, width=10, max_lines=3) == ["x" * 9 + "-", "x" * 9 + "-", "x" * 9 + "…"]
    assert wrap("a\r\nb\rc") == ["a", "b", "c"]
    assert wrap("Les nouveaux habitants ignorent que la médiathèque est gratuite", width=22, max_lines=3) == [
        "Les nouveaux habitants",
        "ignorent que la",
        "médiathèque est …",
    ]


def test_every_quoted_string_stays_short() -> None:
    """However long the text, no quoted string comes near DOT's 16 KiB limit."""
    source = dumps(hostile(complete(), "é" * 100_000), "dot")
    assert max(len(line) for line in source.splitlines()) < 2_000


def test_options_leave_out_the_backstage_and_the_people() -> None:
    """backstage=False and people=False drop those groups, their nodes and their legend entries."""
    full = structure(dumps(complete(), "dot"))[0]
    bare = structure(dumps(complete(), "dot", backstage=False, people=False))[0]
    assert {"run", "launch", "resources", "partners", "people", "legend_activity", "legend_persona"} <= set(full)
    assert not {"backstage", "run", "people", "legend_activity", "legend_persona"} & set(bare)


def test_unknown_and_ill_typed_options_are_refused() -> None:
    """An unknown option, a non-boolean flag or an unknown layout raise OptionError (a TypeError) naming them."""
    with pytest.raises(TypeError, match="'colour'"):
        dumps(complete(), "dot", colour=True)
    with pytest.raises(TypeError, match="takes true or false"):
        dumps(complete(), "dot", people="no")
    with pytest.raises(TypeError, match="'layout' takes one of 'cycle', 'lanes', not 'grid'"):
        dumps(complete(), "dot", layout="grid")


def test_the_exporters_declare_their_options() -> None:
    """dot, svg, png and pdf declare layout (a choice) and three flags, for the command line's -O."""
    for name in ("dot", "svg", "png", "pdf"):
        assert dict(usager.exporters.get(name).options) == {  # type: ignore[attr-defined]
            "layout": ("cycle", "lanes"), "draft": bool, "backstage": bool, "people": bool}  # fmt: skip


def test_brake_severity_shows_as_dots() -> None:
    """A brake's label shows its severity as filled and empty dots, then what answers it."""
    canvas = Canvas.standard("x").add(
        Persona(id="p", name="P"),
        Brake(id="b", label="Fear", stage="usage", severity=3),
        Facilitator(id="f", label="Help", addresses=["b"]),
    )
    graph = parse(dumps(canvas, "dot"))
    labels = {o["name"]: o.get("label") for o in graph["objects"]}
    assert labels["n7"] == "Fear\\n●●●\\nanswers: F1"  # dot keeps the label as written: a line break escape
    assert 'fillcolor="#e6705f"' in dumps(canvas, "dot")  # and as the deepest red


def test_hostile_samples_are_covered() -> None:
    """The shared hostile samples all draw."""
    for sample in HOSTILE:
        if sample.strip():
            dumps(hostile(complete(), sample), "dot")
