r"""The JSON Schema (draft 2020-12) of the document, made from the fields' descriptions.

The schema and the loader agree on the text and id rules: the patterns below spell out
the same characters as :func:`usager._text.id_problem`, :func:`~usager._text.text_problem`
and :func:`~usager._text.is_blank`.

The patterns are portable: the same in ECMA-262 (which JSON Schema names; editors), in
Python's ``re`` (``jsonschema``) and in Rust's ``regex`` crate (``jsonschema-rs``, taplo),
which has no lookaround and cannot name a surrogate. So:

- a pattern ends with ``$``; where Python's ``$`` would also match before a final line feed
  (ids and rule codes, which hold no line feed), ``"not": {"pattern": "\n"}`` refuses it;
- lone surrogates are left to the loader, which refuses them: a Rust validator never sees
  one (its JSON reader refuses ``"\ud800"``), and in ECMA-262 without the ``u`` flag a class
  of surrogates would refuse every character beyond U+FFFF (written there as a pair).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

import attrs

from usager._document import FORMAT, REQUIRED_TOP_KEYS, SUPPORTED_FORMATS, VERSION
from usager._fields import RULE_CODE, Kind, Spec, assert_never, specs
from usager._text import ID_MAX_LENGTH
from usager.canvas import ELEMENT_LISTS, Canvas

__all__ = ["SCHEMA_ID", "SCHEMA_URL", "json_schema"]

SCHEMA_ID = f"urn:usager:schema:usager-{VERSION}"
#: Where the committed schema (``docs/usager-N.schema.json``) is served with the documentation site,
#: the ``url`` of the SchemaStore catalog entry. A placeholder until the site is published there.
SCHEMA_URL = f"https://usager.readthedocs.io/en/latest/usager-{VERSION}.schema.json"

#: The end of the text. Python's ``$`` also matches before a final line feed: no matter where the
#: pattern takes line feeds (text, labels); ids and rule codes add :data:`_ONE_LINE`.
_END = "$"
#: What refuses a line feed where ``$`` would let a final one through in Python.
_ONE_LINE = {"not": {"pattern": "\\n"}, "$comment": "no line feed (Python's $ matches before a final one)"}


def _class_of(chars: list[int]) -> str:
    r"""A character-class body for these code points, as ranges of ``\uXXXX`` escapes."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(chars):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


#: What text may not hold: NUL (and lone surrogates, which the loader refuses: see above).
_NOT_TEXT = _class_of([0])


@functools.cache
def _space() -> str:
    """White space as :meth:`str.isspace` knows it (a label must hold something else)."""
    return _class_of([c for c in range(sys.maxunicode + 1) if chr(c).isspace()])


_ID: dict[str, Any] = {"$ref": "#/$defs/id"}
_TEXT: dict[str, Any] = {"$ref": "#/$defs/text"}
_LABEL: dict[str, Any] = {"$ref": "#/$defs/label"}


def _or_null(schema: dict[str, Any], spec: Spec) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]} if spec.optional else schema


def _field_schema(field: attrs.Attribute[Any], spec: Spec) -> dict[str, Any]:
    kind = spec.kind
    result: dict[str, Any]
    if kind in (Kind.ID, Kind.REF):
        result = _or_null(_ID, spec)
    elif kind is Kind.REFS:
        result = {"type": "array", "items": _ID}
    elif kind is Kind.TEXT:
        result = _or_null(_TEXT, spec)
    elif kind is Kind.LABEL:
        result = _or_null(_LABEL, spec)
    elif kind is Kind.CODES:
        result = {"type": "array", "items": {"$ref": "#/$defs/code"}}
    elif kind is Kind.TEXTS:
        result = {"type": "array", "items": _TEXT}
    elif kind is Kind.CHOICE:
        assert spec.choices is not None
        result = {"enum": [m.value for m in spec.choices] + ([None] if spec.optional else [])}
    elif kind is Kind.INTEGER:
        result = _or_null({"type": "integer", "minimum": spec.low, "maximum": spec.high}, spec)
    elif kind is Kind.BOOLEAN:
        result = {"type": "boolean"}
    elif kind is Kind.NUMBER:
        result = _or_null({"type": "number"}, spec)
    elif kind is Kind.ELEMENTS:
        assert spec.element is not None
        result = {"type": "array", "items": {"$ref": f"#/$defs/{spec.element.__name__}"}}
    else:
        assert_never(kind)
    result = {"title": _title(spec.key or field.name), "description": spec.doc, **result}
    if field.default is not attrs.NOTHING:
        result["default"] = spec.to_plain(field.default)
    return result


def _title(key: str) -> str:
    """A key as a title for people: ``digital_comfort`` is ``Digital comfort``."""
    words = key.lstrip("$").replace("_", " ")
    return words[:1].upper() + words[1:]


def _properties(cls: type[Any]) -> dict[str, Any]:
    return {spec.key or f.name: _field_schema(f, spec) for f, spec in specs(cls)}


def _element_schema(cls: type[Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "title": cls.__name__,
        "description": (cls.__doc__ or "").strip().split("\n")[0],
        "properties": _properties(cls),
        "required": [spec.key or f.name for f, spec in specs(cls) if f.default is attrs.NOTHING],
        "additionalProperties": False,
    }


_FORMAT = {
    "title": "Format",
    "description": f"The format of the document: {FORMAT!r} (documents in an older format still load).",
    "enum": list(SUPPORTED_FORMATS),
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the document: strict about unknown keys, enums, ids, text and bounds.

    Every key has a ``title`` and a ``description`` (from the fields' descriptions, the
    ``doc`` of each :class:`~usager._fields.Spec`), which editors show on hover.
    """
    return _schema()


def _schema() -> dict[str, Any]:
    defs: dict[str, Any] = {
        "id": {
            "title": "Id",
            "type": "string",
            "pattern": f"^[A-Za-z0-9_][A-Za-z0-9_.\\-]{{0,{ID_MAX_LENGTH - 1}}}{_END}",
            **_ONE_LINE,
            "description": "1 to 128 ASCII letters, digits, '_', '-' or '.', not starting with '-' or '.'",
        },
        "text": {
            "title": "Text",
            "type": "string",
            "pattern": f"^[^{_NOT_TEXT}]*{_END}",
            "description": "any text but NUL (and lone surrogates)",
        },
        "label": {
            "title": "Label",
            "type": "string",
            "pattern": f"^[^{_NOT_TEXT}]*[^{_NOT_TEXT}{_space()}][^{_NOT_TEXT}]*{_END}",
            "description": "text that is not blank (white space alone)",
        },
        "code": {
            "title": "Rule code",
            "type": "string",
            "pattern": f"^{RULE_CODE.pattern}{_END}",
            **_ONE_LINE,
            "description": "a rule code, such as 'U020'",
        },
    }
    for _, cls in ELEMENT_LISTS:
        defs[cls.__name__] = _element_schema(cls)
    # The one rule across fields: a custom stage names itself.
    defs["Stage"]["if"] = {"properties": {"kind": {"const": "custom"}}}
    defs["Stage"]["then"] = {"properties": {"label": _LABEL}, "required": ["label"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "usager canvas",
        "description": f"A user engagement canvas, in the {FORMAT} format.",
        "type": "object",
        "properties": {"format": _FORMAT, **_properties(Canvas)},
        "required": list(REQUIRED_TOP_KEYS),
        "additionalProperties": False,
        "$defs": defs,
    }
