"""``usager check --format junit|gitlab``, SARIF's rule pages and unreadable files, and the pre-commit hooks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import usager
from usager import Brake, Canvas
from usager._ci import DOCS_URL, rule_url
from usager.cli import main
from usager.examples import complete

ROOT = Path(__file__).resolve().parents[1]
MALFORMED = '{"format": "usager/2",\n "name": '


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return usager.dump(complete(), tmp_path / "clean.json")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """One error (U002, brake 'lost') and one warning (U020, the same brake) on the clean canvas."""
    canvas = complete().add(Brake(id="lost", label="Lost", stage="ghost"))
    return usager.dump(canvas, tmp_path / "broken.json")


@pytest.fixture
def malformed(tmp_path: Path) -> Path:
    """A JSON syntax error at line 2, column 10."""
    path = tmp_path / "malformed.json"
    path.write_text(MALFORMED, encoding="utf-8")
    return path


def lost_line(path: Path) -> int:
    """The line of the ``{`` that opens brake 'lost' in the JSON file ``path`` (the line before its id)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if '"id": "lost"' in line) - 1


# ---------------------------------------------------------------- junit

#: What Jenkins' JUnit schema (junit-10.xsd) allows: each element's attributes and children.
JUNIT_ATTRIBUTES = {
    "testsuites": {"name", "time", "tests", "failures", "disabled", "errors"},
    "testsuite": {"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp", "hostname", "id"}
    | {"package", "file", "log", "url", "version", "disabled"},
    "testcase": {"name", "assertions", "time", "classname", "status"},
    "failure": {"message", "type"},
    "error": {"message", "type"},
    "system-out": set(),
}
JUNIT_CHILDREN = {
    "testsuites": {"testsuite"},
    "testsuite": {"testcase", "properties", "system-out", "system-err"},
    "testcase": {"skipped", "error", "failure", "system-out", "system-err"},
    "failure": set(),
    "error": set(),
    "system-out": set(),
}


def assert_junit_shape(element: ET.Element) -> None:
    """``element`` and its children have only the attributes and children the JUnit schema allows."""
    assert set(element.attrib) <= JUNIT_ATTRIBUTES[element.tag], element.tag
    for child in element:
        assert child.tag in JUNIT_CHILDREN[element.tag], f"{child.tag} in {element.tag}"
        assert_junit_shape(child)
    if element.tag in ("testsuites", "testsuite"):
        cases = element.iter("testcase")
        counted = list(cases)
        assert int(element.get("tests", "-1")) == len(counted)
        assert int(element.get("failures", "-1")) == sum(c.find("failure") is not None for c in counted)
        assert int(element.get("errors", "-1")) == sum(c.find("error") is not None for c in counted)


def junit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, ET.Element]:
    code, out, _ = run(capsys, "check", "--format", "junit", *argv)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out)
    assert_junit_shape(root)
    return code, root


def cases(root: ET.Element, path: Path) -> dict[str, ET.Element]:
    """The testcases of the suite of ``path``, by name."""
    [suite] = [s for s in root.iter("testsuite") if s.get("name") == str(path)]
    return {case.get("name", ""): case for case in suite.iter("testcase")}


def test_junit_has_a_suite_per_file_and_a_case_per_rule_that_ran(
    capsys: pytest.CaptureFixture[str], clean: Path, broken: Path
) -> None:
    """Two files, --select U00: two suites (in path order) of the four U00x rules, named by code and summary."""
    code, root = junit(capsys, "--select", "U00", str(clean), str(broken))
    assert code == 1
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.iter("testsuite")] == [str(broken), str(clean)]
    summaries = {r.code: r.summary for r in usager.rules.all_rules()}
    expected = [f"{c} {summaries[c]}" for c in ("U001", "U002", "U003", "U004")]
    assert list(cases(root, clean)) == expected
    assert all(case.get("classname") == str(broken) for case in cases(root, broken).values())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "1", "0")


def test_junit_runs_every_rule_by_default(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """Without --select, each rule is a passing testcase of a clean file."""
    code, root = junit(capsys, str(clean))
    assert code == 0
    got = [name.split()[0] for name in cases(root, clean)]
    assert got == [r.code for r in usager.rules.all_rules()]
    assert root.find(".//failure") is None


@pytest.mark.parametrize("fmt", ["junit", "gitlab"])
def test_an_unknown_rule_is_one_error_line(capsys: pytest.CaptureFixture[str], clean: Path, fmt: str) -> None:
    """--select with no such rule: exit 2, nothing on standard output, one line saying so, as in text."""
    code, out, err = run(capsys, "check", "--format", fmt, "--select", "X99", str(clean))
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith("usager: error: select: 'X99' matches no rule code")


def test_junit_error_finding_is_a_failure_at_its_position(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """U002's testcase fails; its message and text give the file, line and column of brake 'lost'."""
    _, root = junit(capsys, str(broken))
    failure = next(c for n, c in cases(root, broken).items() if n.startswith("U002 ")).find("failure")
    assert failure is not None
    place = f"{broken}:{lost_line(broken)}:5"
    message = f"{place}: U002 error: brake 'lost' (Lost) names 'ghost' in stage, but no element has that id"
    assert (failure.get("message"), failure.get("type"), failure.text) == (message, "U002", message)


def test_junit_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """U020 (a warning) is listed in system-out and passes; with --strict it is a failure, as the exit code says."""
    _, root = junit(capsys, str(broken))
    u020 = next(c for n, c in cases(root, broken).items() if n.startswith("U020 "))
    assert u020.find("failure") is None
    out = u020.find("system-out")
    assert out is not None
    assert "U020 warning: brake 'lost' (Lost)" in (out.text or "")
    code, root = junit(capsys, "--strict", str(broken))
    assert code == 1
    u020 = next(c for n, c in cases(root, broken).items() if n.startswith("U020 "))
    failure = u020.find("failure")
    assert failure is not None
    assert "U020 warning: brake 'lost'" in failure.get("message", "")
    assert root.get("failures") == "2"


def test_junit_several_findings_of_a_rule_make_one_failure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Two dangling brakes: one U002 failure saying so, one line per finding."""
    canvas = complete().add(Brake(id="a", label="A", stage="ghost")).add(Brake(id="b", label="B", stage="ghost"))
    path = usager.dump(canvas, tmp_path / "two.json")
    _, root = junit(capsys, "--select", "U002", str(path))
    [case] = cases(root, path).values()
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message", "").endswith("(and 1 more)")
    assert [line.split(": ", 2)[2][:10] for line in (failure.text or "").splitlines()] == ["brake 'a' ", "brake 'b' "]


def test_junit_suppressed_findings_pass(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A suppressed error is listed in system-out, marked, and fails nothing."""
    canvas = complete().add(Brake(id="lost", label="Lost", stage="ghost", suppress=["U002"]))
    path = usager.dump(canvas, tmp_path / "quiet.json")
    _, root = junit(capsys, "--suppressed", "--select", "U002", str(path))
    [case] = cases(root, path).values()
    assert case.find("failure") is None
    out = case.find("system-out")
    assert out is not None
    assert "U002 error (suppressed):" in (out.text or "")


def test_junit_unreadable_file_is_an_error_at_its_first_problem(
    capsys: pytest.CaptureFixture[str], malformed: Path, clean: Path
) -> None:
    """A syntax error: testcase 'load' with an <error> at line 2, column 10; the other file is still reported."""
    code, root = junit(capsys, str(malformed), str(clean))
    assert code == 2
    [case] = cases(root, malformed).values()
    assert case.get("name") == "load"
    error = case.find("error")
    assert error is not None
    assert error.get("message", "").startswith(f"{malformed}:2:10: not valid JSON")
    assert error.get("type") == "load"
    assert len(cases(root, clean)) == len(usager.rules.all_rules())
    assert root.get("errors") == "1"


def test_junit_names_a_missing_file_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file that is not there: the error is the message the text format prints, the file named once."""
    missing = tmp_path / "missing.json"
    code, root = junit(capsys, str(missing))
    assert code == 2
    error = root.find(".//testcase[@name='load']/error")
    assert error is not None
    assert error.get("message") == error.text == f"{missing}: no such file"


def test_junit_lists_every_problem_of_an_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Two ill-typed values: the error's message is the first, its text holds both, each with its line."""
    document = json.loads(usager.dumps(complete(), "json"))
    document["brakes"][0]["severity"] = "high"
    document["brakes"][1]["severity"] = "low"
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    _, root = junit(capsys, str(path))
    error = root.find(".//error")
    assert error is not None
    lines = (error.text or "").splitlines()
    assert len(lines) == 2
    assert error.get("message") == lines[0]
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: .*\$\.brakes\[[01]\]\.severity", line) for line in lines)


def test_junit_escapes_what_xml_cannot_hold(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A label with a line break, an escape, a noncharacter and markup: the report parses and shows them escaped."""
    label = "a\n<b>&\x1b\uffff"
    canvas = Canvas.standard("x").add(Brake(id="b", label=label, stage="ghost"))
    path = usager.dump(canvas, tmp_path / "x.json")
    _, root = junit(capsys, "--select", "U002", str(path))
    failure = root.find(".//failure")
    assert failure is not None
    assert "(a\\n<b>&\\x1b\\uffff)" in failure.get("message", "")
    assert "\n" not in failure.get("message", "")


# ---------------------------------------------------------------- gitlab


def gitlab(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = run(capsys, "check", "--format", "gitlab", *argv)
    report: list[dict[str, Any]] = json.loads(out)
    for issue in report:
        assert set(issue) == {"type", "description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert re.fullmatch("[0-9a-f]{64}", issue["fingerprint"])
        assert set(issue["location"]) == {"path", "lines"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({issue["fingerprint"] for issue in report}) == len(report)
    return code, report


def test_gitlab_issues_name_rule_severity_file_and_line(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """U002 is a major issue, U020 a minor one, both at brake 'lost''s line."""
    code, report = gitlab(capsys, str(broken))
    assert code == 1
    by_code = {issue["check_name"]: issue for issue in report}
    line = lost_line(broken)
    assert by_code["U002"]["severity"] == "major"
    assert by_code["U002"]["description"] == (
        "U002 error: brake 'lost' (Lost) names 'ghost' in stage, but no element has that id"
    )
    assert by_code["U002"]["location"] == {"path": str(broken), "lines": {"begin": line}}
    assert by_code["U020"]["severity"] == "minor"


def test_gitlab_infos_are_info(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An info finding (U034 here) is of severity info."""
    rule = usager.rules.all_rules()
    u034 = next(r for r in rule if r.code == "U034")
    path = usager.dump(u034.bad(), tmp_path / "info.json")
    _, report = gitlab(capsys, "--select", "U034", str(path))
    assert report
    assert {issue["severity"] for issue in report} == {"info"}


def test_gitlab_fingerprints_survive_edits_elsewhere(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Moving the finding down the file (brakes added before it, lists reordered) keeps its fingerprint."""
    lost = Brake(id="lost", label="Lost", stage="ghost")
    before = usager.dump(complete().add(lost), tmp_path / "canvas.json")
    _, first = gitlab(capsys, str(before))
    canvas = complete()
    edited = reordered(canvas, lost)
    after = usager.dump(edited, before)
    _, second = gitlab(capsys, str(after))
    moved = {i["fingerprint"]: i["location"]["lines"]["begin"] for i in second}
    assert {i["fingerprint"] for i in first} == set(moved)
    u002 = next(i for i in first if i["check_name"] == "U002")
    assert moved[u002["fingerprint"]] != u002["location"]["lines"]["begin"]


def reordered(canvas: Canvas, lost: Brake) -> Canvas:
    """``canvas`` with ``lost`` first among the brakes, the others reversed after it and their labels renamed."""
    others = [attrs.evolve(b, label=b.label + " (renamed)") for b in reversed(canvas.brakes)]
    return attrs.evolve(canvas, brakes=[lost, *others])


def test_gitlab_fingerprints_differ_by_file_code_and_subjects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same canvas under two names: every issue has its own fingerprint."""
    canvas = complete().add(Brake(id="a", label="A", stage="ghost")).add(Brake(id="b", label="B", stage="ghost"))
    one, two = usager.dump(canvas, tmp_path / "one.json"), usager.dump(canvas, tmp_path / "two.json")
    _, report = gitlab(capsys, str(one), str(two))
    assert len(report) == 8  # U002 and U020 for each brake, in each file; gitlab() checks they are distinct


def test_gitlab_leaves_out_suppressed_findings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A suppressed finding is no issue, even with --suppressed."""
    canvas = complete().add(Brake(id="lost", label="Lost", stage="ghost", suppress=["U002", "U020"]))
    path = usager.dump(canvas, tmp_path / "quiet.json")
    assert gitlab(capsys, "--suppressed", str(path)) == (0, [])


def test_gitlab_unreadable_file_is_a_blocker(capsys: pytest.CaptureFixture[str], malformed: Path) -> None:
    """A syntax error: one blocker issue 'load' at its line."""
    code, report = gitlab(capsys, str(malformed))
    assert code == 2
    [issue] = report
    assert (issue["check_name"], issue["severity"]) == ("load", "blocker")
    assert issue["location"] == {"path": str(malformed), "lines": {"begin": 2}}
    assert issue["description"].startswith("unreadable canvas: 2:10: not valid JSON")


def test_gitlab_escapes_control_characters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A label's line break and escape show escaped in the description."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="a\n\x1b[2J", stage="ghost"))
    path = usager.dump(canvas, tmp_path / "x.json")
    _, report = gitlab(capsys, "--select", "U002", str(path))
    [issue] = report
    assert "(a\\n\\x1b[2J)" in issue["description"]


# ---------------------------------------------------------------- sarif


def sarif(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(capsys, "check", "--format", "sarif", *argv)
    return code, json.loads(out)


def test_sarif_rules_link_their_page(capsys: pytest.CaptureFixture[str], clean: Path) -> None:
    """Every rule's helpUri is its section of the rules reference, which docs/rules.md has."""
    _, log = sarif(capsys, str(clean))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in rules[:-1]:
        assert rule["helpUri"] == f"{DOCS_URL}rules/#{rule['id'].lower()}"
        assert f"\n## {rule['id']}\n" in page
    assert rules[-1]["id"] == "load"
    assert rules[-1]["helpUri"] == rule_url("load") == f"{DOCS_URL}file-format/"
    assert (ROOT / "docs" / "file-format.md").is_file()
    assert DOCS_URL.startswith("https://")
    assert DOCS_URL.endswith("/")


def test_sarif_unreadable_file_is_a_load_result(
    capsys: pytest.CaptureFixture[str], malformed: Path, sarif_schema: dict[str, Any]
) -> None:
    """A syntax error is a result of rule 'load', level error, at its line and column; the log stays valid."""
    code, log = sarif(capsys, str(malformed))
    assert code == 2
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    [run_] = log["runs"]
    [result] = run_["results"]
    assert (result["ruleId"], result["level"]) == ("load", "error")
    assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "load"
    location = result["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 2, "startColumn": 10}
    assert location["artifactLocation"]["uri"] == malformed.as_posix()
    assert result["message"]["text"].startswith("2:10: not valid JSON")
    assert run_["invocations"][0]["toolExecutionNotifications"]


def test_sarif_with_every_kind_of_result_passes_the_schema(
    capsys: pytest.CaptureFixture[str], broken: Path, malformed: Path, tmp_path: Path, sarif_schema: dict[str, Any]
) -> None:
    """Findings, rule pages and an unreadable file with several problems: valid SARIF 2.1.0, one load result."""
    document = json.loads(usager.dumps(complete(), "json"))
    document["brakes"][0]["severity"] = "high"
    document["brakes"][1]["severity"] = "low"
    typed = tmp_path / "typed.json"
    typed.write_text(json.dumps(document, indent=2), encoding="utf-8")
    _, log = sarif(capsys, str(broken), str(malformed), str(typed))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    loads = [r for r in log["runs"][0]["results"] if r["ruleId"] == "load"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in loads] == [
        malformed.as_posix(),
        typed.as_posix(),
    ]


# ---------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_declare_check_and_fmt() -> None:
    """The hooks file names both hooks, their entries, and files named like canvases (``*.usager.json``...)."""
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert set(hooks) == {"usager-check", "usager-fmt"}
    # pre-commit names every file: the configuration's exclude must still apply
    assert (hooks["usager-check"]["entry"], hooks["usager-fmt"]["entry"]) == (
        "usager check --force-exclude",
        "usager fmt",
    )
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True) is True
        files = re.compile(hook["files"])
        for name in ("canvas.usager.json", "a/b.usager.yaml", "x.usager.yml", "y.USAGER.TOML"):
            assert files.search(name), (hook["id"], name)
        # not every JSON or YAML file of a repository is a canvas: package.json is left alone
        for name in ("package.json", "ci.yaml", "canvas.usager.json.bak", "usager.toml", "notes.usager.txt"):
            assert not files.search(name), (hook["id"], name)


def _git(cwd: Path, *argv: str) -> None:
    subprocess.run(["git", *argv], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_pre_commit_runs_the_hook_on_a_scratch_repository(tmp_path: Path) -> None:
    """The real pre-commit installs usager from a clone of this repository: a clean canvas passes, a broken fails.

    And usager-fmt rewrites a canvas not written canonically.
    """
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists() or shutil.which("git") is None:
        pytest.skip("needs git and pre-commit")
    source = tmp_path / "source"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(source)], check=True, capture_output=True)
    # the hooks as they are in the working tree, committed in the clone (try-repo reads a commit)
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", source / ".pre-commit-hooks.yaml")
    for name in ("src", "pyproject.toml"):
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(ROOT / name, source / name)
    identity = ["-c", "user.name=usager", "-c", "user.email=usager@example.org"]
    _git(source, "add", "-A")
    _git(source, *identity, "commit", "-q", "--allow-empty", "-m", "the working tree")
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    usager.dump(complete(), project / "canvas.usager.yaml")
    (project / "package.json").write_text("{}", encoding="utf-8")  # not a canvas: the hook leaves it alone
    usager.dump(complete().add(Brake(id="lost", label="Lost", stage="ghost")), project / "broken.usager.json")
    _git(project, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_INPUT": "1"}

    def try_repo(*files: str, hook: str = "usager-check") -> subprocess.CompletedProcess[str]:
        argv = [pre_commit, "try-repo", str(source), hook, "--files", *files]
        return subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)

    passing = try_repo("canvas.usager.yaml", "package.json")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert re.search(r"usager check\.+Passed", passing.stdout), passing.stdout
    failing = try_repo("canvas.usager.yaml", "broken.usager.json")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert re.search(r"usager check\.+Failed", failing.stdout), failing.stdout
    assert "broken.usager.json:" in failing.stdout
    assert "U002 error: brake 'lost' (Lost) names 'ghost' in stage" in failing.stdout
    # usager-fmt rewrites a canvas that is not written canonically, and so fails the commit
    (project / "loose.usager.json").write_text(json.dumps(json.loads(usager.dumps(complete(), "json"))))
    _git(project, "add", "-A")
    fmt = try_repo("loose.usager.json", hook="usager-fmt")
    assert fmt.returncode == 1, fmt.stdout + fmt.stderr
    assert re.search(r"usager fmt\.+Failed", fmt.stdout), fmt.stdout
    assert "files were modified by this hook" in fmt.stdout
    assert (project / "loose.usager.json").read_text(encoding="utf-8") == usager.dumps(complete(), "json")
