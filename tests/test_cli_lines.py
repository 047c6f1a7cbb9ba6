"""``usager check`` gives each finding the line and column of its first subject in the file."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import usager
from usager import Brake, Canvas, Facilitator, Stage, StageKind
from usager._ci import Checked, element_positions
from usager.cli import main
from usager.examples import complete
from usager.exporters._formats import jsontext as _jsontext
from usager.findings import Finding, Severity
from usager.strategies import any_canvases

from .profiles import examples

LOST = "brake 'lost' (Lost) names 'ghost' in stage, but no element has that id"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def broken(tmp_path: Path, suffix: str) -> Path:
    """A canvas whose brake 'lost' names an unknown stage, in the format of ``suffix``."""
    canvas = complete().add(Brake(id="lost", label="Lost", stage="ghost"))
    return usager.dump(canvas, tmp_path / f"broken{suffix}")


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of ``path`` that holds ``text``."""
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_text_findings_of_json_stand_at_the_elements_object(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """In JSON, a finding stands at the '{' that opens its first subject's object."""
    path = broken(tmp_path, ".json")
    line = line_of(path, '"id": "lost"') - 1
    assert path.read_text(encoding="utf-8").split("\n")[line - 1] == "    {"
    _, out, _ = run(capsys, "check", str(path))
    assert f"{path}:{line}:5: U002 error: {LOST}\n" in out


def test_github_annotations_of_yaml_give_line_and_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """In YAML, a finding stands at its element's first key: the annotation says line= and col=."""
    path = broken(tmp_path, ".yaml")
    line = line_of(path, "- id: lost")
    _, out, _ = run(capsys, "check", "--format", "github", str(path))
    file = str(path).replace(":", "%3A").replace(",", "%2C")
    assert f"::error file={file},line={line},col=5,title=usager U002::U002 error: {LOST}" in out.splitlines()


def test_sarif_results_of_toml_have_a_region(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """In TOML, a finding stands at its element's [[brakes]] header: SARIF's region says so."""
    path = broken(tmp_path, ".toml")
    line = line_of(path, 'id = "lost"') - 1
    _, out, _ = run(capsys, "check", "--format", "sarif", str(path))
    result = next(r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "U002")
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": line, "startColumn": 1}


def test_findings_of_csv_stand_at_the_elements_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """In CSV, a finding stands at the start of its element's row."""
    path = broken(tmp_path, ".csv")
    line = line_of(path, "brake,lost,")
    _, out, _ = run(capsys, "check", str(path))
    assert f"{path}:{line}:1: U002 error: {LOST}\n" in out


def test_csv_rows_are_counted_in_lines_past_multiline_cells(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A cell holding line breaks moves the rows after it down by as many lines."""
    canvas = complete().add(Stage(id="extra", kind=StageKind.USAGE, label="Extra", description="one\ntwo\nthree"))
    path = usager.dump(canvas.add(Brake(id="lost", label="Lost", stage="ghost")), tmp_path / "broken.csv")
    line = line_of(path, "brake,lost,")
    _, out, _ = run(capsys, "check", str(path))
    assert f"{path}:{line}:1: U002 error: {LOST}\n" in out


def test_a_finding_stands_at_its_first_subject(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A finding stands at the element its message names first (the facilitator, not the brake it addresses)."""
    canvas = complete().add(Brake(id="lost", label="Lost", stage="usage"))
    canvas = canvas.add(Facilitator(id="help", label="Help", addresses=["lost", "ghost"]))
    path = usager.dump(canvas, tmp_path / "two.yaml")
    _, out, _ = run(capsys, "check", "--select", "U002", str(path))
    assert out.startswith(f"{path}:{line_of(path, '- id: help')}:5: U002 error: facilitator 'help'")


def test_standard_input_prints_no_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings read from standard input name '-' alone: there is no file to point into."""
    data = broken(tmp_path, ".json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    _, out, _ = run(capsys, "check", "-")
    assert f"-: U002 error: {LOST}\n" in out


def test_a_file_is_scanned_once_for_all_its_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two findings, one scan of the text: the positions are a map built once per file."""
    scans: list[str] = []
    starts = _jsontext.element_starts
    monkeypatch.setattr(_jsontext, "element_starts", lambda text, lists: scans.append(text) or starts(text, lists))
    _, out, _ = run(capsys, "check", str(broken(tmp_path, ".json")))
    assert (len(out.splitlines()), len(scans)) == (2, 1)


def test_json_elements_are_found_without_the_full_scan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow scanner that explains syntax errors is not run to place the findings of a JSON file."""
    scans: list[str] = []
    monkeypatch.setattr(_jsontext, "scan", lambda text: scans.append(text))
    _, out, _ = run(capsys, "check", str(broken(tmp_path, ".json")))
    assert (out.count(":5: U0"), scans) == (2, [])


def test_a_clean_file_is_not_scanned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file without findings costs no scan."""
    scans: list[str] = []
    monkeypatch.setattr(_jsontext, "element_starts", lambda text, lists: scans.append(text))
    run(capsys, "check", str(usager.dump(complete(), tmp_path / "clean.json")))
    assert scans == []


def test_position_skips_subjects_the_file_does_not_place() -> None:
    """A finding stands at the first of its subjects that has a position."""
    finding = Finding(code="U002", severity=Severity.ERROR, message="m", subjects=("nowhere", "b", "a"))
    checked = Checked("f.json", (finding,), positions={"a": (3, 1), "b": (7, 5)})
    assert checked.position(finding) == (7, 5)


def test_position_of_a_finding_without_subjects_is_none() -> None:
    """A finding about no element has no position."""
    finding = Finding(code="U034", severity=Severity.INFO, message="m")
    assert Checked("f.json", (finding,), positions={"a": (3, 1)}).position(finding) is None


@settings(max_examples=examples(50), deadline=None)
@given(any_canvases(), st.sampled_from([None, 0, 2, 7]))
def test_the_fast_json_pass_agrees_with_the_full_scan(canvas: Canvas, indent: int | None) -> None:
    """The elements' positions found fast are those the loader's full scan gives, however the JSON is indented."""
    text = usager.dumps(canvas, "json", indent=indent)
    full = _jsontext.scan(text)
    fast = usager.exporters.get("json").locator(text)  # type: ignore[attr-defined]
    expected = element_positions(canvas, full.locate)
    assert element_positions(canvas, fast) == expected


@settings(max_examples=examples(30), deadline=None)
@given(any_canvases(max_per_list=2), st.sampled_from([".json", ".yaml", ".toml", ".csv"]))
def test_every_element_of_a_file_has_a_position(canvas: Canvas, suffix: str) -> None:
    """Each element of a canvas written in a format with a locator is placed, on a line of the file."""
    exporter = usager.exporters.get(suffix[1:])
    text = usager.dumps(canvas, suffix[1:])
    positions = element_positions(canvas, exporter.locator(text))  # type: ignore[attr-defined]
    assert set(positions) == {e.id for e in canvas.elements()}
    assert all(1 <= line <= text.count("\n") + 1 for line, _ in positions.values())


def test_csv_saved_with_semicolons_is_located_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A CSV file that a spreadsheet saved with ';' places its findings at their rows as well."""
    text = broken(tmp_path, ".csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path = tmp_path / "sheet.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _, printed, _ = run(capsys, "check", str(path))
    assert f"{path}:{line_of(path, 'brake;lost;')}:1: U002 error: {LOST}\n" in printed
