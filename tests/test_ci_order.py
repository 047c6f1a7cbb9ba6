"""``usager check`` reports each file's findings where they stand: by path, then position, in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import usager
from usager import examples
from usager.cli import main
from usager.examples import Brake


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


YAML = """\
format: usager/2
name: Order
brakes:
  - id: late
    label: Late
    stage: nowhere
    severity: 3
stages:
  - id: discovery
    label: Discovery
    kind: discovery
  - {id: first, label: First, kind: first_experience}
facilitators:
  - id: help
    label: Help
    stages: [also-nowhere]
    addresses: [late]
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.yaml").write_text(YAML, encoding="utf-8")
    usager.dump(examples.repair_cafe().add(Brake(id="lost", label="Lost", stage="nowhere")), tmp_path / "a.json")
    return tmp_path


def positions(out: str) -> list[tuple[str, int, int]]:
    """(file, line, column) of each text finding that has a position."""
    found = []
    for line in out.splitlines():
        place = line.split(": ")[0].split(":")
        if len(place) == 3:
            found.append((place[0], int(place[1]), int(place[2])))
    return found


def test_text_findings_follow_the_file_not_the_rules(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", ".", "--isolated")
    assert code == 1
    placed = positions(out)
    assert {p[1] for p in placed if p[0] == "b.yaml"} == {4, 9, 12, 14}
    assert placed == sorted(placed)  # by path, then position
    # the findings about the whole canvas come first, then the others in file order
    b = [line for line in out.splitlines() if line.startswith("b.yaml")]
    assert [line.startswith("b.yaml: ") for line in b] == [True] * 3 + [False] * (len(b) - 3)
    # check() itself gives them in rule order, which is not file order here: the sort is real
    api = [f"{f.code} {f.message}" for f in usager.check(usager.load(folder / "b.yaml"))]
    assert api != [line.split(": ", 1)[1].replace(" error: ", " ").replace(" warning: ", " ").replace(" info: ", " ")
                   for line in b]  # fmt: skip
    assert sorted(api) == sorted(
        line.split(": ", 1)[1].replace(" error: ", " ").replace(" warning: ", " ").replace(" info: ", " ") for line in b
    )


def test_json_findings_carry_their_line_and_column(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "c.toml").write_text('format = "usager/2"\nname = 3\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", ".", "--isolated", "--format", "json")
    assert code == 2
    document = json.loads(out)
    late = [f for f in document["findings"] if f["file"] == "b.yaml" and f["subjects"][:1] == ["late"]]
    assert late
    assert all((f["line"], f["column"]) == (4, 5) for f in late)
    help_ = [f for f in document["findings"] if f["file"] == "b.yaml" and f["subjects"][:1] == ["help"]]
    assert help_
    assert all(f["line"] == 14 for f in help_)
    order = [(f["file"], f["line"] or 0, f["column"] or 0) for f in document["findings"]]
    assert order == sorted(order)
    (unreadable,) = document["unreadable"]
    assert unreadable["file"] == "c.toml"
    assert (unreadable["line"], unreadable["column"]) == (2, 8)


@pytest.fixture
def stale(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A baseline of today's findings, then a.json fixed: its entries match nothing any more."""
    assert run(capsys, "check", ".", "--isolated", "--write-baseline", "baseline.json")[0] == 0
    usager.dump(examples.repair_cafe(), folder / "a.json")
    return folder


def test_junit_says_what_the_baseline_did_to_each_file(stale: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", ".", "--isolated", "--baseline", "baseline.json", "--format", "junit")
    assert code == 0
    suites = {s.get("name"): s for s in ET.fromstring(out).iter("testsuite")}
    properties = {
        name: {p.get("name"): p.get("value") for p in suite.iter("property")} for name, suite in suites.items()
    }
    assert int(properties["a.json"]["usager.baseline.hidden"]) >= 1  # repair_cafe's own findings
    assert int(properties["a.json"]["usager.baseline.stale"]) >= 1
    assert int(properties["b.yaml"]["usager.baseline.hidden"]) >= 3
    assert properties["b.yaml"]["usager.baseline.stale"] == "0"
    assert next(iter(suites["a.json"])).tag == "properties"  # first, as the JUnit schema wants it


def test_gitlab_reports_stale_entries_as_information(stale: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", ".", "--isolated", "--baseline", "baseline.json", "--format", "gitlab")
    assert code == 0
    issues = json.loads(out)
    (issue,) = issues  # b.yaml's findings are all in the baseline; a.json's entries match nothing
    assert issue["check_name"] == "baseline"
    assert issue["severity"] == "info"
    assert issue["location"] == {"path": "a.json", "lines": {"begin": 1}}
    assert "no longer match" in issue["description"]


def test_a_folder_walk_leaves_the_baseline_files_out(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A baseline is JSON but no canvas: checking the folder that holds it does not read it."""
    assert run(capsys, "check", ".", "--isolated", "--write-baseline", "baseline.json")[0] == 0
    code, _, err = run(capsys, "check", ".", "--isolated", "--baseline", "baseline.json")
    assert (code, err.splitlines()[-1]) == (0, "2 files checked: no problem found")
    (folder / "pyproject.toml").write_text('[tool.usager]\nbaseline = "baseline.json"\n', encoding="utf-8")
    code, _, err = run(capsys, "check", ".")
    assert (code, err.splitlines()[-1]) == (0, "2 files checked: no problem found")
    # named, it is read as what it is asked to be
    assert run(capsys, "check", "baseline.json", "--isolated")[0] == 2
