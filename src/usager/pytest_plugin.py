"""The usager pytest plugin, registered through ``pytest11``: guard canvas files in CI.

- The ``usager_check`` fixture: ``usager_check(canvas_or_path, strict=False)`` fails the test
  with every finding listed when the canvas has errors (or warnings, with ``strict``).
- Canvas files as test items, one per file: ``pytest --usager-canvases 'canvases/*.json'``,
  or in the configuration, once for all::

      [tool.pytest.ini_options]
      usager_canvases = ["canvases/*.json", "canvases/*.csv"]
      usager_strict = true
      usager_ignore = ["U030"]

  Each file fails with its findings (rule code, severity, message) or with the
  :class:`~usager.errors.LoadError` that says where it is malformed.

  Each file is checked with the project's configuration, as ``usager check`` does
  (``[tool.usager]`` in ``pyproject.toml`` or a ``usager.toml``, the nearest one up from the
  file): its rules, severities and per-file ignores. The ini keys and options come on top:
  ``usager_select`` replaces its choice of rules and ``usager_ignore`` adds to it.

Canvas files are collected like test files: a plain ``pytest`` run (no path given) collects
them beside the test paths, while ``pytest tests/test_app.py::test_x`` runs only that test.
Each item's node id (``canvases/library.json::usager-check``) can be given back to pytest to
run that file alone, and ``--collect-only`` counts them with the other tests.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from usager._baseline import Baseline
from usager._check import check
from usager._config import Config, find
from usager._io import load
from usager.canvas import Canvas
from usager.errors import LoadError, UsagerError
from usager.findings import Finding, Severity
from usager.testing import assert_consistent, format_findings

__all__ = ["CanvasFile", "CanvasItem", "usager_check"]

#: The name of the one item each canvas file gives.
ITEM_NAME = "usager-check"
#: Where the plugin keeps the canvas files the globs match, on the config's stash.
_FILES = pytest.StashKey[frozenset[Path]]()
#: The usager configurations read in the run, by file (None: no file applies), on the config's stash.
_CONFIGS = pytest.StashKey[dict[Path | None, Config]]()
#: The baselines read in the run, by file, on the config's stash.
_BASELINES = pytest.StashKey[dict[Path, Baseline]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--usager-canvases``, ``--usager-strict``, ``--usager-select``, ``--usager-ignore`` and their ini keys."""
    group = parser.getgroup("usager", "check user engagement canvases")
    group.addoption(
        "--usager-canvases",
        action="append",
        default=[],
        metavar="GLOB",
        help="collect the canvas files matching GLOB (relative to the root folder) as tests; repeatable",
    )
    group.addoption("--usager-strict", action="store_true", default=None, help="canvas files fail on warnings too")
    group.addoption(
        "--usager-select", action="append", default=[], metavar="CODES", help="check canvas files with these rules only"
    )
    group.addoption(
        "--usager-ignore", action="append", default=[], metavar="CODES", help="check canvas files without these rules"
    )
    parser.addini("usager_canvases", type="linelist", default=[], help="globs of canvas files to collect as tests")
    parser.addini("usager_strict", type="bool", default=False, help="canvas files fail on warnings too")
    parser.addini(
        "usager_select", type="linelist", default=[], help="rule codes or prefixes canvas files are checked with"
    )
    parser.addini("usager_ignore", type="linelist", default=[], help="rule codes or prefixes canvas files skip")


def _codes(values: Iterable[str]) -> list[str] | None:
    codes = [code.strip() for value in values for code in value.split(",") if code.strip()]
    return codes or None


def _selection(config: pytest.Config, which: str) -> list[str] | None:
    """The rule codes of ``usager_select`` or ``usager_ignore``, from the ini file and the command line."""
    return _codes([*config.getini(f"usager_{which}"), *config.getoption(f"usager_{which}")])


def _globs(config: pytest.Config) -> list[str]:
    return list(config.getoption("usager_canvases") or []) + list(config.getini("usager_canvases"))


def _matches(config: pytest.Config) -> frozenset[Path]:
    """Every canvas file the globs match; a glob that matches nothing is a usage error."""
    root = Path(config.rootpath)
    found: set[Path] = set()
    for pattern in _globs(config):
        matches = [Path(p).resolve() for p in glob.glob(os.path.join(root, pattern), recursive=True)]
        if not matches:
            raise pytest.UsageError(f"usager: no canvas file matches {pattern!r} (relative to {root})")
        found.update(p for p in matches if p.is_file())
    return frozenset(found)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Find the canvas files; when no path is given on the command line, collect them too."""
    if config.getoption("help", False):
        return
    files = _matches(config)
    config.stash[_FILES] = files
    if files:
        try:  # a selector naming no rule is a typo in the configuration: say so before running
            check(Canvas(name="-"), select=_selection(config, "select"), ignore=_selection(config, "ignore"))
        except UsagerError as exc:
            raise pytest.UsageError(f"usager: {exc}") from None
    if not files or config.args_source is pytest.Config.ArgsSource.ARGS:
        return  # paths were given: collect only what they name (a canvas file among them included)
    config.args = [*config.args, *sorted(str(p) for p in files)]  # pytest drops overlaps


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CanvasFile | None:
    """A canvas file the globs match becomes a :class:`CanvasFile`."""
    files = parent.config.stash.get(_FILES, frozenset())
    if files and file_path.resolve() in files:
        return CanvasFile.from_parent(parent, path=file_path)
    return None


def _configuration(config: pytest.Config, path: Path) -> Config:
    """The usager configuration that applies to the canvas file at ``path``: each file read once in a run."""
    found = find(path)
    loaded = config.stash.setdefault(_CONFIGS, {})
    if found not in loaded:
        loaded[found] = Config() if found is None else Config.load(found)
    return loaded[found]


def _baseline(config: pytest.Config, path: Path) -> Baseline:
    """The baseline file at ``path``, read once in a run."""
    loaded = config.stash.setdefault(_BASELINES, {})
    if path not in loaded:
        loaded[path] = Baseline.load(path)
    return loaded[path]


class CanvasCheckFailure(Exception):
    """A canvas file has findings that fail it, or cannot be read."""


def _failure(canvas: Canvas, failing: list[Finding], findings: list[Finding]) -> str:
    """The first failing finding on the first line (pytest's short summary shows it), then all of them."""
    more = len(failing) - 1
    first = f"{failing[0]}" + (f" (and {more} more)" if more else "")
    return f"{first}\ncanvas {canvas.name!r}:\n{format_findings(findings)}"


class CanvasItem(pytest.Item):
    """One canvas file, checked."""

    def __init__(
        self,
        *,
        strict: bool = False,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.strict = strict
        self.select = select
        self.ignore = ignore

    def runtest(self) -> None:
        """Load and check the file."""
        try:
            canvas = load(self.path)
        except (LoadError, OSError) as exc:
            raise CanvasCheckFailure(f"cannot read the canvas: {exc}") from None
        try:
            config = _configuration(self.config, self.path)
        except (LoadError, OSError) as exc:
            raise CanvasCheckFailure(f"cannot read the configuration: {exc}") from None
        failing = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        findings = check(canvas, select=self.select, ignore=self.ignore, config=config, path=self.path)
        if config.baseline is not None:  # the findings the project accepts for now, as usager check leaves them out
            try:
                baseline = _baseline(self.config, config.baseline)
            except (LoadError, OSError) as exc:
                raise CanvasCheckFailure(f"cannot read the baseline: {exc}") from None
            findings = baseline.filter(findings, self.path)
        bad = [f for f in findings if f.severity in failing]
        if bad:
            raise CanvasCheckFailure(_failure(canvas, bad, findings))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The findings, or the load error, without a traceback."""
        if isinstance(excinfo.value, CanvasCheckFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the item comes from."""
        return self.path, None, f"usager check {self.path.name}"


class CanvasFile(pytest.File):
    """A canvas file, collected as one :class:`CanvasItem`, checked as the configuration says."""

    def collect(self) -> Iterator[CanvasItem]:
        """The one item."""
        config = self.config
        strict_option = config.getoption("usager_strict")
        strict = bool(config.getini("usager_strict")) if strict_option is None else bool(strict_option)
        select, ignore = _selection(config, "select"), _selection(config, "ignore")
        yield CanvasItem.from_parent(self, name=ITEM_NAME, strict=strict, select=select, ignore=ignore)


@pytest.fixture
def usager_check() -> Callable[..., Canvas]:
    """A checker: ``usager_check(canvas_or_path, strict=False, select=None, ignore=None, config=None)``.

    It fails the test with every finding listed when the canvas has error findings (or
    warning ones, with ``strict=True``), and returns the canvas otherwise. A canvas given by
    its path is checked with the project's configuration that applies to that file, unless
    ``config`` gives one (a :class:`usager.Config`).
    """

    def checker(canvas: Canvas | str | os.PathLike[str], strict: bool = False, **selection: Any) -> Canvas:
        if not isinstance(canvas, Canvas):
            if selection.get("config") is None:
                selection["config"] = Config.discover(canvas)
            selection.setdefault("path", canvas)
            canvas = load(canvas)
        __tracebackhide__ = True
        try:
            assert_consistent(canvas, strict, **selection)
        except AssertionError as exc:
            pytest.fail(str(exc), pytrace=False)
        return canvas

    return checker
