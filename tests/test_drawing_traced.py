"""Every answer in a drawing can be traced: lines that do not cross boxes nor run along each other,
brakes that name what answers them, nothing answered hidden, labels cut at whole words only, and
an emotion curve per persona.

The geometry is what the real Graphviz draws (``dot -Tjson``), measured by
:mod:`tests.graphviz_geometry`.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usager import Brake, Canvas, Contribution, Experience, Facilitator, Metric, Persona, dumps
from usager.examples import mediatheque
from usager.exporters._drawing.dottext import wrap

from .canvases import EXAMPLES, generated
from .graphviz_geometry import crossings, geometry, overlaps, untraceable
from .graphviz_tools import parse, require_dot
from .profiles import examples

LAYOUTS = ("cycle", "lanes")


def _labels(source: str) -> dict[str, str]:
    return {o["name"]: o.get("label", "") for o in parse(source).get("objects", [])}


# the checker itself

BAD = """digraph bad {
  graph [layout=nop2, splines=line];
  node [shape=box, fixedsize=true, width=1, height=0.5];
  a [pos="0,0!"]; b [pos="400,0!"]; c [pos="200,0!"];
  d [pos="0,200!"]; e [pos="400,200!"]; f [pos="100,300!"]; g [pos="300,300!"];
  a -> b;
  d -> e;
  f -> g [pos="e,300,282 100,282 100,282 100,200 100,200 100,200 300,200 300,200 300,200 300,275 300,275"];
}
"""


def test_the_checker_finds_a_line_through_a_box_and_two_lines_on_one_another() -> None:
    """On a deliberately bad graph: a→b runs through c, and f→g runs along d→e for 200 points."""
    nodes, edges = geometry(BAD)
    assert crossings(nodes, edges) == [("a", "b", "c")]
    assert overlaps(edges) == [(("d", "e"), ("f", "g"))]


def test_the_checker_passes_lines_that_meet_at_a_box_or_cross() -> None:
    """Lines that meet at a box they join, or cross at an angle, or graze a box's border, are not counted."""
    good = """digraph good {
  graph [layout=neato, inputscale=72, splines=line];
  node [shape=box, fixedsize=true, width=1, height=0.5];
  a [pos="0,0!"]; b [pos="300,0!"]; c [pos="150,-200!"]; d [pos="150,200!"];
  a -> b; c -> d; a -> d; b -> d;
  e [pos="0,-100!", width=0.5]; f [pos="300,-100!", width=0.5]; g [pos="90,-118!"];
  e -> f;
}
"""
    nodes, edges = geometry(good)
    assert crossings(nodes, edges) == []
    assert overlaps(edges) == []


def test_the_checker_reads_the_bends_of_a_routed_line() -> None:
    """A line given its points (an edge ``pos``) is measured along them, not from centre to centre."""
    graph = """digraph g {
  graph [layout=nop2, splines=line];
  node [shape=box, fixedsize=true, width=1, height=0.5];
  a [pos="0,0!"]; b [pos="400,0!"]; c [pos="200,0!"];
  a -> b [pos="e,400,18 0,18 0,18 0,60 0,60 0,60 400,60 400,60 400,60 400,25 400,25"];
}
"""
    nodes, edges = geometry(graph)
    assert crossings(nodes, edges) == []
    assert max(y for _, y in edges[0].points) > 50  # it went over c


# the drawings


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_no_line_crosses_a_box_or_runs_along_another(name: str, layout: str) -> None:
    """In each example, no line passes through a box it does not join, and no two lines share a stretch."""
    assert untraceable(dumps(EXAMPLES[name](), "dot", layout=layout)) == ([], [])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_generated_canvas_of_20_elements_is_traceable(layout: str) -> None:
    """A generated canvas of 20 elements: no crossing, no overlap."""
    assert untraceable(dumps(generated(20), "dot", layout=layout)) == ([], [])


@pytest.mark.slow
@pytest.mark.parametrize("size", [100, 500])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_large_generated_canvas_is_traceable(layout: str, size: int) -> None:
    """Generated canvases of 100 and 500 elements: no crossing, no overlap."""
    assert untraceable(dumps(generated(size), "dot", layout=layout)) == ([], [])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_facilitator_drawn_has_a_line_to_each_brake_drawn_it_addresses(layout: str) -> None:
    """An answer drawn is joined to its brake by a line: a facilitator→brake edge for each pair drawn."""
    canvas = mediatheque()
    require_dot()
    keys = {e.id: f"n{i}" for i, e in enumerate(canvas.elements())}
    source = dumps(canvas, "dot", layout=layout)
    nodes, edges = geometry(source)
    drawn = {(e.tail, e.head) for e in edges}
    pairs = [(keys[f.id], keys[b]) for f in canvas.facilitators for b in f.addresses]
    assert pairs
    assert all(pair in drawn for pair in pairs if pair[0] in nodes and pair[1] in nodes)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_brake_names_what_answers_it(layout: str) -> None:
    """Each brake lists the tags of its facilitators (F1...), each facilitator shows its tag; none: 'no answer yet'."""
    canvas = Canvas.standard("x").add(
        Brake(id="fear", label="Fear", stage="usage"),
        Brake(id="cost", label="Cost", stage="usage"),
        Facilitator(id="help", label="Help", addresses=["fear"]),
        Facilitator(id="guide", label="Guide", addresses=["fear"]),
    )
    labels = _labels(dumps(canvas, "dot", layout=layout))
    keys = {e.id: f"n{i}" for i, e in enumerate(canvas.elements())}
    assert labels[keys["fear"]].split("\\n")[-1] == "answers: F1, F2"
    assert labels[keys["cost"]].split("\\n")[-1] == "no answer yet"
    assert labels[keys["help"]].split("\\n")[0] == "F1"
    assert labels[keys["guide"]].split("\\n")[0] == "F2"


def test_a_french_brake_names_its_answers_in_french() -> None:
    """The words of the tags follow the canvas language."""
    canvas = Canvas.standard("x", language="fr").add(
        Brake(id="peur", label="Peur", stage="usage"), Brake(id="prix", label="Prix", stage="usage")
    )
    canvas = canvas.add(Facilitator(id="aide", label="Aide", addresses=["peur"]))
    labels = _labels(dumps(canvas, "dot"))
    assert "réponses : F1" in labels["n6"]
    assert "sans réponse" in labels["n7"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_answer_is_hidden_when_a_sector_is_full(layout: str) -> None:
    """Fifteen facilitators answering one brake: each tag the brake names is on a box or in a visible list.

    The list has a line to the brake, as the facilitators drawn have.
    """
    canvas = Canvas.standard("x").add(Brake(id="fear", label="Fear", stage="usage"))
    canvas = canvas.add(*(Facilitator(id=f"f{i}", label=f"Help {i}", addresses=["fear"]) for i in range(15)))
    labels = _labels(dumps(canvas, "dot", layout=layout))
    tags = re.findall(r"F\d+", labels["n6"])
    assert tags == [f"F{i}" for i in range(1, 16)]
    shown = " ".join(labels.values())
    for tag in tags:
        assert re.search(rf"(^|\\n|• | ){tag}(\\n| )", shown), tag
    more = [label for name, label in labels.items() if name.startswith("more_f")]
    assert more
    assert all(label.startswith("and ") for label in more)
    assert "• F15 Help 14" in " ".join(more)
    # and the box that lists them has a line to the brake they answer
    _, edges = geometry(dumps(canvas, "dot", layout=layout))
    assert [(e.tail, e.head) for e in edges if e.tail.startswith("more_f")] == [("more_f3", "n6")]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_brake_left_out_of_a_full_lane_is_listed_with_its_answers(layout: str) -> None:
    """A brake in the "and N more" box is listed by label, with the tags of what answers it."""
    canvas = Canvas.standard("x").add(*(Brake(id=f"b{i}", label=f"Brake {i}", stage="usage") for i in range(8)))
    canvas = canvas.add(Facilitator(id="help", label="Help", addresses=["b7"]))
    labels = _labels(dumps(canvas, "dot", layout=layout))
    assert "• Brake 7 (F1)\\l" in labels["more_b3"]


def test_the_lanes_draw_one_emotion_curve_per_persona_and_all_usagers() -> None:
    """A commuter at −1 and a tourist at −2 are drawn as −1 and −2 on curves of their own; all usagers at −1.5."""
    canvas = Canvas.standard("x").add(
        Persona(id="commuter", name="Commuter"),
        Persona(id="tourist", name="Tourist"),
        Experience(id="e1", stage="first_experience", persona="commuter", score=-1),
        Experience(id="e2", stage="first_experience", persona="tourist", score=-2),
        Experience(id="e3", stage="discovery", persona="commuter", score=1),
        Experience(id="e4", stage="discovery", persona="tourist", score=2),
    )
    source = dumps(canvas, "dot", layout="lanes")
    labels = _labels(source)
    assert (labels["score0_1"], labels["score1_1"], labels["score2_1"]) == ("-1.5", "-1.0", "-2.0")
    assert (labels["lane_curve0"], labels["lane_curve1"], labels["lane_curve2"]) == (
        "All usagers",
        "Commuter",
        "Tourist",
    )
    _, edges = geometry(source)
    curves = {(e.tail, e.head) for e in edges if e.tail.startswith("score")}
    assert curves == {("score0_0", "score0_1"), ("score1_0", "score1_1"), ("score2_0", "score2_1")}
    # all usagers' curve is bold, each persona's in a colour of its own, and the legend says so
    assert re.search(r"score0_0 -> score0_1 \[[^]]*penwidth=3", source)
    colours = re.findall(r"score[12]_0 -> score[12]_1 \[[^]]*color=\"(#\w+)\"\];", source)
    assert len(set(colours)) == 2
    assert {"legend_curve_t", "legend_persona_curve_t"} <= set(labels)


def test_the_lanes_show_metrics_at_their_stage_and_contributions() -> None:
    """A metric sits in the column of the stage it measures, with its figures; a contribution in its stage's column."""
    canvas = Canvas.standard("x").add(
        Brake(id="fear", label="Fear", stage="purchase"),
        Metric(id="m", label="Sign-ups", stage="purchase", unit="%", current=12, target=20),
        Contribution(id="c", title="A help line", stages=["purchase"], brakes=["fear"]),
    )
    source = dumps(canvas, "dot", layout="lanes")
    nodes, _ = geometry(source)
    labels = _labels(source)
    keys = {e.id: f"n{i}" for i, e in enumerate(canvas.elements())}

    def centre(name: str) -> float:
        left, _, right, _ = nodes[name].box
        return (left + right) / 2

    assert centre(keys["m"]) == pytest.approx(centre(keys["purchase"]), abs=1)
    assert centre(keys["c"]) == pytest.approx(centre(keys["purchase"]), abs=1)
    assert labels[keys["m"]] == "Sign-ups\\n↑ now 12 % · target 20 %"
    assert labels[keys["c"]].startswith("C1\\nA help line\\n(proposed)")
    assert labels[keys["fear"]].endswith("answers: C1")
    assert {"legend_metric", "legend_contribution"} <= set(labels)
    # the cycle shows no contribution, so its brakes do not name them
    assert _labels(dumps(canvas, "dot"))[keys["fear"]].endswith("no answer yet")


_WORD = st.text(alphabet="abcdéfghijklmnopqrstuvwxyz", min_size=1, max_size=30)


@settings(max_examples=examples(200))
@given(st.lists(_WORD, min_size=1, max_size=40), st.integers(8, 30), st.integers(1, 6))
def test_wrapping_never_cuts_a_word_it_could_keep_whole(words: list[str], width: int, most: int) -> None:
    """Lines break at spaces; a word is cut only when longer than a line (each piece but the last ending in -).

    Read back, the lines give the words in order, whole, up to where an ellipsis ends them.
    """
    lines = wrap(" ".join(words), width=width, max_lines=most)
    assert len(lines) <= most
    assert all(len(line) <= width or (line.endswith(" …") and len(line) <= width + 2) for line in lines)
    text = " ".join(lines)
    cut = text.endswith("…")
    text = text.removesuffix("…").rstrip()
    pieces = re.sub(r"- ", "", text).split(" ") if text else []
    # every piece read back is a whole word, in order; only the last may be a beginning after an ellipsis
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        assert piece == words[k] or (last and cut and len(words[k]) > width and words[k].startswith(piece))
    if not cut:
        assert pieces == words


def test_labels_of_the_examples_are_cut_at_whole_words() -> None:
    """A drawn label of the examples that had to be cut ends with a whole word, then `` …``."""
    for name, make in EXAMPLES.items():
        for layout in LAYOUTS:
            for label in _labels(dumps(make(), "dot", layout=layout)).values():
                for line in label.replace("\\l", "\\n").split("\\n"):
                    assert not line.endswith("…") or line.endswith(" …"), (name, line)


def test_wrapping_to_a_tiny_width_still_ends() -> None:
    """A width too small for a letter and a hyphen is taken as that much: the text still wraps, and ends."""
    assert wrap("abc defgh", width=0, max_lines=3) == ["a-", "bc", "d…"]
    assert wrap("aaaaaaaa a", width=8, max_lines=1) == ["aaaaaaaa …"]  # a word that fits is never cut
