"""How thoroughly the suite runs, chosen by ``USAGER_TESTS``: the Hypothesis profile and the slow tests.

- ``thorough`` (what ``.ci/run`` sets): every property test draws its full number of examples,
  derandomized, and the tests marked ``slow`` run too. In CI (``CI`` set) the tests that need an
  external program (Graphviz, LibreOffice, Chromium, Mermaid) fail without it, where elsewhere
  they skip.
- unset, or ``default`` (the README's test line): a fifth of the examples, and the ``slow``
  tests are skipped, so the whole suite runs in about three minutes on two cores.
- ``quick``: a tenth of the examples, no slow tests: the other Pythons in CI.

``USAGER_HYPOTHESIS`` (``default``, ``thorough``, ``quick``; ``ci`` is the former name of
``thorough``) still names the Hypothesis profile alone, and wins for it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["PROFILE", "SLOW", "examples"]

#: The fraction of each property test's thorough number of examples that a profile draws.
_PROFILES = {"default": 0.2, "thorough": 1.0, "ci": 1.0, "quick": 0.1}


def _named(variable: str, default: str) -> str:
    name = os.environ.get(variable, "").strip().lower() or default
    if name not in _PROFILES:
        raise RuntimeError(f"{variable}={name!r}: expected one of {', '.join(_PROFILES)}")
    return name


_TESTS = _named("USAGER_TESTS", "default")
#: The tests marked ``slow`` run (``USAGER_TESTS=thorough``).
SLOW = _TESTS in ("thorough", "ci")


#: The Hypothesis profile in force.
PROFILE = _named("USAGER_HYPOTHESIS", _TESTS)


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
