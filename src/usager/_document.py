"""The canvas as a plain document (dicts, lists, strings), both ways.

:func:`to_document` gives the JSON-ready form of the ``usager/1`` format;
:func:`from_document` reads it back strictly, collecting every problem with
its JSON path before raising one :class:`~usager.errors.LoadError`. Formats
(JSON, CSV...) only turn bytes into these plain values and back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

import attrs

from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import ElementError, LoadError, Problem

__all__ = ["FORMAT", "SUPPORTED_FORMATS", "DuplicateKeys", "NonFinite", "from_document", "to_document"]

#: The format this version writes.
FORMAT = "usager/1"
#: The formats this version reads.
SUPPORTED_FORMATS = ("usager/1",)

_SCALARS = ("format", "name", "description", "language")
TOP_KEYS = (*_SCALARS, *(name for name, _ in ELEMENT_LISTS))


class NonFinite:
    """Stands in for ``NaN``/``Infinity`` read by a lenient parser, so the checker can say where it was."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return self.token


class DuplicateKeys(dict[str, Any]):
    """An object in which a parser met some keys more than once (``duplicates``)."""

    duplicates: tuple[str, ...] = ()


def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for :func:`json.loads` that remembers duplicated keys."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        dup = DuplicateKeys(result)
        dup.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return dup
    return result


# ---------------------------------------------------------------- encoding


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in attrs.fields(cls)) for _, cls in ELEMENT_LISTS
}


def _compile_builder(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """A function turning an element into a dict of its fields, in order (enums and tuples kept).

    Generated code, like attrs' own ``__init__``: a dict display is several times faster than a
    loop over the fields, and this runs once per element on every save.
    """
    items = ", ".join(f"{name!r}: e.{name}" for name in _FIELD_NAMES[cls])
    namespace: dict[str, Any] = {}
    exec(f"def build(e):\n    return {{{items}}}\n", namespace)
    return namespace["build"]  # type: ignore[no-any-return]


_BUILDERS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {cls: _compile_builder(cls) for _, cls in ELEMENT_LISTS}


def to_fields(canvas: Canvas) -> dict[str, Any]:
    """The document as dicts of the elements' own values (enum members, tuples), for fast encoders."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "name": canvas.name,
        "description": canvas.description,
        "language": canvas.language,
    }
    for list_name, cls in ELEMENT_LISTS:
        build = _BUILDERS[cls]
        document[list_name] = [build(e) for e in getattr(canvas, list_name)]
    return document


def to_document(canvas: Canvas) -> dict[str, Any]:
    """The canvas as plain JSON-ready values, every key present, in the documented order."""
    document = to_fields(canvas)
    document["language"] = canvas.language.value
    for list_name, _ in ELEMENT_LISTS:
        document[list_name] = [{k: _plain(v) for k, v in fields.items()} for fields in document[list_name]]
    return document


# ---------------------------------------------------------------- decoding


def describe(value: object) -> str:
    """Say what a JSON value is, for a message: ``null``, ``the string 'x'``, ``an array``..."""
    if value is None:
        return "null"
    if value is True or value is False:
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}" if math.isfinite(value) else "a number too large to represent"
    if isinstance(value, NonFinite):
        return f"{value.token}, which JSON does not allow"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _key_path(path: str, key: str) -> str:
    if key.isidentifier():
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"


Checker = Callable[[Any, str, list[Problem]], bool]


def _string(value: Any, path: str, problems: list[Problem]) -> bool:
    if type(value) is str:
        return True
    problems.append(Problem(path, f"expected a string, found {describe(value)}"))
    return False


def _string_or_null(value: Any, path: str, problems: list[Problem]) -> bool:
    if value is None or type(value) is str:
        return True
    problems.append(Problem(path, f"expected a string or null, found {describe(value)}"))
    return False


def _integer(value: Any, path: str, problems: list[Problem]) -> bool:
    if type(value) is int:
        return True
    problems.append(Problem(path, f"expected an integer, found {describe(value)}"))
    return False


def _strings(value: Any, path: str, problems: list[Problem]) -> bool:
    if type(value) is not list:
        problems.append(Problem(path, f"expected an array of strings, found {describe(value)}"))
        return False
    ok = True
    for i, item in enumerate(value):
        if type(item) is not str:
            problems.append(Problem(f"{path}[{i}]", f"expected a string, found {describe(item)}"))
            ok = False
    return ok


def _checker_for(annotation: str) -> Checker:
    if annotation.startswith("tuple["):
        return _strings
    if annotation == "int":
        return _integer
    if annotation.endswith("| None"):
        return _string_or_null
    return _string


@attrs.frozen
class _Shape:
    cls: type[Any]
    checkers: Mapping[str, Checker]
    required: tuple[str, ...]


_SHAPES: dict[str, _Shape] = {
    list_name: _Shape(
        cls,
        {f.name: _checker_for(str(f.type)) for f in attrs.fields(cls)},
        tuple(f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING),
    )
    for list_name, cls in ELEMENT_LISTS
}


def _keys(
    obj: dict[str, Any], path: str, allowed: Mapping[str, Any] | tuple[str, ...], problems: list[Problem]
) -> None:
    if type(obj) is DuplicateKeys:
        for key in obj.duplicates:
            problems.append(Problem(_key_path(path, key), "this key appears more than once in the object"))
    for key in obj:
        if key not in allowed:
            import difflib

            close = difflib.get_close_matches(key, list(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            known = ", ".join(allowed)
            problems.append(Problem(_key_path(path, key), f"unknown key {key!r}{hint}; the keys here are: {known}"))


def _element(shape: _Shape, obj: Any, path: str, problems: list[Problem]) -> Any:
    if type(obj) is not dict and type(obj) is not DuplicateKeys:
        problems.append(Problem(path, f"expected an object, found {describe(obj)}"))
        return None
    before = len(problems)
    _keys(obj, path, shape.checkers, problems)
    for name in shape.required:
        if name not in obj:
            problems.append(Problem(path, f"missing required key {name!r}"))
    for key, value in obj.items():
        checker = shape.checkers.get(key)
        if checker is not None:
            checker(value, _key_path(path, key), problems)
    if len(problems) > before:
        return None
    try:
        return shape.cls(**obj)
    except ElementError as exc:
        problems.append(Problem(f"{path}.{exc.field}", exc.reason))
        return None


def from_document(document: Any, *, source: str | None = None) -> Canvas:
    """Build a canvas from plain values, strictly.

    Raises :class:`~usager.errors.LoadError` listing every problem found, each
    with its JSON path: a wrong type, an unknown or missing key, a bad id or
    enum value, an unsupported ``format``.
    """
    if type(document) is not dict and type(document) is not DuplicateKeys:
        raise LoadError.at("$", f"expected an object (the canvas), found {describe(document)}", source=source)
    problems: list[Problem] = []
    _keys(document, "$", TOP_KEYS, problems)
    for key in ("format", "name"):
        if key not in document:
            problems.append(Problem("$", f"missing required key {key!r}"))
    fmt = document.get("format")
    if "format" in document and _string(fmt, "$.format", problems) and fmt not in SUPPORTED_FORMATS:
        supported = ", ".join(repr(f) for f in SUPPORTED_FORMATS)
        problems.append(Problem("$.format", f"unsupported format {fmt!r}; this version reads {supported}"))
    scalars: dict[str, Any] = {}
    for key in ("name", "description", "language"):
        if key in document and _string(document[key], f"$.{key}", problems):
            scalars[key] = document[key]
    if "name" in scalars:
        try:
            Canvas(**scalars)
        except ElementError as exc:
            problems.append(Problem(f"$.{exc.field}", exc.reason))
    lists: dict[str, Any] = {}
    for list_name, _ in ELEMENT_LISTS:
        items = document.get(list_name, [])
        path = f"$.{list_name}"
        if type(items) is not list:
            problems.append(Problem(path, f"expected an array, found {describe(items)}"))
            continue
        shape = _SHAPES[list_name]
        lists[list_name] = [_element(shape, item, f"{path}[{i}]", problems) for i, item in enumerate(items)]
    if problems:
        raise LoadError(problems, source=source)
    return Canvas(**scalars, **lists)
