"""A fast path for reading usager JSON, with msgspec.

It accepts exactly what the thorough reader accepts, or hands over: whenever a document is
not plainly valid (msgspec refuses it, an id or label is wrong, a key may be duplicated, a
NUL is escaped...), :func:`fast_load` returns ``None`` and the thorough reader in
:mod:`usager._document` reads it again to report every problem with its JSON path. Valid
documents, the common case, are read about three times faster.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

import attrs
import msgspec
from msgspec import UNSET, UnsetType

from usager._document import REQUIRED_TOP_KEYS, SUPPORTED_FORMATS, TOP_KEYS
from usager._fields import RULE_CODE, Kind, Spec, specs
from usager._text import ID_MAX_LENGTH, is_blank
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import ElementError

__all__ = ["fast_load"]


def _json_type(spec: Spec) -> Any:
    """The type msgspec decodes a field into, from its description."""
    kind = spec.kind
    single: Any
    if kind is Kind.CODES:  # msgspec matches with re.search: anchored with \A and \Z
        return tuple[Annotated[str, msgspec.Meta(pattern=f"\\A{RULE_CODE.pattern}\\Z")], ...]
    if spec.is_list:
        return tuple[str, ...]
    if kind is Kind.CHOICE:
        single = spec.choices
    elif kind is Kind.INTEGER:
        single = Annotated[int, msgspec.Meta(ge=spec.low, le=spec.high)]
    elif kind is Kind.BOOLEAN:
        single = bool
    elif kind is Kind.NUMBER:
        single = int | float
    else:
        single = str
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
#: The keys a ``usager/1`` document may not hold, quoted as they would stand in its text.
_CLASSES: list[type[Any]] = [Canvas, *(cls for _, cls in ELEMENT_LISTS)]
_NEWER_KEYS = sorted({f'"{spec.key or f.name}"'.encode() for c in _CLASSES for f, spec in specs(c) if spec.since > 1})
_DECODER = msgspec.json.Decoder(_Document)
_ENCODER = msgspec.json.Encoder()
_ONE_ID = f"[A-Za-z0-9_][A-Za-z0-9_.\\-]{{0,{ID_MAX_LENGTH - 1}}}"
_ALL_IDS = re.compile(f"{_ONE_ID}(?:\n{_ONE_ID})*")


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
            namespace["_isfinite"] = math.isfinite
            lines.append("    if v is not None and not _isfinite(v): return None")
        lines.append(f"    _set(o, {f.name!r}, v)")
    if hasattr(cls, "__attrs_post_init__"):
        namespace["_ElementError"] = ElementError
        lines += ["    try:", "        o.__attrs_post_init__()", "    except _ElementError:", "        return None"]
    lines.append("    return o")
    exec("\n".join(lines), namespace)  # generated from the attrs field names only
    return namespace["build"]  # type: ignore[no-any-return]


_BUILDERS = {name: _compile(cls) for name, cls in ELEMENT_LISTS}


def fast_load(data: bytes) -> Canvas | None:
    """The canvas in ``data`` (UTF-8 JSON without a byte order mark), or None to hand over."""
    if b"\\u0000" in data or b"\\u003a" in data or b"\\u003A" in data:
        return None
    try:
        document: Any = _DECODER.decode(data)
    except Exception:  # anything msgspec refuses (bad UTF-8 too): the thorough reader says why
        return None
    if any(getattr(document, name) is UNSET for name in _REQUIRED):
        return None
    if document.format == "usager/1" and any(key in data for key in _NEWER_KEYS):
        return None  # a key usager/1 does not have (in a text, the quotes would be escaped)
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
    # One regular expression over every id and reference, joined by line feeds; an id holding a
    # line feed itself would add one, hence the count.
    joined = "\n".join(ids)
    if ids and (_ALL_IDS.fullmatch(joined) is None or joined.count("\n") != len(ids) - 1):
        return None
    # A colon is either a key's or a literal one inside a string. Re-encoded, the document has
    # each key once and the same strings, so fewer colons than the input means a key was given
    # twice (msgspec keeps the last), which the thorough reader reports.
    if data.count(b":") != _ENCODER.encode(document).count(b":"):
        return None
    scalars: dict[str, Any] = {}
    for field, spec in _CANVAS_SPECS:
        value = getattr(document, field.name)
        if value is not UNSET:
            if spec.kind is Kind.LABEL and value is not None and is_blank(value):
                return None
            scalars[field.name] = value
    return Canvas(**scalars, **lists)
