"""The canvas as a plain document (dicts, lists, strings), both ways.

:func:`to_document` gives the JSON-ready form of the ``usager/2`` format (and
:func:`from_document` reads ``usager/1`` too);
:func:`from_document` reads it back strictly, collecting every problem with
its JSON path before raising one :class:`~usager.errors.LoadError`. Formats
(JSON, CSV...) only turn bytes into these plain values and back. What each key
holds comes from the fields' descriptions (:mod:`usager._fields`).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from itertools import repeat
from typing import Any, Final

import attrs

from usager._fields import Kind, NonFinite, Problems, Spec, describe, specs
from usager._generated import generate
from usager._i18n import LANGUAGES, N_, say, speaking
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, Canvas
from usager.errors import ElementError, LoadError, shown

__all__ = [
    "DUPLICATE_KEY",
    "FORMAT",
    "META_KEYS",
    "REQUIRED_TOP_KEYS",
    "SUPPORTED_FORMATS",
    "TOP_KEYS",
    "VERSION",
    "VERSIONS",
    "DuplicateKeys",
    "ElementsReader",
    "Locate",
    "NonFinite",
    "document_head",
    "element_name",
    "format_version",
    "from_document",
    "locate_problems",
    "spec_at",
    "to_document",
    "to_fields",
    "too_new",
]


def _newest() -> int:
    """The newest version of the format: the latest that a field or a list says brought it (its ``since``)."""
    classes: list[type[Any]] = [Canvas, *(t.cls for t in ELEMENT_TYPES)]
    return max(spec.since for cls in classes for _, spec in specs(cls))


#: The version number of the format written: ``usager/N`` brought the newest field or list.
VERSION: Final = _newest()
#: The format this version writes.
FORMAT: Final = f"usager/{VERSION}"
#: The formats this version reads: every version up to its own.
SUPPORTED_FORMATS = tuple(f"usager/{n}" for n in range(1, VERSION + 1))
#: Each format read, with its version number (``usager/1`` is 1).
VERSIONS: dict[str, int] = {f: n for n, f in enumerate(SUPPORTED_FORMATS, 1)}
#: The problem of a key given twice in one object, in every format.
DUPLICATE_KEY = N_("this key appears more than once in the object; keep one")
#: Unknown keys up to this length get a "did you mean" suggestion.
_SUGGESTED_KEY_LENGTH = 40


def _key(field: attrs.Attribute[Any], spec: Spec) -> str:
    return spec.key or field.name


#: The canvas's own keys (``name``, ``description``, ``language``, ``$schema``) with their descriptions.
_CANVAS_SCALARS: dict[str, tuple[str, Spec]] = {
    _key(f, s): (f.name, s) for f, s in specs(Canvas) if s.kind is not Kind.ELEMENTS
}
#: Keys about the document rather than the canvas (``$schema``): written first, and only when set.
META_KEYS: tuple[str, ...] = tuple(k for k in _CANVAS_SCALARS if k.startswith("$"))
#: Every top-level key, in document order.
TOP_KEYS: tuple[str, ...] = (
    *META_KEYS,
    "format",
    *(_key(f, s) for f, s in specs(Canvas) if _key(f, s) not in META_KEYS),
)
REQUIRED_TOP_KEYS: tuple[str, ...] = (
    "format",
    *(k for k, (n, _) in _CANVAS_SCALARS.items() if attrs.fields_dict(Canvas)[n].default is attrs.NOTHING),
)


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


NumberHook = Callable[[Any], Any]


def _compile_builder(cls: type[Any], number: NumberHook | None) -> Callable[[Any], dict[str, Any]]:
    """A function turning an element into a dict of its fields, in order (enums and tuples kept).

    Generated code, like attrs' own ``__init__``: a dict display is several times faster than a
    loop over the fields, and this runs once per element on every save. ``number``, when given,
    is applied to the values of number fields.
    """
    items = ", ".join(
        f"{_key(f, s)!r}: " + (f"_number(e.{f.name})" if number and s.kind is Kind.NUMBER else f"e.{f.name}")
        for f, s in specs(cls)
    )
    namespace: dict[str, Any] = {"_number": number}
    what = f"document {cls.__name__}" + (" (numbers hooked)" if number else "")
    return generate(f"def build(e):\n    return {{{items}}}\n", "build", what, namespace)  # type: ignore[no-any-return]


@functools.cache
def _builders(number: NumberHook | None) -> dict[type[Any], Callable[[Any], dict[str, Any]]]:
    return {cls: _compile_builder(cls, number) for _, cls in ELEMENT_LISTS}


_PLAIN: dict[type[Any], tuple[tuple[str, Spec], ...]] = {
    cls: tuple((_key(f, s), s) for f, s in specs(cls)) for _, cls in ELEMENT_LISTS
}


def document_head(canvas: Canvas) -> dict[str, Any]:
    """The document's keys before its element lists, in order: ``$schema`` (when set), ``format``, the scalars."""
    document: dict[str, Any] = {}
    for key in META_KEYS:
        value = getattr(canvas, _CANVAS_SCALARS[key][0])
        if value is not None:
            document[key] = value
    document["format"] = FORMAT
    for key, (name, _) in _CANVAS_SCALARS.items():
        if key not in META_KEYS:
            document[key] = getattr(canvas, name)
    return document


def to_fields(canvas: Canvas, *, number: NumberHook | None = None) -> dict[str, Any]:
    """The document as dicts of the elements' own values (enum members, tuples), for fast encoders.

    ``number`` (a function called once and cached per function) turns the values of number
    fields into what the encoder should write, so that an encoder can spell floats its own way.
    """
    builders = _builders(number)
    document = document_head(canvas)
    for list_name, cls in ELEMENT_LISTS:
        build = builders[cls]
        document[list_name] = [build(e) for e in getattr(canvas, list_name)]
    return document


def to_document(canvas: Canvas) -> dict[str, Any]:
    """The canvas as plain JSON-ready values, every key present, in the documented order."""
    document = to_fields(canvas)
    for key, (_, spec) in _CANVAS_SCALARS.items():
        if key in document:
            document[key] = spec.to_plain(document[key])
    for list_name, cls in ELEMENT_LISTS:
        plain = _PLAIN[cls]
        document[list_name] = [{k: s.to_plain(fields[k]) for k, s in plain} for fields in document[list_name]]
    return document


# ---------------------------------------------------------------- decoding


@attrs.frozen
class _Shape:
    cls: type[Any]
    fields: Mapping[str, tuple[str, Spec]]
    required: tuple[str, ...]


_LIST_SPECS: dict[str, Spec] = {f.name: s for f, s in specs(Canvas) if s.kind is Kind.ELEMENTS}
_SHAPES: dict[str, _Shape] = {
    list_name: _Shape(
        cls,
        {_key(f, s): (f.name, s) for f, s in specs(cls)},
        tuple(_key(f, s) for f, s in specs(cls) if f.default is attrs.NOTHING),
    )
    for list_name, cls in ELEMENT_LISTS
}


def spec_at(path: tuple[str | int, ...]) -> tuple[Spec, bool] | None:
    """The description of the value at ``path`` in a document, and whether it is an item of its list.

    ``("brakes", 0, "severity")`` gives the brake's severity spec; ``("brakes", 0, "tags", 1)``
    the tags spec and True. None for a path that names no field (the document, an element,
    an unknown key). Readers of untyped formats (YAML) use it to read a scalar by what the
    field expects.
    """
    depth = len(path)
    if depth == 1 and path[0] in _CANVAS_SCALARS:
        return _CANVAS_SCALARS[path[0]][1], False
    if depth == 1 and path[0] in _LIST_SPECS:
        return _LIST_SPECS[path[0]], False
    shape = _SHAPES.get(path[0]) if depth in (3, 4) and type(path[1]) is int else None  # type: ignore[arg-type]
    entry = shape.fields.get(path[2]) if shape is not None else None  # type: ignore[arg-type]
    if entry is None:
        return None
    if depth == 3:
        return entry[1], False
    return (entry[1], True) if entry[1].is_list and type(path[3]) is int else None


def _suggestion(key: str, allowed: Mapping[str, Any] | tuple[str, ...]) -> str | None:
    """The allowed key that ``key`` most likely misspells, or None."""
    if len(key) > _SUGGESTED_KEY_LENGTH:
        return None
    return _closest_key(key, tuple(allowed))


@functools.lru_cache(maxsize=1024)
def _closest_key(key: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed key nearest ``key`` by edit distance (cached: the same misspelling comes back in many objects)."""
    import difflib

    close = difflib.get_close_matches(key, allowed, n=1)
    return close[0] if close else None


def _unknown_key(key: str, allowed: Mapping[str, Any] | tuple[str, ...]) -> str:
    close = _suggestion(key, allowed)
    hint = say(" (did you mean {key}?)", key=repr(close)) if close else ""
    return say("unknown key {key}{hint}; the keys here are: {keys}", key=shown(key), hint=hint, keys=", ".join(allowed))


def _missing(
    obj: Mapping[str, Any],
    path: tuple[str | int, ...],
    allowed: Mapping[str, Any] | tuple[str, ...],
    required: tuple[str, ...],
    problems: Problems,
) -> None:
    """Report each required key missing from ``obj``, unless an unknown key there misspells it.

    The misspelt key is reported already, with the suggestion: one mistake, one problem.
    Suggestions are looked for only while problems are kept: past the limit, where they are
    only counted, each unknown key is taken to stand for one missing key, as it most often does.
    """
    missing = [key for key in required if key not in obj]
    if not missing:
        return
    unknown = [key for key in obj if key not in allowed]
    if problems.full:
        problems.more += max(len(missing) - len(unknown), 0)
        return
    misspelt = {_suggestion(key, allowed) for key in unknown if type(key) is str}
    for key in missing:
        if key not in misspelt:
            problems.add(path, say("missing required key {key}", key=repr(key)))


def _keys(
    obj: dict[str, Any],
    path: tuple[str | int, ...],
    allowed: Mapping[str, Any] | tuple[str, ...],
    problems: Problems,
) -> None:
    if type(obj) is DuplicateKeys:
        for key in obj.duplicates:
            problems.add((*path, key), say(DUPLICATE_KEY), key=True)
    unknown = [key for key in obj if key not in allowed]
    room = max(problems.limit - len(problems.items), 0)
    for key in unknown[:room]:
        if type(key) is str:
            problems.add((*path, key), _unknown_key(key, allowed), key=True)
        else:  # a dict given by a program: a path names no such key, so the object is the place
            problems.add(path, say("a key must be a string, found {found}", found=describe(key)))
    problems.more += len(unknown[room:])


#: The values of a document's ``language`` that its problems are said in.
SPOKEN = frozenset({"en", *LANGUAGES})

#: What holds a key or a row too new for its format, as :func:`too_new` names it.
CONTAINERS = (N_("document"), N_("file"))


def too_new(what: str, since: int, version: int, container: str = "document") -> str:
    """Why ``what``, which format ``usager/{since}`` brought, may not stand in a ``usager/{version}`` one."""
    return say(
        "{what} needs format 'usager/{since}', and this {container} is 'usager/{version}': "
        "change its format to 'usager/{since}'",
        what=what,
        since=since,
        container=say(container),
        version=version,
    )


def _too_new(key: str, spec: Spec, version: int, path: tuple[str | int, ...], problems: Problems) -> bool:
    """Report ``key`` when the document's format is older than the one that brought it."""
    if spec.since <= version:
        return False
    problems.add(path, too_new(say("the key {key}", key=repr(key)), spec.since, version))
    return True


#: Reads the elements that are plainly valid, fast: ``read(list_name, items, version)`` gives, for
#: each object of ``items`` (the list ``list_name``), the element it stands for, or None when it is
#: not plainly valid. An element it gives must be the one :func:`from_document` would read, with
#: no problem.
ElementsReader = Callable[[str, list[Any], int], list[Any]]


def _element(shape: _Shape, obj: Any, path: tuple[str | int, ...], problems: Problems, version: int) -> Any:
    if type(obj) is not dict and type(obj) is not DuplicateKeys:
        problems.add(path, say("expected an object, found {found}", found=describe(obj)))
        return None
    before = len(problems)
    _keys(obj, path, shape.fields, problems)
    _missing(obj, path, shape.fields, shape.required, problems)
    values: dict[str, Any] = {}
    for key, raw in obj.items():
        entry = shape.fields.get(key)
        if entry is not None:
            name, spec = entry
            if not _too_new(key, spec, version, (*path, key), problems):
                values[name] = spec.read(raw, (*path, key), problems)
    if len(problems) > before:
        return None
    try:  # every field is right on its own; what remains are rules across fields
        return shape.cls(**values)
    except ElementError as exc:
        problems.add((*path, exc.field), exc.reason)
        return None


def format_version(fmt: Any, problems: Problems) -> int:
    """The version number of the format tag ``fmt`` (1 for ``usager/1``).

    A bad tag is reported, and the document read as the latest format.
    """
    if type(fmt) is not str:
        problems.add(("format",), say("expected a string, found {found}", found=describe(fmt)))
    elif fmt not in SUPPORTED_FORMATS:
        supported = ", ".join(repr(f) for f in SUPPORTED_FORMATS)
        problems.add(
            ("format",),
            say("unsupported format {format}; this version reads {supported}", format=shown(fmt), supported=supported),
        )
    else:
        return VERSIONS[fmt]
    return VERSION


#: Where a JSON path stands in a text: ``locate(path, key)`` gives the 1-based line and column of
#: the value at ``path`` (of its key when ``key``), or None when the path is not in the text.
Locate = Callable[[tuple[str | int, ...], bool], "tuple[int, int] | None"]
#: What the elements of each list are called in messages (``brake 'jargon'``).
_ELEMENT_NAMES = {t.list: t.name for t in ELEMENT_TYPES}


def _element_name(document: Mapping[str, Any], path: tuple[str | int, ...]) -> str | None:
    """``brake 'jargon'`` for a path inside an element whose id can be read, else None."""
    if len(path) < 2 or path[0] not in _ELEMENT_NAMES or type(path[1]) is not int:
        return None
    items = document.get(path[0])
    if type(items) is not list or path[1] >= len(items):
        return None
    item = items[path[1]]
    if not isinstance(item, dict) or type(item.get("id")) is not str or not item["id"]:
        return None
    return element_name(path[0], item["id"])


def element_name(list_name: str, id: str) -> str:
    """How a problem names the element of the list ``list_name`` with this ``id``: ``brake 'jargon'``."""
    return f"{say(_ELEMENT_NAMES.get(list_name, N_('element')))} {shown(id, 40)}"


def _position(locate: Locate, path: tuple[str | int, ...], key: bool) -> tuple[int, int] | None:
    """The position of ``path``, or of its nearest parent in the text (a field given as ``goals[2]``...)."""
    while True:
        found = locate(path, key)
        if found is not None or not path:
            return found
        path, key = path[:-1], False


def locate_problems(
    problems: Problems, document: Mapping[str, Any], locate: Locate | None, source: str | None
) -> LoadError:
    """The error holding ``problems``, each given its element and, with ``locate``, its line and column.

    Runs only on the error path: a document that reads costs nothing more.
    """
    items = []
    for index, problem in enumerate(problems.items):
        extra: dict[str, Any] = {"element": _element_name(document, problem.path)}
        if locate is not None:
            position = _position(locate, problem.path, index in problems.at_keys)
            if position is not None:
                extra["line"], extra["column"] = position
        items.append(attrs.evolve(problem, **extra))
    return LoadError(items, source=source, more=problems.more)


def from_document(
    document: Any, *, source: str | None = None, locate: Locate | None = None, fast: ElementsReader | None = None
) -> Canvas:
    """Build a canvas from plain values, strictly.

    Raises :class:`~usager.errors.LoadError` listing every problem found, each
    with its JSON path and the element concerned when its id is known: a wrong
    type, an unknown or missing key, a bad id or enum value, an unsupported
    ``format``. Past a few hundred problems, the rest are counted rather than
    listed. ``locate``, given by a text format, tells each problem's line and
    column; it is called only when there are problems. ``fast``, given by a
    format whose values are exactly JSON's, reads the elements that are plainly
    valid, so that only the others are read slowly.
    """
    if type(document) is not dict and type(document) is not DuplicateKeys:
        problem = Problems()
        problem.add((), say("expected an object (the canvas), found {found}", found=describe(document)))
        raise locate_problems(problem, {}, locate, source)
    language = document.get("language")
    # what is wrong is said in the document's language, when it names one rightly
    with speaking(language if language in SPOKEN else None):
        return _from_document(document, source, locate, fast)


def _from_document(document: Any, source: str | None, locate: Locate | None, fast: ElementsReader | None) -> Canvas:
    """The body of :func:`from_document`, for a document that is an object, said in its language."""
    problems = Problems()
    _keys(document, (), TOP_KEYS, problems)
    _missing(document, (), TOP_KEYS, REQUIRED_TOP_KEYS, problems)
    version = format_version(document["format"], problems) if "format" in document else VERSION
    values: dict[str, Any] = {}
    for key, (name, spec) in _CANVAS_SCALARS.items():
        if key in document and not _too_new(key, spec, version, (key,), problems):
            values[name] = spec.read(document[key], (key,), problems)
    for list_name, list_spec in _LIST_SPECS.items():
        if list_name in document and _too_new(list_name, list_spec, version, (list_name,), problems):
            continue
        items = document.get(list_name, [])
        if type(items) is not list:
            problems.add((list_name,), say("expected an array, found {found}", found=describe(items)))
            continue
        shape = _SHAPES[list_name]
        # The elements read fast; the thorough reader reads the others, to say what is wrong.
        read = fast(list_name, items, version) if fast is not None else [None] * len(items)
        if not any(map(operator.is_, read, repeat(None))):  # every one (an identity test each: no __eq__ called)
            values[list_name] = read
            continue
        elements: list[Any] = []
        for i, item in enumerate(items):
            if problems.full:  # count the rest cheaply: only objects can still be read
                types = list(map(type, items[i:]))
                objects = types.count(dict) + types.count(DuplicateKeys)
                problems.more += len(types) - objects
                if objects:
                    elements += (
                        _element(shape, o, (list_name, j), problems, version) if read[j] is None else read[j]
                        for j, o in enumerate(items[i:], start=i)
                        if type(o) is dict or type(o) is DuplicateKeys
                    )
                break
            element = read[i]
            elements.append(_element(shape, item, (list_name, i), problems, version) if element is None else element)
        values[list_name] = elements
    if len(problems):
        raise locate_problems(problems, document, locate, source)
    return Canvas(**values)
