"""Converters and validators shared by the element classes.

Converters only normalise what is plainly meant (a list becomes a tuple, a
string becomes the enum member it names); anything they cannot normalise is
passed through unchanged, so that the validator that follows reports it with
the field's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

import attrs

from usager._text import id_problem, text_problem
from usager.errors import ElementError

E = TypeVar("E", bound=Enum)

Validator = Any  # attrs' validator signature: (instance, attribute, value) -> None


def _fail(instance: object, field: str, reason: str) -> None:
    raise ElementError(type(instance).__name__, field, reason)


def found(value: object) -> str:
    """Describe ``value`` for an error message (``null``, ``the string 'x'``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


def to_enum(cls: type[E], value: object) -> E | Any:
    """Return the member of ``cls`` that ``value`` is or names, else ``value`` itself."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            return value
    return value


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...] | Any:
    """Return ``value`` as a tuple; a string or a non-iterable is passed through."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes)):
        return value
    try:
        return tuple(value)
    except TypeError:
        return value


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    """Converter: a list of strings as a tuple (anything else passed through)."""
    return to_tuple(value)


def check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a free-text field."""
    if not isinstance(value, str):
        _fail(instance, attribute.name, f"expected a string, found {found(value)}")
        return
    problem = text_problem(value)
    if problem:
        _fail(instance, attribute.name, problem)


def check_label(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a required, non-blank text field (a name or a label)."""
    check_text(instance, attribute, value)
    if not str(value).strip():
        _fail(instance, attribute.name, "may not be empty or blank")


def check_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate an id or a reference to one."""
    if not isinstance(value, str):
        _fail(instance, attribute.name, f"expected an id (a string), found {found(value)}")
        return
    problem = id_problem(value)
    if problem:
        _fail(instance, attribute.name, problem)


def check_optional_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a reference that may be ``None``."""
    if value is not None:
        check_id(instance, attribute, value)


def _check_items(instance: object, name: str, value: object, what: str) -> tuple[object, ...]:
    if not isinstance(value, tuple):
        _fail(instance, name, f"expected a list of {what}, found {found(value)}")
    assert isinstance(value, tuple)
    return value


def check_texts(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a list of free-text items."""
    for i, item in enumerate(_check_items(instance, attribute.name, value, "strings")):
        if not isinstance(item, str):
            _fail(instance, f"{attribute.name}[{i}]", f"expected a string, found {found(item)}")
            return
        problem = text_problem(item)
        if problem:
            _fail(instance, f"{attribute.name}[{i}]", problem)


def check_ids(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a list of references."""
    for i, item in enumerate(_check_items(instance, attribute.name, value, "ids")):
        if not isinstance(item, str):
            _fail(instance, f"{attribute.name}[{i}]", f"expected an id (a string), found {found(item)}")
            return
        problem = id_problem(item)
        if problem:
            _fail(instance, f"{attribute.name}[{i}]", problem)


def member_of(cls: type[Enum], *, optional: bool = False) -> Validator:
    """Make a validator that accepts the members of ``cls`` (and ``None`` if ``optional``)."""
    allowed = ", ".join(repr(m.value) for m in cls)

    def check_member(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, cls) or (optional and value is None):
            return
        _fail(
            instance,
            attribute.name,
            f"expected one of {allowed}{' or null' if optional else ''}, found {found(value)}",
        )

    check_member.__qualname__ = f"member_of({cls.__name__})"
    return check_member


def check_severity(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate a brake's severity: the integer 1, 2 or 3."""
    if type(value) is not int or not 1 <= value <= 3:
        _fail(instance, attribute.name, f"expected an integer from 1 to 3, found {found(value)}")
