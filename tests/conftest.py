from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from usager import exporters

from .plugins import BROKEN, MERMAID, pip_install

pytest_plugins = ["pytester"]

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=100, derandomize=True)
# The other supported Pythons run the suite again with fewer examples (USAGER_HYPOTHESIS=quick).
settings.register_profile("quick", parent=settings.get_profile("ci"), max_examples=10)
settings.load_profile(os.environ.get("USAGER_HYPOTHESIS") or ("ci" if os.environ.get("CI") else "default"))


@pytest.fixture(scope="session")
def mermaid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the example Mermaid plugin, installed by pip."""
    return pip_install(MERMAID, tmp_path_factory.mktemp("mermaid-site"))


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the deliberately broken plugin distribution, installed by pip."""
    return pip_install(BROKEN, tmp_path_factory.mktemp("broken-site"))


def _activate(monkeypatch: pytest.MonkeyPatch, *sites: Path) -> None:
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
