"""The canvas as plain Python data (:func:`to_dict`, :func:`from_dict`) and as a pydantic field.

The dict form is the JSON document: the same keys in the same order, enum members as their
values, lists as lists. Reading it back is exactly as strict as reading JSON, and every problem
names its ``$`` path.

``Canvas`` can be the type of a pydantic v2 model's field (a FastAPI request or response body):
pydantic asks the class for its core schema, and this module answers. pydantic is imported only
when pydantic itself calls the hook, so it is not a dependency of usager.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from usager._document import from_document, to_document
from usager.canvas import Canvas
from usager.errors import LoadError

__all__ = ["from_dict", "pydantic_core_schema", "pydantic_json_schema", "to_dict", "value_at"]


def to_dict(canvas: Canvas) -> dict[str, Any]:
    """``canvas`` as its ``usager/2`` document in plain Python data (dicts, lists, strings, numbers).

    The result is what :func:`json.loads` gives for ``usager.dumps(canvas, "json")``: a new
    dict each time, ready for a database JSON column or an API payload.
    """
    if not isinstance(canvas, Canvas):
        raise TypeError(f"to_dict() takes a Canvas, not {type(canvas).__name__}")
    return to_document(canvas)


def from_dict(data: Mapping[str, Any], *, source: str | None = None) -> Canvas:
    """The canvas in ``data``, a document in plain Python data, read as strictly as JSON.

    Inside the document, objects must be dicts and arrays lists (the types JSON gives);
    ``null`` is not a string, ``"3"`` is not a severity, unknown keys are refused. Raises
    :class:`~usager.errors.LoadError` listing every problem with its ``$`` path
    (``$.brakes[3].stage``); ``source`` prefixes its message.
    """
    if isinstance(data, Mapping) and type(data) is not dict:
        data = dict(data)
    return from_document(data, source=source)


def value_at(document: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` inside ``document``, or at the longest part of it that exists."""
    value = document
    for step in path:
        in_object = isinstance(value, dict) and isinstance(step, str) and step in value
        in_array = isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value)
        if not (in_object or in_array):
            break
        value = value[step]
    return value


# ---------------------------------------------------------------- pydantic


def _validation_error(error: LoadError, document: Any) -> Exception:
    """``error`` as a pydantic ``ValidationError``: one line per problem, at its location."""
    from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

    details: list[InitErrorDetails] = [
        InitErrorDetails(
            type=PydanticCustomError("usager_canvas", "{message}", {"message": problem.message}),
            loc=problem.path,
            input=value_at(document, problem.path),
        )
        for problem in error.problems
    ]
    if error.more:
        message = f"and {error.more} more problem{'s' if error.more != 1 else ''}"
        details.append(
            InitErrorDetails(
                type=PydanticCustomError("usager_canvas", "{message}", {"message": message}), loc=(), input=document
            )
        )
    return ValidationError.from_exception_data("Canvas", details)


def _validate(value: Any) -> Canvas:
    if isinstance(value, Canvas):
        return value
    try:
        return from_dict(value)
    except LoadError as exc:
        raise _validation_error(exc, value) from None


def pydantic_core_schema(cls: type[Canvas], source: Any, handler: Any) -> Any:
    """A plain validator and serializer; its ``ref`` makes the JSON Schema one named definition.

    With the ``ref``, pydantic writes the canvas's schema once, under ``$defs`` (in FastAPI's
    OpenAPI document, ``#/components/schemas/Canvas``), and every field of type ``Canvas``
    refers to it, instead of repeating the whole document schema in each.
    """
    from pydantic_core import core_schema

    return core_schema.no_info_plain_validator_function(
        _validate,
        ref=f"{cls.__module__}.{cls.__qualname__}",
        serialization=core_schema.plain_serializer_function_ser_schema(
            to_dict, return_schema=core_schema.dict_schema()
        ),
    )


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """``schema`` with every ``#/$defs/...`` reference replaced by its definition (none is recursive)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**_inline(defs[ref.removeprefix("#/$defs/")], defs), **_inline(rest, defs)}
        return {k: _inline(v, defs) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(v, defs) for v in schema]
    return schema


@functools.cache
def _field_schema() -> dict[str, Any]:
    from usager._schema import json_schema  # only when pydantic asks: most imports never need it

    schema = json_schema()
    defs = schema.pop("$defs")
    for key in ("$schema", "$id"):
        schema.pop(key)
    return _inline(schema, defs)  # type: ignore[no-any-return]


def pydantic_json_schema(cls: type[Canvas], core_schema: Any, handler: Any) -> dict[str, Any]:
    """What :meth:`Canvas.__get_pydantic_json_schema__` gives: usager's document schema, its definitions inlined."""
    import copy

    return copy.deepcopy(_field_schema())
