"""A project's configuration: :class:`Config`, read from ``pyproject.toml`` or ``usager.toml``.

The keys (kebab-case, as ruff's) are read from the ``[tool.usager]`` table of a
``pyproject.toml``, or from the top level of a ``usager.toml`` (any other file name given to
:meth:`Config.load` is read as a ``usager.toml``). :meth:`Config.discover` walks up from a
checked file to the root of the file system and takes the nearest folder holding a
``usager.toml``, or a ``pyproject.toml`` with a ``[tool.usager]`` table; in one folder,
``usager.toml`` wins.

An unknown key or a bad value is a :class:`~usager.errors.LoadError` naming the file and the
line and column of the key (or of the value), with a suggestion for a misspelt key.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from usager._suggest import closest, did_you_mean
from usager.errors import LoadError, Problem, escaped, shown
from usager.exporters.toml import _locator, _syntax_problem
from usager.findings import Severity
from usager.rules import all_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

__all__ = ["CONFIG_FILES", "Config"]

#: The files :meth:`Config.discover` looks for in each folder, the one that wins first.
CONFIG_FILES = ("usager.toml", "pyproject.toml")

_KEYS = ("select", "ignore", "extend-select", "severity", "per-file-ignores", "exclude", "baseline", "rulesets")
_SEVERITIES = tuple(s.value for s in Severity)


def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over a POSIX relative path: ``**`` spans folders, ``*`` and ``?`` do not."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            parts.append(".*")
            i += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            inside = pattern[i + 1 : end]
            parts.append("[" + ("^" + inside[1:] if inside.startswith("!") else inside).replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        else:
            parts.append(re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def _matches(pattern: str, relative: str) -> bool:
    """Whether the glob ``pattern`` matches the POSIX ``relative`` path (a pattern without ``/``: or its name)."""
    regex = _glob(pattern.rstrip("/"))
    if regex.fullmatch(relative):
        return True
    if "/" not in pattern:
        return bool(regex.fullmatch(PurePosixPath(relative).name))
    # a folder's pattern matches the files under it
    return any(regex.fullmatch(str(parent)) for parent in PurePosixPath(relative).parents if str(parent) != ".")


def _prefixes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in ([value] if isinstance(value, str) else value))


def _severities(value: Mapping[str, Severity | str]) -> dict[str, Severity]:
    return {code.strip().upper(): Severity(level) for code, level in value.items()}


def _ignores(value: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, ...]]:
    return {glob: _prefixes(codes) for glob, codes in value.items()}


@attrs.frozen(kw_only=True)
class Config:
    """A project's configuration of the checks: which rules run, at what severity, on which files.

    Its fields are the keys of the file, in snake case: ``select`` (code prefixes to run, all
    rules when None), ``ignore`` and ``extend_select`` (prefixes left out and added),
    ``severity`` (a code prefix to the severity its findings take; the longest prefix that
    matches wins), ``per_file_ignores`` (a glob, relative to the configuration's folder, to the
    prefixes left out for the files it matches), ``exclude`` (globs of files a directory walk
    skips), ``baseline`` (a baseline file) and ``rulesets`` (paths or globs of rulesets).
    ``exclude``, ``baseline`` and ``rulesets`` are read and checked, and kept for the commands
    that use them. ``path`` is the file read (None for the default configuration) and
    ``root`` the folder its globs and paths are relative to (None: the working folder).
    Built in Python, the prefixes are upper-cased and the severities may be given as text
    (``{"U020": "info"}``).

    A code prefix matches every code that starts with it: ``U02`` is U020 to U029. A rule
    runs when ``select`` (or ``extend_select``) matches it and ``ignore`` does not: ``ignore``
    always wins.
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=attrs.converters.optional(_prefixes))
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_prefixes)
    extend_select: tuple[str, ...] = attrs.field(default=(), converter=_prefixes)
    severity: Mapping[str, Severity] = attrs.field(factory=dict, converter=_severities, hash=False)
    per_file_ignores: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_ignores, hash=False)
    exclude: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    baseline: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))
    rulesets: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    path: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))
    root: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Config:
        """Read the configuration in the file at ``path``: a ``pyproject.toml``'s ``[tool.usager]``, else the top level.

        A ``pyproject.toml`` without a ``[tool.usager]`` table gives the default configuration.
        Raises :class:`~usager.errors.LoadError` for a file that is not TOML, an unknown key or a
        bad value (each with its line and column), and :class:`OSError` for a file that cannot be read.
        """
        file = Path(path)
        source = str(file)
        data = file.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoadError([Problem("", f"not UTF-8 text (byte {exc.start + 1})")], source=source) from None
        table, prefix = _table(text, file, source)
        return _build(table, prefix, text, file.absolute(), source)

    @classmethod
    def discover(cls, path: str | os.PathLike[str]) -> Config:
        """The configuration that applies to ``path`` (a file or a folder): the nearest one up the folders.

        In each folder from ``path``'s own up to the root of the file system, a ``usager.toml``
        is taken, else a ``pyproject.toml`` that has a ``[tool.usager]`` table. Without one, the
        default configuration (every rule, as the rules say).
        """
        found = find(path)
        return Config() if found is None else cls.load(found)

    def for_file(self, path: str | os.PathLike[str]) -> Config:
        """The configuration for the file at ``path``: the prefixes ``per_file_ignores`` give it added to ``ignore``.

        A glob is matched against the file's path relative to :attr:`root` (a glob without a
        ``/`` against its name too, and a glob naming a folder against the files under it); a
        file outside :attr:`root` matches none.
        """
        if not self.per_file_ignores:
            return self
        relative = self._relative(path)
        if relative is None:
            return attrs.evolve(self, per_file_ignores={})
        extra = [code for glob, codes in self.per_file_ignores.items() if _matches(glob, relative) for code in codes]
        return attrs.evolve(self, ignore=(*self.ignore, *extra), per_file_ignores={})

    def excluded(self, path: str | os.PathLike[str]) -> bool:
        """Whether one of the ``exclude`` globs matches ``path`` (relative to :attr:`root`), for a directory walk."""
        relative = self._relative(path)
        return relative is not None and any(_matches(glob, relative) for glob in self.exclude)

    def severity_of(self, code: str) -> Severity | None:
        """The severity ``severity`` gives the code (its longest matching prefix), or None."""
        best: tuple[int, Severity] | None = None
        for prefix, level in self.severity.items():
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), level)
        return None if best is None else best[1]

    def _relative(self, path: str | os.PathLike[str]) -> str | None:
        root = self.root or Path.cwd()
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            return None


def find(path: str | os.PathLike[str]) -> Path | None:
    """The configuration file that applies to ``path`` (a file or a folder), or None."""
    start = Path(os.path.abspath(path))
    folder = start if start.is_dir() else start.parent
    for here in (folder, *folder.parents):
        candidate = here / "usager.toml"
        if candidate.is_file():
            return candidate
        candidate = here / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
    return None


def _has_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` has a ``[tool.usager]`` table (a file that is not TOML has, to be reported)."""
    try:
        data = pyproject.read_bytes()
    except OSError:
        return True  # to be reported by the reading
    text = data.decode("utf-8", "replace")
    try:
        document = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return "usager" in text  # a text that is not TOML is reported when it names usager
    tool = document.get("tool")
    return isinstance(tool, dict) and "usager" in tool


def _table(text: str, file: Path, source: str) -> tuple[Any, tuple[str, ...]]:
    """The configuration's table in ``text`` and its path in the document."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LoadError([_syntax_problem(exc, text)], source=source) from None
    except (ValueError, RecursionError):
        raise LoadError([Problem("", "not a readable TOML document")], source=source) from None
    if file.name != "pyproject.toml":
        return document, ()
    tool = document.get("tool", {})
    return (tool.get("usager", {}) if isinstance(tool, dict) else {}), ("tool", "usager")


def _key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else repr(key)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


class _Reader:
    """Checks a configuration table, noting each problem with its line and column."""

    def __init__(self, prefix: tuple[str, ...], text: str) -> None:
        self.prefix = prefix
        self.locate = _locator(text)
        self.problems: list[Problem] = []
        self.codes = [r.code for r in all_rules()]

    def problem(self, path: tuple[str | int, ...], message: str, *, key: bool = True) -> None:
        full = (*self.prefix, *path)
        position = (self.locate(full, key) or self.locate(full[:-1], True)) if full else (1, 1)
        line, column = position if position else (None, None)
        dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{_key(p)}" for p in full).lstrip(".")
        text = f"{escaped(dotted)}: {message}" if dotted else message
        self.problems.append(Problem("", text, path=full, line=line, column=column))

    def strings(self, table: Mapping[str, Any], name: str, *, codes: bool = False) -> tuple[str, ...] | None:
        value = table[name]
        if not isinstance(value, list):
            what = "code prefixes" if codes else "strings"
            self.problem((name,), f"expected an array of {what}, found {_kind(value)}", key=False)
            return None
        found: list[str] = []
        for n, item in enumerate(value):
            if not isinstance(item, str):
                self.problem((name, n), f"expected a string, found {_kind(item)}", key=False)
            elif codes and not self.code(item, (name, n)):
                pass
            else:
                found.append(item.strip().upper() if codes else item)
        return tuple(found)

    def code(self, prefix: str, path: tuple[str | int, ...], *, key: bool = False) -> bool:
        """Whether ``prefix`` matches a rule code; a problem when it does not."""
        wanted = prefix.strip().upper()
        if wanted and any(c.startswith(wanted) for c in self.codes):
            return True
        hint = did_you_mean(closest(prefix, self.codes))
        message = f"{shown(prefix)} matches no rule code (a prefix such as 'U03' selects a group){hint}"
        self.problem(path, message, key=key)
        return False


def _build(table: Any, prefix: tuple[str, ...], text: str, file: Path, source: str) -> Config:
    reader = _Reader(prefix, text)
    if not isinstance(table, dict):
        reader.problem((), f"expected a table, found {_kind(table)}")
        raise LoadError(reader.problems, source=source)
    fields: dict[str, Any] = {}
    for name in table:
        if name not in _KEYS:
            hint = did_you_mean(closest(name, _KEYS))
            reader.problem((name,), f"unknown key {shown(name)}; the keys are {', '.join(_KEYS)}{hint}")
    for name in ("select", "ignore", "extend-select"):
        if name in table:
            fields[name.replace("-", "_")] = reader.strings(table, name, codes=True)
    for name in ("exclude", "rulesets"):
        if name in table:
            fields[name] = reader.strings(table, name)
    if "baseline" in table:
        value = table["baseline"]
        if isinstance(value, str) and value:
            fields["baseline"] = file.parent / value
        else:
            reader.problem(("baseline",), f"expected a path (a non-empty string), found {_kind(value)}", key=False)
    if "severity" in table:
        fields["severity"] = _severity(reader, table["severity"])
    if "per-file-ignores" in table:
        fields["per_file_ignores"] = _per_file_ignores(reader, table["per-file-ignores"])
    if reader.problems:
        raise LoadError(reader.problems, source=source)
    if fields.get("ignore") is None:
        fields.pop("ignore", None)
    for name in ("extend_select", "exclude", "rulesets"):
        if fields.get(name) is None:
            fields.pop(name, None)
    return Config(**fields, path=file, root=file.parent)


def _severity(reader: _Reader, value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        reader.problem(("severity",), f"expected a table of code = severity, found {_kind(value)}", key=False)
        return {}
    found: dict[str, Severity] = {}
    for code, level in value.items():
        if not reader.code(code, ("severity", code), key=True):
            continue
        if isinstance(level, str) and level in _SEVERITIES:
            found[code.strip().upper()] = Severity(level)
        else:
            shown = repr(level) if isinstance(level, str) else _kind(level)
            hint = did_you_mean(_severity_meant(level)) if isinstance(level, str) else ""
            message = f"expected one of {', '.join(map(repr, _SEVERITIES))}, found {escaped(shown)}{hint}"
            reader.problem(("severity", code), message, key=False)
    return found


def _severity_meant(level: str) -> str | None:
    """The severity ``level`` likely means: one it abbreviates (``warn``), else the nearest."""
    folded = level.strip().lower()
    starting = [s for s in _SEVERITIES if folded and s.startswith(folded)]
    return starting[0] if len(starting) == 1 else closest(level, _SEVERITIES)


def _per_file_ignores(reader: _Reader, value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        message = f"expected a table of glob = [code prefixes], found {_kind(value)}"
        reader.problem(("per-file-ignores",), message, key=False)
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for glob, codes in value.items():
        if not isinstance(codes, list):
            message = f"expected an array of code prefixes, found {_kind(codes)}"
            reader.problem(("per-file-ignores", glob), message, key=False)
            continue
        kept: list[str] = []
        for n, code in enumerate(codes):
            if not isinstance(code, str):
                reader.problem(("per-file-ignores", glob, n), f"expected a string, found {_kind(code)}", key=False)
            elif reader.code(code, ("per-file-ignores", glob, n)):
                kept.append(code.strip().upper())
        found[glob] = tuple(kept)
    return found
