"""The baseline: ``usager check --write-baseline`` records today's findings, ``--baseline`` hides them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import usager
from usager import examples
from usager._baseline import FORMAT, Baseline
from usager.cli import main
from usager.examples import Brake
from usager.findings import Finding, Severity


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def known() -> usager.Canvas:
    """A canvas with findings today: brake 'lost' names no stage (U002, an error), has no facilitator (U020)."""
    return examples.repair_cafe().add(Brake(id="lost", label="Lost", stage="nowhere"))


def codes(out: str) -> list[str]:
    """The codes of the findings a text report lists."""
    return [line.split(": ")[1].split()[0] for line in out.splitlines()]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ci").mkdir()
    usager.dump(known(), tmp_path / "canvas.json")
    return tmp_path


def test_a_baseline_written_today_hides_todays_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "canvas.json", "--isolated")[0] == 1  # U002 is an error
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "ci/baseline.json")
    assert (code, out) == (0, "")
    assert "wrote ci/baseline.json: 6 entries" in err
    text = (project / "ci" / "baseline.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["format"] == FORMAT == "usager-baseline/1"
    assert text.endswith("}\n")
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    entries = [(e["file"], e["code"], e["subjects"]) for e in document["findings"]]
    assert entries == sorted(entries)
    assert ("../canvas.json", "U002", ["lost", "nowhere"]) in entries
    assert all("line" not in e and "message" not in e for e in document["findings"])
    assert not list((project / "ci").glob(".*.tmp"))  # written atomically: no temporary file left
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--baseline", "ci/baseline.json")
    assert (code, out) == (0, "")
    assert err == "1 file checked: no problem found\n"
    # Written again from the same findings, the file is the same byte for byte.
    run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "ci/again.json")
    assert (project / "ci" / "again.json").read_text(encoding="utf-8") == text


def reordered(canvas: usager.Canvas) -> usager.Canvas:
    """The lists reversed (but the stages, whose order is checked)."""
    return attrs.evolve(
        canvas,
        brakes=tuple(reversed(canvas.brakes)),
        facilitators=tuple(reversed(canvas.facilitators)),
        activities=tuple(reversed(canvas.activities)),
        personas=tuple(reversed(canvas.personas)),
    )


def relabelled(canvas: usager.Canvas) -> usager.Canvas:
    return canvas.replace(
        *(attrs.evolve(b, label=f"{b.label} (renamed)") for b in canvas.brakes),
        *(attrs.evolve(s, label=f"{s.label} again") for s in canvas.stages),
    )


def with_others(canvas: usager.Canvas) -> usager.Canvas:
    """A brake added before the others, with no finding of its own beyond U020 on an id of its own."""
    first = canvas.stages[0].id
    return attrs.evolve(canvas, brakes=(Brake(id="new-one", label="New", stage=first), *canvas.brakes))


@pytest.mark.parametrize("edit", [reordered, relabelled], ids=["reordered", "relabelled"])
def test_the_baseline_survives_edits_that_change_no_finding(
    project: Path, capsys: pytest.CaptureFixture[str], edit: object
) -> None:
    run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "baseline.json")
    assert callable(edit)
    changed = edit(known())
    before = sorted((f.code, sorted(f.subjects)) for f in usager.check(known()))
    assert sorted((f.code, sorted(f.subjects)) for f in usager.check(changed)) == before
    original = (project / "canvas.json").read_text(encoding="utf-8")
    usager.dump(changed, project / "canvas.json")
    assert (project / "canvas.json").read_text(encoding="utf-8") != original
    assert run(capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json") == (
        0,
        "",
        "1 file checked: no problem found\n",
    )


def test_added_elements_show_only_their_own_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "baseline.json")
    usager.dump(with_others(known()), project / "canvas.json")
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json")
    assert code == 0  # a warning alone does not fail
    assert out.splitlines() == [line for line in out.splitlines() if "'new-one'" in line]
    assert codes(out) == ["U020"]
    assert err == "1 file checked: 0 errors, 1 warning, 0 infos\n"


def test_a_new_finding_fails(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "baseline.json")
    usager.dump(known().add(Brake(id="gone", label="Gone", stage="elsewhere")), project / "canvas.json")
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json")
    assert code == 1
    assert sorted(codes(out)) == ["U002", "U020"]
    assert all("'gone'" in line for line in out.splitlines())
    assert err == "1 file checked: 1 error, 1 warning, 0 infos\n"


def test_entries_that_no_longer_match_are_counted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "baseline.json")
    usager.dump(known().remove("lost"), project / "canvas.json")  # its U002 and U020 are gone
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json")
    assert (code, out) == (0, "")
    assert err == "1 file checked: no problem found; 2 baseline entries no longer match\n"
    code, out, err = run(
        capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json", "--format", "json"
    )
    assert json.loads(out)["baseline"] == {"hidden": 4, "stale": 2}
    code, out, err = run(
        capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json", "--format", "sarif"
    )
    assert json.loads(out)["runs"][0]["properties"]["baseline"] == {"hidden": 4, "stale": 2}


def test_an_entry_listed_twice_hides_two_findings(tmp_path: Path) -> None:
    finding = Finding(code="U020", severity=Severity.WARNING, message="m", subjects=("b",))
    twice = Baseline([("c.json", "U020", ("b",))] * 2, folder=tmp_path)
    assert twice.match([finding] * 3, tmp_path / "c.json") == ([finding], 2, 0)
    assert twice.match([finding], tmp_path / "c.json") == ([], 1, 1)
    once = Baseline.load(Baseline.of([(str(tmp_path / "c.json"), [finding])], tmp_path).write(tmp_path / "b.json"))
    assert once.filter([finding, finding], tmp_path / "c.json") == [finding]
    assert once.filter([finding], tmp_path / "other.json") == [finding]  # another file's finding


def test_paths_are_relative_to_the_baselines_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "canvases").mkdir()
    usager.dump(known(), project / "canvases" / "cafe.json")
    run(capsys, "check", "canvases/cafe.json", "--isolated", "--write-baseline", "ci/baseline.json")
    files = {e["file"] for e in json.loads((project / "ci" / "baseline.json").read_text())["findings"]}
    assert files == {"../canvases/cafe.json"}
    # From another working folder, the same file given another way matches the same entries.
    (project / "canvases").joinpath("x").mkdir()
    os_chdir = pytest.MonkeyPatch()
    try:
        os_chdir.chdir(project / "canvases" / "x")
        code, out, err = run(capsys, "check", "../cafe.json", "--isolated", "--baseline", "../../ci/baseline.json")
    finally:
        os_chdir.undo()
    assert (code, out, err) == (0, "", "1 file checked: no problem found\n")
    # The same findings of another file are not hidden.
    usager.dump(known(), project / "other.json")
    code, out, err = run(capsys, "check", "other.json", "--isolated", "--baseline", "ci/baseline.json")
    assert code == 1
    assert "U002" in out


def test_the_configurations_baseline_applies(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "ci/known.json")
    (project / "usager.toml").write_text('baseline = "ci/known.json"\n', encoding="utf-8")
    assert run(capsys, "check", "canvas.json") == (0, "", "1 file checked: no problem found\n")
    code, out, _ = run(capsys, "check", "canvas.json", "--format", "json")
    assert json.loads(out) == {"findings": [], "unreadable": [], "baseline": {"hidden": 6, "stale": 0}}
    assert run(capsys, "check", "canvas.json", "--isolated")[0] == 1  # no configuration: no baseline
    (project / "usager.toml").write_text('baseline = "ci/missing.json"\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "canvas.json")
    assert (code, out) == (2, "")
    assert err == "usager: error: ci/missing.json: no such baseline file\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "usager-baseline/1",\n  "findings": [}\n', "baseline.json:2:16: Expecting value"),
        ("[]", "baseline.json: $: expected an object with 'format' and 'findings'"),
        ('{"format": "usager-baseline/9", "findings": []}', "baseline.json: $.format: expected 'usager-baseline/1'"),
        (
            '{"format": "usager-baseline/1", "findings": [{"file": "a.json", "code": 3, "subjects": []}]}',
            "baseline.json: $.findings[0].code: expected a non-empty string",
        ),
        (
            '{"format": "usager-baseline/1", "findings": [{"file": "a.json", "code": "U002"}]}',
            "baseline.json: $.findings[0]: expected an object with exactly 'file', 'code' and 'subjects'",
        ),
        (
            '{"format": "usager-baseline/1", "findings": [{"file": "a.json", "code": "U002", "subjects": [1]}]}',
            "baseline.json: $.findings[0].subjects: expected a list of ids",
        ),
    ],
)
def test_a_bad_baseline_file_is_one_error_line(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (project / "baseline.json").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--baseline", "baseline.json")
    assert (code, out) == (2, "")
    assert err.startswith(f"usager: error: {message}")
    assert err.count("\n") == 1


def test_a_missing_baseline_file_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--baseline", "nope.json")
    assert (code, out, err) == (2, "", "usager: error: nope.json: no such baseline file\n")


def test_the_baseline_is_a_lazy_name_of_usager() -> None:
    code = (
        "import sys, usager\n"
        "assert 'usager._baseline' not in sys.modules and 'Baseline' in usager.__all__\n"
        "assert usager.Baseline.__module__ == 'usager._baseline'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert usager.Baseline is Baseline
    assert Baseline([("a.json", "U002", ("x",))]) == Baseline([("a.json", "U002", ("x",))])


def test_a_baseline_that_cannot_be_written_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "ci")
    assert (code, out) == (2, "")
    assert err.startswith("usager: error: ci is a folder; usager writes regular files only")
    assert err.count("\n") == 1
    code, out, err = run(capsys, "check", "canvas.json", "--isolated", "--write-baseline", "no/such/folder.json")
    assert (code, out) == (2, "")
    assert err == "usager: error: no/such/folder.json: cannot be written (No such file or directory)\n"
