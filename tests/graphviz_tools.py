"""Running the real Graphviz ``dot`` program in tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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
