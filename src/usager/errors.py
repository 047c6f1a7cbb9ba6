"""The exceptions raised by usager.

Every exception the library raises on purpose derives from :class:`UsagerError`.
Each one also subclasses the built-in exception it refines, so code that already
catches :class:`ValueError` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from usager.findings import Finding

__all__ = ["CanvasError", "ElementError", "LoadError", "Problem", "UsagerError"]

#: How many problems a :class:`LoadError` message spells out before summarising.
_SHOWN_PROBLEMS = 20


class UsagerError(Exception):
    """Root of every exception usager raises on purpose."""


class ElementError(UsagerError, ValueError):
    """An element or canvas was given a value its field cannot take.

    Raised at construction. ``field`` names the field (``"severity"``,
    ``"goals[2]"``) and ``owner`` the class (``"Brake"``), so that a loader can
    turn it into a path inside a document.
    """

    def __init__(self, owner: str, field: str, reason: str) -> None:
        self.owner = owner
        self.field = field
        self.reason = reason
        super().__init__(f"{owner}.{field}: {reason}")


@attrs.frozen
class Problem:
    """One thing wrong with a document, and where it is.

    ``where`` is a JSON path such as ``$.brakes[3].stage`` or a CSV position
    such as ``row 4, column 'stage'``.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class LoadError(UsagerError, ValueError):
    """A document could not be read as a canvas.

    This is the only exception a loader raises on bad input. ``problems`` lists
    every problem found (a loader collects them all before raising); the
    message shows them, each with where it is.
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return f"{prefix}{self.problems[0]}"
        lines = [f"{prefix}{len(self.problems)} problems:"]
        lines += [f"  {p}" for p in self.problems[:_SHOWN_PROBLEMS]]
        if len(self.problems) > _SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(self.problems) - _SHOWN_PROBLEMS} more")
        return "\n".join(lines)

    @classmethod
    def at(cls, where: str, message: str, *, source: str | None = None) -> LoadError:
        """Build a ``LoadError`` holding a single problem."""
        return cls([Problem(where, message)], source=source)


class CanvasError(UsagerError, ValueError):
    """A canvas has error-level findings where a consistent one is needed.

    Raised by :func:`usager.validate` and by the exporters that draw the graph.
    ``findings`` holds every finding, errors first.
    """

    def __init__(self, findings: Sequence[Finding], *, action: str = "the canvas is inconsistent") -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        errors = [f for f in self.findings if f.severity.value == "error"]
        lines = [f"{action}: {len(errors)} error{'s' if len(errors) != 1 else ''}"]
        lines += [f"  {f}" for f in errors[:_SHOWN_PROBLEMS]]
        if len(errors) > _SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(errors) - _SHOWN_PROBLEMS} more")
        super().__init__("\n".join(lines))
