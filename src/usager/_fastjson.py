"""A fast path for reading usager JSON, with msgspec.

It accepts exactly what the thorough reader accepts, or hands over: whenever a document is
not plainly valid (msgspec refuses it, an id or label is wrong, a key may be duplicated, a
NUL is escaped...), :func:`fast_load` returns ``None`` and the thorough reader in
:mod:`usager._document` reads it again to report every problem with its JSON path.

Two tiers. A *canonical* document (every key of every element present, as usager writes
them) is decoded by msgspec straight into the elements: each element class has a *view*, an
attrs subclass adding no slot that declares every field required, with its exact type (enums,
bounds, rule codes as msgspec constraints) and no validator; msgspec builds the views in C, and
each is then made an instance of its element class by assigning ``__class__`` (allowed since
the layouts are the same). What msgspec cannot check is checked over whole lists at once.
Any other document (a ``usager/1`` one, keys left to their defaults) goes through Structs
mirroring the elements, with every key optional, and the elements are built from them.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections import deque
from collections.abc import Callable, Iterable
from itertools import chain, repeat
from typing import Annotated, Any, Literal

import attrs
import msgspec
from msgspec import UNSET, UnsetType

from usager._document import (
    FORMAT,
    REQUIRED_TOP_KEYS,
    SUPPORTED_FORMATS,
    TOP_KEYS,
    VERSION,
    VERSIONS,
    ElementsReader,
)
from usager._fields import RULE_CODE, Kind, Spec, assert_never, is_finite, specs
from usager._generated import generate
from usager._text import ID_MAX_LENGTH, all_ids, is_blank
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import ElementError

__all__ = ["element_reader", "fast_load"]


#: An id's length is checked by msgspec; its characters by :func:`~usager._text.all_ids`, over all ids at once.
_ID = Annotated[str, msgspec.Meta(min_length=1, max_length=ID_MAX_LENGTH)]
#: A label may not be empty (nor blank: checked over whole lists).
_LABEL = Annotated[str, msgspec.Meta(min_length=1)]


def _json_type(spec: Spec) -> Any:
    """The type msgspec decodes a field into, from its description."""
    kind = spec.kind
    single: Any
    if kind is Kind.CODES:  # msgspec matches with re.search: anchored with \A and \Z
        return tuple[Annotated[str, msgspec.Meta(pattern=f"\\A{RULE_CODE.pattern}\\Z")], ...]
    if kind is Kind.REFS:
        return tuple[_ID, ...]
    if spec.is_list:
        return tuple[str, ...]
    if kind is Kind.ID or kind is Kind.REF:
        single = _ID
    elif kind is Kind.LABEL:
        single = _LABEL
    elif kind is Kind.CHOICE:
        single = spec.choices
    elif kind is Kind.INTEGER:
        single = Annotated[int, msgspec.Meta(ge=spec.low, le=spec.high)]
    elif kind is Kind.BOOLEAN:
        single = bool
    elif kind is Kind.NUMBER:
        single = int | float
    elif kind is Kind.TEXT:
        single = str
    elif kind is Kind.TEXTS or kind is Kind.ELEMENTS:
        raise AssertionError(kind)  # lists are typed above; the canvas's own lists are not fields of an element
    else:
        assert_never(kind)
    return single | None if spec.optional else single


def _mirror(cls: type[Any]) -> type[msgspec.Struct]:
    """A Struct with the element's keys, each defaulting to UNSET so that presence is known."""
    fields = [(f.name, _json_type(spec) | UnsetType, _unset(f, spec)) for f, spec in specs(cls)]
    return msgspec.defstruct(f"_{cls.__name__}Json", fields, kw_only=True, forbid_unknown_fields=True)


def _unset(field: attrs.Attribute[Any], spec: Spec) -> Any:
    """UNSET by default, under the document's key when it differs from the field's name (``$schema``)."""
    return msgspec.field(default=UNSET, name=spec.key) if spec.key else UNSET


_MIRRORS = {name: _mirror(cls) for name, cls in ELEMENT_LISTS}
_CANVAS_SPECS = [(f, spec) for f, spec in specs(Canvas) if spec.kind is not Kind.ELEMENTS]
_Document = msgspec.defstruct(
    "_DocumentJson",
    [
        ("format", Literal[SUPPORTED_FORMATS] | UnsetType, UNSET),
        *((f.name, _json_type(spec) | UnsetType, _unset(f, spec)) for f, spec in _CANVAS_SPECS),
        *((name, tuple[_MIRRORS[name], ...] | UnsetType, UNSET) for name, _ in ELEMENT_LISTS),  # type: ignore[valid-type]
    ],
    kw_only=True,
    forbid_unknown_fields=True,
)
assert set(_Document.__struct_encode_fields__) == set(TOP_KEYS)
_REQUIRED = [name for name in _Document.__struct_fields__ if name in REQUIRED_TOP_KEYS]
_CLASSES: list[type[Any]] = [Canvas, *(cls for _, cls in ELEMENT_LISTS)]
#: By version of the format, the keys a document of it may not hold (a later version brought
#: them), quoted as they would stand in its text.
_NEWER_KEYS: dict[int, list[bytes]] = {
    version: sorted(
        {f'"{spec.key or f.name}"'.encode() for c in _CLASSES for f, spec in specs(c) if spec.since > version}
    )
    for version in range(1, VERSION)
}
_DECODER = msgspec.json.Decoder(_Document)
_ENCODER = msgspec.json.Encoder()


def _compile(cls: type[Any]) -> Callable[[Any, list[str]], Any]:
    """Build an element from its Struct without re-running validators; None when it is not plainly valid.

    msgspec has checked each value's type, enum and bounds. What remains is done here from
    each field's description: ids are appended to ``ids``, to be checked all at once; labels
    must not be blank; then the class's own checks across fields, if it has any.
    """
    lines = ["def build(s, ids):", "    o = _new(_cls)"]
    namespace: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls, "UNSET": UNSET}
    for f, spec in specs(cls):
        lines.append(f"    v = s.{f.name}")
        if f.default is attrs.NOTHING:
            lines.append("    if v is UNSET: return None")
        else:
            namespace[f"_default_{f.name}"] = f.default
            lines.append(f"    if v is UNSET: v = _default_{f.name}")
        if spec.kind in (Kind.ID, Kind.REF):
            lines.append("    if v is not None: ids.append(v)" if spec.optional else "    ids.append(v)")
        elif spec.kind is Kind.REFS:
            lines.append("    ids.extend(v)")
        elif spec.kind is Kind.LABEL:
            lines.append("    if not v or v.isspace(): return None")
        elif spec.kind is Kind.NUMBER:
            namespace["_isfinite"] = is_finite  # an integer too large for a float is not finite either
            lines.append("    if v is not None and not _isfinite(v): return None")
        elif spec.kind in (Kind.TEXT, Kind.TEXTS, Kind.CHOICE, Kind.INTEGER, Kind.BOOLEAN, Kind.CODES, Kind.ELEMENTS):
            pass  # msgspec has checked all there is to check
        else:
            assert_never(spec.kind)
        lines.append(f"    _set(o, {f.name!r}, v)")
    if hasattr(cls, "__attrs_post_init__"):
        namespace["_ElementError"] = ElementError
        lines += ["    try:", "        o.__attrs_post_init__()", "    except _ElementError:", "        return None"]
    lines.append("    return o")
    return generate("\n".join(lines), "build", f"fast-path build {cls.__name__}", namespace)  # type: ignore[no-any-return]


_BUILDERS = {name: _compile(cls) for name, cls in ELEMENT_LISTS}


# ---------------------------------------------------------------- canonical documents


def _view(cls: type[Any]) -> type[Any]:
    """The attrs subclass of ``cls`` that msgspec decodes a canonical element into.

    It redeclares every field without default or validator, typed exactly, and adds no slot, so
    that an instance can become a ``cls`` by assigning its ``__class__``. msgspec calls the
    class's ``__attrs_post_init__`` (its checks across fields), inherited.
    """
    annotations = {f.name: _json_type(spec) for f, spec in specs(cls)}
    namespace = {"__annotations__": annotations, "__module__": __name__, "__doc__": f"A canonical {cls.__name__}."}
    view: type[Any] = attrs.define(slots=True, frozen=True, kw_only=True, eq=False, repr=False)(
        type(f"_{cls.__name__}View", (cls,), namespace)
    )
    assert view.__basicsize__ == cls.__basicsize__, cls  # no slot added: __class__ can be assigned
    return view


_VIEWS = {name: _view(cls) for name, cls in ELEMENT_LISTS}
_Canonical = msgspec.defstruct(
    "_CanonicalJson",
    [
        ("format", Literal[FORMAT] | UnsetType, UNSET),
        *((f.name, _json_type(spec) | UnsetType, _unset(f, spec)) for f, spec in _CANVAS_SPECS),
        *((name, tuple[_VIEWS[name], ...] | UnsetType, UNSET) for name, _ in ELEMENT_LISTS),  # type: ignore[valid-type]
    ],
    kw_only=True,
    forbid_unknown_fields=True,
)
_CANONICAL = msgspec.json.Decoder(_Canonical)
#: Assigns an object's ``__class__`` (``object.__setattr__(o, "__class__", c)``, with one argument less to pass).
_set_class = object.__dict__["__class__"].__set__
_not_none = functools.partial(operator.is_not, None)


Getter = Callable[[Any], Any]


def _getters(cls: type[Any], *kinds: Kind, optional: bool | None = None) -> list[Getter]:
    """Getters of the fields of ``cls`` of ``kinds`` (only the optional ones, or only the others, if said)."""
    return [
        operator.attrgetter(f.name)
        for f, s in specs(cls)
        if s.kind in kinds and (optional is None or s.optional is optional)
    ]


#: The kinds of field holding one string that is not an id (enum values are strings).
_STRINGS = (Kind.TEXT, Kind.LABEL, Kind.CHOICE)


@attrs.frozen
class _Shape:
    """What the first tier checks and counts in a list of canonical elements of one class, as getters."""

    keys: int
    ids: list[Getter]  # the id, and references that may not be null
    optional_ids: list[Getter]
    id_lists: list[Getter]
    labels: list[Getter]
    numbers: list[Getter]
    texts: list[Getter]
    text_lists: list[Getter]
    strings: int  # fields always holding one string that is not an id
    optional_strings: list[Getter]  # the others holding one string or null
    string_lists: list[Getter]  # lists of strings that are not ids

    @classmethod
    def of(cls, element: type[Any]) -> _Shape:
        """The shape of ``element``'s fields."""
        return cls(
            keys=len(specs(element)),
            ids=_getters(element, Kind.ID, Kind.REF, optional=False),
            optional_ids=_getters(element, Kind.REF, optional=True),
            id_lists=_getters(element, Kind.REFS),
            labels=_getters(element, Kind.LABEL),
            numbers=_getters(element, Kind.NUMBER),
            texts=_getters(element, Kind.TEXT, Kind.LABEL),
            text_lists=_getters(element, Kind.TEXTS),
            strings=len(_getters(element, *_STRINGS, optional=False)),
            optional_strings=_getters(element, *_STRINGS, optional=True),
            string_lists=_getters(element, Kind.TEXTS, Kind.CODES),
        )

    def check(self, items: tuple[Any, ...], ids: list[Iterable[str]]) -> bool:
        """Whether what msgspec leaves to check holds over ``items``; their ids are added to ``ids``.

        Labels may not be blank and numbers must be finite; ids and references are checked
        later, all at once.
        """
        ids += (map(get, items) for get in self.ids)
        ids += (filter(None, map(get, items)) for get in self.optional_ids)  # msgspec refused empty ids
        ids += (chain.from_iterable(map(get, items)) for get in self.id_lists)
        for get in self.labels:  # msgspec has refused empty ones
            if any(map(str.isspace, map(get, items))):
                return False
        try:
            return all(all(map(math.isfinite, filter(_not_none, map(get, items)))) for get in self.numbers)
        except OverflowError:  # an integer too large for a float: the thorough reader says so
            return False


_SHAPES = {name: _Shape.of(cls) for name, cls in ELEMENT_LISTS}


def _top_keys(document: Any) -> int:
    """How many top-level keys ``document`` was given."""
    return sum(getattr(document, name) is not UNSET for name in _Canonical.__struct_fields__)


def _top_strings(document: Any) -> list[str]:
    """The top-level values that are strings (enum members are strings too)."""
    values = [document.format, *(getattr(document, f.name) for f, _ in _CANVAS_SPECS)]
    return [v for v in values if isinstance(v, str)]


def _keys(document: Any, lists: dict[str, tuple[Any, ...]]) -> int:
    """The keys of a document holding exactly the keys decoded (every element's, in a canonical one)."""
    return _top_keys(document) + sum(_SHAPES[name].keys * len(items) for name, items in lists.items())


def _strings(document: Any, lists: dict[str, tuple[Any, ...]], ids: int) -> int:
    """The strings (keys and values) of a document holding exactly the keys decoded, ``ids`` of them ids."""
    count = _keys(document, lists) + len(_top_strings(document)) + ids
    for name, items in lists.items():
        shape = _SHAPES[name]
        count += shape.strings * len(items)
        for get in shape.optional_strings:
            count += len(items) - list(map(get, items)).count(None)
        if shape.string_lists:
            count += sum(map(len, chain.from_iterable(map(get, items) for get in shape.string_lists)))
    return count


def _colons(document: Any, lists: dict[str, tuple[Any, ...]]) -> int:
    """The colons of a document holding exactly the keys decoded: one per key, and those in its texts.

    Ids, rule codes, enum values and numbers hold no colon; texts are counted joined, field by field.
    """
    count = _keys(document, lists) + sum(v.count(":") for v in _top_strings(document))
    for name, items in lists.items():
        shape = _SHAPES[name]
        for get in shape.texts:
            count += "".join(map(get, items)).count(":")
        for get in shape.text_lists:
            count += "".join(chain.from_iterable(map(get, items))).count(":")
    return count


def _scalars(document: Any) -> dict[str, Any] | None:
    """The canvas's own fields that ``document`` gives, or None when a label among them is blank."""
    scalars: dict[str, Any] = {}
    for field, spec in _CANVAS_SPECS:
        value = getattr(document, field.name)
        if value is not UNSET:
            if spec.kind is Kind.LABEL and value is not None and is_blank(value):
                return None
            scalars[field.name] = value
    return scalars


def _canvas(scalars: dict[str, Any], lists: dict[str, tuple[Any, ...]]) -> Canvas:
    """The canvas of values already checked, built without checking them again."""
    canvas = object.__new__(Canvas)
    values = {**scalars, **lists}
    for field in attrs.fields(Canvas):
        default: Any = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        object.__setattr__(canvas, field.name, values.get(field.name, default))
    return canvas


def _canonical_load(data: bytes, backslash: bool) -> Canvas | None:
    """The canvas of a canonical ``usager/2`` document, or None when it is not one or not plainly valid.

    ``backslash`` says whether ``data`` holds one.
    """
    try:
        return _canonical(data, backslash)
    except Exception:  # anything msgspec refuses, a failed __attrs_post_init__ included
        return None


def _canonical(data: bytes, backslash: bool) -> Canvas | None:
    """:func:`_canonical_load`, raising what msgspec raises on a document it refuses."""
    document: Any = _CANONICAL.decode(data)
    if document.format is UNSET or document.name is UNSET:
        return None
    lists: dict[str, tuple[Any, ...]] = {}
    ids: list[Iterable[str]] = []
    for list_name, cls in ELEMENT_LISTS:
        items = getattr(document, list_name)
        if items is UNSET:
            continue
        if not _SHAPES[list_name].check(items, ids):
            return None
        deque(map(_set_class, items, repeat(cls)), maxlen=0)
        lists[list_name] = items
    every_id = list(chain.from_iterable(ids))
    if not all_ids(every_id, lengths=False):
        return None
    # A key given twice, or unknown in an element (msgspec keeps the last, and skips the unknown
    # keys of an attrs class), leaves the input more strings, and more colons, than a document
    # holding exactly the keys decoded. Without a backslash, every quote opens or closes a
    # string: two per string. Otherwise, a colon is either a key's or a literal one inside a
    # string (``\\u003a`` was ruled out), and ids, rule codes, enum values and numbers hold
    # none: one per key, and those of the texts (none to look for when there are no more).
    if backslash:
        colons = data.count(b":")
        if colons != _keys(document, lists) and colons != _colons(document, lists):
            return None
    elif data.count(b'"') != 2 * _strings(document, lists, len(every_id)):
        return None
    scalars = _scalars(document)
    return None if scalars is None else _canvas(scalars, lists)


# ---------------------------------------------------------------- any document


def fast_load(data: bytes) -> Canvas | None:
    """The canvas in ``data`` (UTF-8 JSON without a byte order mark), or None to hand over."""
    # One search for a backslash (a memchr) spares the three escape searches in the common case.
    backslash = b"\\" in data
    if backslash and (b"\\u0000" in data or b"\\u003a" in data or b"\\u003A" in data):
        return None
    try:
        canvas = _canonical(data, backslash)
    except msgspec.ValidationError as exc:
        if not _may_be_mirrored(str(exc)):
            return None  # a value the mirrors would refuse as well: spare a second decoding
        canvas = None
    except msgspec.DecodeError:  # not JSON, or not as msgspec reads it: the mirrors would not read it either
        return None
    except Exception:  # pragma: no cover - defensive: the mirrors decide
        canvas = None
    return canvas if canvas is not None else _mirrored_load(data)


def _may_be_mirrored(error: str) -> bool:
    """Whether a document the canonical decoder refused with ``error`` may still be read through the mirrors.

    The two decode every value into the same type; only the canonical one requires every key,
    and the format ``usager/2``.
    """
    return "missing required field" in error or "`$.format`" in error


def _mirrored_load(data: bytes) -> Canvas | None:
    """The canvas in ``data`` read through the mirroring Structs (any key may be left out), or None."""
    try:
        document: Any = _DECODER.decode(data)
    except Exception:  # anything msgspec refuses (bad UTF-8 too): the thorough reader says why
        return None
    if any(getattr(document, name) is UNSET for name in _REQUIRED):
        return None
    newer = _NEWER_KEYS.get(VERSIONS.get(document.format, VERSION), ())
    if newer and any(key in data for key in newer):
        return None  # a key its version does not have (in a text, the quotes would be escaped)
    lists: dict[str, Any] = {}
    ids: list[str] = []
    for list_name, _ in ELEMENT_LISTS:
        structs = getattr(document, list_name)
        if structs is UNSET:
            continue
        build = _BUILDERS[list_name]
        items = [build(struct, ids) for struct in structs]
        if None in items:
            return None
        lists[list_name] = items
    if not all_ids(ids, lengths=False):
        return None
    # A colon is either a key's or a literal one inside a string. Re-encoded, the document has
    # each key once and the same strings, so fewer colons than the input means a key was given
    # twice (msgspec keeps the last), which the thorough reader reports.
    if data.count(b":") != _ENCODER.encode(document).count(b":"):
        return None
    scalars = _scalars(document)
    return None if scalars is None else Canvas(**scalars, **lists)


# ---------------------------------------------------------------- one element at a time


#: An escape that may write a NUL or a lone surrogate, which a text may not hold (nor msgspec see in a dict).
_TEXT_ESCAPES = re.compile(rb"\\u(?:0000|[dD][89abAB])")
#: The keys of each element list's objects that a ``usager/1`` document may use.
_V1_KEYS = {
    name: frozenset(spec.key or f.name for f, spec in specs(cls) if spec.since <= 1) for name, cls in ELEMENT_LISTS
}


def _element(list_name: str, item: Any, version: int) -> Any:
    """The element the object ``item`` of the list ``list_name`` stands for, when it is plainly valid; else None."""
    if type(item) is not dict or (version < VERSION and not _V1_KEYS[list_name].issuperset(item)):
        return None
    try:
        struct = msgspec.convert(item, _MIRRORS[list_name], strict=True)
    except Exception:  # anything msgspec refuses: the thorough reader says why
        return None
    ids: list[str] = []
    element = _BUILDERS[list_name](struct, ids)
    return element if element is not None and all_ids(ids, lengths=False) else None


@functools.cache
def _list_of(list_name: str) -> Any:
    """The type of a list of ``list_name``'s mirrors, which msgspec converts in one call."""
    return list[_MIRRORS[list_name]]  # type: ignore[valid-type]


@functools.cache
def _views_of(list_name: str) -> Any:
    """The type of a list of ``list_name``'s views."""
    return list[_VIEWS[list_name]]  # type: ignore[valid-type]


_CLASSES_BY_LIST = dict(ELEMENT_LISTS)


#: How many items :func:`_elements` converts in one call.
_CHUNK = 128


def _elements(list_name: str, items: list[Any], version: int) -> list[Any]:
    """The element each item of ``items`` stands for, or None where it is not plainly valid.

    The items are converted a hundred or so at a time, their ids checked all at once, and item
    by item in the hundred that holds one that is not plainly valid: a list with one bad item
    costs little more than one without.
    """
    if version < VERSION or set(map(type, items)) - {dict}:
        return [_element(list_name, item, version) for item in items]
    elements: list[Any] = []
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        elements += _converted(list_name, chunk) or [_element(list_name, item, version) for item in chunk]
    return elements


def _converted(list_name: str, items: list[Any]) -> list[Any] | None:
    """The elements of ``items``, all of them objects of the latest format, or None when one is not plainly valid.

    Objects holding every key of their element (as usager writes them) are converted straight
    into elements, through their class's view, as :func:`fast_load` decodes a canonical document:
    with every key present, an object of as many keys holds no other. The others are converted
    into mirrors, from which the elements are built.
    """
    shape = _SHAPES[list_name]
    if set(map(len, items)) == {shape.keys}:
        try:
            views = msgspec.convert(items, _views_of(list_name), strict=True)
        except Exception:  # one of them is not plainly valid
            return None
        ids: list[Iterable[str]] = []
        if not shape.check(views, ids) or not all_ids(list(chain.from_iterable(ids)), lengths=False):
            return None
        deque(map(_set_class, views, repeat(_CLASSES_BY_LIST[list_name])), maxlen=0)
        return views  # type: ignore[no-any-return]
    try:
        structs = msgspec.convert(items, _list_of(list_name), strict=True)
    except Exception:  # one of them is not plainly valid
        return None
    build = _BUILDERS[list_name]
    every_id: list[str] = []
    elements = [build(struct, every_id) for struct in structs]
    return elements if all(map(_not_none, elements)) and all_ids(every_id, lengths=False) else None


def element_reader(data: bytes) -> ElementsReader | None:
    """What reads the plainly valid elements of the JSON text ``data``, once the standard library has parsed it.

    For the thorough reader (:func:`~usager._document.from_document`), which then reads slowly,
    to say what is wrong, only the elements this one gives up on: a document refused for a few
    bad values costs about what loading it would. An element is read only when the thorough
    reader would read it equal, with no problem: an object (a key given twice makes another
    type), of the keys of its format, that msgspec converts to the element's mirror, each id
    valid. None when an escape in ``data`` may write a NUL or a lone surrogate in some text,
    which msgspec would not see.
    """
    return None if _TEXT_ESCAPES.search(data) else _elements
