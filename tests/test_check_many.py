"""usager check on many files: folders walked, exclude globs, path order, worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import usager
import usager._many
from usager import Brake, Canvas
from usager._many import WorkerLostError, in_order
from usager.cli import main
from usager.examples import complete


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def checked_files(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """The files ``usager check`` checks for ``argv``, in its order: the suites of its JUnit report."""
    _, out, _ = run(capsys, "check", "--format", "junit", "--jobs", "1", *argv)
    return [suite.get("name", "") for suite in ET.fromstring(out).iter("testsuite")]


def write(path: Path, canvas: Canvas | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return usager.dump(canvas or Canvas.standard(path.stem), path)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of canvases in every readable format, nested, among files that are not canvases."""
    root = tmp_path / "tree"
    for name in ("a.json", "sub/b.yaml", "sub/deeper/c.yml", "sub/d.toml", "e.csv"):
        write(root / name)
    (root / "notes.txt").write_text("not a canvas")
    (root / "sub" / "readme.md").write_text("# not a canvas")
    (root / "usager.toml").write_text("")  # a configuration file, not a canvas
    write(root / ".git" / "hidden.json")
    write(root / ".venv" / "lib" / "hidden.yaml")
    write(root / ".hidden.json")
    return root


def test_a_folder_is_walked_for_every_readable_suffix(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    """Nested files whose suffix a reader knows are checked; other files, hidden ones and the configuration are not."""
    expected = ["a.json", "e.csv", "sub/b.yaml", "sub/d.toml", "sub/deeper/c.yml"]
    assert checked_files(capsys, str(tree)) == [str(tree / name) for name in expected]


def test_exclude_globs_of_the_configuration_of_each_folder(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    """exclude (a folder, a glob) leaves files out of a walk; a nested configuration rules its own folder."""
    (tree / "usager.toml").write_text('exclude = ["deeper", "**/*.csv"]\n')
    write(tree / "drafts" / "f.json")
    (tree / "drafts" / "usager.toml").write_text('exclude = ["*.json"]\n')
    write(tree / "drafts" / "g.yaml")
    expected = ["a.json", "drafts/g.yaml", "sub/b.yaml", "sub/d.toml"]
    assert checked_files(capsys, str(tree)) == [str(tree / name) for name in expected]
    # a file named on the command line is checked whatever the globs say; --isolated reads no exclude
    assert checked_files(capsys, str(tree / "e.csv")) == [str(tree / "e.csv")]
    assert len(checked_files(capsys, "--isolated", str(tree))) == 7


def test_files_come_in_path_order_whatever_the_order_given(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    """Files and folders mixed, given in any order and twice, are checked once each, by path."""
    given = [str(tree / "sub"), str(tree / "e.csv"), str(tree / "a.json"), str(tree / "sub" / "d.toml")]
    expected = [str(tree / name) for name in ("a.json", "e.csv", "sub/b.yaml", "sub/d.toml", "sub/deeper/c.yml")]
    assert checked_files(capsys, *given) == expected
    assert checked_files(capsys, *reversed(given)) == expected


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """Twenty canvases with findings (errors in some, warnings in all) and one unreadable file."""
    root = tmp_path / "many"
    for i in range(20):
        canvas = complete()
        if i % 3 == 0:
            canvas = canvas.add(Brake(id=f"b{i}", label="Lost", stage="ghost"))
        canvas = canvas.add(Brake(id=f"w{i}", label="Lonely", stage=canvas.stages[0].id))
        write(root / f"group{i % 4}" / f"canvas{i:02}.{('json', 'yaml', 'toml', 'csv')[i % 4]}", canvas)
    (root / "group1" / "broken.json").write_text('{"format": "usager/1", "name": "x", "stages": [{"id": 1}]}')
    return root


@pytest.mark.parametrize("output", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_two_workers_print_what_one_process_prints(capsys: pytest.CaptureFixture[str], many: Path, output: str) -> None:
    """--jobs 2 gives the same bytes as --jobs 1, on stdout and stderr, with the same exit code."""
    serial = run(capsys, "check", "--format", output, "--jobs", "1", str(many))
    parallel = run(capsys, "check", "--format", output, "--jobs", "2", str(many))
    assert parallel == serial
    assert serial[0] == 2  # the unreadable file
    assert "broken.json" in serial[1] + serial[2]
    assert "U002" in serial[1]


def test_findings_by_path_then_in_each_file_as_check_gives_them(capsys: pytest.CaptureFixture[str], many: Path) -> None:
    """The JSON report lists the files in path order, each file's findings as usager.check orders them."""
    code, out, _ = run(capsys, "check", "--format", "json", "--jobs", "2", str(many))
    assert code == 2
    report = json.loads(out)
    files = [f["file"] for f in report["findings"]]
    assert files == sorted(files, key=lambda f: Path(f).parts)
    assert len(set(files)) == 20
    first = str(many / "group0" / "canvas00.json")
    codes = [f["code"] for f in report["findings"] if f["file"] == first]
    assert codes == [f.code for f in usager.check(usager.load(first))]
    assert report["unreadable"][0]["file"] == str(many / "group1" / "broken.json")
    assert "$.stages[0].id" in report["unreadable"][0]["error"]


def test_exit_codes_of_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """0 for warnings alone, 1 for an error finding, 2 for an unreadable file or a bad --jobs."""
    write(tmp_path / "ok" / "a.json")
    assert run(capsys, "check", "--jobs", "2", str(tmp_path / "ok"))[0] == 0
    assert run(capsys, "check", "--jobs", "2", "--strict", str(tmp_path / "ok"))[0] == 1
    write(tmp_path / "bad" / "a.json")
    write(tmp_path / "bad" / "b.json", complete().add(Brake(id="b", label="Lost", stage="ghost")))
    assert run(capsys, "check", "--jobs", "2", str(tmp_path / "bad"))[0] == 1
    (tmp_path / "bad" / "c.yaml").write_text("name: [unclosed\n")
    code, _, err = run(capsys, "check", "--jobs", "2", str(tmp_path / "bad"))
    assert code == 2
    assert err.endswith("3 files checked: 1 error, 7 warnings, 8 infos; 1 could not be read\n")
    (tmp_path / "empty").mkdir()
    assert run(capsys, "check", str(tmp_path / "empty")) == (0, "", "0 files checked: no problem found\n")
    code, _, err = run(capsys, "check", "--jobs", "0", str(tmp_path / "ok"))
    assert code == 2
    assert "--jobs: 0" in err


def test_a_bad_configuration_found_in_a_walk_stops_the_command(capsys: pytest.CaptureFixture[str], tree: Path) -> None:
    """A configuration with a wrong key, met while walking, is an error with its position (exit 2)."""
    (tree / "sub" / "usager.toml").write_text("exclde = []\n")
    code, out, err = run(capsys, "check", "--jobs", "2", str(tree))
    assert (code, out) == (2, "")
    assert "usager.toml" in err
    assert "exclde" in err


@pytest.mark.slow
def test_the_many_files_benchmark_runs_end_to_end() -> None:
    """benchmarks/many.py prints its three rows (tiny sizes: a smoke test, no timing is asserted)."""
    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "many.py"
    command = [sys.executable, str(bench), "--files", "3", "--size", "20", "--sample", "1", "--repeat", "1"]
    table = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rows = [line.split("  ")[0] for line in table.splitlines()]
    assert [r for r in rows if r.startswith("check")] == ["check DIR", "check DIR --jobs 1", "check FILE × 3"], table


def test_the_schemastore_entry_matches_canvas_files_and_names_the_committed_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The catalog entry on the file-format page: its keys, its patterns (files a folder walk checks), its url."""
    from usager._schema import SCHEMA_URL

    docs = Path(__file__).resolve().parent.parent / "docs"
    page = (docs / "file-format.md").read_text(encoding="utf-8")
    block = page.split("### Files named `*.usager.json`")[1].split("```json\n")[1].split("```")[0]
    entry = json.loads(block)
    assert list(entry) == ["name", "description", "fileMatch", "url"]
    assert entry["fileMatch"] == ["*.usager.json", "*.usager.yaml", "*.usager.yml", "*.usager.toml"]
    assert entry["url"] == SCHEMA_URL
    assert (docs / SCHEMA_URL.rsplit("/", 1)[1]).is_file()
    names = [str(write(tmp_path / pattern.replace("*", "library"))) for pattern in entry["fileMatch"]]
    assert checked_files(capsys, str(tmp_path)) == sorted(names)


def test_a_selector_matching_no_rule_stops_the_command_in_workers_too(
    capsys: pytest.CaptureFixture[str], many: Path
) -> None:
    """--select with no such code is one error line and exit 2, with --jobs 2 as with --jobs 1."""
    serial = run(capsys, "check", "--select", "ZZZ", "--jobs", "1", str(many))
    assert run(capsys, "check", "--select", "ZZZ", "--jobs", "2", str(many)) == serial
    code, out, err = serial
    assert (code, out) == (2, "")
    assert err.startswith("usager: error: select: 'ZZZ' matches no rule code")


def _dies_on_three(item: int) -> int:
    """A worker's task that ends its process abruptly on 3."""
    if item == 3:
        os._exit(9)
    return item * 2


def test_results_come_in_order_and_a_dead_worker_is_an_error_saying_so() -> None:
    """in_order gives the results in the items' order; a worker process that dies is a WorkerLostError."""
    assert list(in_order(_dies_on_three, [5, 1, 4, 0, 2], 2)) == [10, 2, 8, 0, 4]
    with pytest.raises(WorkerLostError, match=r"worker processes stopped .*--jobs 1"):
        list(in_order(_dies_on_three, list(range(8)), 2))


def test_one_file_or_one_job_starts_no_worker(
    capsys: pytest.CaptureFixture[str], many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A single file, or --jobs 1 on a folder, is checked in the command's own process."""

    def refused(workers: int) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(usager._many, "_pool", refused)
    assert run(capsys, "check", "--jobs", "4", str(many / "group0" / "canvas00.json"))[0] == 1
    assert run(capsys, "check", "--jobs", "1", str(many))[0] == 2
    with pytest.raises(AssertionError, match="a worker pool was started"):
        run(capsys, "check", "--jobs", "2", str(many))


def test_the_working_folder_s_files_are_named_without_dot_slash(
    capsys: pytest.CaptureFixture[str], tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """usager check . names a.json and sub/b.yaml, as they are written in the folder."""
    monkeypatch.chdir(tree)
    assert checked_files(capsys, ".") == ["a.json", "e.csv", "sub/b.yaml", "sub/d.toml", "sub/deeper/c.yml"]
    assert checked_files(capsys, "./") == ["a.json", "e.csv", "sub/b.yaml", "sub/d.toml", "sub/deeper/c.yml"]
    assert checked_files(capsys, "sub") == ["sub/b.yaml", "sub/d.toml", "sub/deeper/c.yml"]


def test_a_folder_name_in_exclude_leaves_out_that_folder_at_any_depth(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "usager.toml").write_text('exclude = ["archive"]\n', encoding="utf-8")
    for name in ("a.json", "archive/b.json", "town/archive/c.json", "town/d.json", "archived.json"):
        write(tmp_path / name)
    assert checked_files(capsys, ".") == ["a.json", "archived.json", "town/d.json"]
    # named, a file is checked whatever exclude says; with --force-exclude (as pre-commit runs it), it is not
    named = ["a.json", "archive/b.json", "town/archive/c.json"]
    assert checked_files(capsys, *named) == named
    assert checked_files(capsys, "--force-exclude", *named) == ["a.json"]


def test_a_folder_walk_leaves_out_the_configurations_rulesets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "usager.toml").write_text('rulesets = ["rules/*.yaml", "one.toml"]\n', encoding="utf-8")
    rule = "  - {code: TEAM101, severity: info, message: m, given: personas, then: {field: name, function: truthy}}\n"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "team.yaml").write_text("rules:\n" + rule, encoding="utf-8")
    (tmp_path / "one.toml").write_text("rules = []\n", encoding="utf-8")
    write(tmp_path / "a.yaml")
    assert checked_files(capsys, ".") == ["a.yaml"]
