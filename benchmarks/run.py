"""usager's benchmark: usager against named peers, measured side by side in one run.

Run from the repository root, after ``python3 -m pip install -e '.[bench]'``:

    python3 benchmarks/run.py                            # 1k, 10k and 100k elements
    python3 benchmarks/run.py --sizes 1000 --repeat 1    # a quick look

Made to survive a shared, noisy machine: every time is CPU time (``time.process_time``), with
garbage collected before and the collector off during each call; contenders run interleaved,
round-robin (the first one changing from round to round), each twice a round, in one order then
the reverse (``A B B A``), so that a slow spell hits all of them; each ratio is computed round by
round, and the table shows the minimum and the median of those
per-round ratios. Memory is the growth of the peak resident set size during one load, each
measured in a fresh interpreter; import time too is measured in fresh interpreters, interleaved.

Peers: the same document as a pydantic v2 model and as msgspec Structs (benchmarks/peers.py),
the standard library's ``csv`` on the same rows and text, a bare networkx build of the same
graph, and ``import cattrs``. Each target is printed beside its figure.

Refusals: in each format (JSON, YAML, TOML, CSV and the dict form), refusing the canvas with one
bad value (its last brake's severity written ``x``: the problem stands as far into the text as one
can) against loading the same canvas without it. YAML and TOML, whose readers are a hundred times
slower, are measured up to 10,000 elements.
"""

from __future__ import annotations

import argparse
import copy
import csv
import gc
import io
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import networkx as nx
from generate import canvas_of
from peers import CanvasM, CanvasP

import usager

HERE = Path(__file__).resolve().parent

#: The targets, as {(operation, peer): {size: largest ratio allowed}}; a size of 0 means every size.
TARGETS: dict[tuple[str, str], dict[int, float]] = {
    ("JSON load", "pydantic"): {100_000: 0.5, 10_000: 0.7},
    ("JSON dump, indented", "pydantic indent=2"): {100_000: 0.6},
    ("JSON dump, one line", "pydantic compact"): {100_000: 0.75},
    ("check()", "networkx build"): {100_000: 0.5},
    ("check() per element", "same at 10k"): {100_000: 1.5},
    ("CSV dump", "csv.writer"): {100_000: 1.5},
    ("CSV load", "csv.reader"): {100_000: 3.5},
    ("DOT export", "JSON dump, indented"): {100_000: 5.0},
    ("DOT export", ""): {100_000: 1.0},  # seconds, absolute
    ("peak RSS of JSON load", "pydantic"): {100_000: 0.5},
    ("import usager", "import cattrs"): {0: 1.3},
    **{(f"{name} refusal", f"{name} load"): {0: 3.0} for name in ("JSON", "YAML", "TOML", "CSV", "dict")},
}


def cpu_time(fn: Callable[[], Any]) -> float:
    """The CPU time of one call: garbage collected before, collector off during (the result's release not counted)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        result = fn()
        elapsed = time.process_time() - start
    finally:
        gc.enable()
    del result
    return elapsed


def interleaved(contenders: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Each contender's measures (``fn()`` returns one), one per round, interleaved round-robin.

    A round runs the contenders in one order and then in the reverse one (``A B C C B A``), a
    different one first in each round, and keeps the mean of each one's two measures: a slow
    spell that begins or ends during the round weighs on all of them alike.
    """
    names = list(contenders)
    measures: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        order = names[shift:] + names[:shift]
        first = {name: contenders[name]() for name in order}
        for name in reversed(order):
            measures[name].append((first[name] + contenders[name]()) / 2)
    return measures


def timed(contenders: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """CPU times of each contender over ``rounds`` interleaved rounds."""
    return interleaved({name: (lambda fn=fn: cpu_time(fn)) for name, fn in contenders.items()}, rounds)


# ---------------------------------------------------------------- fresh interpreters

_RSS_CHILD = """
import gc, sys
sys.path.insert(0, sys.argv[3])
which, path = sys.argv[1], sys.argv[2]
if which == "usager":
    import usager
    def load(data):
        return usager.loads(data, "json")
elif which == "pydantic":
    from peers import CanvasP
    load = CanvasP.model_validate_json
else:
    import msgspec
    from peers import CanvasM
    def load(data):
        return msgspec.json.decode(data, type=CanvasM)
load(b'{"format": "usager/2", "name": "warm-up"}')  # modules a first load imports are not the load's

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith(key))

data = open(path, "rb").read()
gc.collect()
try:  # reset the peak to the current size (Linux)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = status("VmRSS:")
    result = load(data)
    peak = status("VmHWM:")
except OSError:
    import resource
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = load(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(peak - before)
"""


def rss_growth(which: str, path: str) -> float:
    """Bytes by which a fresh interpreter's peak RSS grows while it loads ``path`` with ``which``."""
    run = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, which, path, str(HERE)], capture_output=True, text=True, check=True
    )
    return float(run.stdout)


def import_cpu_time(module: str, pycache: str) -> float:
    """CPU time to import ``module`` in a fresh interpreter (the interpreter's own start excluded).

    The interpreter reads and writes its bytecode under ``pycache`` (``PYTHONPYCACHEPREFIX``): once a
    first import has written it, every module, usager's as cattrs', is loaded from bytecode, as from an
    installed package, whether or not the source tree may be written or bytecode writing is turned off.
    """
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPYCACHEPREFIX": pycache}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(run.stdout)


# ---------------------------------------------------------------- the rows

#: One row: (operation, elements, usager's measures, peer, peer's measures, unit): seconds ("s"), bytes ("B")
#: or seconds per element ("e").
Row = tuple[str, int, list[float], str, list[float], str]


def bare_build(nodes: list[Any], edges: list[Any]) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def rows_of(name: str, size: int, measures: dict[str, list[float]], unit: str = "s") -> list[Row]:
    """One row per peer: usager (the first contender) against each of the others."""
    mine, *peers = measures
    return [(name, size, measures[mine], peer, measures[peer], unit) for peer in peers]


def measure(canvas: usager.Canvas, size: int, repeat: int) -> list[Row]:
    """Every row of the table for one canvas."""
    data = usager.dumps(canvas, "json").encode("utf-8")
    csv_text = usager.dumps(canvas, "csv")
    csv_rows = list(csv.reader(io.StringIO(csv_text[1:], newline="")))
    model = CanvasP.model_validate_json(data)
    struct = msgspec.json.decode(data, type=CanvasM)
    graph = usager.to_graph(canvas)
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))
    del graph

    def writerows() -> str:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(csv_rows)
        return out.getvalue()

    rows: list[Row] = []
    rows += rows_of("JSON load", size, timed({
        "usager": lambda: usager.loads(data, "json"),
        "pydantic": lambda: CanvasP.model_validate_json(data),
        "msgspec": lambda: msgspec.json.decode(data, type=CanvasM),
    }, repeat))  # fmt: skip
    rows += rows_of("JSON dump, indented", size, timed({
        "usager": lambda: usager.dumps(canvas, "json"),
        "pydantic indent=2": lambda: model.model_dump_json(indent=2),
        "msgspec": lambda: msgspec.json.format(msgspec.json.encode(struct), indent=2),
    }, repeat))  # fmt: skip
    rows += rows_of("JSON dump, one line", size, timed({
        "usager": lambda: usager.dumps(canvas, "json", indent=None),
        "pydantic compact": model.model_dump_json,
        "msgspec": lambda: msgspec.json.encode(struct),
    }, repeat))  # fmt: skip
    rows += rows_of("check()", size, timed({
        "usager": lambda: usager.check(canvas),
        "networkx build": lambda: bare_build(nodes, edges),
    }, repeat))  # fmt: skip
    rows += rows_of("CSV dump", size, timed({
        "usager": lambda: usager.dumps(canvas, "csv"),
        "csv.writer": writerows,
    }, repeat))  # fmt: skip
    rows += rows_of("CSV load", size, timed({
        "usager": lambda: usager.loads(csv_text, "csv"),
        "csv.reader": lambda: list(csv.reader(io.StringIO(csv_text, newline=""), strict=True)),
    }, repeat))  # fmt: skip
    dot = timed({
        "usager": lambda: usager.dumps(canvas, "dot"),
        "JSON dump, indented": lambda: usager.dumps(canvas, "json"),
    }, repeat)  # fmt: skip
    rows.append(("DOT export", size, dot["usager"], "", [], "s"))
    rows += rows_of("DOT export", size, dot)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "canvas.json")
        Path(path).write_bytes(data)
        memory = interleaved({k: (lambda k=k: rss_growth(k, path)) for k in ("usager", "pydantic", "msgspec")},
                             max(1, min(repeat, 3)))  # fmt: skip
    rows += rows_of("peak RSS of JSON load", size, memory, "B")
    rows += refusals(canvas, size, repeat)
    return rows


#: The formats read only up to this many elements in the refusal rows (their readers are slow).
SLOW_FORMATS = {"yaml": 10_000, "toml": 10_000}


def with_last(text: str, pattern: str, replacement: str) -> str:
    """``text`` with the last match of ``pattern`` replaced."""
    found = list(re.finditer(pattern, text))[-1]
    return text[: found.start()] + replacement + text[found.end() :]


def csv_with_bad_severity(text: str) -> str:
    """The CSV ``text`` with the last brake's severity cell written ``x``."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    column = rows[0].index("severity")
    rows[max(i for i, row in enumerate(rows) if row[0] == "brake")][column] = "x"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return "\ufeff" + out.getvalue()


def refused(load: Callable[[], Any]) -> Callable[[], None]:
    """``load``, which must raise :class:`usager.LoadError`, as a contender."""

    def refuse() -> None:
        try:
            load()
        except usager.LoadError:
            return
        raise AssertionError("the bad document was read")

    return refuse


def refusals(canvas: usager.Canvas, size: int, repeat: int) -> list[Row]:
    """Refusing the canvas with one bad value against loading it, in each format, interleaved."""
    bad_value = {
        "json": (r'"severity": \d', '"severity": "x"'),
        "yaml": (r"severity: \d", "severity: x"),
        "toml": (r"severity = \d", 'severity = "x"'),
    }
    rows: list[Row] = []
    for name in ("json", "yaml", "toml", "csv"):
        if size > SLOW_FORMATS.get(name, size):
            continue
        good = usager.dumps(canvas, name)
        bad = csv_with_bad_severity(good) if name == "csv" else with_last(good, *bad_value[name])
        data, bad_data = (good.encode(), bad.encode()) if name == "json" else (good, bad)  # as the JSON load row
        label = name.upper()
        rows += rows_of(f"{label} refusal", size, timed({
            "usager": refused(lambda name=name, bad_data=bad_data: usager.loads(bad_data, name)),
            f"{label} load": lambda name=name, data=data: usager.loads(data, name),
        }, repeat))  # fmt: skip
    document = usager.to_dict(canvas)
    bad_document = copy.deepcopy(document)
    bad_document["brakes"][-1]["severity"] = "x"
    rows += rows_of("dict refusal", size, timed({
        "usager": refused(lambda: usager.from_dict(bad_document)),
        "dict load": lambda: usager.from_dict(document),
    }, repeat))  # fmt: skip
    return rows


def scaling(small: usager.Canvas, large: usager.Canvas, n_small: int, n_large: int, repeat: int) -> list[Row]:
    """check()'s cost per element on the large canvas over that on the small one, interleaved."""
    times = timed({"large": lambda: usager.check(large), "small": lambda: usager.check(small)}, repeat)
    per_large, per_small = [t / n_large for t in times["large"]], [t / n_small for t in times["small"]]
    label = "same at 10k" if (n_small, n_large) == (10_000, 100_000) else f"same at {n_small}"
    return [("check() per element", n_large, per_large, label, per_small, "e")]


def imports(repeat: int) -> list[Row]:
    """``import usager`` against ``import cattrs``, fresh interpreters, interleaved, both from bytecode."""
    modules = ("usager", "cattrs")
    with tempfile.TemporaryDirectory() as pycache:
        for module in modules:  # writes the bytecode the timed imports read
            import_cpu_time(module, pycache)
        times = interleaved({m: (lambda m=m: import_cpu_time(m, pycache)) for m in modules}, max(repeat, 5) * 2)
    return [("import usager", 0, times["usager"], "import cattrs", times["cattrs"], "s")]


# ---------------------------------------------------------------- the table


def shown(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value / 1e6:9.1f} MB"
    return f"{value * 1e6:9.2f} µs" if unit == "e" else f"{value * 1000:9.1f} ms"


def target_of(operation: str, peer: str, size: int) -> float | None:
    limits = TARGETS.get((operation, peer), {})
    return limits.get(size, limits.get(0))


def line(row: Row) -> str:
    """One printed line: medians, the minimum and median of per-round ratios, and the target."""
    operation, size, mine, peer, theirs, unit = row
    mid = statistics.median(mine)
    limit = target_of(operation, peer, size)
    if theirs:
        ratios = [a / b for a, b in zip(mine, theirs, strict=True) if b > 0]
        low, med = (min(ratios), statistics.median(ratios)) if ratios else (float("nan"), float("nan"))
        ratio = f"{low:6.2f} {med:6.2f}"
        verdict = med
        peer_time = shown(statistics.median(theirs), unit)
    else:
        ratio, verdict, peer_time = f"{'':>6} {'':>6}", mid, ""
    target = ""
    if limit is not None:
        what = f"≤ {limit} s" if not theirs else f"≤ {limit}×"
        target = f"{what} {'ok' if verdict <= limit else 'MISSED'}"
    elements = f"{size:>9}" if size else f"{'':>9}"
    return f"{operation:<22} {elements}  {shown(mid, unit)}  {peer:<20} {peer_time:>12}  {ratio}  {target}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; return 0."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="element counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=7, help="interleaved rounds per measure (default 7)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    versions = f"pydantic {__import__('pydantic').VERSION}, msgspec {msgspec.__version__}, networkx {nx.__version__}"
    print(f"usager {usager.__version__}, Python {platform.python_version()}, {platform.machine()}, {versions}")
    print("CPU times (median of the rounds); ratios: minimum and median of the per-round ratios to the peer")
    print()
    header = (f"{'operation':<22} {'elements':>9}  {'usager':>12}  {'peer':<20} {'peer':>12}  "
              f"{'min':>6} {'median':>6}  target")  # fmt: skip
    print(header)
    print("-" * (len(header) + 12))
    measure(canvas_of(50), 50, 1)  # warm-up: every first-call import and cache, outside the figures
    canvases: dict[int, usager.Canvas] = {}
    for size in sizes:
        canvas = canvas_of(size)
        for row in measure(canvas, size, args.repeat):
            print(line(row), flush=True)
        if size in sizes[-2:]:
            canvases[size] = canvas
        del canvas
    if len(sizes) > 1:
        small, large = sizes[-2], sizes[-1]
        for row in scaling(canvases[small], canvases[large], small, large, args.repeat):
            print(line(row))
    canvases.clear()
    for row in imports(args.repeat):
        print(line(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
