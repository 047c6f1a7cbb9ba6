"""The geometry of the drawings, as the real Graphviz lays them out (``dot -Tjson``)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import usager
from usager import Brake, Canvas, CanvasError, Facilitator, Stage, dumps
from usager.examples import complete, mediatheque
from usager.strategies import any_canvases

from .graphviz_tools import Drawn, drawing, overlapping
from .profiles import examples

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))
LAYOUTS = ["cycle", "lanes"]
#: A drawn example: the canvas, the layout, the nodes, the edges, the size.
Example = tuple[Canvas, str, dict[str, Drawn], list[object], tuple[float, float]]


def _keys(canvas: Canvas) -> dict[str, str]:
    keys: dict[str, str] = {}
    for number, element in enumerate(canvas.elements()):
        keys.setdefault(element.id, f"n{number}")
    return keys


def _boxes(nodes: dict[str, Drawn]) -> list[Drawn]:
    """The nodes that are boxes (not the points the arcs run through)."""
    return [n for n in nodes.values() if n.w > 12]


def _angle(node: Drawn, cx: float, cy: float) -> float:
    return math.degrees(math.atan2(node.y - cy, node.x - cx))


def _centre(stages: list[Drawn]) -> tuple[float, float]:
    return sum(s.x for s in stages) / len(stages), sum(s.y for s in stages) / len(stages)


@pytest.fixture(scope="module", params=[(e, layout) for e in EXAMPLES for layout in LAYOUTS],
                ids=lambda p: f"{p[0].stem}-{p[1]}")  # fmt: skip
def example(request: pytest.FixtureRequest) -> Example:
    path, layout = request.param
    canvas = usager.load(path)
    nodes, edges, size = drawing(dumps(canvas, "dot", layout=layout))
    return canvas, layout, nodes, edges, size  # type: ignore[return-value]


def test_no_two_boxes_overlap(example: Example) -> None:
    """No node of the drawing overlaps another."""
    nodes = example[2]
    assert overlapping(list(nodes.values())) == []


def test_every_label_fits_its_box(
    example: Example,
) -> None:
    """Each line of text, as Graphviz measures it, is narrower than its box."""
    too_wide = [(n.name, n.label) for n in _boxes(example[2]) if n.texts and max(n.texts) > n.w - 4]
    assert too_wide == []


def test_the_drawing_is_neither_too_wide_nor_too_tall(
    example: Example,
) -> None:
    """Width is at most twice the height, and the height at most twice the width."""
    width, height = example[4]
    assert 0.5 <= width / height <= 2.0


def test_no_edge_wanders_outside_its_ends(
    example: Example,
) -> None:
    """Every edge stays near the rectangle spanned by the boxes it joins: none loops around the drawing.

    A routed line may run beside its boxes, a few grid steps out, to go round another box.
    """
    nodes, edges = example[2], example[3]
    for tail, head, points in edges:  # type: ignore[misc]
        a, b = nodes[tail].bounds(), nodes[head].bounds()
        left, bottom = min(a[0], b[0]) - 24, min(a[1], b[1]) - 24
        right, top = max(a[2], b[2]) + 24, max(a[3], b[3]) + 24
        assert all(left <= x <= right and bottom <= y <= top for x, y in points), (tail, head)


def _cycle(canvas: Canvas, layout: str = "cycle") -> tuple[dict[str, str], dict[str, Drawn], list[Drawn]]:
    nodes, _, _ = drawing(dumps(canvas, "dot", layout=layout))
    keys = _keys(canvas)
    return keys, nodes, [nodes[keys[s.id]] for s in canvas.stages]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_cycle_stages_sit_on_a_circle_clockwise_from_the_top(path: Path) -> None:
    """Stage i of n is at 90° − 360°·i/n around the centre, all at the same distance from it."""
    canvas = usager.load(path)
    _, _, stages = _cycle(canvas)
    cx, cy = _centre(stages)
    radii = [math.hypot(s.x - cx, s.y - cy) for s in stages]
    assert max(radii) - min(radii) < 1.0
    for i, stage in enumerate(stages):
        expected = 90.0 - 360.0 * i / len(stages)
        assert abs((_angle(stage, cx, cy) - expected + 180.0) % 360.0 - 180.0) < 0.5


def _corner_angles(node: Drawn, cx: float, cy: float, around: float) -> list[float]:
    left, bottom, right, top = node.bounds()
    out = []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        a = math.degrees(math.atan2(y - cy, x - cx))
        out.append(a + 360.0 * round((around - a) / 360.0))
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_cycle_brakes_sit_outside_in_their_transitions_sector(path: Path) -> None:
    """Every corner of a brake lies beyond the circle, between its stage's angle and the next stage's."""
    canvas = usager.load(path)
    keys, nodes, stages = _cycle(canvas)
    cx, cy = _centre(stages)
    radius = math.hypot(stages[0].x - cx, stages[0].y - cy)
    n = len(stages)
    for brake in canvas.brakes:
        i = [s.id for s in canvas.stages].index(brake.stage)
        start, end = 90.0 - 360.0 * i / n, 90.0 - 360.0 * (i + 1) / n
        node = nodes[keys[brake.id]]
        angles = _corner_angles(node, cx, cy, (start + end) / 2)
        assert all(end < a < start for a in angles), brake.id
        assert math.hypot(node.x - cx, node.y - cy) > radius


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_cycle_facilitators_sit_inside_the_circle(path: Path) -> None:
    """Every corner of a facilitator lies inside the circle of the stages."""
    canvas = usager.load(path)
    keys, nodes, stages = _cycle(canvas)
    cx, cy = _centre(stages)
    radius = math.hypot(stages[0].x - cx, stages[0].y - cy)
    for facilitator in canvas.facilitators:
        left, bottom, right, top = nodes[keys[facilitator.id]].bounds()
        corners = [(left, bottom), (left, top), (right, bottom), (right, top)]
        assert all(math.hypot(x - cx, y - cy) < radius for x, y in corners), facilitator.id


def test_a_facilitator_answering_two_neighbouring_transitions_sits_between_them() -> None:
    """Answering the brakes of discovery and of first experience, it sits between those two transitions."""
    canvas = Canvas.standard("x").add(
        Brake(id="b1", label="One", stage="discovery"),
        Brake(id="b2", label="Two", stage="first_experience"),
        Facilitator(id="f", label="Both", addresses=["b1", "b2"]),
    )
    keys, nodes, stages = _cycle(canvas)
    cx, cy = _centre(stages)
    assert 0.0 < _angle(nodes[keys["f"]], cx, cy) < 60.0  # the two transitions' middles are at 60° and 0°


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_lanes_put_stages_in_a_row_brakes_above_and_facilitators_below(path: Path) -> None:
    """Stages run left to right in cycle order; each brake stands above its stage's column, facilitators below."""
    canvas = usager.load(path)
    keys, nodes, stages = _cycle(canvas, "lanes")
    assert len({round(s.y) for s in stages}) == 1
    assert [s.x for s in stages] == sorted(s.x for s in stages)
    column = stages[1].x - stages[0].x
    for brake in canvas.brakes:
        node, stage = nodes[keys[brake.id]], nodes[keys[brake.stage]]
        assert node.bounds()[1] > stage.bounds()[3]
        assert abs(node.x - stage.x) < column / 2
    for facilitator in canvas.facilitators:
        assert nodes[keys[facilitator.id]].bounds()[3] < stages[0].bounds()[1]


def test_lanes_draw_the_experience_scores_as_a_curve() -> None:
    """All usagers' curve: one score per stage with experiences, higher for a better score, each joined to the next."""
    canvas = complete()
    nodes, edges, _ = drawing(dumps(canvas, "dot", layout="lanes"))
    scores = sorted((n for n in nodes.values() if n.name.startswith("score0_")), key=lambda n: n.x)
    assert len(scores) == 6
    by_value = sorted(scores, key=lambda n: float(n.label))
    assert [n.y for n in by_value] == sorted(n.y for n in by_value)
    assert sum(1 for tail, _, _ in edges if tail.startswith("score0_")) == 5


def test_lanes_lead_back_from_the_last_stage_to_the_first() -> None:
    """The arrow from the last transition climbs over the brakes and comes down into the first stage."""
    canvas = complete()
    keys, nodes, _ = _cycle(canvas, "lanes")
    _, edges, _ = drawing(dumps(canvas, "dot", layout="lanes"))
    assert ("back2", keys["discovery"]) in [(t, h) for t, h, _ in edges]
    brakes = [nodes[keys[b.id]] for b in canvas.brakes]
    assert nodes["back0"].y > max(b.bounds()[3] for b in brakes)


def test_touchpoints_are_listed_under_their_stage() -> None:
    """A stage's box lists its touchpoints, at most three, then says how many more."""
    stage = Stage(id="s", kind="custom", label="Visit", touchpoints=["Desk", "Website", "Phone", "Posters", "Radio"])
    nodes, _, _ = drawing(dumps(Canvas(name="x", stages=[stage]), "dot"))
    assert nodes["n0"].label == "Visit\\n\\n• Desk\\n• Website\\n• Phone\\nand 2 more"


def test_long_labels_wrap_and_end_with_an_ellipsis() -> None:
    """A long brake label is cut after six lines, after a whole word, with an ellipsis; its tooltip has it all."""
    label = "word " * 40
    canvas = Canvas.standard("x").add(Brake(id="b", label=label, stage="usage"))
    source = dumps(canvas, "dot", backstage=False, people=False)
    nodes, _, _ = drawing(source)
    lines = nodes["n6"].label.split("\\n")
    assert len(lines) == 8  # six lines of text, the severity, what answers it
    assert lines[5] == "word word word word …"
    assert lines[7] == "no answer yet"
    assert label.strip()[:150] in source.replace("\\n", " ")


def test_a_full_lane_says_how_many_more() -> None:
    """Beyond six brakes at a transition, a box says how many more there are and lists them."""
    canvas = Canvas.standard("x").add(*(Brake(id=f"b{i}", label=f"Brake {i}", stage="usage") for i in range(10)))
    for layout, shown in (("cycle", 6), ("lanes", 5)):
        nodes, _, _ = drawing(dumps(canvas, "dot", layout=layout))
        assert sum(1 for n in nodes.values() if n.label.startswith("Brake ")) == shown
        hidden = "".join(f"• Brake {i}\\l" for i in range(shown, 10))
        assert nodes["more_b3"].label == f"and {10 - shown} more:\\l{hidden}"


def test_the_legend_shows_only_what_the_drawing_holds() -> None:
    """A canvas with stages alone has a legend for stages and the cycle's arrow, and none for brakes."""
    nodes, _, _ = drawing(dumps(Canvas.standard("x"), "dot"))
    assert {"legend_stage", "legend_next_t"} <= set(nodes)
    assert not {"legend_brake", "legend_facilitator", "legend_holds_t", "legend_activity"} & set(nodes)


def test_the_legend_explains_the_edge_styles() -> None:
    """Each kind of line drawn has a sample in the legend, with its meaning."""
    nodes, _, _ = drawing(dumps(mediatheque(), "dot"))
    meanings = {nodes[f"legend_{r}_t"].label.removesuffix("\\l") for r in ("next", "holds", "addresses", "eases")}
    assert meanings == {"mène à l'étape suivante", "retient les usagers à", "répond à", "facilite"}


def _broken() -> Canvas:
    return Canvas.standard("x").add(
        Brake(id="b", label="Fear", stage="usage"),
        Facilitator(id="f", label="Help", addresses=["b", "ghost"]),
        Brake(id="lost", label="Lost", stage="nowhere"),
    )


def test_without_draft_a_canvas_with_errors_is_refused() -> None:
    """A dangling reference refuses the drawing, as before."""
    with pytest.raises(CanvasError, match="U002"):
        dumps(_broken(), "dot", layout="lanes")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_draft_draws_a_dangling_reference_as_a_broken_box(layout: str) -> None:
    """In draft mode each missing id gets a box that names it, joined to what names it."""
    nodes, edges, _ = drawing(dumps(_broken(), "dot", layout=layout, draft=True))
    broken = {n.label: n.name for n in nodes.values() if n.name.startswith("broken")}
    assert set(broken) == {"⚠ missing\\nghost", "⚠ missing\\nnowhere"}
    pairs = {(t, h) for t, h, _ in edges}
    keys = _keys(_broken())
    assert (keys["f"], broken["⚠ missing\\nghost"]) in pairs
    assert (keys["lost"], broken["⚠ missing\\nnowhere"]) in pairs  # the brake that has no stage
    assert overlapping(list(nodes.values())) == []


def test_draft_lists_the_findings_in_a_caption() -> None:
    """The caption names each error and warning with its code."""
    nodes, _, _ = drawing(dumps(_broken(), "dot", draft=True))
    caption = nodes["caption"].label
    assert caption.startswith("DRAFT — Findings")
    assert caption.count("U002 error") == 2


def test_a_french_draft_names_the_severities_in_french() -> None:
    """The caption of a French canvas names its severities in French: "erreur", never "error"."""
    canvas = Canvas.standard("x", language="fr").add(Brake(id="lost", label="Perdu", stage="nowhere"))
    caption = drawing(dumps(canvas, "dot", draft=True))[0]["caption"].label
    assert ("U002 erreur : " in caption, "error" in caption) == (True, False)


def test_draft_draws_a_canvas_without_stages() -> None:
    """Even a canvas with no stage at all draws in draft mode, with its finding."""
    canvas = Canvas(name="empty", brakes=[Brake(id="b", label="B", stage="s")])
    nodes, _, _ = drawing(dumps(canvas, "dot", draft=True))
    assert "U010" in nodes["caption"].label


def test_the_notebook_draws_a_canvas_with_errors_as_a_draft() -> None:
    """The notebook display of an inconsistent canvas is its draft drawing."""
    bundle = _broken()._repr_mimebundle_()  # type: ignore[attr-defined]
    assert "DRAFT" in bundle["image/svg+xml"]


def test_a_consistent_canvas_in_draft_mode_has_no_broken_box() -> None:
    """Draft mode on a canvas without errors adds only the caption."""
    nodes, _, _ = drawing(dumps(complete(), "dot", draft=True))
    assert not [n for n in nodes if n.startswith("broken")]
    assert "caption" in nodes


def _generated(size: int) -> Canvas:
    path = Path(__file__).parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.canvas_of(size)  # type: ignore[no-any-return]


@pytest.mark.parametrize("size", [100, 1_000])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_generated_canvas_stays_legible(layout: str, size: int) -> None:
    """A generated canvas of 100 or 1,000 elements draws with no overlap, roughly as tall as wide."""
    nodes, _, (width, height) = drawing(dumps(_generated(size), "dot", layout=layout))
    assert overlapping(list(nodes.values())) == []
    assert 0.5 <= width / height <= 2.0


def test_lanes_fold_a_long_row_of_stages_into_bands() -> None:
    """Twenty stages fold into two bands, the line running on into the second band's first stage."""
    canvas = attrs.evolve(_generated(1_000), metrics=(), contributions=())  # as tall as two bands want
    keys = _keys(canvas)
    nodes, edges, _ = drawing(dumps(canvas, "dot", layout="lanes"))
    stages = [nodes[keys[s.id]] for s in canvas.stages]
    rows = sorted({round(s.y) for s in stages}, reverse=True)
    assert len(rows) == 2
    first = next(i for i, s in enumerate(stages) if round(s.y) == rows[1])
    into = [t for t, h, _ in edges if h == keys[canvas.stages[first].id] and not t.startswith("n")]  # type: ignore[misc]
    assert into == ["wrap1_2"]


@pytest.mark.parametrize("size", [1_000, 5_000])
def test_a_large_canvas_does_not_grow_without_end(size: int) -> None:
    """Capped lanes: a canvas of thousands of elements draws a few hundred boxes, none overlapping."""
    nodes, _, (width, height) = drawing(dumps(_generated(size), "dot"))
    assert len(_boxes(nodes)) < 600
    assert overlapping(list(nodes.values())) == []
    assert max(width, height) < 12_000


@settings(max_examples=examples(15), deadline=None)
@given(any_canvases())
def test_any_canvas_draws_as_a_draft_without_overlaps(canvas: Canvas) -> None:
    """Whatever the canvas, consistent or not, its draft drawing has no two boxes overlapping."""
    for layout in LAYOUTS:
        nodes, _, _ = drawing(dumps(canvas, "dot", layout=layout, draft=True))
        assert overlapping(list(nodes.values())) == []
