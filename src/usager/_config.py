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
import string
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from usager._suggest import closest, did_you_mean
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, element_kind, element_label
from usager.elements import Element
from usager.errors import LoadError, Problem, escaped, shown
from usager.examples import complete
from usager.exporters.toml import _locator, _syntax_problem
from usager.findings import Severity
from usager.rules import Context, Rule, RuleFunction, Witness, all_rules, set_origin

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]

__all__ = ["CONFIG_FILES", "Config", "load_ruleset"]

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


def _utf8(file: Path, source: str) -> str:
    """The text of ``file``; a :class:`~usager.errors.LoadError` naming ``source`` when it is not UTF-8."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([Problem("", f"not UTF-8 text (byte {exc.start + 1})")], source=source) from None


def _matches(pattern: str, relative: str) -> bool:
    """Whether the glob ``pattern`` matches the POSIX ``relative`` path or a folder it is under.

    A pattern without ``/`` matches a name (of the file, or of any folder it is under:
    ``archive`` leaves out ``old/archive/a.json``); one with ``/``, a path from the root.
    """
    regex = _glob(pattern.rstrip("/"))
    if regex.fullmatch(relative):
        return True
    path = PurePosixPath(relative)
    folders = [parent for parent in path.parents if str(parent) != "."]
    if "/" not in pattern:
        return any(regex.fullmatch(p.name) for p in (path, *folders))
    # a folder's pattern matches the files under it
    return any(regex.fullmatch(str(parent)) for parent in folders)


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
        text = _utf8(file, source)
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

    def ruleset_rules(self) -> tuple[Rule, ...]:
        """The rules of the rulesets ``rulesets`` lists (paths or globs from the configuration's folder).

        Raises :class:`~usager.errors.LoadError` for a ruleset with a problem (with its line and
        column), or a path or glob that matches no file.
        """
        return _ruleset_rules(self.root or Path.cwd(), self.rulesets)

    def own_files(self) -> frozenset[Path]:
        """The files the configuration names that are no canvases: its baseline and its rulesets, resolved.

        A directory walk leaves them out; a ruleset path or glob that matches nothing adds nothing.
        """
        root = self.root or Path.cwd()
        files = {(root / self.baseline).resolve()} if self.baseline is not None else set()
        for pattern in self.rulesets:
            if any(c in pattern for c in "*?["):
                files.update(f.resolve() for f in root.glob(pattern) if f.is_file())
            else:
                files.add((root / pattern).resolve())
        return frozenset(files)

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
    for name in ("exclude", "rulesets"):
        if name in table:
            fields[name] = reader.strings(table, name)
    if fields.get("rulesets") and not reader.problems:  # their codes may be selected
        reader.codes += [r.code for r in _ruleset_rules(file.parent, fields["rulesets"])]
    for name in ("select", "ignore", "extend-select"):
        if name in table:
            fields[name.replace("-", "_")] = reader.strings(table, name, codes=True)
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


# Declarative rulesets: rules of one's own as data, in YAML or TOML; no code is evaluated.

#: The functions a ruleset's ``then`` may name, with the arguments each takes (and needs).
_FUNCTIONS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "truthy": ((), ()),
    "falsy": ((), ()),
    "pattern": (("match",), ("match",)),
    "length": (("min", "max"), ()),
    "enumeration": (("values",), ("values",)),
    "references": (("kinds",), ()),
    "unique": ((), ()),
}
_RULE_KEYS = ("code", "severity", "summary", "message", "given", "where", "then")
_RULE_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}[0-9]{3}")
#: What a message may name besides the element's fields: the checked field's value.
_MESSAGE_EXTRA = ("value",)


def _plain(value: Any) -> Any:
    """A field's value as a ruleset compares it: an enumeration by its value, a tuple as a list."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _yaml_document(text: str) -> tuple[Any, Callable[[tuple[str | int, ...], bool], tuple[int, int] | None]]:
    """The YAML ``text`` as plain data (nothing is constructed but scalars, lists and mappings), and its locator."""
    import yaml

    positions: dict[tuple[str | int, ...], tuple[tuple[int, int], tuple[int, int]]] = {}

    def plain(node: Any, path: tuple[str | int, ...], key_at: tuple[int, int]) -> Any:
        at = (node.start_mark.line + 1, node.start_mark.column + 1)
        positions[path] = (key_at, at)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = plain(value_node, (*path, key), where)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [plain(item, (*path, n), at) for n, item in enumerate(node.value)]
        tag = node.tag  # SafeLoader.compose has resolved it
        value = node.value
        if node.style or tag == "tag:yaml.org,2002:str":
            return value
        if tag == "tag:yaml.org,2002:int":
            return int(value.replace("_", ""), 0) if value.lstrip("+-")[:2] in ("0x", "0o") else int(value)
        if tag == "tag:yaml.org,2002:float":
            return float(value.replace("_", ""))
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() in ("true", "yes", "on")
        if tag == "tag:yaml.org,2002:null":
            return None
        return value

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise LoadError([Problem("", f"not valid YAML: {exc.problem}", line=line, column=column)]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Problem("", f"not valid YAML: {exc}")]) from None
    data = None if node is None else plain(node, (), (1, 1))

    def locate(path: tuple[str | int, ...], key: bool) -> tuple[int, int] | None:
        found = positions.get(path)
        return None if found is None else found[0 if key else 1]

    return data, locate


#: The rulesets read, by path, with the modification time and size they were read at.
_RULESETS: dict[Path, tuple[tuple[int, int], tuple[Rule, ...]]] = {}


def _ruleset_rules(root: Path, patterns: Iterable[str]) -> tuple[Rule, ...]:
    files: list[Path] = []
    for pattern in patterns:
        if any(c in pattern for c in "*?["):  # a glob may match nothing (yet)
            found = [f for f in sorted(root.glob(pattern)) if f.is_file()]
        elif (root / pattern).is_file():
            found = [root / pattern]
        else:
            raise LoadError([Problem("", f"the ruleset {shown(pattern)} is no file in {root}")])
        files += [f for f in found if f not in files]
    taken = {r.code for r in all_rules()}
    rules: list[Rule] = []
    for file in files:
        stat = file.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _RULESETS.get(file.resolve())
        if cached is None or cached[0] != key:
            cached = _RULESETS[file.resolve()] = (key, load_ruleset(file, taken=taken))
            for made in cached[1]:
                set_origin(made, str(file))
        for made in cached[1]:
            if made.code in taken:
                raise LoadError([Problem("", f"another rule already has the code {made.code!r}")], source=str(file))
            taken.add(made.code)
            rules.append(made)
    return tuple(rules)


def load_ruleset(path: str | os.PathLike[str], *, taken: Iterable[str] = ()) -> tuple[Rule, ...]:
    """The rules of the ruleset file at ``path`` (YAML, or TOML for a ``.toml`` file), in its order.

    The file holds ``rules``, a list of rules each with ``code`` (``TEAM001``: not starting with
    ``U``, nor one of ``taken``), ``severity`` (``error``, ``warning`` or ``info``), ``message``
    (with ``{id}``, ``{label}``, any field of the element and ``{value}`` the checked field's
    value), ``given`` (an element list: ``brakes``), ``where`` (optional: field to value, or to
    ``{in: [...]}``) and ``then`` (``{field: ..., function: ...}`` with its arguments), and
    optionally ``summary``. No code is evaluated. A problem is a
    :class:`~usager.errors.LoadError` naming the file, the line and the column.
    """
    file = Path(path)
    source = str(file)
    text = _utf8(file, source)
    try:
        if file.suffix.lower() == ".toml":
            try:
                document: Any = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise LoadError([_syntax_problem(exc, text)]) from None
            locate = _locator(text)
        else:
            document, locate = _yaml_document(text)
    except LoadError as exc:
        raise LoadError(exc.problems, source=source) from None
    reader = _Reader((), text)
    reader.locate = locate
    built = _ruleset(reader, document, set(taken))
    if reader.problems:
        raise LoadError(reader.problems, source=source)
    return built


def _ruleset(reader: _Reader, document: Any, taken: set[str]) -> tuple[Rule, ...]:
    if not isinstance(document, dict) or set(document) != {"rules"} or not isinstance(document["rules"], list):
        reader.problem((), "expected a document whose only key is 'rules', a list of rules")
        return ()
    built: list[Rule] = []
    for n, entry in enumerate(document["rules"]):
        made = _declared_rule(reader, entry, ("rules", n), taken)
        if made is not None:
            taken.add(made.code)
            built.append(made)
    return tuple(built)


def _declared_rule(reader: _Reader, entry: Any, at: tuple[str | int, ...], taken: set[str]) -> Rule | None:
    before = len(reader.problems)
    if not isinstance(entry, dict):
        reader.problem(at, f"expected a rule (a mapping of {', '.join(_RULE_KEYS)}), found {_kind(entry)}", key=False)
        return None
    for key in entry:
        if key not in _RULE_KEYS:
            hint = did_you_mean(closest(key, _RULE_KEYS))
            reader.problem((*at, key), f"unknown key {shown(key)}; the keys are {', '.join(_RULE_KEYS)}{hint}")
    for key in ("code", "severity", "message", "given", "then"):
        if key not in entry:
            reader.problem(at, f"a rule needs {key!r}", key=False)
    code = entry.get("code")
    if "code" in entry:
        if not isinstance(code, str) or not _RULE_CODE.fullmatch(code):
            reader.problem((*at, "code"), "expected a code such as 'TEAM001' ([A-Z][A-Z0-9]{0,3}[0-9]{3})", key=False)
        elif code.startswith("U"):
            reader.problem((*at, "code"), f"{code!r} starts with 'U', which is reserved for usager's rules", key=False)
        elif code in taken:
            reader.problem((*at, "code"), f"another rule already has the code {code!r}", key=False)
    severity = entry.get("severity")
    if "severity" in entry and severity not in _SEVERITIES:
        reader.problem(
            (*at, "severity"), f"expected one of {', '.join(_SEVERITIES)}, found {shown(str(severity))}", key=False
        )
    given = entry.get("given")
    lists = dict(ELEMENT_LISTS)
    element_type = lists.get(given) if isinstance(given, str) else None
    if "given" in entry and element_type is None:
        hint = did_you_mean(closest(str(given), list(lists)))
        reader.problem((*at, "given"), f"expected an element list ({', '.join(lists)}){hint}", key=False)
    fields = [] if element_type is None else [f.name for f in attrs.fields(element_type)]
    where = _where(reader, entry.get("where", {}), (*at, "where"), fields)
    then = _then(reader, entry.get("then"), (*at, "then"), fields) if "then" in entry else None
    message = entry.get("message")
    if "message" in entry:
        _message(reader, message, (*at, "message"), fields)
    summary = entry.get("summary", message)
    if "summary" in entry and not isinstance(summary, str):
        reader.problem((*at, "summary"), f"expected a string, found {_kind(summary)}", key=False)
    if len(reader.problems) > before or then is None or not isinstance(given, str):
        return None
    assert isinstance(code, str)
    assert isinstance(message, str)
    check = _declared_check(given, where, then, message)
    return Rule(
        code=code,
        severity=Severity(severity),
        summary=str(summary),
        explanation=_explained(given, where, then),
        run=check,
        bad=complete,
        good=complete,
    )


def _explained(given: str, where: dict[str, list[Any]], then: tuple[str, str, dict[str, Any]]) -> str:
    """What a declared rule checks, in a sentence: its documentation."""
    field, function, arguments = then
    chosen = " and ".join(f"`{name}` is {' or '.join(repr(v) for v in values)}" for name, values in where.items())
    shown_arguments = ", ".join(f"{k} {v.pattern if isinstance(v, re.Pattern) else v!r}" for k, v in arguments.items())
    return (
        f"A rule of a ruleset: for each element of `{given}`{f' where {chosen}' if chosen else ''}, "
        f"`{field}` must pass `{function}`{f' ({shown_arguments})' if shown_arguments else ''}."
    )


def _where(reader: _Reader, value: Any, at: tuple[str | int, ...], fields: list[str]) -> dict[str, list[Any]]:
    if not isinstance(value, dict):
        reader.problem(at, f"expected a mapping of field to value, found {_kind(value)}", key=False)
        return {}
    chosen: dict[str, list[Any]] = {}
    for name, wanted in value.items():
        if fields and name not in fields:
            reader.problem((*at, name), f"no such field {shown(name)}{did_you_mean(closest(name, fields))}")
        elif isinstance(wanted, dict):
            if set(wanted) != {"in"} or not isinstance(wanted["in"], list):
                reader.problem((*at, name), "expected a value, or {in: [values...]}", key=False)
            else:
                chosen[name] = list(wanted["in"])
        else:
            chosen[name] = [wanted]
    return chosen


def _then(
    reader: _Reader, value: Any, at: tuple[str | int, ...], fields: list[str]
) -> tuple[str, str, dict[str, Any]] | None:
    if not isinstance(value, dict) or not isinstance(value.get("field"), str) or "function" not in value:
        reader.problem(at, "expected {field: NAME, function: NAME, ...its arguments}", key=False)
        return None
    field, function = value["field"], value["function"]
    if fields and field not in fields:
        reader.problem((*at, "field"), f"no such field {shown(field)}{did_you_mean(closest(field, fields))}", key=False)
    if function not in _FUNCTIONS:
        hint = did_you_mean(closest(str(function), list(_FUNCTIONS)))
        reader.problem((*at, "function"), f"expected one of {', '.join(_FUNCTIONS)}{hint}", key=False)
        return None
    takes, needs = _FUNCTIONS[function]
    arguments = {k: v for k, v in value.items() if k not in ("field", "function")}
    for key in arguments:
        if key not in takes:
            reader.problem((*at, key), f"{function} takes {', '.join(takes) or 'no argument'}, not {shown(key)}")
    for key in needs:
        if key not in arguments:
            reader.problem(at, f"{function} needs {key!r}", key=False)
    if function == "pattern" and "match" in arguments:
        try:
            arguments["match"] = re.compile(str(arguments["match"]))
        except re.error as exc:
            reader.problem((*at, "match"), f"not a regular expression: {exc}", key=False)
    for key in ("min", "max"):
        if key in arguments and (isinstance(arguments[key], bool) or not isinstance(arguments[key], int)):
            reader.problem((*at, key), f"expected a whole number, found {_kind(arguments[key])}", key=False)
    for key in ("values", "kinds"):
        if key in arguments and not isinstance(arguments[key], list):
            reader.problem((*at, key), f"expected a list, found {_kind(arguments[key])}", key=False)
    if isinstance(arguments.get("kinds"), list):
        known = [t.name for t in ELEMENT_TYPES]
        for n, kind in enumerate(arguments["kinds"]):
            if kind not in known:
                reader.problem((*at, "kinds", n), f"expected an element kind ({', '.join(known)})", key=False)
    return field, function, arguments


def _message(reader: _Reader, message: Any, at: tuple[str | int, ...], fields: list[str]) -> None:
    if not isinstance(message, str) or not message.strip():
        reader.problem(at, f"expected a message (a non-empty string), found {_kind(message)}", key=False)
        return
    allowed = [*fields, "label", *_MESSAGE_EXTRA]
    try:
        parts = list(string.Formatter().parse(message))
    except ValueError as exc:
        reader.problem(at, f"not a message template: {exc} (write '{{{{' for a brace)", key=False)
        return
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier() or (fields and name not in allowed):
            hint = did_you_mean(closest(name, allowed))
            reader.problem(at, f"{{{name}}} is not a placeholder; name one of {', '.join(allowed)}{hint}", key=False)


def _declared_check(
    given: str, where: dict[str, list[Any]], then: tuple[str, str, dict[str, Any]], message: str
) -> RuleFunction:
    field, function, arguments = then

    def failing(element: Element, value: Any, seen: dict[Any, int], ctx: Context) -> bool:
        if function == "truthy":
            return not value
        if function == "falsy":
            return bool(value)
        items = value if isinstance(value, list) else [value]
        if function == "pattern":
            return any(not arguments["match"].search(str(item)) for item in items if item is not None)
        if function == "length":
            size = len(value) if isinstance(value, (str, list)) else len(str(value))
            low, high = arguments.get("min"), arguments.get("max")
            return (low is not None and size < low) or (high is not None and size > high)
        if function == "enumeration":
            return any(item not in arguments["values"] for item in items)
        if function == "references":
            kinds = arguments.get("kinds")
            return any(
                not isinstance(item, str)
                or (target := ctx.index.get(item)) is None
                or (kinds is not None and element_kind(target) not in kinds)
                for item in items
                if item is not None
            )
        key = repr(value)  # unique
        seen[key] = seen.get(key, 0) + 1
        return seen[key] > 1

    def run(ctx: Context) -> Iterator[Witness]:
        seen: dict[Any, int] = {}
        for element in getattr(ctx.canvas, given):
            values = {f.name: _plain(getattr(element, f.name)) for f in attrs.fields(type(element))}
            if any(values.get(name) not in wanted for name, wanted in where.items()):
                continue
            value = values.get(field)
            if failing(element, value, seen, ctx):
                shown_values = {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in values.items()}
                shown_values["label"] = element_label(element, ctx.canvas.language)
                shown_values["value"] = shown_values.get(field, "")
                yield message.format_map(shown_values), (element.id,)

    return run
