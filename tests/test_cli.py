from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import usager
from usager import Brake, Canvas, StageKind
from usager.cli import main
from usager.examples import complete

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A clean, an incomplete, an inconsistent and a malformed canvas file."""
    paths = {
        "clean": usager.dump(complete(), tmp_path / "clean.json"),
        "incomplete": usager.dump(Canvas.standard("Bare"), tmp_path / "incomplete.json"),
        "broken": usager.dump(complete().add(Brake(id="b2", label="Lost", stage="ghost")), tmp_path / "broken.csv"),
        "malformed": tmp_path / "malformed.json",
    }
    paths["malformed"].write_text('{"format": "usager/1", "name": "x", "stages": [{"id": "s", "kind": "use"}]}')
    return paths


def test_check_a_clean_file_exits_0(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """A clean canvas prints nothing on stdout and exits 0."""
    code, out, err = run(capsys, "check", str(files["clean"]))
    assert (code, out) == (0, "")
    assert "no problem found" in err


def test_check_prints_findings_like_a_linter(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """Findings print as 'file:line:column: CODE severity: message'; errors exit 1."""
    code, out, _ = run(capsys, "check", str(files["broken"]))
    assert code == 1
    path = re.escape(str(files["broken"]))
    message = re.escape("U002 error: brake 'b2' (Lost) names 'ghost' in stage, but no element has that id")
    assert re.search(f"^{path}:[0-9]+:[0-9]+: {message}$", out, re.MULTILINE)


def test_warnings_exit_0_unless_strict(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """Warnings alone pass; --strict makes them fail."""
    code, out, _ = run(capsys, "check", str(files["incomplete"]))
    assert code == 0
    assert "U030 warning" in out
    assert run(capsys, "check", "--strict", str(files["incomplete"]))[0] == 1


def test_select_and_ignore(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """--select and --ignore take comma-separated codes or prefixes, repeatable."""
    _, out, _ = run(capsys, "check", "--select", "U03", "--ignore", "U030,U031", str(files["incomplete"]))
    assert {line.split()[1] for line in out.splitlines()} == {"U034"}
    code, _, err = run(capsys, "check", "--select", "U9", str(files["clean"]))
    assert code == 2
    assert "'U9' matches no rule code" in err


def test_check_json_format(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """--format json gives every finding with file, position (row 16 of the CSV), code, severity, message, subjects."""
    code, out, _ = run(capsys, "check", "--format", "json", str(files["broken"]), str(files["malformed"]))
    report = json.loads(out)
    assert code == 2
    assert {"file": str(files["broken"]), "line": 16, "column": 1, "code": "U002", "severity": "error",
            "message": "brake 'b2' (Lost) names 'ghost' in stage, but no element has that id",
            "subjects": ["b2", "ghost"], "suppressed": False} in report["findings"]  # fmt: skip
    assert report["unreadable"][0]["file"] == str(files["malformed"])
    assert "$.stages[0].kind" in report["unreadable"][0]["error"]


@pytest.mark.parametrize(
    ("target", "says"),
    [("malformed", "$.stages[0].kind: expected one of"), ("missing", "no such file")],
)
def test_unreadable_input_exits_2_without_traceback(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path, target: str, says: str
) -> None:
    """Malformed and missing files give one error line on stderr and exit 2 (a folder is walked)."""
    path = {"malformed": files["malformed"], "missing": tmp_path / "nope.json"}[target]
    code, out, err = run(capsys, "check", str(path))
    assert (code, out) == (2, "")
    assert err.startswith("usager: error: ")
    assert says in err
    assert "Traceback" not in err


def test_one_bad_file_does_not_hide_the_others(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """Checking several files reports each; the worst outcome sets the exit code."""
    code, out, err = run(capsys, "check", str(files["malformed"]), str(files["broken"]))
    assert code == 2
    assert "U002" in out
    assert "malformed.json" in err


def test_export_to_stdout_and_to_a_file(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """export writes text to stdout, or any format to -o."""
    code, out, _ = run(capsys, "export", str(files["clean"]), "--to", "csv")
    assert code == 0
    assert usager.loads(out, "csv") == complete()
    target = files["clean"].with_name("out.svg")
    code, _, err = run(capsys, "export", str(files["clean"]), "--to", "svg", "-o", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"<?xml")
    assert f"wrote {target}" in err


def test_export_errors(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """An unknown exporter, or a drawing of an inconsistent canvas, is a clear error with exit 2."""
    code, _, err = run(capsys, "export", str(files["clean"]), "--to", "xml")
    assert code == 2
    assert "no exporter is called 'xml'; available: csv, dot, html, json, markdown" in err
    code, _, err = run(capsys, "export", str(files["broken"]), "--to", "dot")
    assert code == 2
    assert "cannot draw canvas" in err
    assert "U002" in err


def test_binary_export_refuses_a_terminal(files: dict[str, Path]) -> None:
    """A binary format is not written to a terminal; to a pipe it is."""
    script = (
        "import sys, pty, os\n"
        "from usager.cli import main\n"
        "class Tty:\n"
        "    def __init__(self, f): self.f = f\n"
        "    def isatty(self): return True\n"
        "    def __getattr__(self, n): return getattr(self.f, n)\n"
        "sys.stdout = Tty(sys.stdout)\n"
        f"sys.exit(main(['export', {str(files['clean'])!r}, '--to', 'png']))\n"
    )
    tty = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert tty.returncode == 2
    assert b"binary" in tty.stderr
    piped = subprocess.run([sys.executable, "-m", "usager", "export", str(files["clean"]), "--to", "png"],
                           capture_output=True, check=True)  # fmt: skip
    assert piped.stdout.startswith(b"\x89PNG")


def test_exporters_lists_names_suffixes_and_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    """The exporters command shows every exporter with its suffixes and distribution."""
    code, out, _ = run(capsys, "exporters")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "suffixes", "distribution"]
    assert ["dot", ".dot", ".gv", "usager"] in [line.split() for line in lines]


@pytest.mark.usefixtures("with_broken")
@pytest.mark.filterwarnings("default")
def test_exporters_reports_broken_plugins(capsys: pytest.CaptureFixture[str]) -> None:
    """Broken plugins are listed with the reason."""
    code, out, _ = run(capsys, "exporters")
    assert code == 0
    crashing = next(line for line in out.splitlines() if line.startswith("crashing"))
    assert "usager-broken" in crashing
    assert "BROKEN: failed to load: RuntimeError: this plugin is broken on purpose" in crashing


@pytest.mark.parametrize("language", ["en", "fr"])
def test_new_writes_the_six_stages_with_their_questions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, language: str
) -> None:
    """new gives a canvas with the six stages; in JSON, which has no comments, the guide asks each question."""
    target = tmp_path / "new.json"
    code, _, guide = run(capsys, "new", "--language", language, "-o", str(target))
    assert code == 0
    canvas = usager.load(target)
    assert [s.kind for s in canvas.stages] == list(StageKind.standard())
    assert [s.description for s in canvas.stages] == [""] * 6
    for kind in StageKind.standard():
        assert f"  {kind.value}: {kind.question(language)}" in guide
    for name in ("experiences", "metrics", "contributions"):
        assert f"  {name}: {usager.elements.LIST_QUESTIONS[name][usager.Language(language)]}" in guide
    assert [canvas.experiences, canvas.metrics, canvas.contributions] == [(), (), ()]
    assert '"contributions": []' in target.read_text(encoding="utf-8")
    code, _, err = run(capsys, "new", "-o", str(target))
    assert code == 2
    assert "exists already" in err
    assert run(capsys, "new", "--force", "--name", "Other", "-o", str(target))[0] == 0
    assert usager.load(target).name == "Other"


def test_schema_validates_the_examples_and_rejects_a_typo(capsys: pytest.CaptureFixture[str]) -> None:
    """The printed JSON Schema accepts every example and refuses a typo'd key, a bad enum and a bad id."""
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for example in sorted(EXAMPLES.glob("*.json")):
        document = json.loads(example.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(document)) == [], example.name
    document = json.loads((EXAMPLES / "mediatheque.json").read_text(encoding="utf-8"))
    document["brakes"][0]["stge"] = "usage"
    assert not validator.is_valid(document)
    for key, bad in (("kind", "nope"), ("id", "a b"), ("severity", 4)):
        document = json.loads((EXAMPLES / "mediatheque.json").read_text(encoding="utf-8"))
        document["brakes"][0][key] = bad
        assert not validator.is_valid(document), key
    custom = {"format": "usager/1", "name": "x", "stages": [{"id": "s", "kind": "custom"}]}
    assert not validator.is_valid(custom)
    # version 2: the new elements of the examples are valid, a score of 3 is not
    document = json.loads((EXAMPLES / "mediatheque.json").read_text(encoding="utf-8"))
    assert all(document[name] for name in ("experiences", "metrics", "contributions"))
    for key, bad in (("score", 3), ("score", -3), ("score", 1.5), ("stage", None)):
        changed = json.loads(json.dumps(document))
        changed["experiences"][0][key] = bad
        assert not validator.is_valid(changed), (key, bad)
    for key, bad in (("status", "open"), ("effort", 6), ("desirability", 0)):
        changed = json.loads(json.dumps(document))
        changed["contributions"][0][key] = bad
        assert not validator.is_valid(changed), (key, bad)
    changed = json.loads(json.dumps(document))
    changed["metrics"][0]["target"] = "120"
    assert not validator.is_valid(changed)
    changed["metrics"][0]["target"] = 120.5
    assert validator.is_valid(changed)


def test_demo_writes_every_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """demo builds the example, checks it and writes one file per exporter."""
    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0
    assert out.startswith("Médiathèque municipale: 44 elements, 0 findings\n")
    written = sorted(p.name for p in (tmp_path / "demo").iterdir())
    assert written == [
        f"mediatheque.{s}" for s in ("csv", "dot", "html", "json", "md", "pdf", "png", "svg", "toml", "yaml")
    ]
    assert usager.load(tmp_path / "demo" / "mediatheque.csv") == usager.load(EXAMPLES / "mediatheque.json")


def test_version_help_and_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the version; no command prints help and exits 2."""
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"usager {usager.__version__}\n"
    assert main([]) == 2
    assert "usage: usager" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "--strict" in capsys.readouterr().out


def test_the_console_script_and_python_m_agree() -> None:
    """python -m usager is the same command line."""
    result = subprocess.run([sys.executable, "-m", "usager", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout == f"usager {usager.__version__}\n"


def test_the_summary_counts_errors_warnings_and_infos(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    """After listing findings the summary says how many of each severity, never 'no problem found'."""
    code, out, err = run(capsys, "check", str(files["incomplete"]), str(files["broken"]))
    assert code == 1
    findings = [line.split(": ", 1)[1].split()[1] for line in out.splitlines()]
    counts = {s: findings.count(s + ":") for s in ("error", "warning", "info")}
    plural = {s: f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items()}
    assert err.strip() == f"2 files checked: {plural['error']}, {plural['warning']}, {plural['info']}"
    assert "no problem found" not in err


def test_check_reads_standard_input_as_dash(files: dict[str, Path]) -> None:
    """'-' reads the canvas from standard input, in JSON unless --from names another format."""
    data = files["broken"].read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "usager", "check", "-", "--from", "csv"], input=data, capture_output=True, check=False
    )
    assert result.returncode == 1
    assert b"-: U002 error:" in result.stdout
    clean = subprocess.run(
        [sys.executable, "-m", "usager", "check", "-"], input=files["clean"].read_bytes(), capture_output=True
    )
    assert clean.returncode == 0, clean.stderr


def test_a_full_standard_output_is_one_error_line() -> None:
    """Writing to /dev/full exits 2 with one line on stderr and no traceback."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "usager", "schema"], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["usager: error: cannot write the output: No space left on device"]


def test_check_refuses_a_fifo_at_once(tmp_path: Path) -> None:
    """A named pipe given as a canvas file is refused without waiting."""
    fifo = tmp_path / "canvas.json"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "usager", "check", str(fifo)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("with_broken")
@pytest.mark.filterwarnings("default")
def test_a_failing_exporter_is_one_error_line(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    """export --to a plugin that raises exits 2 with one line naming the exporter and its distribution."""
    code, out, err = run(capsys, "export", str(files["clean"]), "--to", "boom")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "usager: error: the 'boom' exporter (from 'usager-broken') failed: ZeroDivisionError: boom inside the plugin"
    ]


@pytest.mark.usefixtures("with_broken")
@pytest.mark.filterwarnings("default")
def test_demo_carries_on_past_failing_exporters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """demo writes every export that works and says which failed."""
    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0
    assert "skipped boom: the 'boom' exporter (from 'usager-broken') failed" in out
    assert "skipped liar:" in out
    written = {p.name for p in (tmp_path / "demo").iterdir()}
    assert {"mediatheque.json", "mediatheque.csv", "mediatheque.svg", "mediatheque.upper"} <= written
    assert "mediatheque.boom" not in written


@pytest.mark.usefixtures("with_broken")
@pytest.mark.filterwarnings("default")
def test_exporters_lists_clashing_plugins(capsys: pytest.CaptureFixture[str]) -> None:
    """An entry point that lost a clash of names is listed as ignored, with the name's holder."""
    code, out, _ = run(capsys, "exporters")
    assert code == 0
    ignored = [line for line in out.splitlines() if "IGNORED" in line]
    assert len(ignored) == 2
    assert ignored[0].startswith("json")
    assert "usager-broken" in ignored[0]


def test_suppressed_findings_are_hidden_unless_asked_for(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An element's suppress list hides its finding; --suppressed shows it, marked, without failing."""
    canvas = complete().add(Brake(id="b2", label="Lost", stage="usage", suppress=["U020"]))
    path = usager.dump(canvas, tmp_path / "canvas.json")
    code, out, err = run(capsys, "check", "--strict", str(path))
    assert (code, out) == (0, "")
    assert "no problem found" in err
    code, out, err = run(capsys, "check", "--strict", "--suppressed", str(path))
    assert code == 0
    assert out.endswith(": U020 warning (suppressed): brake 'b2' (Lost) has no facilitator addressing it\n")
    assert "no problem found" in err
