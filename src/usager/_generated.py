"""Functions written as source at import time, with their source kept for tracebacks and debuggers.

A few hot paths are generated per element class, as attrs generates ``__init__``: a call or a
dict display written out per field is several times faster than a loop over the fields. Each is
compiled under a readable file name (``<usager generated build Brake>``) whose text is put in
:mod:`linecache`, so a traceback, ``inspect.getsource`` and a debugger show the generated lines
instead of ``<string>``.
"""

from __future__ import annotations

import linecache
from typing import Any

__all__ = ["generate"]


def generate(source: str, function: str, what: str, namespace: dict[str, Any]) -> Any:
    """Compile ``source`` in ``namespace`` and return the function it defines, named ``function``.

    ``what`` says what the function is for (``"build Brake"``): the file name it is compiled
    under is ``<usager generated {what}>``, made unique if another generated source had it.
    """
    filename = f"<usager generated {what}>"
    lines = source.splitlines(keepends=True)
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    number = 1
    while linecache.getlines(filename) not in ([], lines):
        number += 1
        filename = f"<usager generated {what} #{number}>"
    exec(compile(source, filename, "exec"), namespace)  # the source is generated from field descriptions only
    # (size, mtime, lines, name): an mtime of None tells linecache.checkcache to leave the entry alone.
    linecache.cache[filename] = (len(source), None, lines, filename)
    return namespace[function]
