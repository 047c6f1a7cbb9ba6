"""The ``__repr__`` of usager's attrs classes, made of shared code.

attrs writes the source of ``__repr__`` for every class it makes and compiles it there and
then: for the eleven elements and the field descriptions, that compiling was a good share of
``import usager``. :func:`fields_repr` gives a class the same method as a closure over its
fields, which costs no compiling: ``Brake(id='b1', label='...', ...)`` over the fields with
``repr`` (a field's own repr function included), with ``...`` for an instance met again while
it is being shown. A repr is seldom on a hot path; equality and hashing are, and stay attrs'.

This module imports nothing of usager: every other module may use it.
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

import attrs

__all__ = ["fields_repr"]

C = TypeVar("C", bound=type)

#: The ids of the instances being shown by the current thread, to cut a cycle short as attrs does.
_showing = threading.local()


def fields_repr(cls: C) -> C:
    """Give the attrs class ``cls`` the ``__repr__`` that attrs would write.

    Use it above ``@attrs.frozen(..., repr=False)``.
    """
    shown = tuple((f.name, f.repr if callable(f.repr) else repr) for f in attrs.fields(cls) if f.repr)

    def __repr__(self: Any) -> str:
        showing: set[int] | None = getattr(_showing, "ids", None)
        if showing is None:
            showing = _showing.ids = set()
        if id(self) in showing:
            return "..."
        showing.add(id(self))
        try:
            fields = ", ".join([f"{name}={how(getattr(self, name))}" for name, how in shown])
            return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({fields})"
        finally:
            showing.discard(id(self))

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    __repr__.__module__ = cls.__module__
    cls.__repr__ = __repr__  # type: ignore[assignment]
    return cls
