"""The consistency rules, as data: a registry of small functions.

Each rule has a stable code (``U001``...), a severity, a one-line summary, an
explanation, and two example canvases, one that trips it and one that does
not. :func:`usager.check` runs them; the docs are generated from them.
Codes are grouped by range: ``U00x`` identity and references, ``U01x`` the
cycle's stages, ``U02x`` brakes and facilitators, ``U03x`` the backstage,
``U04x`` people, ``U05x`` contributions, ``U06x`` the emotion curve and metrics.
"""

from __future__ import annotations

# Importing each rule module registers its rules.
from usager.rules import backstage, contributions, lanes, measures, people, references, stages  # noqa: F401
from usager.rules._registry import RULES, Context, Rule, RuleFunction, Witness, rule

__all__ = ["RULES", "Context", "Rule", "RuleFunction", "Witness", "all_rules", "rule"]


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in code order."""
    return tuple(RULES[code] for code in sorted(RULES))
