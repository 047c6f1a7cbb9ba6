from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_the_benchmark_runs_at_its_smallest_size() -> None:
    """The benchmark still runs end to end (tiny sizes: a smoke test, no timing is asserted)."""
    result = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "200", "--repeat", "1"], capture_output=True, text=True, check=True
    )
    rows = {line.split("  ")[0].strip() for line in result.stdout.splitlines()}
    for operation in ("JSON load", "JSON dump", "JSON dump, indented", "CSV load", "CSV dump", "DOT export",
                      "check()", "peak memory of JSON load", "import"):  # fmt: skip
        assert operation in rows, result.stdout
