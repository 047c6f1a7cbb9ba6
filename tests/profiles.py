"""How thoroughly the suite runs: the Hypothesis profile and the slow tests, chosen by the environment.

- ``USAGER_TESTS=thorough`` (what ``.ci/run`` sets): every property test draws its full number of
  examples, derandomized, and the tests marked ``slow`` run too. In CI (``CI`` set) the tests
  that need an external program (Graphviz, LibreOffice, Chromium, Mermaid) fail without it.
- unset (the README's test line): about a fifth of the examples, and the ``slow`` tests are
  skipped, so the whole suite runs in about three minutes on two cores.
- ``USAGER_HYPOTHESIS=quick``: a tenth of the examples, for a second Python in CI.

``USAGER_HYPOTHESIS`` names the Hypothesis profile alone (``default``, ``thorough``, ``quick``;
``ci`` is the former name of ``thorough``) and wins over ``USAGER_TESTS`` for it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["PROFILE", "SLOW", "examples"]

#: Every slow test runs (``USAGER_TESTS=thorough``).
SLOW = os.environ.get("USAGER_TESTS", "").strip().lower() == "thorough"

_PROFILES = {"default": 0.2, "thorough": 1.0, "ci": 1.0, "quick": 0.1}


def _profile() -> str:
    name = os.environ.get("USAGER_HYPOTHESIS", "").strip().lower() or ("thorough" if SLOW else "default")
    if name not in _PROFILES:
        raise RuntimeError(f"USAGER_HYPOTHESIS={name!r}: expected one of {', '.join(_PROFILES)}")
    return name


#: The Hypothesis profile in force.
PROFILE = _profile()


def examples(thorough: int) -> int:
    """The number of examples a property test draws that draws ``thorough`` of them in the thorough profile."""
    return max(min(thorough, 5), round(thorough * _PROFILES[PROFILE]))


settings.register_profile(
    "thorough",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    max_examples=100,
    derandomize=True,
)
settings.register_profile("ci", parent=settings.get_profile("thorough"))
settings.register_profile("default", parent=settings.get_profile("thorough"), max_examples=examples(100))
settings.register_profile("quick", parent=settings.get_profile("thorough"), max_examples=examples(100))
settings.load_profile(PROFILE)
