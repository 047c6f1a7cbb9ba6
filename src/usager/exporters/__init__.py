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
"""

from __future__ import annotations

import contextlib
import importlib
import os
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from usager.errors import UsagerError

if TYPE_CHECKING:
    from importlib import metadata

    from usager.canvas import Canvas

__all__ = [
    "DISABLE_PLUGINS_ENV",
    "GROUP",
    "Exporter",
    "ExporterInfo",
    "ExporterUnavailableError",
    "ExporterWarning",
    "Loader",
    "UnknownExporterError",
    "available",
    "for_path",
    "get",
    "infos",
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
_BUILTINS: Mapping[str, str] = {
    "json": "usager.exporters.json:JsonExporter",
    "csv": "usager.exporters.csv:CsvExporter",
    "dot": "usager.exporters.dot:DotExporter",
    "svg": "usager.exporters.render:SvgExporter",
    "png": "usager.exporters.render:PngExporter",
    "pdf": "usager.exporters.render:PdfExporter",
}


@runtime_checkable
class Exporter(Protocol):
    """What an exporter is: a named way of turning a canvas into text or bytes.

    ``suffixes`` are the file suffixes it writes, lower case with the dot
    (``(".json",)``); ``media_type`` is its MIME type; ``binary`` says whether
    :meth:`export` returns ``bytes`` (``True``) or ``str`` (``False``).
    """

    name: str
    suffixes: tuple[str, ...]
    media_type: str
    binary: bool

    def export(self, canvas: Canvas, **options: Any) -> str | bytes:
        """Turn ``canvas`` into this format."""
        ...


@runtime_checkable
class Loader(Protocol):
    """An exporter that can also read its format back into a canvas."""

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read ``data``; raise :class:`~usager.errors.LoadError` on bad input.

        ``source`` (a file name, say) prefixes the error message when given.
        """
        ...


class ExporterWarning(UserWarning):
    """A third-party exporter could not be used; the others keep working."""


class UnknownExporterError(UsagerError, LookupError):
    """No exporter has the name (or suffix) asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ExporterUnavailableError(UsagerError, RuntimeError):
    """An exporter was found but cannot be used (it failed to import, or is not an exporter)."""


@attrs.frozen
class ExporterInfo:
    """What the registry knows of one exporter, before or after loading it.

    ``distribution`` is the distribution that registered it (``None`` when it
    comes from the fallback table), ``target`` the entry point's
    ``module:attribute``, and ``error`` why it cannot be used, once known.
    """

    name: str
    target: str
    distribution: str | None
    builtin: bool
    error: str | None = None


@attrs.define
class _Slot:
    info: ExporterInfo
    entry_point: metadata.EntryPoint | None = attrs.field()
    exporter: Exporter | None = None


_slots: dict[str, _Slot] | None = None


def _warn(info: ExporterInfo, problem: str) -> None:
    warnings.warn(
        f"usager exporter entry point '{info.name} = {info.target}' from distribution "
        f"{info.distribution or '(unknown)'!r} {problem}; the other exporters keep working",
        ExporterWarning,
        stacklevel=4,
    )


def _distribution_name(ep: metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return None if dist is None else str(dist.metadata["Name"])


def _scan() -> dict[str, _Slot]:
    from importlib import metadata  # imported here: it costs more than the rest of usager's import

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
            _warn(
                slot.info,
                f"was ignored: the name {slot.info.name!r} is already taken by "
                f"'{holder.info.target}' from {holder.info.distribution or 'usager'!r}",
            )
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
    """Every exporter found, each loaded to learn whether it works; broken ones carry ``error``."""
    for name in list(_registry()):
        with contextlib.suppress(ExporterUnavailableError):
            get(name)
    return [slot.info for slot in _registry().values()]


def _problem_with(obj: object, name: str) -> str | None:
    if not isinstance(obj, Exporter):
        missing = [a for a in ("name", "suffixes", "media_type", "binary", "export") if not hasattr(obj, a)]
        return f"is not an exporter (it lacks {', '.join(missing)})"
    if obj.name != name:
        return f"gives an exporter named {obj.name!r} under the entry-point name {name!r}"
    if not isinstance(obj.suffixes, tuple) or not all(
        isinstance(s, str) and s.startswith(".") and s == s.lower() for s in obj.suffixes
    ):
        return f"has suffixes {obj.suffixes!r}; expected a tuple of lower-case strings starting with '.'"
    if not isinstance(obj.binary, bool):
        return f"has binary={obj.binary!r}; expected True or False"
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
    except Exception as exc:  # a plugin may fail in any way; it must not break the others
        problem = f"failed to load: {type(exc).__name__}: {exc}"
    else:
        checked = _problem_with(obj, info.name)
        if checked is None:
            return obj  # type: ignore[no-any-return]
        problem = checked
    slot.info = attrs.evolve(info, error=problem)
    _warn(slot.info, problem)
    raise ExporterUnavailableError(f"the {info.name!r} exporter cannot be used: it {problem}")


def get(name: str) -> Exporter:
    """The exporter called ``name``.

    Raises :class:`UnknownExporterError` (listing the available names) when
    none is, and :class:`ExporterUnavailableError` when it was found but
    cannot be loaded.
    """
    slot = _registry().get(name)
    if slot is None:
        raise UnknownExporterError(f"no exporter is called {name!r}; available: {', '.join(available())}")
    if slot.info.error is not None:
        raise ExporterUnavailableError(f"the {name!r} exporter cannot be used: it {slot.info.error}")
    if slot.exporter is None:
        slot.exporter = _load(slot)
    return slot.exporter


def for_path(path: str | os.PathLike[str]) -> Exporter:
    """The exporter that writes files with ``path``'s suffix (built-ins first, then by name)."""
    suffixes = [s.lower() for s in os.fspath(path).rsplit("/", 1)[-1].split(".")[1:]]
    candidates = ["." + ".".join(suffixes[i:]) for i in range(len(suffixes))]
    slots = _registry()
    order = [n for n, s in slots.items() if s.info.builtin] + [n for n, s in slots.items() if not s.info.builtin]
    for candidate in candidates:
        for name in order:
            try:
                exporter = get(name)
            except ExporterUnavailableError:
                continue
            if candidate in exporter.suffixes:
                return exporter
    raise UnknownExporterError(
        f"no exporter writes files named {os.fspath(path)!r}; name the format, one of: {', '.join(available())}"
    )
