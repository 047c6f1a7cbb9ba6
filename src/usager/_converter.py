"""``usager.converter``: a cattrs converter for the canvas and its elements, as strict as the loaders.

An app that structures its own attrs classes with cattrs nests usager values in them: a field
``canvas: usager.Canvas`` or ``brakes: list[usager.Brake]`` structures from the same plain data
as the JSON document, with the same rules (``null`` is not a string, ``"3"`` is not a
severity, unknown keys are refused), and unstructures to it.

:func:`register_hooks` puts the same hooks for ``Canvas`` and every element on a converter an
app already has.

Its errors are cattrs' own: a :class:`cattrs.ClassValidationError` whose sub-exceptions carry
cattrs' path notes down to each problem, so that :func:`cattrs.transform_error` gives
``... @ $.canvas.brakes[0].stage``. Each leaf is a :class:`StructureError` (a missing key a
:class:`MissingKeyError`) whose message is the reader's reason, which ``transform_error`` shows
(``unknown error (expected a string, found null) @ $.canvas.brakes[0].stage``), and the top
error's message lists them all with their paths.

The primitive types get strict hooks too (cattrs' defaults call ``str()`` and ``int()``, so that
``None`` would become ``"None"`` and ``2.9`` would become ``2``): a ``str`` field takes only text,
an ``int`` only a whole number (not a boolean), a ``float`` only a finite number, a ``bool`` only
``True`` or ``False``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar

import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, IterableValidationError, IterableValidationNote

from usager._document import _SHAPES, VERSION, _element, from_document, to_document
from usager._fields import Problems, describe, is_finite, specs
from usager._i18n import say, say_n, speaking, tr
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import LoadError, Problem, UsagerError, render_path

__all__ = ["MissingKeyError", "StructureError", "converter", "make_converter", "register_hooks", "validation_error"]

C = TypeVar("C", bound=cattrs.BaseConverter)

#: Every enum a field holds, from the fields' own descriptions.
_CLASSES: tuple[type[Any], ...] = (Canvas, *(cls for _, cls in ELEMENT_LISTS))
_ENUMS: tuple[type[Enum], ...] = tuple(
    dict.fromkeys(spec.choices for cls in _CLASSES for _, spec in specs(cls) if spec.choices is not None)
)


@functools.cache
def _missing(language: str) -> re.Pattern[str]:
    """The reader's message for a missing key, in ``language``: cattrs reports it as a ``KeyError`` on that key."""
    before, _, after = tr(language, "missing required key {key}").partition("{key}")
    return re.compile(re.escape(before) + "'(.+)'" + re.escape(after))


class StructureError(UsagerError):
    """One problem below cattrs' path notes: its message is the reason, ``problem`` says where too.

    cattrs' :func:`~cattrs.transform_error` writes the path itself, after the message of each
    leaf exception; it shows the message of an exception it does not know (``unknown error
    (expected a string, found null) @ $.brakes[0].stage``), not that of a ``ValueError``, so
    this is not one. ``problem`` is the reader's :class:`~usager.errors.Problem`, with the
    whole path (``$.brakes[0].stage``) and the element concerned.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


class MissingKeyError(LoadError, KeyError):
    """A required key is missing: a :class:`~usager.errors.LoadError` that cattrs reports as a missing field.

    Its message is the reason alone (``missing required key 'name'``), as a leaf's is: the
    path is the note's, and the problem's in ``problems``.
    """

    def __str__(self) -> str:
        return self.problems[0].message


def _tree(
    problems: Sequence[tuple[tuple[str | int, ...], Problem]], done: tuple[str | int, ...], missing: frozenset[int]
) -> list[Exception]:
    """The exceptions for ``problems`` (each with the rest of its path), a cattrs note on each step.

    ``missing`` holds the ids of the problems that are a missing key (their path ends with it).

    A problem whose path ends here is a leaf :class:`StructureError` (a :class:`MissingKeyError`
    for a missing key); each further step is a note naming the attribute or the index, as
    cattrs' own generated hooks write them.
    """
    exceptions: list[Exception] = []
    children: dict[str | int, list[tuple[tuple[str | int, ...], Problem]]] = {}
    for rest, problem in problems:
        if rest:
            children.setdefault(rest[0], []).append((rest[1:], problem))
        else:
            exceptions.append(StructureError(problem))
    for step, items in children.items():
        here = (*done, step)
        inner = _tree(items, here, missing)
        steps = [rest[0] for rest, _ in items if rest]
        exc: Exception
        if len(inner) == 1 and not steps:
            exc = inner[0]
            problem = items[0][1]
            if id(problem) in missing:
                exc = MissingKeyError([problem])
        elif steps and all(isinstance(s, int) for s in steps):
            exc = IterableValidationError(f"while structuring {render_path(here)}", inner, list)
        else:
            exc = ClassValidationError(f"while structuring {render_path(here)}", inner, dict)
        note: str
        if isinstance(step, int):
            note = IterableValidationNote(f"Structuring item {render_path(here)}", step, None)
        else:
            note = AttributeValidationNote(f"Structuring {render_path(here)}", step, None)
        exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]
        exceptions.append(exc)
    return exceptions


def validation_error(error: LoadError, cls: type[Any]) -> ClassValidationError:
    """``error`` as a cattrs :class:`~cattrs.ClassValidationError`, with a path note on each step."""
    problems = []
    missing: set[int] = set()
    pattern = _missing(error.language)
    for problem in error.problems:
        key = pattern.fullmatch(problem.message)
        if key is not None:
            missing.add(id(problem))
        problems.append(((*problem.path, key.group(1)) if key else problem.path, problem))
    if error.more:
        with speaking(error.language):
            more = say_n("and {n} more problem", "and {n} more problems", error.more)
        problems.append(((), Problem.at((), more)))
    return ClassValidationError(str(error), _tree(problems, (), frozenset(missing)), cls)


def _structure_canvas(value: Any, _: type[Any]) -> Canvas:
    if isinstance(value, Canvas):
        return value
    try:
        return from_document(value)
    except LoadError as exc:
        raise validation_error(exc, Canvas) from None


def _element_hooks(list_name: str, cls: type[Any]) -> tuple[Callable[[Any, Any], Any], Callable[[Any], Any]]:
    shape = _SHAPES[list_name]
    plain = tuple((f.name, s.key or f.name, s) for f, s in specs(cls))

    def structure(value: Any, _: type[Any]) -> Any:
        if isinstance(value, cls):
            return value
        problems = Problems()
        element = _element(shape, value, (), problems, VERSION)
        if len(problems):
            raise validation_error(problems.error(), cls)
        return element

    def unstructure(element: Any) -> dict[str, Any]:
        return {key: spec.to_plain(getattr(element, name)) for name, key, spec in plain}

    return structure, unstructure


def _strict(expected: str, accepts: Callable[[Any], bool]) -> Callable[[Any, type[Any]], Any]:
    def structure(value: Any, _: type[Any]) -> Any:
        if not accepts(value):
            raise ValueError(say("expected {expected}, found {found}", expected=expected, found=describe(value)))
        return value

    return structure


def _enum_hook(cls: type[Enum]) -> Callable[[Any, type[Any]], Any]:
    allowed = ", ".join(repr(m.value) for m in cls)

    def structure(value: Any, _: type[Any]) -> Any:
        if isinstance(value, cls):
            return value
        if type(value) is str:
            for member in cls:
                if member.value == value:
                    return member
        raise ValueError(say("expected one of {allowed}, found {found}", allowed=allowed, found=describe(value)))

    return structure


#: The structure and unstructure hooks of each element class.
_ELEMENT_HOOKS = tuple((cls, *_element_hooks(list_name, cls)) for list_name, cls in ELEMENT_LISTS)


def register_hooks(converter: C) -> C:
    """Put usager's strict hooks for ``Canvas`` and every element on ``converter``, and return it.

    ``converter`` is any cattrs converter, an app's own: from then on it structures a
    ``Canvas`` or an element, alone or as a field of the app's attrs classes, exactly as
    strictly as the loaders (``"3"`` is not a severity, ``null`` is not a string, unknown keys
    are refused), raising a :class:`cattrs.ClassValidationError` with a path note down to each
    problem; and it unstructures them to the JSON document. The converter's other hooks are
    left as they are (:func:`make_converter` adds strict ones for ``str``, ``int``, ``float``,
    ``bool`` and usager's enums). Returning the converter allows
    ``converter = usager.register_hooks(cattrs.Converter())``.
    """
    if not isinstance(converter, cattrs.BaseConverter):
        raise TypeError(f"register_hooks() takes a cattrs converter, not {type(converter).__name__}")
    converter.register_structure_hook(Canvas, _structure_canvas)
    converter.register_unstructure_hook(Canvas, to_document)
    for cls, structure, unstructure in _ELEMENT_HOOKS:
        converter.register_structure_hook(cls, structure)
        converter.register_unstructure_hook(cls, unstructure)
    return converter


def make_converter() -> cattrs.Converter:
    """A new converter with usager's hooks (see the module's documentation); ``usager.converter`` is one."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(str, _strict("a string", lambda v: type(v) is str))
    conv.register_structure_hook(bool, _strict("true or false", lambda v: type(v) is bool))
    conv.register_structure_hook(int, _strict("an integer", lambda v: type(v) is int))
    conv.register_structure_hook(
        float,
        _strict("a finite number", lambda v: (type(v) is int or type(v) is float) and is_finite(v)),
    )
    for enum in _ENUMS:
        conv.register_structure_hook(enum, _enum_hook(enum))
        conv.register_unstructure_hook(enum, lambda member: member.value)
    return register_hooks(conv)


#: The converter ``usager.converter`` gives.
converter = make_converter()
