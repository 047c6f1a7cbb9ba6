"""The JSON Schema (draft 2020-12) of the ``usager/1`` document, made from the element classes."""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs

from usager import elements
from usager._document import FORMAT
from usager._fields import (
    check_id,
    check_ids,
    check_label,
    check_optional_id,
    check_severity,
    check_text,
    check_texts,
)
from usager._text import ID_MAX_LENGTH
from usager.canvas import ELEMENT_LISTS

__all__ = ["json_schema"]

SCHEMA_ID = "urn:usager:schema:usager-1"

_ID: dict[str, Any] = {"$ref": "#/$defs/id"}
_TEXT: dict[str, Any] = {"$ref": "#/$defs/text"}
_LABEL: dict[str, Any] = {"$ref": "#/$defs/label"}
_BY_VALIDATOR: dict[Any, dict[str, Any]] = {
    check_id: _ID,
    check_optional_id: {"oneOf": [_ID, {"type": "null"}]},
    check_ids: {"type": "array", "items": _ID},
    check_texts: {"type": "array", "items": _TEXT},
    check_label: _LABEL,
    check_text: _TEXT,
    check_severity: {"type": "integer", "minimum": 1, "maximum": 3},
}


def _enum_schema(annotation: str) -> dict[str, Any]:
    name = annotation.removesuffix(" | None")
    cls: type[Enum] = getattr(elements, name)
    values: list[Any] = [m.value for m in cls]
    if annotation.endswith("| None"):
        values.append(None)
    return {"enum": values}


def _field_schema(field: attrs.Attribute[Any]) -> dict[str, Any]:
    schema = _BY_VALIDATOR.get(field.validator)
    result = dict(schema) if schema is not None else _enum_schema(str(field.type))
    if field.default is not attrs.NOTHING:
        default = field.default
        result["default"] = getattr(default, "value", list(default) if isinstance(default, tuple) else default)
    return result


def _element_schema(cls: type[Any]) -> dict[str, Any]:
    fields = attrs.fields(cls)
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip().split("\n")[0],
        "properties": {f.name: _field_schema(f) for f in fields},
        "required": [f.name for f in fields if f.default is attrs.NOTHING],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the document: strict about unknown keys, enums, ids and severities."""
    defs: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": f"^[A-Za-z0-9_][A-Za-z0-9_.\\-]{{0,{ID_MAX_LENGTH - 1}}}$",
            "description": "1 to 128 ASCII letters, digits, '_', '-' or '.', not starting with '-' or '.'",
        },
        "text": {"type": "string", "pattern": "^[^\\u0000]*$", "description": "any text but NUL"},
        "label": {"type": "string", "pattern": "^[^\\u0000]*\\S[^\\u0000]*$", "description": "non-blank text"},
    }
    for _, cls in ELEMENT_LISTS:
        defs[cls.__name__] = _element_schema(cls)
    defs["Stage"]["if"] = {"properties": {"kind": {"const": "custom"}}}
    defs["Stage"]["then"] = {"properties": {"label": _LABEL}, "required": ["label"]}
    properties: dict[str, Any] = {
        "format": {"const": FORMAT},
        "name": _LABEL,
        "description": {**_TEXT, "default": ""},
        "language": {"enum": [m.value for m in elements.Language], "default": "en"},
    }
    for list_name, cls in ELEMENT_LISTS:
        properties[list_name] = {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}, "default": []}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "usager canvas",
        "description": "A user engagement canvas, in the usager/1 format.",
        "type": "object",
        "properties": properties,
        "required": ["format", "name"],
        "additionalProperties": False,
        "$defs": defs,
    }
