"""The usager pytest plugin, registered through ``pytest11``: guard canvas files in CI.

- The ``usager_check`` fixture: ``usager_check(canvas_or_path, strict=False)`` fails the test
  with every finding listed when the canvas has errors (or warnings, with ``strict``).
- Canvas files as test items, one per file: ``pytest --usager-canvases 'canvases/*.json'``,
  or in the configuration, once for all::

      [tool.pytest.ini_options]
      usager_canvases = ["canvases/*.json", "canvases/*.csv"]
      usager_strict = true

  Each file fails with its findings (rule code, severity, message) or with the
  :class:`~usager.errors.LoadError` that says where it is malformed.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from usager._check import check
from usager._io import load
from usager.canvas import Canvas
from usager.errors import LoadError
from usager.findings import Severity
from usager.testing import assert_consistent, format_findings

__all__ = ["CanvasFile", "CanvasItem", "usager_check"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--usager-canvases``, ``--usager-strict`` and their configuration keys."""
    group = parser.getgroup("usager", "check user engagement canvases")
    group.addoption(
        "--usager-canvases",
        action="append",
        default=[],
        metavar="GLOB",
        help="collect the canvas files matching GLOB (relative to the root folder) as tests; repeatable",
    )
    group.addoption("--usager-strict", action="store_true", default=None, help="canvas files fail on warnings too")
    parser.addini("usager_canvases", type="linelist", default=[], help="globs of canvas files to collect as tests")
    parser.addini("usager_strict", type="bool", default=False, help="canvas files fail on warnings too")


class CanvasCheckFailure(Exception):
    """A canvas file has findings that fail it, or cannot be read."""


class CanvasItem(pytest.Item):
    """One canvas file, checked."""

    def __init__(self, *, strict: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.strict = strict

    def runtest(self) -> None:
        """Load and check the file."""
        try:
            canvas = load(self.path)
        except (LoadError, OSError) as exc:
            raise CanvasCheckFailure(f"cannot read the canvas: {exc}") from None
        failing = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        findings = check(canvas)
        if any(f.severity in failing for f in findings):
            raise CanvasCheckFailure(f"canvas {canvas.name!r}:\n{format_findings(findings)}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The findings, or the load error, without a traceback."""
        if isinstance(excinfo.value, CanvasCheckFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the item comes from."""
        return self.path, None, f"usager check {self.path.name}"


class CanvasFile(pytest.File):
    """A canvas file, collected as one :class:`CanvasItem`."""

    strict: bool = False

    def collect(self) -> Iterator[CanvasItem]:
        """The one item."""
        yield CanvasItem.from_parent(self, name="usager-check", strict=self.strict)


def _globs(config: pytest.Config) -> list[str]:
    return list(config.getoption("usager_canvases") or []) + list(config.getini("usager_canvases"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add one item per canvas file matching the configured globs."""
    globs = _globs(config)
    if not globs:
        return
    strict_option = config.getoption("usager_strict")
    strict = bool(config.getini("usager_strict")) if strict_option is None else bool(strict_option)
    root = Path(config.rootpath)
    seen: set[Path] = set()
    for pattern in globs:
        matches = sorted(Path(p).resolve() for p in glob.glob(os.path.join(root, pattern), recursive=True))
        if not matches:
            raise pytest.UsageError(f"usager: no canvas file matches {pattern!r} (relative to {root})")
        for path in matches:
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            node = CanvasFile.from_parent(session, path=path)
            node.strict = strict
            items.extend(node.collect())


@pytest.fixture
def usager_check() -> Callable[..., Canvas]:
    """A checker: ``usager_check(canvas_or_path, strict=False, select=None, ignore=None)``.

    It fails the test with every finding listed when the canvas has error findings (or
    warning ones, with ``strict=True``), and returns the canvas otherwise.
    """

    def checker(canvas: Canvas | str | os.PathLike[str], strict: bool = False, **selection: Any) -> Canvas:
        if not isinstance(canvas, Canvas):
            canvas = load(canvas)
        __tracebackhide__ = True
        try:
            assert_consistent(canvas, strict, **selection)
        except AssertionError as exc:
            pytest.fail(str(exc), pytrace=False)
        return canvas

    return checker
