"""``usager export`` as §8.6 has it, and ``usager check --format sarif|github``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import usager
from usager import Brake, Canvas
from usager.cli import _options, main
from usager.examples import complete


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return usager.dump(complete(), tmp_path / "clean.json")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    canvas = complete().add(Brake(id="lost", label="Lost", stage="ghost"))
    return usager.dump(canvas, tmp_path / "broken.json")


def one_error_line(code: int, err: str) -> str:
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("usager: error: ")
    return line


# ---------------------------------------------------------------- export


def test_export_takes_the_format_from_the_output_suffix(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """Without --to, -o out.csv writes CSV."""
    out = clean.with_name("out.csv")
    code, _, err = run(capsys, "export", str(clean), "-o", str(out))
    assert (code, err) == (0, f"wrote {out}\n")
    assert usager.loads(out.read_text(encoding="utf-8"), "csv") == complete()


def test_export_refuses_a_suffix_that_disagrees_with_to(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """--to dot -o out.csv is an error, and nothing is written."""
    out = clean.with_name("out.csv")
    line = one_error_line(*run(capsys, "export", str(clean), "--to", "dot", "-o", str(out))[::2])
    assert "--to dot writes .dot/.gv files, but" in line
    assert "is named like a csv file" in line
    assert not out.exists()


def test_export_accepts_a_suffix_the_exporter_writes(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """--to dot -o out.gv agrees: .gv is one of dot's suffixes."""
    out = clean.with_name("out.gv")
    assert run(capsys, "export", str(clean), "--to", "dot", "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("digraph")


def test_export_matches_names_whatever_their_case(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """--to CSV is the csv exporter."""
    code, out, _ = run(capsys, "export", str(clean), "--to", "CSV")
    assert code == 0
    assert usager.loads(out, "csv") == complete()


def test_export_without_a_format_names_the_option(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """No --to and no -o: the error says to use --to and lists the formats."""
    line = one_error_line(*run(capsys, "export", str(clean))[::2])
    assert "cannot tell the format without -o OUT; name it with --to NAME, one of: " in line
    assert line.endswith(", ".join(usager.exporters.available()))


def test_export_to_an_unknown_suffix_names_the_option(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """-o out.xyz without --to: the error says to use --to."""
    line = one_error_line(*run(capsys, "export", str(clean), "-o", str(clean.with_name("out.xyz")))[::2])
    assert "from the file name" in line
    assert "name it with --to NAME" in line


def test_export_options_are_typed_by_the_exporters_declaration(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """-O indent=4 reaches the json exporter as the integer 4."""
    code, out, _ = run(capsys, "export", str(clean), "--to", "json", "-O", "indent=4")
    assert code == 0
    assert out == usager.dumps(complete(), "json", indent=4)


@pytest.mark.parametrize(
    ("option", "says"),
    [
        ("indent=wide", "the 'json' exporter's option 'indent' takes a whole number, not 'wide'"),
        ("width=3", "the 'json' exporter has no option 'width'; its options are: indent"),
        ("indent", "-O takes NAME=VALUE, not 'indent'"),
        ("indent=-1", "indent takes a whole number of spaces or None, not -1"),
    ],
    ids=["ill-typed", "unknown", "no-value", "refused-by-the-exporter"],
)
def test_bad_export_options_are_one_error_line(
    capsys: pytest.CaptureFixture[str], clean: Path, option: str, says: str
) -> None:
    """A bad -O is exit 2 and one line saying what is wrong."""
    line = one_error_line(*run(capsys, "export", str(clean), "--to", "json", "-O", option)[::2])
    assert says in line


def test_an_exporter_that_takes_no_option_says_so(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """csv declares no option: -O is refused before exporting."""
    line = one_error_line(*run(capsys, "export", str(clean), "--to", "csv", "-O", "x=1")[::2])
    assert "the 'csv' exporter has no option 'x'; it takes none" in line


@attrs.frozen
class Declared:
    name: str = "plugin"
    options: dict[str, Any] = attrs.field(factory=lambda: {"draft": bool, "scale": float, "layout": ("cycle", "lanes")})


@attrs.frozen
class Undeclared:
    name: str = "plugin"


def test_options_convert_bools_floats_and_choices() -> None:
    """Booleans take true/false, yes/no, 1/0 in any case; floats and choices convert too."""
    got = _options(Declared(), ["draft=YES", "scale=1.5", "layout=lanes"])  # type: ignore[arg-type]
    assert got == {"draft": True, "scale": 1.5, "layout": "lanes"}
    assert _options(Declared(), ["draft=0"]) == {"draft": False}  # type: ignore[arg-type]


def test_options_without_a_declaration_are_strings() -> None:
    """An exporter that declares no options gets the values as written."""
    assert _options(Undeclared(), ["anything=1"]) == {"anything": "1"}  # type: ignore[arg-type]


def test_export_reads_standard_input_with_from(clean: Path) -> None:
    """FILE '-' with --from csv reads CSV from standard input."""
    result = subprocess.run(
        [sys.executable, "-m", "usager", "export", "-", "--from", "csv", "--to", "json"],
        input=usager.dumps(complete(), "csv").encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert usager.loads(result.stdout, "json") == complete()


def test_check_advice_names_from_and_only_readable_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown suffix: the error names --from and lists the formats that read."""
    path = tmp_path / "canvas.txt"
    path.write_text(usager.dumps(complete(), "json"), encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert f"{path}: cannot tell the format from the file name; name it with --from NAME, one of: csv, json" in err
    assert run(capsys, "check", "--from", "JSON", str(path))[0] == 0


# ---------------------------------------------------------------- sarif


def sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(capsys, "check", "--format", "sarif", *argv)
    return code, json.loads(out)


def test_sarif_passes_the_sarif_schema(
    capsys: pytest.CaptureFixture[str], sarif_schema: dict[str, Any], broken: Path, tmp_path: Path
) -> None:
    """Findings, a suppressed finding and an unreadable file: the log is valid SARIF 2.1.0."""
    suppressing = complete().add(Brake(id="alone", label="Alone", stage="usage", suppress=["U020"]))
    quiet = usager.dump(suppressing, tmp_path / "quiet.json")
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"format": "usager/2",\n "name": ', encoding="utf-8")
    code, log = sarif(capsys, "--suppressed", str(broken), str(quiet), str(malformed))
    assert code == 2
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_results_name_rule_file_and_level(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """Each finding is a result with its rule, level, message and file."""
    code, log = sarif(capsys, str(broken))
    assert code == 1
    [run_] = log["runs"]
    result = next(r for r in run_["results"] if r["ruleId"] == "U002")
    assert result["level"] == "error"
    assert result["message"]["text"].startswith("brake 'lost' (Lost) names 'ghost' in stage")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == broken.as_posix()
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "U002"


def test_sarif_lists_every_rule_with_its_level(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """The driver lists every rule, and the rule 'load' of an unreadable file; infos are SARIF notes."""
    _, log = sarif(capsys, str(clean))
    rules = {r["id"]: r["defaultConfiguration"]["level"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r.code for r in usager.rules.all_rules()} | {"load"} == set(rules)
    assert (rules["U002"], rules["U020"], rules["U034"], rules["load"]) == ("error", "warning", "note", "error")


def test_sarif_reports_an_unreadable_file_at_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A JSON syntax error is a failed invocation with a notification at the line and column."""
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"format": "usager/2",\n "name": ', encoding="utf-8")
    _, log = sarif(capsys, str(malformed))
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 10}


# ---------------------------------------------------------------- github


def test_github_annotations_carry_file_and_rule(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """Each finding is one workflow command: errors as ::error, warnings as ::warning, infos as ::notice."""
    code, out, err = run(capsys, "check", "--format", "github", str(broken))
    assert code == 1
    lines = out.splitlines()
    file = str(broken).replace(":", "%3A").replace(",", "%2C")
    assert any(
        line.startswith(f"::error file={file},line=")
        and line.endswith(
            ",title=usager U002::U002 error: brake 'lost' (Lost) names 'ghost' in stage, but no element has that id"
        )
        for line in lines
    )
    assert any(line.startswith("::warning file=") for line in lines)
    assert "1 file checked: 1 error" in err


def test_github_annotations_escape_what_github_would_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A label with a newline and a percent sign cannot start a second command: the newline shows escaped."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="50%\n::error::forged", stage="ghost"))
    path = usager.dump(canvas, tmp_path / "x.json")
    _, out, _ = run(capsys, "check", "--format", "github", str(path))
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines())
    assert "50%25\\n::error::forged" in out


def test_github_annotations_give_the_line_of_a_syntax_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unreadable file is annotated at the line and column of its problem."""
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"format": "usager/2",\n "name": ', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "github", str(malformed))
    assert code == 2
    [line] = out.splitlines()
    assert line.startswith("::error file=")
    assert ",line=2,col=10,title=usager%3A unreadable canvas::" in line
