"""The consistency rules, as data: a registry of small functions.

Each rule has a stable code (``U001``...), a severity, a one-line summary, an
explanation, and two example canvases, one that trips it and one that does
not. :func:`usager.check` runs them; the docs are generated from them.
Codes are grouped by range: ``U00x`` identity and references, ``U01x`` the
cycle's stages, ``U02x`` brakes and facilitators, ``U03x`` the backstage,
``U04x`` people, ``U05x`` contributions, ``U06x`` the emotion curve and metrics.

Rules of one's own come through the ``usager.rules`` entry-point group: each
entry point gives a :class:`Rule` (an instance, or a function of no argument
returning one). Their codes match ``[A-Z][A-Z0-9]{0,3}[0-9]{3}`` and do not
start with ``U``, which is reserved for usager's own. An entry point that fails
to load, gives something else, or takes a code already taken is reported with
a :class:`~usager.errors.RuleWarning` naming it and its distribution, and
every other rule keeps working; so is a rule that raises during a check
(:func:`findings_of`). Set ``USAGER_DISABLE_PLUGINS=1`` to run usager's own
rules only.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from typing import TYPE_CHECKING

import attrs

from usager.errors import RuleWarning, escaped
from usager.findings import Finding

# Importing each rule module registers its rules.
from usager.rules import backstage, contributions, lanes, measures, people, references, stages  # noqa: F401
from usager.rules._registry import (
    DECLARED_RULES,
    PLUGIN_RULES,
    RULES,
    Context,
    Rule,
    RuleFunction,
    Witness,
    changed,
    rule,
)

if TYPE_CHECKING:
    from importlib import metadata

__all__ = [
    "CODE_PATTERN",
    "DECLARED_RULES",
    "DISABLE_PLUGINS_ENV",
    "GROUP",
    "RULES",
    "Context",
    "Rule",
    "RuleFunction",
    "RuleInfo",
    "Witness",
    "all_rules",
    "changed",
    "findings_of",
    "infos",
    "origin",
    "refresh",
    "rule",
    "set_origin",
]

#: The entry-point group rules of one's own are registered in.
GROUP = "usager.rules"
#: Set this environment variable to ``1`` to ignore third-party rules (and exporters).
DISABLE_PLUGINS_ENV = "USAGER_DISABLE_PLUGINS"
#: What a third-party rule's code looks like; it must not start with ``U`` besides.
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9]{0,3}[0-9]{3}")
#: How many characters of what a plugin says a message repeats.
_SAID_CHARACTERS = 300


@attrs.frozen
class RuleInfo:
    """What the registry knows of one rule entry point.

    ``name`` and ``target`` are the entry point's name and ``module:attribute``,
    ``distribution`` the distribution that registered it, ``code`` the code of the
    rule it gives (once loaded), and ``error`` why it cannot be used, if it cannot.
    """

    name: str
    target: str
    distribution: str | None
    code: str | None = None
    error: str | None = None


@attrs.frozen
class _Plugins:
    key: tuple[bool, tuple[str, ...]]
    rules: dict[str, tuple[Rule, RuleInfo]]
    infos: tuple[RuleInfo, ...]


_plugins: _Plugins | None = None


def _off() -> bool:
    return os.environ.get(DISABLE_PLUGINS_ENV, "").strip() not in ("", "0")


def _said(exc: BaseException) -> str:
    name = escaped(type(exc).__name__, _SAID_CHARACTERS)
    try:
        text = str(exc)
    except Exception:  # its own __str__ fails: say so, rather than fail in turn
        return f"{name} (whose message cannot be shown: its __str__ fails)"
    return f"{name}: {escaped(text, _SAID_CHARACTERS)}" if text else name


def _warn(info: RuleInfo, problem: str) -> None:
    warnings.warn(
        f"usager rule entry point '{info.name} = {info.target}' from distribution "
        f"{info.distribution or '(unknown)'!r} {problem}; the other rules keep working",
        RuleWarning,
        stacklevel=4,
    )


def _problem_with(obj: object) -> str | None:
    if not isinstance(obj, Rule):
        return f"gives {escaped(type(obj).__name__, _SAID_CHARACTERS)}, not a usager.Rule"
    code = obj.code
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        return (
            f"gives a rule coded {escaped(repr(code), _SAID_CHARACTERS)}; a code matches [A-Z][A-Z0-9]{{0,3}}[0-9]{{3}}"
        )
    if code.startswith("U"):
        return f"gives a rule coded {code!r}; codes starting with 'U' are reserved for usager's own rules"
    return None


def _load(ep: metadata.EntryPoint) -> tuple[Rule | None, RuleInfo]:
    dist = getattr(ep, "dist", None)
    info = RuleInfo(ep.name, ep.value, None if dist is None else str(dist.metadata["Name"]))
    try:
        obj = ep.load()
        if callable(obj) and not isinstance(obj, Rule):
            obj = obj()
    except (Exception, SystemExit) as exc:  # a plugin may fail in any way; it must not break the others
        problem: str | None = f"failed to load: {_said(exc)}"
    else:
        problem = _problem_with(obj)
    if problem is not None:
        info = attrs.evolve(info, error=problem)
        _warn(info, problem)
        return None, info
    assert isinstance(obj, Rule)
    return obj, attrs.evolve(info, code=obj.code)


def _scan() -> _Plugins:
    key = (_off(), tuple(sys.path))
    if key[0]:
        return _Plugins(key, {}, ())
    from importlib import metadata  # imported here: it costs more than the rest of usager's import

    loaded = [_load(ep) for ep in metadata.entry_points(group=GROUP)]
    found: dict[str, tuple[Rule, RuleInfo]] = {}
    infos: list[RuleInfo] = []
    # Deterministic clash rule: usager's own rules win, then the first by (distribution, target).
    for obj, info in sorted(loaded, key=lambda p: (p[1].distribution or "", p[1].target, p[1].name)):
        if obj is not None:
            holder = "usager" if obj.code in RULES else None
            if obj.code in found:
                other = found[obj.code][1]
                holder = f"'{other.target}' from {other.distribution or '(unknown)'!r}"
            if holder is not None:
                problem = f"was ignored: the code {obj.code!r} is already taken by {holder}"
                info = attrs.evolve(info, error=problem)
                _warn(info, problem)
            else:
                found[obj.code] = (obj, info)
        infos.append(info)
    return _Plugins(key, dict(sorted(found.items())), tuple(infos))


def _registry() -> _Plugins:
    global _plugins
    if _plugins is None or _plugins.key != (_off(), tuple(sys.path)):
        _plugins = _scan()
        PLUGIN_RULES.clear()
        PLUGIN_RULES.update((code, r) for code, (r, _) in _plugins.rules.items())
    return _plugins


def refresh() -> None:
    """Forget the cached scan of the ``usager.rules`` entry points; the next use scans again."""
    global _plugins
    _plugins = None


def all_rules(*, plugins: bool = True) -> tuple[Rule, ...]:
    """Every rule, in code order: usager's own and, unless ``plugins`` is false, the third-party ones."""
    rules = dict(RULES)
    if plugins:
        rules.update((code, r) for code, (r, _) in _registry().rules.items())
    return tuple(rules[code] for code in sorted(rules))


def infos() -> tuple[RuleInfo, ...]:
    """Every ``usager.rules`` entry point found; those that cannot be used carry ``error``."""
    return _registry().infos


def _info(rule: Rule) -> RuleInfo | None:
    if RULES.get(rule.code) is rule:
        return None
    held = _registry().rules.get(rule.code)
    if held is not None and held[0] is rule:
        return held[1]
    return RuleInfo(rule.code, "?", None, rule.code)


#: The rules of declarative rulesets, by identity, with the path of their file.
_ORIGINS: dict[int, tuple[Rule, str]] = {}


def set_origin(rule: Rule, origin: str) -> None:
    """Note that ``rule`` comes from ``origin``, a ruleset's path, for :func:`origin` to say."""
    _ORIGINS[id(rule)] = (rule, origin)
    DECLARED_RULES[rule.code] = rule


def origin(rule: Rule) -> str:
    """Where ``rule`` comes from: ``usager``, the name of the distribution that registered it, or a ruleset's path."""
    declared = _ORIGINS.get(id(rule))
    if declared is not None and declared[0] is rule:
        return declared[1]
    info = _info(rule)
    return "usager" if info is None else info.distribution or "(unknown)"


def findings_of(rule: Rule, context: Context) -> list[Finding]:
    """``rule.findings(context)``; for a third-party rule that raises, a :class:`RuleWarning` and no finding."""
    info = _info(rule)
    if info is None:
        return rule.findings(context)
    try:
        return list(rule.findings(context))
    except (Exception, SystemExit) as exc:  # a plugin may fail in any way; it must not break the others
        declared = _ORIGINS.get(id(rule))
        if declared is not None and declared[0] is rule:
            warnings.warn(
                f"usager rule {rule.code} of the ruleset {declared[1]} failed during the check: {_said(exc)}; "
                "the other rules keep working",
                RuleWarning,
                stacklevel=3,
            )
        else:
            _warn(info, f"failed during the check: {_said(exc)}")
        return []
