"""Canvases several test modules draw: the examples, and the benchmarks' generated canvases."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import usager
from usager import Canvas
from usager.examples import complete, mediatheque, repair_cafe

ROOT = Path(__file__).parent.parent

#: The built-in examples and the example files, by name.
EXAMPLES: dict[str, Callable[[], Canvas]] = {
    "mediatheque": mediatheque,
    "repair_cafe": repair_cafe,
    "complete": complete,
    **{f"examples/{p.name}": (lambda p=p: usager.load(p)) for p in sorted((ROOT / "examples").glob("*.json"))},
}


def generated(size: int) -> Canvas:
    """The realistic, consistent canvas of ``size`` elements the benchmarks use (``benchmarks/generate.py``)."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.canvas_of(size)  # type: ignore[no-any-return]
