from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
ROWS = ("JSON load", "JSON dump, indented", "JSON dump, one line", "check()", "CSV dump", "CSV load", "DOT export",
        "peak RSS of JSON load", "check() per element", "import usager", "JSON refusal", "YAML refusal",
        "TOML refusal", "CSV refusal", "dict refusal")  # fmt: skip


@pytest.fixture(scope="module")
def table() -> str:
    """The benchmark's output at tiny sizes, one round."""
    command = [sys.executable, str(BENCH), "--sizes", "100,200", "--repeat", "1"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_the_benchmark_prints_every_row(table: str) -> None:
    """The benchmark still runs end to end (tiny sizes: a smoke test, no timing is asserted)."""
    rows = {line.split("  ")[0].strip() for line in table.splitlines()}
    for operation in ROWS:
        assert operation in rows, table


@pytest.mark.slow
def test_the_benchmark_prints_targets_beside_figures(table: str) -> None:
    """A row with a target at the sizes run says whether it holds (the import target holds at any size)."""
    imports = [line for line in table.splitlines() if line.startswith("import usager")]
    assert len(imports) == 1
    assert "≤ 1.3×" in imports[0]
    assert imports[0].rstrip().endswith(("ok", "MISSED"))


def test_the_import_rows_time_both_packages_from_bytecode(tmp_path: Path) -> None:
    """A first timed import writes usager's bytecode under the given cache, so the next ones read it."""
    code = (
        f"import sys; sys.path.insert(0, {str(BENCH.parent)!r}); import run; "
        f"run.import_cpu_time('usager', {str(tmp_path)!r}); print(run.import_cpu_time('usager', {str(tmp_path)!r}))"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert float(result.stdout) > 0
    assert [p.name for p in tmp_path.rglob("elements.*.pyc") if p.parent.name == "usager"]


def test_the_refusal_rows_give_their_ratio_to_a_load_and_the_target(table: str) -> None:
    """Each format's refusal of a document with one bad value stands beside the load of the same document, with ≤ 3×."""
    for name in ("JSON", "YAML", "TOML", "CSV", "dict"):
        rows = [line for line in table.splitlines() if line.startswith(f"{name} refusal")]
        assert len(rows) == 2, table  # one per size
        assert all(f"{name} load" in row and "≤ 3.0×" in row for row in rows)
