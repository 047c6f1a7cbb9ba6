"""Equality, hash and repr for usager's attrs classes, made of shared code.

attrs writes the source of ``__eq__``, ``__hash__`` and ``__repr__`` for every class
it makes and compiles it there and then: for the canvas, its eleven elements and the
small records beside them, that compiling was a good share of ``import usager``.
:func:`valued` gives a class the same three methods as closures over its fields, which
cost no compiling. They behave as attrs' own: equality compares the fields with
``eq`` in order with ``==``, the first difference ending it, and only with an instance
of the very same class; the hash is that of the class's tag and of the fields with
``hash``; the repr is ``Brake(id='b1', label='...', ...)`` over the fields with
``repr``, with ``...`` for an instance met again while it is being shown.

This module imports nothing of usager: every other module may use it.
"""

from __future__ import annotations

import threading
from operator import attrgetter, eq
from typing import Any, TypeVar

import attrs

__all__ = ["valued"]

C = TypeVar("C", bound=type)

#: The ids of the instances being shown by the current thread, to cut a cycle short as attrs does.
_showing = threading.local()


def _getter(names: tuple[str, ...]) -> Any:
    """A function returning the tuple of the values of the attributes ``names`` (a 1-tuple for one)."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda instance: (one(instance),)
    return attrgetter(*names) if names else lambda instance: ()


def valued(cls: C) -> C:
    """Give the attrs class ``cls`` the ``__eq__``, ``__hash__`` and ``__repr__`` that attrs would write.

    Use it above ``@attrs.frozen(..., eq=False, repr=False)``; a method the class
    body defines itself (the canvas's ``__repr__``) is kept.
    """
    fields = attrs.fields(cls)
    compared = _getter(tuple(f.name for f in fields if f.eq))
    hashed = _getter(tuple(f.name for f in fields if f.hash is True or (f.hash is None and f.eq)))
    shown = tuple((f.name, f.repr if callable(f.repr) else repr) for f in fields if f.repr)
    tag = hash(f"{cls.__module__}.{cls.__qualname__}")

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(map(eq, compared(self), compared(other)))

    def __hash__(self: Any) -> int:
        return hash((tag, *hashed(self)))

    def __repr__(self: Any) -> str:
        name = self.__class__.__qualname__.rsplit(">.", 1)[-1]
        showing: set[int] | None = getattr(_showing, "ids", None)
        if showing is None:
            showing = _showing.ids = set()
        if id(self) in showing:
            return "..."
        showing.add(id(self))
        try:
            return f"{name}({', '.join(f'{key}={how(getattr(self, key))}' for key, how in shown)})"
        finally:
            showing.discard(id(self))

    for method in (__eq__, __hash__, __repr__):
        if method.__name__ not in cls.__dict__:
            method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
            method.__module__ = cls.__module__
            setattr(cls, method.__name__, method)
    return cls
