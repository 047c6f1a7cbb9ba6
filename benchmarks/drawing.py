"""Measure the drawings: crossing edge pairs and size of each example, and the cost of a large export.

Run: python benchmarks/drawing.py [DOT FILE...]

For each example (or each DOT file given) it prints, for each layout, the number of pairs of
edges that cross, computed from the coordinates the real Graphviz lays out (``dot -Tjson``;
curves sampled as polylines; two edges that share a node are not counted, as they meet there),
and the drawing's size in points. Then the size of a generated 100-element canvas, and the time
of a DOT export of a 100,000-element canvas against usager's indented JSON dump.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from generate import canvas_of

import usager

ROOT = Path(__file__).parent.parent
Point = tuple[float, float]


def _bezier(points: list[list[float]], steps: int = 12) -> list[Point]:
    out: list[Point] = []
    for i in range(0, len(points) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = points[i : i + 4]
        for k in range(steps + 1):
            t = k / steps
            m = 1 - t
            out.append(
                (
                    m**3 * ax + 3 * m * m * t * bx + 3 * m * t * t * cx + t**3 * dx,
                    m**3 * ay + 3 * m * m * t * by + 3 * m * t * t * cy + t**3 * dy,
                )
            )
    return out


def _cross(p1: Point, p2: Point, p3: Point, p4: Point) -> bool:
    def side(a: Point, b: Point, c: Point) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return side(p3, p4, p1) * side(p3, p4, p2) < 0 and side(p1, p2, p3) * side(p1, p2, p4) < 0


def crossings(graph: dict[str, Any]) -> int:
    """How many pairs of edges of a ``dot -Tjson`` layout cross (edges sharing a node left out)."""
    curves = []
    for edge in graph.get("edges", []):
        points = [p for op in edge.get("_draw_", []) if op["op"] == "b" for p in _bezier(op["points"])]
        if points:
            xs, ys = [x for x, _ in points], [y for _, y in points]
            curves.append(((edge["tail"], edge["head"]), points, (min(xs), min(ys), max(xs), max(ys))))
    count = 0
    for (ends_a, a, box_a), (ends_b, b, box_b) in itertools.combinations(curves, 2):
        if set(ends_a) & set(ends_b):
            continue
        if box_a[2] < box_b[0] or box_b[2] < box_a[0] or box_a[3] < box_b[1] or box_b[3] < box_a[1]:
            continue
        if any(_cross(a[i], a[i + 1], b[j], b[j + 1]) for i in range(len(a) - 1) for j in range(len(b) - 1)):
            count += 1
    return count


def layout(source: str) -> dict[str, Any]:
    """The ``dot -Tjson`` layout of DOT ``source`` (with the engine its ``layout`` attribute names)."""
    result = subprocess.run(["dot", "-Tjson"], input=source.encode("utf-8"), capture_output=True, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def size(graph: dict[str, Any]) -> str:
    """The drawing's width × height in points."""
    left, bottom, right, top = (float(v) for v in graph["bb"].split(","))
    return f"{right - left:.0f} × {top - bottom:.0f} pt"


def _best(run: Any, times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(files: list[str]) -> None:
    """Print the measures (see the module documentation)."""
    if files:
        for name in files:
            graph = layout(Path(name).read_text(encoding="utf-8"))
            print(f"{name}: {crossings(graph)} crossing pairs, {size(graph)}")
        return
    for example in sorted((ROOT / "examples").glob("*.json")):
        canvas = usager.load(example)
        for style in ("cycle", "lanes"):
            graph = layout(usager.dumps(canvas, "dot", layout=style))
            print(f"{example.stem} {style}: {crossings(graph)} crossing pairs, {size(graph)}")
    for count in (100, 1_000):
        for style in ("cycle", "lanes"):
            source = usager.dumps(canvas_of(count), "dot", layout=style)
            start = time.perf_counter()
            graph = layout(source)
            print(f"{count} elements {style}: {size(graph)}, laid out in {time.perf_counter() - start:.2f} s")
    big = canvas_of(100_000)
    dot = _best(lambda: usager.dumps(big, "dot"))
    dumped = _best(lambda: usager.dumps(big, "json"))
    print(f"100,000 elements: DOT export {dot:.2f} s, JSON dump {dumped:.2f} s ({dot / dumped:.1f}x)")


if __name__ == "__main__":
    main(sys.argv[1:])
