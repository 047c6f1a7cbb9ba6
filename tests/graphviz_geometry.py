"""Whether every line of a drawing can be traced, measured on what the real Graphviz draws.

:func:`geometry` reads ``dot -Tjson`` (run with the engine the source names): each node's box
and each edge's drawn curve (the B-spline control points of its ``_draw_`` operations, sampled
every point or so; arrowheads left out). Two counts follow from it:

- :func:`crossings`, an edge drawn through a box it does not connect: one of its sampled points
  lies inside the box of a node that is neither its tail nor its head, the box shrunk by
  :data:`TOLERANCE` on every side (so a line grazing a border is not counted). Boxes are the
  nodes' bounding boxes (an octagon's or a cylinder's too). The bends of lines are nodes as well
  (points at most :data:`POINT` wide, with no label): they are not boxes, a line may pass by
  them, and they are left out. usager's drawings have no clusters, so no cluster box is counted;
  a graph with clusters would need them added here.
- :func:`overlaps`, two edges sharing a segment: a stretch of one edge at least :data:`STRETCH`
  long all of whose sampled points lie within :data:`NEAR` of the other edge's curve. Two edges
  that meet at a node, or cross, are near each other over a point or two only, and are not
  counted; two lines drawn one on top of the other over a stretch are.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from typing import Any

from .graphviz_tools import require_dot

Point = tuple[float, float]

#: A node at most this wide and high, with no label, is the bend of a line, not a box (points).
POINT = 2.0
#: A box is shrunk by this much on each side before a line is tested against it (points).
TOLERANCE = 1.0
#: Two curves closer than this are drawn on top of each other (points).
NEAR = 1.0
#: ...when they are so over at least this length (points).
STRETCH = 6.0


@dataclass(frozen=True)
class Node:
    """A node as drawn: its name, label and box (left, bottom, right, top) in points."""

    name: str
    label: str
    box: tuple[float, float, float, float]

    @property
    def is_point(self) -> bool:
        """A bend of a line: tiny and without a label."""
        left, bottom, right, top = self.box
        return not self.label and right - left <= POINT and top - bottom <= POINT


@dataclass(frozen=True)
class Edge:
    """An edge as drawn: tail and head names, and its curve sampled as a polyline."""

    tail: str
    head: str
    points: tuple[Point, ...]


def _sample(controls: list[list[float]], step: float = 1.0) -> list[Point]:
    """Points along a piecewise cubic Bézier curve, about ``step`` apart."""
    out: list[Point] = []
    for i in range(0, len(controls) - 3, 3):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = controls[i : i + 4]
        hull = math.dist((ax, ay), (bx, by)) + math.dist((bx, by), (cx, cy)) + math.dist((cx, cy), (dx, dy))
        steps = max(1, math.ceil(hull / step))
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


def geometry(source: str) -> tuple[dict[str, Node], list[Edge]]:
    """The nodes (by name) and edges that ``dot -Tjson`` draws from DOT ``source``."""
    result = subprocess.run([require_dot(), "-Tjson"], input=source.encode("utf-8"), capture_output=True, check=True)
    return from_json(json.loads(result.stdout))


def from_json(graph: dict[str, Any]) -> tuple[dict[str, Node], list[Edge]]:
    """The nodes and edges of a ``dot -Tjson`` description."""
    nodes: dict[str, Node] = {}
    names: dict[int, str] = {}
    for o in graph.get("objects", []):
        names[o["_gvid"]] = o["name"]
        if "nodes" in o or "pos" not in o:  # a subgraph or cluster
            continue
        x, y = (float(v) for v in o["pos"].split(","))
        w, h = float(o["width"]) * 72, float(o["height"]) * 72
        label = "" if o.get("shape") == "point" else o.get("label", "")
        nodes[o["name"]] = Node(o["name"], label, (x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    edges = []
    for e in graph.get("edges", []):
        points = [p for op in e.get("_draw_", []) if op["op"] in "bB" for p in _sample(op["points"])]
        edges.append(Edge(names[e["tail"]], names[e["head"]], tuple(points)))
    return nodes, edges


def _cells(box: tuple[float, float, float, float], size: float) -> list[tuple[int, int]]:
    left, bottom, right, top = box
    return [
        (i, j)
        for i in range(math.floor(left / size), math.floor(right / size) + 1)
        for j in range(math.floor(bottom / size), math.floor(top / size) + 1)
    ]


def crossings(nodes: dict[str, Node], edges: list[Edge]) -> list[tuple[str, str, str]]:
    """Each (tail, head, node) where the edge from tail to head is drawn through node's box."""
    size = 40.0
    boxes: dict[tuple[int, int], list[Node]] = {}
    for node in nodes.values():
        if node.is_point:
            continue
        for cell in _cells(node.box, size):
            boxes.setdefault(cell, []).append(node)
    out = []
    for edge in edges:
        hit: dict[str, None] = {}
        for x, y in edge.points:
            for node in boxes.get((math.floor(x / size), math.floor(y / size)), ()):
                if node.name in (edge.tail, edge.head) or node.name in hit:
                    continue
                left, bottom, right, top = node.box
                if left + TOLERANCE < x < right - TOLERANCE and bottom + TOLERANCE < y < top - TOLERANCE:
                    hit[node.name] = None
        out += [(edge.tail, edge.head, name) for name in hit]
    return out


def _distance(p: Point, a: Point, b: Point) -> float:
    """The distance from ``p`` to the segment ``a``-``b``."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if not length else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def overlaps(edges: list[Edge]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Each pair of edges drawn on top of each other over a stretch (see the module documentation)."""
    size = 8.0
    segments: dict[tuple[int, int], list[tuple[int, Point, Point]]] = {}
    for number, edge in enumerate(edges):
        for a, b in zip(edge.points, edge.points[1:], strict=False):
            box = (min(a[0], b[0]) - NEAR, min(a[1], b[1]) - NEAR, max(a[0], b[0]) + NEAR, max(a[1], b[1]) + NEAR)
            for cell in _cells(box, size):
                segments.setdefault(cell, []).append((number, a, b))
    pairs: set[tuple[int, int]] = set()
    for number, edge in enumerate(edges):
        run: dict[int, float] = {}  # the other edge: the length of the stretch near it so far
        previous: Point | None = None
        for point in edge.points:
            step = math.dist(previous, point) if previous is not None else 0.0
            previous = point
            near = {
                other
                for other, a, b in segments.get((math.floor(point[0] / size), math.floor(point[1] / size)), ())
                if other != number and _distance(point, a, b) <= NEAR
            }
            run = {other: run.get(other, -step) + step for other in near}
            for other, length in run.items():
                if length >= STRETCH:
                    pairs.add((min(number, other), max(number, other)))
    return [((edges[a].tail, edges[a].head), (edges[b].tail, edges[b].head)) for a, b in sorted(pairs)]


def untraceable(source: str) -> tuple[list[tuple[str, str, str]], list[tuple[tuple[str, str], tuple[str, str]]]]:
    """The crossings and the overlaps of the drawing of DOT ``source``."""
    nodes, edges = geometry(source)
    return crossings(nodes, edges), overlaps(edges)
