from __future__ import annotations

import pytest

import usager
from usager import Brake
from usager.rules._base import complete

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
            assert usager_check("canvases/clean.json").name == "Bike repair cafe"

        def test_broken(usager_check):
            usager_check("canvases/broken.json")

        def test_strict(usager_check):
            usager_check("canvases/bare.csv", strict=True)
        """
    )
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*U002 error: brake 'lost'*", "*U030 warning*"])
