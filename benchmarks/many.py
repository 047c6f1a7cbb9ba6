"""Checking many files: one ``usager check DIR`` against one invocation per file, and against one core.

Run from the repository root:

    python3 benchmarks/many.py                                   # 1,000 canvases of 100 elements
    python3 benchmarks/many.py --files 100 --sample 10 --repeat 1  # a quick look

It writes ``--files`` canvases of ``--size`` elements (``generate.canvas_of`` with seeds 1, 2...,
as JSON) in a temporary folder, then measures, each as a fresh ``python -m usager`` process:

- ``check DIR``: one command over the folder, on its default worker processes (the cores);
- ``check DIR --jobs 1``: the same work in one process, on one core;
- ``check FILE`` × files: one command per file, as a loop in a shell script or a hook that runs
  once per file would; ``--sample`` of them are run (spread over the folder) and their cost scaled
  to all the files.

Each command is measured in wall-clock time and in CPU time (user and system, the command's and
its worker processes' together, from ``getrusage(RUSAGE_CHILDREN)``), side by side. As in
``run.py``, the contenders run interleaved, round-robin, each twice a round in one order then the
reverse (``A B B A``); ratios are computed round by round, and the table shows the median of each
measure and the minimum and median of the per-round ratios to ``check DIR``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import canvas_of

import usager
from usager._many import cores

#: One measure: (wall-clock seconds, CPU seconds).
Measure = tuple[float, float]


def command(argv: Sequence[str]) -> Measure:
    """The wall-clock and CPU time of ``python -m usager ARGV`` (and of the processes it starts)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "usager", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"usager {' '.join(argv)} exited {result.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def scaled(files: Sequence[Path], sample: int) -> Callable[[], Measure]:
    """One ``check FILE`` per file of ``sample`` files spread over ``files``, the sum scaled to all of them."""
    step = max(1, len(files) // sample)
    chosen = files[::step][:sample]

    def run() -> Measure:
        measures = [command(["check", str(path)]) for path in chosen]
        factor = len(files) / len(chosen)
        return sum(m[0] for m in measures) * factor, sum(m[1] for m in measures) * factor

    return run


def interleaved(contenders: dict[str, Callable[[], Measure]], rounds: int) -> dict[str, list[Measure]]:
    """Each contender's measures, one per round: ``A B C C B A``, a different one first each round, the mean of two."""
    names = list(contenders)
    measures: dict[str, list[Measure]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names)
        order = names[shift:] + names[:shift]
        first = {name: contenders[name]() for name in order}
        for name in reversed(order):
            again = contenders[name]()
            measures[name].append(((first[name][0] + again[0]) / 2, (first[name][1] + again[1]) / 2))
    return measures


def ratios(mine: list[Measure], theirs: list[Measure], which: int) -> str:
    """The minimum and median of the per-round ratios of ``mine`` to ``theirs`` (0: wall-clock, 1: CPU)."""
    values = [a[which] / b[which] for a, b in zip(mine, theirs, strict=True) if b[which] > 0]
    return f"{min(values):7.2f} {statistics.median(values):7.2f}" if values else f"{'':>7} {'':>7}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; return 0."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="canvases in the folder (default 1000)")
    parser.add_argument("--size", type=int, default=100, help="elements per canvas (default 100)")
    parser.add_argument("--sample", type=int, default=100, help="one-file invocations run, scaled (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "canvases"
        folder.mkdir()
        files = [usager.dump(canvas_of(args.size, seed=i + 1), folder / f"c{i:04}.json") for i in range(args.files)]
        sample = min(args.sample, len(files))
        one = "check DIR"
        contenders = {
            one: lambda: command(["check", str(folder)]),
            "check DIR --jobs 1": lambda: command(["check", "--jobs", "1", str(folder)]),
            f"check FILE × {len(files)}": scaled(files, sample),
        }
        command(["check", str(files[0])])  # warm-up: bytecode written, files in the page cache
        measures = interleaved(contenders, args.repeat)
    print(f"usager {usager.__version__}, Python {platform.python_version()}, {platform.machine()}, {cores()} cores")
    print(
        f"{len(files)} canvases of {args.size} elements (JSON); one-file invocations: {sample} run, scaled to "
        f"{len(files)}; {args.repeat} interleaved rounds; medians, and the minimum and median of per-round ratios"
    )
    print()
    header = (f"{'command':<22} {'wall':>9} {'CPU':>9}  {'wall / check DIR':>16}  {'CPU / check DIR':>16}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for name, values in measures.items():
        wall = statistics.median(m[0] for m in values)
        cpu = statistics.median(m[1] for m in values)
        print(
            f"{name:<22} {wall:8.2f}s {cpu:8.2f}s  {ratios(values, measures[one], 0):>16}  "
            f"{ratios(values, measures[one], 1):>16}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
