"""Running the real Graphviz ``dot`` program in tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest


def require_dot() -> str:
    """The path of ``dot``; without it, skip locally and fail in CI (where it must be installed)."""
    path = shutil.which("dot")
    if path is None:
        message = "Graphviz's dot is not installed (Debian: apt-get install graphviz)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def parse(source: str) -> dict[str, Any]:
    """What the real ``dot`` makes of DOT source: its JSON description of the graph."""
    result = subprocess.run([require_dot(), "-Tjson0"], input=source.encode("utf-8"), capture_output=True, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def structure(source: str) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Node names, edges (tail, head) and clusters (name, member node names) as ``dot`` parsed them."""
    graph = parse(source)
    objects = graph.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    nodes = sorted(o["name"] for o in objects if "nodes" not in o and not o["name"].startswith("cluster"))
    edges = sorted((names[e["tail"]], names[e["head"]]) for e in graph.get("edges", []))
    clusters = sorted(
        (o["name"], sorted(names[n] for n in o.get("nodes", []))) for o in objects if o["name"].startswith("cluster")
    )
    return nodes, edges, clusters


@dataclass(frozen=True)
class Drawn:
    """A node as Graphviz drew it, in points: centre, size, label and the widths of its text lines."""

    name: str
    x: float
    y: float
    w: float
    h: float
    label: str
    texts: tuple[float, ...]

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top)."""
        return self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2


Edge = tuple[str, str, list[tuple[float, float]]]


def drawing(source: str) -> tuple[dict[str, Drawn], list[Edge], tuple[float, float]]:
    """What ``dot -Tjson`` draws from ``source`` (with the engine its ``layout`` names).

    The nodes by name, the edges with their drawn points, and the width and height in points.
    """
    result = subprocess.run([require_dot(), "-Tjson"], input=source.encode("utf-8"), capture_output=True, check=True)
    graph = json.loads(result.stdout)
    nodes: dict[str, Drawn] = {}
    names = {}
    for o in graph.get("objects", []):
        names[o["_gvid"]] = o["name"]
        x, y = (float(v) for v in o["pos"].split(","))
        texts = tuple(float(op["width"]) for op in o.get("_ldraw_", []) if op["op"] == "T")
        nodes[o["name"]] = Drawn(o["name"], x, y, float(o["width"]) * 72, float(o["height"]) * 72,
                                 o.get("label", ""), texts)  # fmt: skip
    edges = []
    for e in graph.get("edges", []):
        points = [tuple(p) for op in e.get("_draw_", []) if op["op"] == "b" for p in op["points"]]
        edges.append((names[e["tail"]], names[e["head"]], points))
    left, bottom, right, top = (float(v) for v in graph["bb"].split(","))
    return nodes, edges, (right - left, top - bottom)  # type: ignore[return-value]


def overlapping(nodes: list[Drawn]) -> list[tuple[str, str]]:
    """The pairs of nodes whose boxes overlap."""
    boxes = sorted(nodes, key=lambda n: n.bounds()[0])
    out = []
    for i, a in enumerate(boxes):
        _, ab, ar, at = a.bounds()
        for b in boxes[i + 1 :]:
            bl, bb, _, bt = b.bounds()
            if bl >= ar:
                break
            if ab < bt and bb < at:
                out.append((a.name, b.name))
    return out
