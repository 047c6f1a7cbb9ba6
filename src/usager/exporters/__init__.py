"""Exporters: the registry, found through the ``usager.exporters`` entry-point group.

An exporter is any object with ``name``, ``suffixes``, ``media_type``,
``binary`` and ``export(canvas, **options)`` (see :class:`Exporter`); one that
also has ``load(data)`` can read its format back (:class:`Loader`).

The built-in exporters are registered in the same group as everyone else's.
Discovery is one cached scan of the installed distributions' entry points;
an exporter's module is imported only when that exporter is first used. A
third-party entry point that fails to import, gives an object that is not an
exporter, or takes a name already taken, is reported with a
:class:`ExporterWarning` naming the entry point and its distribution, and
every other exporter keeps working. Set the environment variable
``USAGER_DISABLE_PLUGINS=1`` to use the built-in exporters only.

What the built-ins declare (names, suffixes, whether they read) is kept as
static data, so looking up a format by file name imports no exporter.
:func:`export` runs an exporter: whatever it raises, and an output of the
wrong type, becomes an :class:`~usager.errors.ExporterError` naming the
exporter and its distribution.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import types
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from usager.errors import (
    ExporterError,
    ExporterUnavailableError,
    ExporterWarning,
    UnknownExporterError,
    UsagerError,
    escaped,
)
from usager.exporters._mapping import BUILTINS

if TYPE_CHECKING:
    from importlib import metadata

    from usager.canvas import Canvas

__all__ = [
    "DISABLE_PLUGINS_ENV",
    "GROUP",
    "Commenting",
    "Exporter",
    "ExporterError",
    "ExporterInfo",
    "ExporterUnavailableError",
    "ExporterWarning",
    "HasOptionHelp",
    "HasOptions",
    "Loader",
    "Locating",
    "Option",
    "OptionHelp",
    "Reformatting",
    "UnknownExporterError",
    "available",
    "describe_options",
    "export",
    "for_path",
    "get",
    "infos",
    "name_for_path",
    "readable",
    "refresh",
]

#: The entry-point group exporters are registered in.
GROUP = "usager.exporters"
#: Set this environment variable to ``1`` to ignore third-party exporters.
DISABLE_PLUGINS_ENV = "USAGER_DISABLE_PLUGINS"
#: The distribution the built-in exporters come from.
_OWN_DISTRIBUTION = "usager"
#: The built-ins, as the package's own metadata registers them; used as well when that
#: metadata is missing (usager imported from a source tree that was never installed).
_BUILTINS: Mapping[str, str] = {name: builtin.target for name, builtin in BUILTINS.items()}


@runtime_checkable
class Exporter(Protocol):
    """What an exporter is: a named way of turning a canvas into text or bytes.

    ``suffixes`` are the file suffixes it writes, at least one, lower case with
    the dot (``(".json",)``); ``media_type`` is its MIME type; ``binary`` says whether
    :meth:`export` returns ``bytes`` (``True``) or ``str`` (``False``).

    An exporter may also document its options with an optional, read-only attribute
    ``options: Mapping[str, type | tuple[str, ...]]``: each option's name with ``bool``,
    ``int``, ``float``, ``str``, or a tuple of the strings it allows (choices), such as
    ``{"indent": int}`` or ``{"layout": ("cycle", "lanes"), "draft": bool}``. It is not a
    member of this protocol (an exporter without it is still an exporter): :class:`HasOptions`
    declares it, with :class:`Locating`, :class:`Commenting` and :class:`Reformatting`, the other
    optional hooks. The command line converts ``-O NAME=VALUE`` by that declaration (a boolean is ``true``/``false``,
    ``yes``/``no`` or ``1``/``0``, in any case) and refuses a name it does not list; an
    exporter without it gets the values as strings. Whatever the declaration, ``export()``
    raises :class:`~usager.errors.OptionError` (a ``TypeError``) for an option it does not
    take or a value the option cannot take. What each option means, and its default, is told
    by another optional attribute, ``option_help`` (:class:`HasOptionHelp`), which
    ``usager exporters`` and ``usager export -O help`` show.
    """

    # Read-only members: a plain class attribute such as ``suffixes = (".md", ".markdown")``
    # (a ``tuple[str, str]``) then matches, as protocol attributes that can be written cannot.
    @property
    def name(self) -> str:
        """The exporter's name, as its entry point names it (``"json"``)."""
        ...

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file suffixes it writes, lower case with the dot."""
        ...

    @property
    def media_type(self) -> str:
        """Its MIME type (``"application/json"``)."""
        ...

    @property
    def binary(self) -> bool:
        """Whether :meth:`export` returns ``bytes`` rather than ``str``."""
        ...

    def export(self, canvas: Canvas, **options: Any) -> str | bytes:
        """Turn ``canvas`` into this format."""
        ...


@runtime_checkable
class HasOptions(Protocol):
    """An exporter that declares its options (an optional hook of :class:`Exporter`).

    ``options`` maps each option's name to ``bool``, ``int``, ``float``, ``str``, or a tuple of
    the strings it allows: ``{"indent": int}``, ``{"layout": ("cycle", "lanes"), "draft": bool}``.
    The command line converts ``-O NAME=VALUE`` by it, and refuses a name it does not list.
    """

    @property
    def options(self) -> Mapping[str, type | tuple[str, ...]]:
        """Each option the exporter takes, with its type or its choices."""
        ...


@attrs.frozen
class OptionHelp:
    """What an option means, in one line, and its default: what people are told of it (see :class:`HasOptionHelp`).

    ``default`` is the value the exporter uses when the option is not given (``None`` when
    there is none worth telling).
    """

    meaning: str
    default: object = None


@runtime_checkable
class HasOptionHelp(Protocol):
    """An exporter that says what each of its options means (an optional hook, beside :class:`HasOptions`).

    ``option_help`` maps an option's name to an :class:`OptionHelp`, or to its meaning alone
    (a ``str``): ``{"layout": OptionHelp("the stages on a circle (cycle) or a grid (lanes)",
    default="cycle")}``. The types stay in ``options``, which this only completes: an
    exporter declaring ``options`` without it still works, and its options are shown with
    "no description". A name that ``options`` does not list is ignored.
    """

    @property
    def option_help(self) -> Mapping[str, OptionHelp | str]:
        """Each option's meaning and default, by name."""
        ...


#: How ``usager export -O NAME=VALUE`` spells the value of an option of each type.
_VALUE_WORDS: dict[type, str] = {bool: "true|false", int: "INTEGER", float: "NUMBER", str: "TEXT"}
#: The type of an option's value in ``usager exporters --format json``.
_TYPE_WORDS: dict[type, str] = {bool: "boolean", int: "integer", float: "number", str: "text"}


@attrs.frozen
class Option:
    """One option of an exporter as people are told of it: its name, type, default and meaning.

    ``kind`` is what :class:`HasOptions` declares (``bool``, ``int``, ``float``, ``str``, or a
    tuple of the strings allowed); ``default`` and ``meaning`` come from :class:`HasOptionHelp`,
    ``None`` when the exporter does not say. :func:`describe_options` makes them.
    """

    name: str
    kind: type | tuple[str, ...]
    default: object = None
    meaning: str | None = None

    @property
    def value(self) -> str:
        """How ``-O NAME=VALUE`` spells a value: ``true|false``, ``INTEGER``, ``NUMBER``, ``TEXT``, ``cycle|lanes``."""
        if isinstance(self.kind, tuple):
            return "|".join(self.kind)
        return _VALUE_WORDS.get(self.kind, self.kind.__name__.upper())

    @property
    def type_name(self) -> str:
        """The type in words: ``boolean``, ``integer``, ``number``, ``text``, ``choice``, or the type's name."""
        if isinstance(self.kind, tuple):
            return "choice"
        return _TYPE_WORDS.get(self.kind, self.kind.__name__)

    @property
    def default_text(self) -> str:
        """The default as ``-O`` would spell it (``true``, ``cycle``, ``2``), or ``-`` when unknown."""
        if self.default is None:
            return "-"
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        return self.default if isinstance(self.default, str) else repr(self.default)


def describe_options(exporter: Exporter) -> tuple[Option, ...] | None:
    """The options ``exporter`` takes, in its declaration's order; None when it declares none (no ``options``).

    Types come from :class:`HasOptions`, meanings and defaults from :class:`HasOptionHelp`.
    A declaration that cannot be read (not a mapping of names to a type or a tuple of
    strings, or a property that raises) is an :class:`~usager.errors.ExporterError` naming
    the exporter and its distribution.
    """
    try:
        return _described(exporter)
    except (Exception, SystemExit) as exc:  # a plugin's property may fail in any way
        name = _name_of(exporter)
        slot = _registry().get(name)
        distribution = slot.info.distribution if slot is not None else None
        problem = str(exc) if isinstance(exc, _BadDeclaration) else f"fails when they are read: {_said(exc)}"
        raise ExporterError(
            f"the options of the {name!r} exporter (from {distribution or 'usager'!r}) cannot be shown: {problem}",
            exporter=name,
            distribution=distribution,
        ) from exc


class _BadDeclaration(Exception):
    """What is wrong with an exporter's declaration of its options."""


def _name_of(exporter: object) -> str:
    try:
        return escaped(str(getattr(exporter, "name", "?")), _SAID_CHARACTERS)
    except Exception:
        return "?"


def _described(exporter: Exporter) -> tuple[Option, ...] | None:
    if not isinstance(exporter, HasOptions):
        return None
    declared = exporter.options
    if not isinstance(declared, Mapping):
        raise _BadDeclaration(f"options is {_shown(declared)}, not a mapping of names to types")
    helps = exporter.option_help if isinstance(exporter, HasOptionHelp) else {}
    if not isinstance(helps, Mapping):
        raise _BadDeclaration(f"option_help is {_shown(helps)}, not a mapping of names to meanings")
    described: list[Option] = []
    for name, kind in declared.items():
        if not isinstance(name, str):
            raise _BadDeclaration(f"the option name {_shown(name)} is not a string")
        # a parametrized generic (list[int]) is no type, though Python 3.10 says isinstance(list[int], type)
        plain = isinstance(kind, type) and not isinstance(kind, types.GenericAlias)
        if not (plain or (isinstance(kind, tuple) and all(isinstance(c, str) for c in kind))):
            raise _BadDeclaration(f"option {name!r} is declared as {_shown(kind)}, not a type or a tuple of strings")
        said = helps.get(name)
        if said is None:
            described.append(Option(name, kind))
        elif isinstance(said, OptionHelp) and isinstance(said.meaning, str):
            described.append(Option(name, kind, said.default, said.meaning))
        elif isinstance(said, str):
            described.append(Option(name, kind, meaning=said))
        else:
            raise _BadDeclaration(f"the help of option {name!r} is {_shown(said)}, not a text or an OptionHelp")
    return tuple(described)


@runtime_checkable
class Locating(Protocol):
    """A format that can say where a path of the document stands in a text of it (an optional hook).

    ``locator(data)`` returns a function of a JSON path (``("brakes", 3)``) and of whether the
    key itself is meant (rather than its value), giving ``(line, column)``, both from 1, or
    ``None`` when the path is not in the text. It should read ``data`` lazily, on the first
    call. ``usager check`` places each finding at its element with it, and editors can too.
    """

    def locator(self, data: str | bytes) -> Callable[[tuple[str | int, ...], bool], tuple[int, int] | None]:
        """Where each path stands in ``data``."""
        ...


@runtime_checkable
class Commenting(Protocol):
    """A format whose files may hold comments, which a rewrite would drop (an optional hook).

    ``comments(data)`` gives the lines (from 1) of ``data`` that hold one, ``()`` when the text
    does not parse; ``usager fmt`` refuses to rewrite such a file rather than lose them, unless
    the format is :class:`Reformatting`.
    """

    def comments(self, data: str | bytes) -> tuple[int, ...]:
        """The lines of ``data`` that hold a comment."""
        ...


@runtime_checkable
class Reformatting(Protocol):
    """A format that rewrites a text of its own canonically, keeping its comments (an optional hook).

    ``reformat(data, source=...)`` reads ``data`` as :meth:`Loader.load` does (raising
    :class:`~usager.errors.LoadError` the same way) and gives the text ``usager fmt`` writes in
    its place: the same canvas, written canonically, with each comment of ``data`` kept at the
    key or element it belongs to. It raises :class:`~usager.errors.LoadError` naming the line
    of a comment it cannot keep, rather than drop it. The YAML and TOML exporters are such formats.
    """

    def reformat(self, data: str | bytes, *, source: str | None = None) -> str | bytes:
        """``data`` rewritten canonically, its comments kept."""
        ...


@runtime_checkable
class Loader(Protocol):
    """An exporter that can also read its format back into a canvas."""

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read ``data``; raise :class:`~usager.errors.LoadError` on bad input.

        ``source`` (a file name, say) prefixes the error message when given.
        """
        ...


@attrs.frozen
class ExporterInfo:
    """What the registry knows of one exporter, before or after loading it.

    ``distribution`` is the distribution that registered it (``None`` when it
    comes from the fallback table), ``target`` the entry point's
    ``module:attribute``, and ``error`` why it cannot be used, once known:
    it failed to load, is not an exporter, or lost a clash of names (then
    ``shadowed`` is true).
    """

    name: str
    target: str
    distribution: str | None
    builtin: bool
    error: str | None = None
    shadowed: bool = False


@attrs.define
class _Slot:
    info: ExporterInfo
    entry_point: metadata.EntryPoint | None = attrs.field()
    exporter: Exporter | None = None


_slots: dict[str, _Slot] | None = None
#: The entry points that lost a clash of names, from the last scan.
_shadowed: list[ExporterInfo] = []


def _warn(info: ExporterInfo, problem: str) -> None:
    warnings.warn(
        f"usager exporter entry point '{info.name} = {info.target}' from distribution "
        f"{info.distribution or '(unknown)'!r} {problem}; the other exporters keep working",
        ExporterWarning,
        stacklevel=5,
    )


def _distribution_name(ep: metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return None if dist is None else str(dist.metadata["Name"])


def _scan() -> dict[str, _Slot]:
    from importlib import metadata  # imported here: it costs more than the rest of usager's import

    _shadowed.clear()
    plugins_off = os.environ.get(DISABLE_PLUGINS_ENV, "").strip() not in ("", "0")
    builtins: dict[str, _Slot] = {}
    others: list[_Slot] = []
    for ep in metadata.entry_points(group=GROUP):
        dist = _distribution_name(ep)
        builtin = dist == _OWN_DISTRIBUTION and _BUILTINS.get(ep.name) == ep.value
        info = ExporterInfo(name=ep.name, target=ep.value, distribution=dist, builtin=builtin)
        if builtin:
            builtins.setdefault(ep.name, _Slot(info, ep))
        elif not plugins_off:
            others.append(_Slot(info, ep))
    for name, target in _BUILTINS.items():
        if name not in builtins:
            builtins[name] = _Slot(ExporterInfo(name, target, None, builtin=True), None)
    slots = dict(builtins)
    # Deterministic clash rule: built-ins win, then the first by (distribution, target).
    for slot in sorted(others, key=lambda s: (s.info.distribution or "", s.info.target, s.info.name)):
        holder = slots.get(slot.info.name)
        if holder is None:
            slots[slot.info.name] = slot
        elif holder.info != slot.info:
            problem = (
                f"was ignored: the name {slot.info.name!r} is already taken by "
                f"'{holder.info.target}' from {holder.info.distribution or 'usager'!r}"
            )
            _shadowed.append(attrs.evolve(slot.info, error=problem, shadowed=True))
            _warn(slot.info, problem)
    return dict(sorted(slots.items()))


def _registry() -> dict[str, _Slot]:
    global _slots
    if _slots is None:
        _slots = _scan()
    return _slots


def refresh() -> None:
    """Forget the cached scan, so the next call looks at the installed distributions again."""
    global _slots
    _slots = None


def available() -> list[str]:
    """The names of every exporter found, built-in and third-party, sorted.

    Found is not loaded: an exporter whose module fails to import is listed
    until it is first used, then reported and dropped.
    """
    return [name for name, slot in _registry().items() if slot.info.error is None]


def infos() -> list[ExporterInfo]:
    """Every exporter found, each loaded to learn whether it works; broken ones carry ``error``.

    Entry points that lost a clash of names are listed too, after the one that
    holds the name, with ``shadowed`` true.
    """
    for name in list(_registry()):
        with contextlib.suppress(ExporterUnavailableError):
            get(name)
    result: list[ExporterInfo] = []
    for name, slot in _registry().items():
        result.append(slot.info)
        result += [info for info in _shadowed if info.name == name]
    return result


#: How many characters of what a plugin says (its exception, a value it declares) a message repeats.
_SAID_CHARACTERS = 300


def _said(exc: BaseException) -> str:
    """``TypeName: message`` of a plugin's exception, for a message that goes to a terminal or a log.

    The message is cut after :data:`_SAID_CHARACTERS` characters and its control characters
    are escaped (:func:`~usager.errors.escaped`); an exception whose ``str()`` fails is named alone.
    """
    name = escaped(type(exc).__name__, _SAID_CHARACTERS)
    try:
        text = str(exc)
    except Exception:  # its own __str__ fails: say so, rather than fail in turn
        return f"{name} (whose message cannot be shown: its __str__ fails)"
    return f"{name}: {escaped(text, _SAID_CHARACTERS)}" if text else name


def _shown(value: object) -> str:
    """``repr(value)`` of something a plugin declares, cut and escaped as :func:`_said` does."""
    try:
        text = repr(value)
    except Exception:
        return f"a {escaped(type(value).__name__, _SAID_CHARACTERS)} that cannot be shown"
    return escaped(text, _SAID_CHARACTERS)


def _problem_with(obj: object, name: str) -> str | None:
    """Why ``obj`` cannot be the exporter the entry point ``name`` gives, or None when it can."""
    try:
        return _declaration_problem(obj, name)
    except (Exception, SystemExit) as exc:  # a property of the plugin's that raises
        return f"fails when its declarations are read: {_said(exc)}"


def _declaration_problem(obj: object, name: str) -> str | None:
    if not isinstance(obj, Exporter):
        missing = [a for a in ("name", "suffixes", "media_type", "binary", "export") if not hasattr(obj, a)]
        return f"is not an exporter (it lacks {', '.join(missing)})"
    if obj.name != name:
        return f"gives an exporter named {_shown(obj.name)} under the entry-point name {name!r}"
    suffixes = obj.suffixes
    if (
        not isinstance(suffixes, tuple)
        or not suffixes
        or not all(isinstance(s, str) and s.startswith(".") and s == s.lower() for s in suffixes)
    ):
        return f"has suffixes {_shown(suffixes)}; expected a non-empty tuple of lower-case strings starting with '.'"
    binary = obj.binary
    if not isinstance(binary, bool):
        return f"has binary={_shown(binary)}; expected True or False"
    return None


def _load(slot: _Slot) -> Exporter:
    info = slot.info
    try:
        if slot.entry_point is not None:
            obj = slot.entry_point.load()
        else:
            module_name, _, attribute = info.target.partition(":")
            obj = getattr(importlib.import_module(module_name), attribute)
        if isinstance(obj, type):
            obj = obj()
    except (Exception, SystemExit) as exc:  # a plugin may fail in any way; it must not break the others
        problem = f"failed to load: {_said(exc)}"
    else:
        checked = _problem_with(obj, info.name)
        if checked is None:
            return obj  # type: ignore[no-any-return]
        problem = checked
    slot.info = attrs.evolve(info, error=problem)
    _warn(slot.info, problem)
    raise ExporterUnavailableError(f"the {info.name!r} exporter cannot be used: it {problem}")


def _slot(name: str) -> _Slot:
    slot = _registry().get(name)
    if slot is None:
        raise UnknownExporterError(f"no exporter is called {name!r}; available: {', '.join(available())}")
    if slot.info.error is not None:
        raise ExporterUnavailableError(f"the {name!r} exporter cannot be used: it {slot.info.error}")
    if slot.exporter is None:
        slot.exporter = _load(slot)
    return slot


def get(name: str) -> Exporter:
    """The exporter called ``name``.

    Raises :class:`UnknownExporterError` (listing the available names) when
    none is, and :class:`ExporterUnavailableError` when it was found but
    cannot be loaded.
    """
    exporter = _slot(name).exporter
    assert exporter is not None
    return exporter


def export(name: str, canvas: Canvas, **options: Any) -> str | bytes:
    """Run the exporter called ``name`` on ``canvas`` with ``options``.

    The usager errors an exporter raises on purpose (a
    :class:`~usager.errors.CanvasError` for a canvas it cannot draw, an
    :class:`~usager.errors.OptionError` for an unknown option...) pass through.
    Anything else it raises, a ``sys.exit()`` included, and an output that is
    not ``bytes`` when it declares ``binary`` (or not ``str`` when it does
    not), raise :class:`~usager.errors.ExporterError` naming the exporter and
    its distribution, with the exporter's exception as the cause.
    """
    slot = _slot(name)
    exporter = slot.exporter
    assert exporter is not None
    origin = f"the {name!r} exporter (from {slot.info.distribution or 'usager'!r})"
    try:
        output = exporter.export(canvas, **options)
        binary = bool(exporter.binary)  # read again: a plugin's property may fail now
    except UsagerError:
        raise
    except (Exception, SystemExit) as exc:
        raise ExporterError(
            f"{origin} failed: {_said(exc)}", exporter=name, distribution=slot.info.distribution
        ) from exc
    expected = bytes if binary else str
    if type(output) is not expected:
        raise ExporterError(
            f"{origin} declares binary={binary} but returned {type(output).__name__}, not {expected.__name__}",
            exporter=name,
            distribution=slot.info.distribution,
        )
    return output


def _suffix_candidates(path: str | os.PathLike[str]) -> list[str]:
    suffixes = [s.lower() for s in os.fspath(path).replace("\\", "/").rsplit("/", 1)[-1].split(".")[1:]]
    return ["." + ".".join(suffixes[i:]) for i in range(len(suffixes))]


def name_for_path(path: str | os.PathLike[str]) -> str:
    """The name of the exporter that writes files with ``path``'s suffix (built-ins first, then by name).

    Built-ins are matched from static data, importing nothing; third-party
    exporters are loaded to learn their suffixes. The longest suffix that an
    exporter writes wins (``.tar.gz`` before ``.gz``).
    """
    slots = _registry()
    builtins = [n for n, s in slots.items() if s.info.builtin and n in BUILTINS and s.info.error is None]
    plugins = [n for n, s in slots.items() if n not in builtins]
    for candidate in _suffix_candidates(path):
        for name in builtins:
            if candidate in BUILTINS[name].suffixes:
                return name
        for name in plugins:
            try:
                exporter = get(name)
            except ExporterUnavailableError:
                continue
            if candidate in exporter.suffixes:
                return name
    raise UnknownExporterError(
        f"no exporter writes files named {os.fspath(path)!r}; name the format, one of: {', '.join(available())}"
    )


def for_path(path: str | os.PathLike[str]) -> Exporter:
    """The exporter that writes files with ``path``'s suffix (see :func:`name_for_path`)."""
    return get(name_for_path(path))


def readable() -> list[str]:
    """The names of the exporters that can also read their format (see :class:`Loader`), sorted."""
    names = []
    for name, slot in _registry().items():
        if slot.info.builtin and name in BUILTINS:
            if BUILTINS[name].readable:
                names.append(name)
            continue
        try:
            if isinstance(get(name), Loader):
                names.append(name)
        except ExporterUnavailableError:
            continue
    return names
