"""The router draws the very lines it drew before it was made fast.

:mod:`tests.route_reference` keeps the router as it was (a verbatim copy of the module); every
drawing here is written twice, once by the library and once with the kept router in its place,
and the two DOT sources must be equal byte for byte: the examples, generated canvases of 20, 100
and 500 elements and canvases drawn by :func:`usager.strategies.canvases`, in both layouts. The
search itself is also held to the kept one on every routed link of a drawing, including those a
line with a single turn serves (where the drawing never asks the search).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import usager
from usager import Canvas
from usager._graph import resolve
from usager.examples import complete
from usager.exporters import dot
from usager.exporters._drawing.cycle import cycle
from usager.exporters._drawing.lanes import lanes
from usager.exporters._drawing.parts import Subject
from usager.exporters._drawing.scene import Group
from usager.exporters._drawing.scene import route as router
from usager.strategies import canvases

from . import route_reference as reference
from .canvases import EXAMPLES, generated
from .profiles import examples

LAYOUTS = ("cycle", "lanes")


@contextmanager
def _kept_router() -> Iterator[None]:
    """The DOT exporter routes with the kept router for the time of the block."""
    current = dot.route
    dot.route = reference.route
    try:
        yield
    finally:
        dot.route = current


def _both(canvas: Canvas, layout: str, *, draft: bool = False) -> tuple[str, str]:
    """The DOT source of ``canvas``, by the library's router and by the kept one."""
    new = usager.dumps(canvas, "dot", layout=layout, draft=draft)
    with _kept_router():
        old = usager.dumps(canvas, "dot", layout=layout, draft=draft)
    return new, old


def _assert_same(new: str, old: str) -> None:
    if new != old:  # say where they part, not just that they do
        lines = zip(new.splitlines(), old.splitlines(), strict=False)
        first = next((n for n, (a, b) in enumerate(lines, 1) if a != b), min(new.count("\n"), old.count("\n")) + 1)
        pytest.fail(f"the drawings part at line {first}:\n  now: {new.splitlines()[first - 1:first]}\n"
                    f"  was: {old.splitlines()[first - 1:first]}")  # fmt: skip


def test_the_kept_router_is_what_the_comparison_runs() -> None:
    """The swap takes effect, and the drawings compared have routed lines (so equal means something)."""
    assert reference.route is not router.route
    with _kept_router():
        assert dot.route is reference.route
    assert dot.route is router.route
    new, old = _both(complete(), "cycle")
    assert new.count('pos="e,') > 5
    assert old.count('pos="e,') == new.count('pos="e,')


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_are_drawn_as_before(name: str, layout: str) -> None:
    """Each example's DOT source is byte for byte what the kept router gives."""
    _assert_same(*_both(EXAMPLES[name](), layout))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", [20, 100, 500])
def test_generated_canvases_are_drawn_as_before(size: int, layout: str) -> None:
    """Generated canvases, up to crowded drawings where the search runs long, are drawn as before."""
    _assert_same(*_both(generated(size), layout))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canvases(), st.sampled_from(LAYOUTS))
def test_any_canvas_is_drawn_as_before(canvas: Canvas, layout: str) -> None:
    """Whatever the canvas, the DOT source is byte for byte what the kept router gives."""
    _assert_same(*_both(canvas, layout, draft=True))


def _group(canvas: Canvas, layout: str) -> Group:
    """The drawing of ``canvas`` with its boxes placed and no line routed yet."""
    subject = Subject(canvas, resolve(canvas), backstage=True, people=True, findings=None)
    return cycle(subject) if layout == "cycle" else lanes(subject)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("name", "make"), [("complete", complete), ("generated 100", lambda: generated(100))])
def test_the_search_finds_the_line_it_found_before(name: str, make: Callable[[], Canvas], layout: str) -> None:
    """Between the boxes of every routed link, on the empty grid, the search finds the same cells.

    The drawing asks the search only where no line with a single turn keeps the rules; here it
    is asked for every link, from all the cells round the tail to all those round the head.
    """
    group = _group(make(), layout)
    grid, kept = router._Grid(group), reference._Grid(group)
    asked = found = 0
    for link in group.links:
        if link.relation not in router.ROUTED or link.tail == link.head:
            continue
        tail, head = grid.number.get(link.tail), grid.number.get(link.head)
        if tail is None or head is None:
            continue
        i0, j0, i1, j1 = grid.extent[head]
        goal = (i0 - 1, j0 - 1, i1 + 1, j1 + 1)
        path = router._search(grid, grid.terminals(tail), grid.terminals(head), goal)
        assert path == reference._search(kept, kept.terminals(tail), kept.terminals(head), goal), link
        asked += 1
        found += bool(path)
    # the search leaves the grid as it found it: the ends it marked are unmarked
    assert grid.flags == bytes(f | router._B * b for f, b in zip(kept.flags, kept.blocked, strict=True))
    assert asked > 10
    assert found > asked // 2
