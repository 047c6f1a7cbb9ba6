from __future__ import annotations

import pytest

import usager
from usager import Brake
from usager.examples import complete

pytest_plugins = ["pytester"]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with a clean, a broken and an incomplete canvas."""
    folder = pytester.path / "canvases"
    folder.mkdir()
    usager.dump(complete(), folder / "clean.json")
    usager.dump(complete().add(Brake(id="lost", label="Lost", stage="ghost")), folder / "broken.json")
    usager.dump(usager.Canvas.standard("Bare"), folder / "bare.csv")
    return pytester


def test_canvas_files_become_test_items(project: pytest.Pytester) -> None:
    """--usager-canvases collects one item per file; a broken canvas fails with its findings."""
    result = project.runpytest("--usager-canvases", "canvases/*.json", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*U002 error: brake 'lost' (Lost) names 'ghost' in stage, but no element has that id*"]
    )


def test_one_line_of_configuration_is_enough(project: pytest.Pytester) -> None:
    """The usager_canvases ini key does the same, and usager_strict fails on warnings."""
    project.makeini("[pytest]\nusager_canvases =\n    canvases/*.json\n    canvases/*.csv\n")
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2, failed=1)
    project.makeini("[pytest]\nusager_canvases = canvases/*.csv\nusager_strict = true\n")
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*U030 warning*"])


def test_a_malformed_canvas_file_fails_with_where(project: pytest.Pytester) -> None:
    """A file that cannot be read fails with the LoadError's location."""
    (project.path / "canvases" / "broken.json").write_text('{"format": "usager/1", "name": null}')
    result = project.runpytest("--usager-canvases", "canvases/broken.json", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*cannot read the canvas:*$.name: expected a string, found null*"])


def test_a_glob_matching_nothing_is_a_usage_error(project: pytest.Pytester) -> None:
    """A typo in the glob is reported rather than silently checking nothing."""
    result = project.runpytest("--usager-canvases", "canvas/*.json", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*usager: no canvas file matches 'canvas/*.json'*"])


def test_the_usager_check_fixture(project: pytest.Pytester) -> None:
    """The fixture fails a test with the findings, and returns the canvas when it passes."""
    project.makepyfile(
        """
        def test_clean(usager_check):
            assert usager_check("canvases/clean.json").name == "Repair café"

        def test_broken(usager_check):
            usager_check("canvases/broken.json")

        def test_strict(usager_check):
            usager_check("canvases/bare.csv", strict=True)
        """
    )
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*U002 error: brake 'lost'*", "*U030 warning*"])


APP_TESTS = """
def test_x():
    pass

def test_y():
    pass
"""


@pytest.fixture
def app(project: pytest.Pytester) -> pytest.Pytester:
    """The project with its own tests under tests/ (the testpaths) and canvases configured."""
    tests = project.path / "tests"
    tests.mkdir()
    (tests / "test_app.py").write_text(APP_TESTS)
    project.makeini("[pytest]\ntestpaths = tests\nusager_canvases =\n    canvases/*.json\n    canvases/*.csv\n")
    return project


def test_a_plain_run_collects_the_canvases_beside_the_testpaths(app: pytest.Pytester) -> None:
    """With no path given, the test paths and the canvas files are all run."""
    app.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=4, failed=1)


def test_an_explicit_test_runs_only_that_test(app: pytest.Pytester) -> None:
    """pytest tests/test_app.py::test_x runs test_x alone, no canvas item."""
    result = app.runpytest("tests/test_app.py::test_x", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_collect_only_counts_every_item_it_lists(app: pytest.Pytester) -> None:
    """--co lists five items and says five were collected."""
    result = app.runpytest("--co", "-q", "-p", "no:cacheprovider")
    ids = [line for line in result.stdout.lines if "::" in line]
    assert len(ids) == 5
    result.stdout.fnmatch_lines(["5 tests collected*"])


def test_node_ids_can_be_given_back_to_pytest(app: pytest.Pytester) -> None:
    """Each canvas item's node id, as --co prints it, re-runs that file alone."""
    listed = app.runpytest("--co", "-q", "-p", "no:cacheprovider").stdout.lines
    node_id = next(line for line in listed if line.startswith("canvases/broken.json::"))
    assert node_id == "canvases/broken.json::usager-check"
    result = app.runpytest(node_id, "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)


def test_the_short_summary_shows_the_first_finding(app: pytest.Pytester) -> None:
    """The FAILED line of the short summary carries the first failing finding."""
    result = app.runpytest("-ra", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["FAILED canvases/broken.json::usager-check - U002 error: brake 'lost' (Lost)*"])


def test_strict_except_some_rules(project: pytest.Pytester) -> None:
    """usager_strict with usager_ignore: warnings fail, except the rules ignored."""
    project.makeini("[pytest]\nusager_canvases = canvases/bare.csv\nusager_strict = true\n")
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(failed=1)
    project.makeini(
        "[pytest]\nusager_canvases = canvases/bare.csv\nusager_strict = true\nusager_ignore =\n    U030\n    U060\n"
    )
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_select_checks_only_some_rules(project: pytest.Pytester) -> None:
    """usager_select narrows the rules: the broken canvas passes when only U01x rules run."""
    project.makeini("[pytest]\nusager_canvases = canvases/broken.json\nusager_select = U01\n")
    project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_bad_selector_is_a_usage_error(project: pytest.Pytester) -> None:
    """A selector that names no rule stops the run with a usage error."""
    project.makeini("[pytest]\nusager_canvases = canvases/clean.json\nusager_ignore = X999\n")
    result = project.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
