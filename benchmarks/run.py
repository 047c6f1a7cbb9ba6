"""usager's benchmark: medians and ratios against named peers, measured side by side in one run.

Run from the repository root, after ``python3 -m pip install -e '.[bench]'``
(JSON dump compares one-line output; "JSON dump, indented" the two-space form usager writes by default):

    python3 benchmarks/run.py                 # 1k, 10k and 100k elements
    python3 benchmarks/run.py --sizes 1000 --repeat 1    # a quick look

Peers: the same document as a pydantic v2 model and as msgspec Structs (benchmarks/peers.py),
a bare networkx graph build, and ``import cattrs``.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import networkx as nx
from generate import canvas_of
from peers import CanvasM, CanvasP

import usager

#: The targets, as (row, peer column, largest ratio allowed).
TARGETS = {
    "JSON load": ("pydantic", 0.5),
    "JSON dump": ("pydantic", 0.75),
    "check()": ("networkx build", 2.0),
}


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    """The median wall time of ``repeat`` calls, garbage collection off while timing."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        gc.enable()
    return statistics.median(times)


def peak_memory(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated while ``fn`` runs (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak


def import_time(module: str, repeat: int) -> float:
    """Median time to import ``module`` in a fresh interpreter (the interpreter's own start excluded)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(repeat)]  # fmt: skip
    return statistics.median(runs)


def graph_parts(canvas: usager.Canvas) -> tuple[list[Any], list[Any]]:
    """The nodes and edges of the canvas's graph, ready for add_nodes_from/add_edges_from."""
    graph = usager.to_graph(canvas)
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


def bare_build(nodes: list[Any], edges: list[Any]) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:10.1f} ms"


def measure(size: int, repeat: int) -> list[tuple[str, int, dict[str, float]]]:
    """Every row of the table for one canvas size: (operation, size, {contender: seconds or bytes})."""
    canvas = canvas_of(size)
    data = usager.dumps(canvas, "json").encode("utf-8")
    csv_text = usager.dumps(canvas, "csv")
    model = CanvasP.model_validate_json(data)
    struct = msgspec.json.decode(data, type=CanvasM)
    nodes, edges = graph_parts(canvas)
    rows = [
        ("JSON load", size, {
            "usager": median_time(lambda: usager.loads(data, "json"), repeat),
            "pydantic": median_time(lambda: CanvasP.model_validate_json(data), repeat),
            "msgspec": median_time(lambda: msgspec.json.decode(data, type=CanvasM), repeat),
        }),
        ("JSON dump", size, {
            "usager": median_time(lambda: usager.dumps(canvas, "json", indent=None), repeat),
            "pydantic": median_time(model.model_dump_json, repeat),
            "msgspec": median_time(lambda: msgspec.json.encode(struct), repeat),
        }),
        ("JSON dump, indented", size, {
            "usager": median_time(lambda: usager.dumps(canvas, "json"), repeat),
            "pydantic": median_time(lambda: model.model_dump_json(indent=2), repeat),
            "msgspec": median_time(lambda: msgspec.json.format(msgspec.json.encode(struct), indent=2), repeat),
        }),
        ("CSV load", size, {"usager": median_time(lambda: usager.loads(csv_text, "csv"), repeat)}),
        ("CSV dump", size, {"usager": median_time(lambda: usager.dumps(canvas, "csv"), repeat)}),
        ("DOT export", size, {"usager": median_time(lambda: usager.dumps(canvas, "dot"), repeat)}),
        ("check()", size, {
            "usager": median_time(lambda: usager.check(canvas), repeat),
            "networkx build": median_time(lambda: bare_build(nodes, edges), repeat),
        }),
        ("peak memory of JSON load", size, {
            "usager": peak_memory(lambda: usager.loads(data, "json")),
            "pydantic": peak_memory(lambda: CanvasP.model_validate_json(data)),
            "msgspec": peak_memory(lambda: msgspec.json.decode(data, type=CanvasM)),
        }),
    ]  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the table; return 0."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="element counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure (the median is shown)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    versions = f"pydantic {__import__('pydantic').VERSION}, msgspec {msgspec.__version__}, networkx {nx.__version__}"
    print(f"usager {usager.__version__}, Python {platform.python_version()}, {platform.machine()}, {versions}")
    print()
    header = f"{'operation':<26} {'elements':>9}  {'usager':>13}  {'peer':<15} {'peer time':>13}  {'ratio':>6}  target"
    print(header)
    print("-" * len(header))
    checks: dict[int, float] = {}
    for size in sizes:
        for operation, n, results in measure(size, args.repeat):
            mine = results["usager"]
            peers = [(k, v) for k, v in results.items() if k != "usager"] or [("", 0.0)]
            memory = operation.startswith("peak memory")
            for peer, value in peers:
                shown = f"{mine / 1e6:10.1f} MB" if memory else fmt_time(mine)
                peer_shown = (f"{value / 1e6:10.1f} MB" if memory else fmt_time(value)) if peer else ""
                ratio = f"{mine / value:6.2f}" if peer else ""
                target = ""
                if operation in TARGETS and TARGETS[operation][0] == peer and n == max(sizes):
                    limit = TARGETS[operation][1]
                    target = f"≤ {limit} {'ok' if mine / value <= limit else 'MISSED'}"
                print(f"{operation:<26} {n:>9}  {shown}  {peer:<15} {peer_shown:>13}  {ratio:>6}  {target}")
            if operation == "check()":
                checks[n] = mine
    if 10_000 in checks and 100_000 in checks:
        scaling = checks[100_000] / checks[10_000]
        print(f"{'check() 100k / 10k':<26} {'':>9}  {'':>13}  {'':<15} {'':>13}  {scaling:6.2f}  "
              f"≤ 12 {'ok' if scaling <= 12 else 'MISSED'}")  # fmt: skip
    mine, cattrs_time = import_time("usager", args.repeat), import_time("cattrs", args.repeat)
    ratio = mine / cattrs_time
    print(f"{'import':<26} {'':>9}  {fmt_time(mine)}  {'import cattrs':<15} {fmt_time(cattrs_time)}  {ratio:6.2f}  "
          f"≤ 1.5 {'ok' if ratio <= 1.5 else 'MISSED'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
