"""A team adopts usager on forty canvases, as a QA team would try it, end to end.

One ``[tool.usager]`` table drives the command line, the pytest plugin and pre-commit alike; a
baseline written today hides today's findings and survives edits while a new finding still fails;
a ruleset rule and a rule from a real installed distribution both fire, with positions, in every
output format; the SARIF log passes the official schema. Each step runs the real programs in a
scratch git repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import usager
from usager import examples
from usager.canvas import ELEMENT_LISTS
from usager.examples import Brake, Metric

from .plugins import ROOT, pip_install

pytestmark = pytest.mark.slow

ACME = ROOT / "tests" / "plugins" / "usager-acme-rules"

PYPROJECT = """\
[project]
name = "journeys"
version = "0"

[tool.usager]
ignore = ["U034"]                                 # no key activities phases here
severity = { U030 = "info" }                      # a stage with no activity: to know, not to fix
per-file-ignores = { "canvases/town/*" = ["U06"] }  # the town's canvases have no scores yet
exclude = ["archive"]
rulesets = ["rules/*.yaml"]

[tool.pytest.ini_options]
usager_canvases = ["canvases/**/*.usager.*"]
"""

RULESET = """\
rules:
  - code: TEAM101
    severity: warning
    message: "persona '{id}' ({label}) says nothing of who they are"
    given: personas
    then: {field: description, function: truthy}
"""

#: The canvas built to break both team rules, as a person writes it.
BROKEN = """\
format: usager/2
name: Built to break the team's rules
personas:
  - id: nobody
    name: Nobody
stages:
  - {id: discovery, label: Discovery, kind: discovery}
facilitators:
  - id: sign
    label: A sign at the door
    stages: [discovery]
    status: in_place
"""


def canvases() -> Iterator[tuple[str, usager.Canvas]]:
    """Forty canvases in three formats and two folders, each named as the team names them."""
    makers = [examples.mediatheque, examples.repair_cafe, examples.complete]
    suffixes = ["json", "yaml", "toml"]
    for i in range(40):
        canvas = makers[i % 3]()
        folder = "canvases/town" if i % 4 == 0 else "canvases"
        yield f"{folder}/service-{i:02d}.usager.{suffixes[i % 3]}", canvas


def run(project: Path, env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "usager", *argv],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def git(project: Path, *argv: str) -> None:
    identity = ["-c", "user.name=QA", "-c", "user.email=qa@example.org"]
    subprocess.run(["git", *identity, *argv], cwd=project, check=True, capture_output=True)


@pytest.fixture(scope="module")
def acme_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The acme-rules distribution, installed by pip."""
    return pip_install(ACME, tmp_path_factory.mktemp("acme-site"))


@pytest.fixture
def team(tmp_path: Path, acme_site: Path) -> tuple[Path, dict[str, str]]:
    """The team's repository (committed), and the environment its commands run in."""
    project = tmp_path / "journeys"
    (project / "canvases" / "town").mkdir(parents=True)
    (project / "rules").mkdir()
    (project / "archive").mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / "rules" / "team.yaml").write_text(RULESET, encoding="utf-8")
    (project / "archive" / "old.usager.json").write_text("{not a canvas", encoding="utf-8")  # excluded
    for name, canvas in canvases():
        usager.dump(canvas, project / name)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "forty canvases")
    env = {
        **os.environ,
        "USAGER_DISABLE_PLUGINS": "0",
        "PYTHONPATH": os.pathsep.join([str(acme_site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    return project, env


def adopt_baseline(project: Path) -> None:
    """The team names the baseline it wrote in its configuration."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("rulesets =", 'baseline = "usager-baseline.json"\nrulesets ='), encoding="utf-8")


def summary(result: subprocess.CompletedProcess[str]) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_one_configuration_a_baseline_and_rules_of_the_teams_own(team: tuple[Path, dict[str, str]]) -> None:
    project, env = team
    # the rules: usager's, the ruleset's and the installed distribution's, each with its origin
    rules = run(project, env, "rules").stdout
    assert re.search(r"^TEAM101 +warning +rules/team\.yaml ", rules, re.MULTILINE), rules
    assert re.search(r"^ACME001 +warning +usager-acme-rules ", rules, re.MULTILINE), rules

    # today: the configuration applies (no U034, U030 as an info, no U06x in town/), the archive is left out
    today = run(project, env, "check", ".", "--format", "json")
    assert today.returncode == 0, today.stderr
    findings = json.loads(today.stdout)["findings"]
    assert {f["file"].split("/")[0] for f in findings} == {"canvases"}
    codes = {f["code"] for f in findings}
    assert "U034" not in codes
    assert all(f["severity"] == "info" for f in findings if f["code"] == "U030")
    assert not [f for f in findings if f["file"].startswith("canvases/town/") and f["code"].startswith("U06")]
    assert "ACME001" in codes  # the examples' facilitators in place name no owner
    assert summary(run(project, env, "check", ".")).startswith("40 files checked: 0 errors, ")

    # the baseline: written today and named in the configuration, it hides today's findings
    written = run(project, env, "check", ".", "--write-baseline", "usager-baseline.json")
    assert written.returncode == 0, written.stderr
    assert re.search(r"wrote usager-baseline\.json: \d+ entries", written.stderr)
    assert "usager-baseline.json" not in written.stdout  # not a canvas the walk would read
    adopt_baseline(project)
    quiet = run(project, env, "check", ".")
    assert (quiet.returncode, quiet.stdout, summary(quiet)) == (0, "", "40 files checked: no problem found")

    # edits that change no finding: reorder the lists (but the stages, whose order is the cycle's),
    # relabel a stage, add an element that trips no rule
    path = project / "canvases" / "service-01.usager.yaml"
    canvas = usager.load(path)
    lists = {name: tuple(reversed(getattr(canvas, name))) for name, _ in ELEMENT_LISTS if name != "stages"}
    canvas = attrs.evolve(canvas, **lists)
    canvas = canvas.replace(attrs.evolve(canvas.stages[0], label="Finding the café, now with a map"))
    canvas = canvas.add(Metric(id="visits", label="Visits a month", stage=canvas.stages[0].id, target=40, current=31))
    usager.dump(canvas, path)
    edited = run(project, env, "check", ".")
    assert (edited.returncode, edited.stdout, summary(edited)) == (0, "", "40 files checked: no problem found")

    # a new finding still fails, alone
    usager.dump(usager.load(path).add(Brake(id="lost", label="Lost", stage="ghost")), path)
    new = run(project, env, "check", ".")
    assert new.returncode == 1
    assert new.stdout.splitlines() == [
        line for line in new.stdout.splitlines() if line.startswith("canvases/service-01.usager.yaml:")
    ]
    assert "U002 error: brake 'lost' (Lost) names 'ghost' in stage" in new.stdout
    assert summary(new).startswith("40 files checked: 1 error, ")


def test_team_rules_fire_with_positions_in_every_format(
    team: tuple[Path, dict[str, str]], sarif_schema: dict[str, Any]
) -> None:
    import jsonschema

    project, env = team
    (project / "canvases" / "broken.usager.yaml").write_text(BROKEN, encoding="utf-8")
    name = "canvases/broken.usager.yaml"
    where = {"TEAM101": (4, 5), "ACME001": (9, 5)}  # the persona's and the facilitator's first keys

    text = run(project, env, "check", name).stdout
    for code, (line, column) in where.items():
        assert f"{name}:{line}:{column}: {code} warning: " in text, text

    document = json.loads(run(project, env, "check", name, "--format", "json").stdout)
    placed = {f["code"]: (f["line"], f["column"]) for f in document["findings"] if f["code"] in where}
    assert placed == where

    log = json.loads(run(project, env, "check", name, "--format", "sarif").stdout)
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    regions = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["region"]
        for r in log["runs"][0]["results"]
        if r["ruleId"] in where
    }
    assert {code: (r["startLine"], r["startColumn"]) for code, r in regions.items()} == where
    described = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(where) <= described

    github = run(project, env, "check", name, "--format", "github").stdout
    for code, (line, column) in where.items():
        assert f"::warning file={name},line={line},col={column},title=usager {code}::{code} warning: " in github

    junit = ET.fromstring(run(project, env, "check", name, "--format", "junit", "--strict").stdout)
    failures = {case.get("name", "").split()[0]: case.find("failure") for case in junit.iter("testcase")}
    for code, (line, column) in where.items():
        failure = failures[code]
        assert failure is not None
        assert failure.get("message", "").startswith(f"{name}:{line}:{column}: {code} warning: ")

    gitlab = json.loads(run(project, env, "check", name, "--format", "gitlab").stdout)
    lines = {issue["check_name"]: issue["location"] for issue in gitlab if issue["check_name"] in where}
    assert lines == {code: {"path": name, "lines": {"begin": line}} for code, (line, _) in where.items()}


def test_the_pytest_plugin_reads_the_same_configuration(team: tuple[Path, dict[str, str]]) -> None:
    project, env = team
    assert run(project, env, "check", ".", "--write-baseline", "usager-baseline.json").returncode == 0
    adopt_baseline(project)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    passed = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "40 passed" in passed.stdout
    # a canvas that breaks the team's rules: with --usager-strict, warnings fail, the baseline does not hide them
    (project / "canvases" / "broken.usager.yaml").write_text(BROKEN, encoding="utf-8")
    failed = subprocess.run(
        [*argv, "--usager-strict"], cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "1 failed, 40 passed" in failed.stdout
    assert "TEAM101 warning: persona 'nobody' (Nobody) says nothing of who they are" in failed.stdout
    assert "ACME001 warning: facilitator 'sign' is in place but names no owner" in failed.stdout
    assert "U034" not in failed.stdout  # ignored by the configuration


def test_pre_commit_runs_the_hooks_with_the_same_configuration(
    tmp_path: Path, team: tuple[Path, dict[str, str]]
) -> None:
    """The real pre-commit installs usager and the team's rule distribution; the hook reads [tool.usager]."""
    project, env = team
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    assert Path(pre_commit).exists(), "pre-commit is in the test extra"
    source = tmp_path / "usager-source"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(source)], check=True, capture_output=True)
    for name in ("src", "pyproject.toml", ".pre-commit-hooks.yaml"):  # the working tree, committed in the clone
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        else:
            shutil.copy(ROOT / name, source / name)
    git(source, "add", "-A")
    git(source, "commit", "-q", "--allow-empty", "-m", "the working tree")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, check=True, capture_output=True, text=True)
    config = {
        "repos": [
            {
                "repo": str(source),
                "rev": rev.stdout.strip(),
                "hooks": [{"id": "usager-check", "additional_dependencies": [str(ACME)]}],
            }
        ]
    }
    (project / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=2), encoding="utf-8")
    assert run(project, env, "check", ".", "--write-baseline", "usager-baseline.json").returncode == 0
    adopt_baseline(project)
    git(project, "add", "-A")
    hook_env = {**env, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_INPUT": "1"}
    hook_env.pop("PYTHONPATH")  # the hook's own environment has the distribution installed

    def pre_commit_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "run", "--all-files"], cwd=project, env=hook_env,
            capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip

    passing = pre_commit_run()
    assert passing.returncode == 0, passing.stdout + passing.stderr  # the baseline hides today's findings
    assert re.search(r"usager check\.+Passed", passing.stdout), passing.stdout
    (project / "canvases" / "broken.usager.yaml").write_text(
        BROKEN + "  - id: lost\n    label: Lost\n    stages: [ghost]\n", encoding="utf-8"
    )
    git(project, "add", "-A")
    failing = pre_commit_run()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "canvases/broken.usager.yaml:13:5: U002 error: facilitator 'lost' (Lost) names 'ghost'" in failing.stdout
    assert "canvases/broken.usager.yaml:4:5: TEAM101 warning:" in failing.stdout  # the ruleset
    assert "canvases/broken.usager.yaml:9:5: ACME001 warning:" in failing.stdout  # the installed rule
    assert "U034" not in failing.stdout  # the configuration's ignore
