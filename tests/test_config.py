"""The project's configuration: ``[tool.usager]`` in ``pyproject.toml`` or ``usager.toml``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import usager
from usager import Brake, Config, LoadError, Severity
from usager.cli import main
from usager.examples import complete

pytest_plugins = ["pytester"]


def broken() -> usager.Canvas:
    """A canvas with one error (U002, a dangling stage) and one warning (U020, no facilitator)."""
    return complete().add(Brake(id="lost", label="Lost", stage="ghost"))


def codes(findings: list[usager.Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.severity.value) for f in findings]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- discovery


def test_the_nearest_configuration_up_the_folders_applies(tmp_path: Path) -> None:
    """A file takes the configuration of its own folder, else of the nearest folder above that has one."""
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.usager]\nignore = ["U020"]\n')
    write(tmp_path / "team" / "usager.toml", 'ignore = ["U002"]\n')
    (tmp_path / "team" / "deep" / "deeper").mkdir(parents=True)
    assert Config.discover(tmp_path / "team" / "deep" / "deeper" / "c.json").ignore == ("U002",)
    assert Config.discover(tmp_path / "team" / "deep").path == tmp_path / "team" / "usager.toml"
    assert Config.discover(tmp_path / "other" / "c.json").ignore == ("U020",)
    assert Config.discover(tmp_path / "c.json").root == tmp_path


def test_usager_toml_wins_over_pyproject_toml_in_one_folder(tmp_path: Path) -> None:
    """Both in one folder: usager.toml is read, pyproject.toml is not."""
    write(tmp_path / "pyproject.toml", '[tool.usager]\nignore = ["U020"]\n')
    write(tmp_path / "usager.toml", 'ignore = ["U002"]\n')
    config = Config.discover(tmp_path / "c.json")
    assert config.path == tmp_path / "usager.toml"
    assert config.ignore == ("U002",)


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    """A pyproject.toml without [tool.usager] is no configuration: the walk goes on up."""
    write(tmp_path / "usager.toml", 'ignore = ["U020"]\n')
    write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "app"\n\n[tool.ruff]\nline-length = 99\n')
    assert Config.discover(tmp_path / "app" / "c.json").path == tmp_path / "usager.toml"
    assert Config.load(tmp_path / "app" / "pyproject.toml") == Config(
        path=tmp_path / "app" / "pyproject.toml", root=tmp_path / "app"
    )


def test_no_configuration_is_the_default(tmp_path: Path) -> None:
    """Without a file up the folders, discover gives the default configuration: every rule as it says."""
    config = Config.discover(tmp_path / "c.json")
    assert config == Config()
    assert codes(usager.check(broken(), config=config)) == codes(usager.check(broken()))


def test_config_is_a_lazy_name_of_the_facade() -> None:
    """usager.Config is there on first use; import usager alone does not read it."""
    code = (
        "import sys, usager\n"
        "assert 'usager._config' not in sys.modules\n"
        "assert usager.Config.__module__ == 'usager._config' and 'Config' in usager.__all__\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- each key's effect on check


def test_select_runs_only_the_rules_its_prefixes_match(tmp_path: Path) -> None:
    """select = ["U0"] runs U001 to U099: the dangling stage and the lone brake; ["U00"] only the first."""
    config = Config.load(write(tmp_path / "usager.toml", 'select = ["U00"]\n'))
    assert codes(usager.check(broken(), config=config)) == [("U002", "error")]
    config = Config.load(write(tmp_path / "usager.toml", 'select = ["u02"]\n'))
    assert codes(usager.check(broken(), config=config)) == [("U020", "warning")]


def test_ignore_leaves_out_and_wins_over_select(tmp_path: Path) -> None:
    """ignore leaves the rules its prefixes match out, even those select names."""
    config = Config.load(write(tmp_path / "usager.toml", 'ignore = ["U02"]\n'))
    assert codes(usager.check(broken(), config=config)) == [("U002", "error")]
    config = Config.load(write(tmp_path / "usager.toml", 'select = ["U002", "U020"]\nignore = ["U002"]\n'))
    assert codes(usager.check(broken(), config=config)) == [("U020", "warning")]


def test_extend_select_adds_to_select(tmp_path: Path) -> None:
    """extend-select adds rules to select; alone, it adds to every rule (which changes nothing)."""
    config = Config.load(write(tmp_path / "usager.toml", 'select = ["U00"]\nextend-select = ["U020"]\n'))
    assert config.extend_select == ("U020",)
    assert codes(usager.check(broken(), config=config)) == [("U002", "error"), ("U020", "warning")]
    config = Config.load(write(tmp_path / "usager.toml", 'extend-select = ["U020"]\n'))
    assert codes(usager.check(broken(), config=config)) == codes(usager.check(broken()))


def test_severity_overrides_by_the_longest_prefix(tmp_path: Path) -> None:
    """severity changes a finding's severity; the longest prefix that matches its code wins."""
    text = '[severity]\nU0 = "info"\nU002 = "warning"\n'
    config = Config.load(write(tmp_path / "usager.toml", text))
    assert config.severity == {"U0": Severity.INFO, "U002": Severity.WARNING}
    assert codes(usager.check(broken(), config=config)) == [("U002", "warning"), ("U020", "info")]


def test_per_file_ignores_match_globs_relative_to_the_configuration(tmp_path: Path) -> None:
    """A glob with a folder is relative to the configuration's folder; one without matches a file name."""
    text = '[per-file-ignores]\n"drafts/**/*.json" = ["U002"]\n"legacy.yaml" = ["U02"]\n"old/" = ["U0"]\n'
    config = Config.load(write(tmp_path / "conf" / "usager.toml", text))
    root = tmp_path / "conf"
    everything = [("U002", "error"), ("U020", "warning")]
    assert codes(usager.check(broken(), config=config, path=root / "drafts" / "a" / "b.json")) == everything[1:]
    assert codes(usager.check(broken(), config=config, path=root / "drafts" / "b.json")) == everything[1:]
    assert codes(usager.check(broken(), config=config, path=root / "b.json")) == everything
    assert codes(usager.check(broken(), config=config, path=root / "x" / "legacy.yaml")) == everything[:1]
    assert codes(usager.check(broken(), config=config, path=root / "old" / "y" / "z.json")) == []
    # relative to the configuration's folder, not to the working one: a file outside matches nothing
    assert codes(usager.check(broken(), config=config, path=tmp_path / "drafts" / "b.json")) == everything
    assert config.for_file(root / "drafts" / "b.json").ignore == ("U002",)
    assert codes(usager.check(broken(), config=config)) == everything  # no path: no per-file ignore


def test_arguments_come_on_top_of_the_configuration(tmp_path: Path) -> None:
    """select replaces the configuration's choice of rules, ignore adds; severities and per-file ignores stay."""
    text = 'select = ["U00"]\nignore = ["U002"]\n[severity]\nU020 = "error"\n[per-file-ignores]\n"a.json" = ["U02"]\n'
    config = Config.load(write(tmp_path / "usager.toml", text))
    assert codes(usager.check(broken(), config=config)) == []
    assert codes(usager.check(broken(), config=config, select="U0")) == [("U002", "error"), ("U020", "error")]
    assert codes(usager.check(broken(), config=config, select="U0", path=tmp_path / "a.json")) == [("U002", "error")]
    assert codes(usager.check(broken(), config=config, select="U0", ignore="U00")) == [("U020", "error")]


def test_exclude_baseline_and_rulesets_are_read_and_kept(tmp_path: Path) -> None:
    """exclude, baseline and rulesets are checked and kept; the baseline is relative to the configuration's folder."""
    text = 'exclude = ["build/**", "*.tmp.json"]\nbaseline = "ci/baseline.json"\nrulesets = ["rules/*.yaml"]\n'
    config = Config.load(write(tmp_path / "usager.toml", text))
    assert config.exclude == ("build/**", "*.tmp.json")
    assert config.baseline == tmp_path / "ci" / "baseline.json"
    assert config.rulesets == ("rules/*.yaml",)
    assert config.excluded(tmp_path / "build" / "x" / "c.json")
    assert config.excluded(tmp_path / "src" / "c.tmp.json")
    assert not config.excluded(tmp_path / "src" / "c.json")


def test_a_pyproject_table_is_read(tmp_path: Path) -> None:
    """[tool.usager] in pyproject.toml holds the same keys."""
    text = '[project]\nname = "x"\n\n[tool.usager]\nselect = ["U002"]\n\n[tool.usager.severity]\nU002 = "info"\n'
    config = Config.load(write(tmp_path / "pyproject.toml", text))
    assert codes(usager.check(broken(), config=config)) == [("U002", "info")]


def test_the_full_example_of_the_docs_reads(tmp_path: Path) -> None:
    """The example of docs/configuration.md is a configuration usager reads, with the effects it says."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = page.split("```toml\n", 1)[1].split("```", 1)[0]
    config = Config.load(write(tmp_path / "pyproject.toml", example))
    assert config.select == ("U0", "U03")
    assert config.severity_of("U002") is Severity.ERROR
    assert config.severity_of("U020") is Severity.WARNING
    assert config.baseline == tmp_path / "ci" / "usager-baseline.json"
    assert config.for_file(tmp_path / "drafts" / "a" / "b.json").ignore == ("U031", "U02")
    assert config.for_file(tmp_path / "x" / "legacy.json").ignore == ("U031", "U0")


def test_a_config_built_in_python_takes_text(tmp_path: Path) -> None:
    """Built in Python, prefixes are upper-cased and severities may be written as text."""
    config = Config(select=["u00"], severity={"u002": "info"}, per_file_ignores={"*.json": ["u002"]}, root=tmp_path)
    assert config.select == ("U00",)
    assert config.severity == {"U002": Severity.INFO}
    assert codes(usager.check(broken(), config=config)) == [("U002", "info")]
    assert codes(usager.check(broken(), config=config, path=tmp_path / "a.json")) == []
    assert Config(ignore="U020").ignore == ("U020",)


# ---------------------------------------------------------------- errors


def error_of(path: Path, text: str) -> str:
    write(path, text)
    with pytest.raises(LoadError) as caught:
        Config.load(path)
    return str(caught.value)


def test_an_unknown_key_is_named_with_its_line_column_and_a_suggestion(tmp_path: Path) -> None:
    """A misspelt key: the file, line:col of the key, and the key it most likely means."""
    path = tmp_path / "pyproject.toml"
    message = error_of(path, '[project]\nname = "x"\n\n[tool.usager]\nselect = ["U0"]\n  ignre = ["U020"]\n')
    assert message.startswith(f"{path}:6:3: tool.usager.ignre: unknown key 'ignre'")
    assert message.endswith("did you mean 'ignore'?")
    message = error_of(tmp_path / "usager.toml", 'extend_select = ["U0"]\n')
    assert message.endswith("did you mean 'extend-select'?"), message
    assert ":1:1: extend_select: unknown key" in message


def test_bad_values_are_named_with_their_line_and_column(tmp_path: Path) -> None:
    """Each bad value, in document order, at its own position; a code matching no rule gets a suggestion."""
    text = 'select = "U0"\nignore = ["U002", 3, "U9"]\nbaseline = 1\n[severity]\nU020 = "fatal"\nX1 = "info"\n'
    message = error_of(tmp_path / "usager.toml", text)
    lines = message.splitlines()
    assert lines[0] == f"{tmp_path / 'usager.toml'}: 6 problems:"
    assert lines[1].endswith(":1:10: select: expected an array of code prefixes, found a string")
    assert lines[2].endswith(":2:19: ignore[1]: expected a string, found a number")
    assert lines[3].endswith(":2:22: ignore[2]: 'U9' matches no rule code (a prefix such as 'U03' selects a group)")
    assert lines[4].endswith(":3:12: baseline: expected a path (a non-empty string), found a number")
    assert lines[5].endswith(":5:8: severity.U020: expected one of 'error', 'warning', 'info', found 'fatal'")
    assert lines[6].endswith(":6:1: severity.X1: 'X1' matches no rule code (a prefix such as 'U03' selects a group)")


def test_a_misspelt_code_and_severity_get_suggestions(tmp_path: Path) -> None:
    """A code one character off, and a severity misspelt, say what they likely mean."""
    message = error_of(tmp_path / "usager.toml", 'ignore = ["U0020"]\n')
    assert message.endswith("did you mean 'U020'?"), message
    message = error_of(tmp_path / "usager.toml", '[severity]\nU020 = "warn"\n')
    assert message.endswith("did you mean 'warning'?"), message


def test_per_file_ignores_values_are_checked(tmp_path: Path) -> None:
    """A per-file ignore that is no list, or names no rule, is an error at its place."""
    text = '[per-file-ignores]\n"a.json" = "U002"\n"b.json" = ["Z1"]\n'
    message = error_of(tmp_path / "usager.toml", text)
    assert ":2:12: per-file-ignores.'a.json': expected an array of code prefixes, found a string" in message
    assert ":3:13: per-file-ignores.'b.json'[0]: 'Z1' matches no rule code" in message


def test_a_file_that_is_not_toml_is_a_load_error_with_its_position(tmp_path: Path) -> None:
    """TOML's own syntax errors come with their line and column too."""
    message = error_of(tmp_path / "usager.toml", 'select = ["U0"\nignore = []\n')
    assert message.startswith(f"{tmp_path / 'usager.toml'}:2:")
    assert "not valid TOML" in message


# ---------------------------------------------------------------- the command line


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose configuration makes the lone brake an info and ignores U002 in drafts/."""
    text = '[tool.usager.severity]\nU020 = "info"\n[tool.usager.per-file-ignores]\n"drafts/*" = ["U002"]\n'
    write(tmp_path / "pyproject.toml", text)
    (tmp_path / "drafts").mkdir()
    usager.dump(broken(), tmp_path / "drafts" / "a.json")
    usager.dump(broken(), tmp_path / "b.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_cli_discovers_the_configuration_for_each_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each file is checked with the configuration found up from it, its per-file ignores included."""
    assert main(["check", "drafts/a.json"]) == 0
    out = capsys.readouterr().out
    assert "U020 info" in out
    assert "U002" not in out
    assert main(["check", "drafts/a.json", "b.json"]) == 1
    out = capsys.readouterr().out
    assert "b.json:149:5: U002 error" in out
    assert "drafts/a.json:149:5: U002" not in out


def test_isolated_reads_no_configuration(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--isolated checks with every rule as it says."""
    assert main(["check", "--isolated", "drafts/a.json"]) == 1
    out = capsys.readouterr().out
    assert "U002 error" in out
    assert "U020 warning" in out


def test_config_names_the_file_to_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--config reads that file for every checked file, whatever lies up their folders."""
    write(project / "strict.toml", '[severity]\nU0 = "error"\n')
    assert main(["check", "--config", "strict.toml", "drafts/a.json"]) == 1
    out = capsys.readouterr().out
    assert "U002 error" in out
    assert "U020 error" in out
    assert main(["check", "--config", "missing.toml", "b.json"]) == 2
    assert capsys.readouterr().err == "usager: error: missing.toml: no such configuration file\n"
    with pytest.raises(SystemExit):
        main(["check", "--config", "strict.toml", "--isolated", "b.json"])


def test_cli_options_come_on_top(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--select replaces the configuration's choice of rules; its severities and per-file ignores stay."""
    assert main(["check", "--select", "U02", "b.json"]) == 0
    out = capsys.readouterr().out
    assert "U020 info" in out
    assert "U002" not in out
    assert main(["check", "--ignore", "U020", "drafts/a.json"]) == 0
    assert "U0" not in capsys.readouterr().out


def test_a_bad_configuration_is_one_error_and_exit_2(project: Path) -> None:
    """In a real process: one 'usager: error:' line with the file, line and column; nothing is checked."""
    write(project / "pyproject.toml", '[tool.usager]\nslect = ["U0"]\n')
    result = subprocess.run(
        [sys.executable, "-m", "usager", "check", "b.json"], capture_output=True, text=True, cwd=project
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "usager: error: pyproject.toml:2:1: tool.usager.slect: unknown key 'slect'; "
        "the keys are select, ignore, extend-select, severity, per-file-ignores, exclude, baseline, rulesets; "
        "did you mean 'select'?"
    ]


# ---------------------------------------------------------------- the pytest plugin


def test_the_pytest_plugin_reads_the_configuration(pytester: pytest.Pytester) -> None:
    """Collected canvas files are checked with the project's configuration; the ini keys come on top."""
    folder = pytester.path / "canvases"
    folder.mkdir()
    usager.dump(broken(), folder / "broken.json")
    usager.dump(broken(), folder / "draft.json")
    write(pytester.path / "usager.toml", '[per-file-ignores]\n"canvases/draft.json" = ["U002"]\n')
    pytester.makeini("[pytest]\nusager_canvases = canvases/*.json\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1, failed=1)
    pytester.makeini("[pytest]\nusager_canvases = canvases/*.json\nusager_strict = true\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    write(pytester.path / "usager.toml", '[severity]\nU0 = "info"\n')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
    pytester.makeini("[pytest]\nusager_canvases = canvases/*.json\nusager_ignore = U002\n")
    write(pytester.path / "usager.toml", '[severity]\nU020 = "error"\n')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*U020 error*"])
    result.stdout.no_fnmatch_line("*U002*")


def test_the_usager_check_fixture_reads_the_configuration_of_a_path(pytester: pytest.Pytester) -> None:
    """Given a path, the fixture checks with the configuration that applies to it; config= gives another."""
    (pytester.path / "canvases").mkdir()
    usager.dump(broken(), pytester.path / "canvases" / "draft.json")
    write(pytester.path / "usager.toml", '[per-file-ignores]\n"canvases/draft.json" = ["U002"]\n')
    pytester.makepyfile(
        """
        import usager

        def test_configured(usager_check):
            usager_check("canvases/draft.json")

        def test_configured_strict(usager_check):
            usager_check("canvases/draft.json", strict=True)

        def test_none(usager_check):
            usager_check("canvases/draft.json", config=usager.Config())

        def test_a_canvas_object(usager_check):
            usager_check(usager.load("canvases/draft.json"))
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(["*_ test_configured_strict _*", "*U020 warning*", "*_ test_none _*", "*U002 error*"])


def test_the_pytest_plugin_fails_a_file_on_a_bad_configuration(pytester: pytest.Pytester) -> None:
    """A configuration the plugin cannot read fails the canvas file, with where it is wrong."""
    (pytester.path / "canvases").mkdir()
    usager.dump(complete(), pytester.path / "canvases" / "clean.json")
    write(pytester.path / "usager.toml", 'ignore = "U0"\n')
    result = pytester.runpytest("--usager-canvases", "canvases/*.json", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*cannot read the configuration:*usager.toml:1:10: ignore: expected an array*"])


def test_the_pytest_plugin_leaves_out_what_the_baseline_lists(pytester: pytest.Pytester) -> None:
    """The configuration's baseline hides today's findings from the collected canvases too; a new one fails."""
    folder = pytester.path / "canvases"
    folder.mkdir()
    usager.dump(broken(), folder / "broken.json")
    pytester.makeini("[pytest]\nusager_canvases = canvases/*.json\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(failed=1)
    baseline = pytester.path / "ci" / "baseline.json"
    baseline.parent.mkdir()
    assert main(["check", "--isolated", str(folder / "broken.json"), "--write-baseline", str(baseline)]) == 0
    write(pytester.path / "usager.toml", 'baseline = "ci/baseline.json"\n')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    worse = broken().add(Brake(id="more", label="More", stage="nowhere-else"))
    usager.dump(worse, folder / "broken.json")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*U002*more*"])
    write(pytester.path / "ci" / "baseline.json", "{")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*cannot read the baseline*"])
