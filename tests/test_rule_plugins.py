"""Rules of one's own: Python rules from the ``usager.rules`` entry points of an installed distribution."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import usager
from tests.plugins import ROOT, pip_install
from usager import rules
from usager.cli import main
from usager.examples import complete
from usager.testing import check_rule

TEAM_RULES = ROOT / "tests" / "plugins" / "usager-team-rules"


@pytest.fixture(scope="session")
def team_rules_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the team-rules distribution, installed by pip."""
    return pip_install(TEAM_RULES, tmp_path_factory.mktemp("team-rules-site"))


@pytest.fixture
def with_team_rules(team_rules_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The team-rules distribution is installed for this test; yields the RuleWarning messages of its scan."""
    monkeypatch.setenv(rules.DISABLE_PLUGINS_ENV, "0")
    monkeypatch.syspath_prepend(str(team_rules_site))
    rules.refresh()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rules.all_rules()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", usager.RuleWarning)  # TEAM003 fails in every check
        yield [str(w.message) for w in caught if issubclass(w.category, usager.RuleWarning)]
    monkeypatch.undo()
    rules.refresh()
    sys.modules.pop("usager_team_rules", None)


def _codes() -> list[str]:
    return [r.code for r in rules.all_rules()]


def test_rule_is_public_and_the_builtins_are_rules() -> None:
    assert usager.Rule is rules.Rule
    assert "Rule" in usager.__all__
    assert "RuleWarning" in usager.__all__
    assert all(isinstance(r, usager.Rule) for r in rules.all_rules())
    assert issubclass(usager.RuleWarning, UserWarning)


def test_without_the_distribution_only_usager_rules_run() -> None:
    assert all(code.startswith("U") for code in _codes())


def test_a_plugin_rule_runs_in_check(with_team_rules: list[str]) -> None:
    assert "TEAM001" in _codes()
    assert "TEAM002" in _codes()
    bad = usager.check(rules.all_rules()[_codes().index("TEAM001")].bad(), select=["TEAM001"])
    assert [(f.code, f.subjects, f.severity) for f in bad] == [("TEAM001", ("queue",), usager.Severity.WARNING)]
    assert "severity 3" in bad[0].message
    team001 = next(r for r in rules.all_rules() if r.code == "TEAM001")
    assert usager.check(team001.good(), select="TEAM001") == []
    assert rules.origin(team001) == "usager-team-rules"
    assert rules.origin(rules.RULES["U001"]) == "usager"


def test_a_suppression_may_name_a_plugin_rule(with_team_rules: list[str]) -> None:
    canvas = next(r for r in rules.all_rules() if r.code == "TEAM001").bad()
    canvas = rules.changed(canvas, "queue", suppress=["TEAM001"])
    codes = [f.code for f in usager.check(canvas)]
    assert "TEAM001" not in codes
    assert "U004" not in codes  # the unknown-suppression rule knows the plugin's code


def test_broken_entry_points_are_reported_with_their_distribution(with_team_rules: list[str]) -> None:
    said = "\n".join(with_team_rules)
    for name in ("U900", "TEAM001B", "NOTARULE", "MISSING"):
        assert f"'{name} = usager_team_rules" in said
    assert all("from distribution 'usager-team-rules'" in m for m in with_team_rules)
    assert "reserved" in said
    assert "already taken by 'usager_team_rules:BRAKE_EVIDENCE'" in said
    assert "failed to load: ModuleNotFoundError" in said
    assert "not a usager.Rule" in said
    assert len(with_team_rules) == 4
    codes = _codes()
    assert "U900" not in codes
    assert codes.count("TEAM001") == 1
    # The winner of the clash is the first by target: BRAKE_EVIDENCE (a warning), not TWIN (an error).
    assert next(r for r in rules.all_rules() if r.code == "TEAM001").severity is usager.Severity.WARNING
    errors = {i.name: i.error for i in rules.infos()}
    assert errors["TEAM001"] is None
    assert errors["TEAM001B"]
    assert errors["U900"]


def test_a_rule_that_raises_is_reported_and_the_others_run(with_team_rules: list[str]) -> None:
    canvas = next(r for r in rules.all_rules() if r.code == "TEAM001").bad()
    canvas = rules.changed(canvas, "jargon", suppress=["X999"])  # a built-in rule's finding (U004)
    with pytest.warns(usager.RuleWarning, match=r"'TEAM003 = usager_team_rules:EXPLODING' from distribution "
                      r"'usager-team-rules' failed during the check: ZeroDivisionError") as caught:  # fmt: skip
        findings = usager.check(canvas)
    assert len([w for w in caught if issubclass(w.category, usager.RuleWarning)]) == 1
    codes = {f.code for f in findings}
    assert "TEAM001" in codes
    assert "TEAM003" not in codes
    assert "U004" in codes  # the built-ins still ran
    expected = usager.check(canvas, ignore="TEAM")
    assert [f for f in findings if f.code.startswith("U")] == expected


def test_plugin_rules_can_be_turned_off(with_team_rules: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert "TEAM001" in _codes()
    monkeypatch.setenv(rules.DISABLE_PLUGINS_ENV, "1")
    assert all(code.startswith("U") for code in _codes())
    assert rules.infos() == ()
    with pytest.raises(usager.UnknownRuleError):
        usager.check(complete(), select="TEAM")


# The conformance kit: usager.testing.check_rule.


def _rule(run: rules.RuleFunction, **changes: object) -> usager.Rule:
    fields: dict[str, object] = {
        "code": "TEAM010",
        "severity": usager.Severity.WARNING,
        "summary": "a brake has evidence",
        "explanation": "Say what shows it.",
        "run": run,
        "bad": lambda: rules.changed(complete(), "queue", evidence=()),
        "good": lambda: rules.changed(complete(), "queue", evidence=("survey",)),
    }
    fields.update(changes)
    return usager.Rule(**fields)  # type: ignore[arg-type]


def _queue_without_evidence(ctx: rules.Context) -> Iterator[rules.Witness]:
    for brake in ctx.canvas.brakes:
        if brake.id == "queue" and not brake.evidence:
            yield "the queue names no evidence", (brake.id,)


def test_every_builtin_rule_passes_the_kit() -> None:
    for rule in rules.all_rules():
        check_rule(rule)


def test_a_correct_rule_of_ones_own_passes_the_kit(with_team_rules: list[str]) -> None:
    check_rule(next(r for r in rules.all_rules() if r.code == "TEAM001"))
    check_rule(_rule(_queue_without_evidence))


def test_the_kit_catches_a_bad_example_that_does_not_trip_the_rule(with_team_rules: list[str]) -> None:
    team002 = next(r for r in rules.all_rules() if r.code == "TEAM002")
    with pytest.raises(AssertionError, match="its 'bad' example gives no TEAM002 finding"):
        check_rule(team002)


def test_the_kit_catches_a_rule_that_raises(with_team_rules: list[str]) -> None:
    team003 = next(r for r in rules.all_rules() if r.code == "TEAM003")
    with pytest.raises(AssertionError, match="raises on its 'bad' example: ZeroDivisionError"):
        check_rule(team003)


def test_the_kit_catches_a_good_example_that_trips_the_rule() -> None:
    def always(ctx: rules.Context) -> Iterator[rules.Witness]:
        yield "always", ("queue",)

    with pytest.raises(AssertionError, match="its 'good' example gives findings"):
        check_rule(_rule(always))


def test_the_kit_catches_a_rule_that_is_not_deterministic() -> None:
    calls: list[int] = []

    def counting(ctx: rules.Context) -> Iterator[rules.Witness]:
        calls.append(1)
        for message, subjects in _queue_without_evidence(ctx):
            yield f"{message} (run {len(calls)})", subjects

    with pytest.raises(AssertionError, match="two runs over its 'bad' example differ"):
        check_rule(_rule(counting))


def test_the_kit_catches_subjects_that_are_no_id_of_the_canvas() -> None:
    def wrong_subject(ctx: rules.Context) -> Iterator[rules.Witness]:
        for message, _ in _queue_without_evidence(ctx):
            yield message, ("Long wait at the benches",)  # the label, not the id

    with pytest.raises(AssertionError, match="subjects that are no id of the canvas: 'Long wait at the benches'"):
        check_rule(_rule(wrong_subject))


def test_the_kit_catches_bad_declarations() -> None:
    with pytest.raises(AssertionError) as caught:
        check_rule(_rule(_queue_without_evidence, code="U999", summary=" ", bad=lambda: {"name": "x"}))
    message = str(caught.value)
    assert "reserved for usager's own rules" in message
    assert "its summary is empty" in message
    assert "its 'bad' example gives a dict, not a Canvas" in message
    with pytest.raises(AssertionError, match="does not match"):
        check_rule(_rule(_queue_without_evidence, code="team-1"))
    with pytest.raises(AssertionError, match=r"not a usager\.Rule"):
        check_rule({"code": "TEAM010"})  # type: ignore[arg-type]


# The command line: usager rules, usager rule CODE, and a failing rule in usager check.


def test_usager_rules_lists_every_rule_with_its_origin(
    with_team_rules: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["code", "severity", "origin", "summary"]
    rows = {line.split()[0]: line.split(maxsplit=3) for line in lines[1:]}
    assert set(rows) == set(_codes())
    assert rows["TEAM001"] == ["TEAM001", "warning", "usager-team-rules", "a severity-3 brake names evidence"]
    assert rows["U020"][1:3] == ["warning", "usager"]
    assert "U900" not in rows


def test_usager_rule_prints_the_documentation_with_examples(
    with_team_rules: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rule", "team001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## TEAM001\n\n**warning**: a severity-3 brake names evidence.")
    assert "**Failing example**" in out
    assert '"severity": 3' in out  # the change the failing example makes, as JSON
    assert "TEAM001 warning: brake 'queue' has severity 3 but names no evidence" in out
    assert "**Passing example**" in out
    assert out.rstrip().endswith("Origin: usager-team-rules")
    assert main(["rule", "U020"]) == 0
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out.split("\n\nOrigin:")[0].strip() + "\n" in page


def test_usager_rule_refuses_an_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "TEAM001"]) == 2
    assert "no rule has the code 'TEAM001'" in capsys.readouterr().err


def test_a_failing_rule_is_one_line_in_usager_check(
    with_team_rules: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "canvas.json"
    usager.dump(next(r for r in rules.all_rules() if r.code == "TEAM001").bad(), path)
    with warnings.catch_warnings():
        warnings.simplefilter("default", usager.RuleWarning)
        code = main(["check", str(path)])
    captured = capsys.readouterr()
    assert code == 0  # TEAM001 is a warning; TEAM003, the error rule, failed and found nothing
    assert "TEAM001" in captured.out
    said = [line for line in captured.err.splitlines() if "TEAM003" in line]
    assert said == [
        "usager: warning: usager rule entry point 'TEAM003 = usager_team_rules:EXPLODING' from distribution "
        "'usager-team-rules' failed during the check: ZeroDivisionError: the team rule divided by zero; "
        "the other rules keep working"
    ]


# Declarative rulesets, listed in the configuration's `rulesets`.

RULESET = """\
rules:
  - code: TEAM101
    severity: warning
    message: "brake '{id}' ({label}) has severity 3 but no evidence"
    given: brakes
    where: {severity: 3}
    then: {field: evidence, function: truthy}
  - code: TEAM102
    severity: info
    summary: tags come from the list
    message: "{id} has tags {value}"
    given: brakes
    where: {kind: {in: [physical, other]}}
    then: {field: tags, function: enumeration, values: [spring-2026]}
  - code: TEAM103
    severity: error
    message: "stage {id} has a short label: {label}"
    given: stages
    then: {field: label, function: length, min: 5}
  - code: TEAM104
    severity: error
    message: "{id} names {value}"
    given: facilitators
    then: {field: addresses, function: references, kinds: [brake]}
  - code: TEAM105
    severity: warning
    message: "{id} repeats the label {label}"
    given: brakes
    then: {field: label, function: unique}
  - code: TEAM106
    severity: warning
    message: "{id}'s label does not start with a capital"
    given: brakes
    then: {field: label, function: pattern, match: "^[A-Z]"}
"""


def _project(tmp_path: Path, ruleset: str, name: str = "team.yaml") -> usager.Config:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / name).write_text(ruleset, encoding="utf-8")
    (tmp_path / "usager.toml").write_text('rulesets = ["rules/*"]\nselect = ["U", "TEAM1"]\n', encoding="utf-8")
    return usager.Config.load(tmp_path / "usager.toml")


def test_a_ruleset_runs_in_check(tmp_path: Path) -> None:
    config = _project(tmp_path, RULESET)
    canvas = rules.changed(complete(), "queue", severity=3, evidence=(), tags=("spring-2026", "winter"))
    canvas = rules.changed(canvas, "jargon", label="Long wait at the benches")
    found = [(f.code, f.severity.value, f.message, f.subjects) for f in usager.check(canvas, config=config)]
    assert found == [
        ("TEAM101", "warning", "brake 'queue' (Long wait at the benches) has severity 3 but no evidence", ("queue",)),
        ("TEAM102", "info", "queue has tags spring-2026, winter", ("queue",)),
        ("TEAM105", "warning", "queue repeats the label Long wait at the benches", ("queue",)),
    ]
    assert usager.check(rules.changed(complete(), "queue", evidence=("survey",)), config=config) == []
    assert "TEAM101" not in {r.code for r in rules.all_rules()}  # only with the configuration


def test_the_other_functions_of_a_ruleset(tmp_path: Path) -> None:
    config = _project(tmp_path, RULESET)
    canvas = rules.changed(complete(), "usage", label="Use")
    canvas = rules.changed(canvas, "jargon", label="jargon everywhere")
    codes = [(f.code, f.subjects) for f in usager.check(canvas, config=config, ignore="U")]
    assert ("TEAM103", ("usage",)) in codes
    assert ("TEAM106", ("jargon",)) in codes
    facilitator = next(iter(complete().facilitators))
    wrong = rules.changed(complete(), facilitator.id, addresses=("usage",))  # a stage, not a brake
    assert [f.code for f in usager.check(wrong, config=config, select="TEAM104")] == ["TEAM104"]


def test_a_ruleset_in_toml(tmp_path: Path) -> None:
    ruleset = (
        '[[rules]]\ncode = "TEAM101"\nseverity = "error"\nmessage = "{id} has no evidence"\n'
        'given = "brakes"\nthen = {field = "evidence", function = "truthy"}\n'
    )
    config = _project(tmp_path, ruleset, "team.toml")
    assert [(f.code, f.subjects) for f in usager.check(complete(), config=config)] == [("TEAM101", ("queue",))]


def test_a_bad_ruleset_is_a_load_error_with_line_and_column(tmp_path: Path) -> None:
    ruleset = """\
rules:
  - code: U001
    severity: fatal
    message: "brake {id.__class__} {nope}"
    given: brake
    then: {field: evidence, function: eval}
"""
    with pytest.raises(usager.LoadError) as caught:
        _project(tmp_path, ruleset)
    where = {(p.line, p.column): p.message for p in caught.value.problems}
    assert "reserved" in where[2, 11]
    assert "expected one of error, warning, info" in where[3, 15]
    assert "is not a placeholder" in where[4, 14]
    assert "did you mean 'brakes'" in where[5, 12]
    assert "expected one of truthy" in where[6, 39]
    assert str(caught.value).startswith(str(tmp_path / "rules" / "team.yaml"))


def test_a_ruleset_code_may_not_take_a_taken_code(tmp_path: Path) -> None:
    ruleset = RULESET + RULESET.split("rules:\n", 1)[1].split("  - code: TEAM102")[0]
    with pytest.raises(usager.LoadError, match="another rule already has the code 'TEAM101'"):
        _project(tmp_path, ruleset)


def test_a_ruleset_evaluates_no_code(tmp_path: Path) -> None:
    ruleset = "rules: !!python/object/apply:os.system ['touch pwned']\n"
    with pytest.raises(usager.LoadError, match="rules\\[0\\]: expected a rule"):
        _project(tmp_path, ruleset)
    assert not (tmp_path / "pwned").exists()
    assert not Path("pwned").exists()


def test_usager_rules_names_the_ruleset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, RULESET)
    monkeypatch.chdir(tmp_path)
    assert main(["rules"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("TEAM102"))
    assert row.split(maxsplit=3)[1:] == ["info", "rules/team.yaml", "tags come from the list"]
    # from a folder the ruleset is not under, its full path
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["rules", "--config", str(tmp_path / "usager.toml")]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("TEAM102"))
    assert row.split(maxsplit=3)[2] == str(tmp_path / "rules" / "team.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "--isolated"]) == 0
    assert "TEAM102" not in capsys.readouterr().out


def test_a_missing_ruleset_is_a_load_error_and_an_empty_glob_is_not(tmp_path: Path) -> None:
    (tmp_path / "usager.toml").write_text('rulesets = ["rules/team.yaml"]\n', encoding="utf-8")
    with pytest.raises(usager.LoadError, match=r"the ruleset 'rules/team\.yaml' is no file"):
        usager.Config.load(tmp_path / "usager.toml")
    (tmp_path / "usager.toml").write_text('rulesets = ["rules/*.yaml"]\n', encoding="utf-8")
    assert usager.Config.load(tmp_path / "usager.toml").ruleset_rules() == ()


def test_a_suppression_may_name_a_ruleset_rule(tmp_path: Path) -> None:
    config = _project(tmp_path, RULESET)
    canvas = rules.changed(complete(), "queue", evidence=(), suppress=["TEAM101"])
    assert [f.code for f in usager.check(canvas, config=config)] == []  # neither TEAM101 nor U004


def test_usager_rule_tells_what_a_ruleset_rule_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, RULESET)
    monkeypatch.chdir(tmp_path)
    assert main(["rule", "TEAM101"]) == 0
    assert capsys.readouterr().out == (
        "## TEAM101\n\n**warning**: brake '{id}' ({label}) has severity 3 but no evidence.\n\n"
        "A rule of a ruleset: for each element of `brakes` where `severity` is 3, `evidence` must pass `truthy`.\n\n"
        "Origin: rules/team.yaml\n"
    )


def test_sarif_links_to_usagers_own_rule_pages_alone(with_team_rules: list[str]) -> None:
    """A plugin rule has no page in usager's docs: its SARIF description carries no helpUri."""
    from usager._ci import Checked, rule_url, sarif_log

    canvas = next(r for r in rules.all_rules() if r.code == "TEAM001").bad()
    log = sarif_log([Checked("canvas.json", tuple(usager.check(canvas)))])
    described = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "helpUri" not in described["TEAM001"]
    assert described["U001"]["helpUri"] == rule_url("U001")
