"""What a check reports: :class:`Finding` and its :class:`Severity`.

This module imports nothing else of usager.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import attrs

__all__ = ["Finding", "Severity"]


class Severity(str, Enum):
    """How serious a finding is.

    Errors make a canvas inconsistent; warnings make it incomplete by the
    method; infos are worth a look.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def _subjects(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a rule found in a canvas.

    ``subjects`` holds the ids of the elements concerned (the witnesses), in
    the order the message names them. ``suppressed`` is true for a finding
    that its first subject suppresses (its ``suppress`` list names the code),
    which :func:`usager.check` returns only when asked to.
    """

    code: str
    severity: Severity
    message: str
    subjects: tuple[str, ...] = attrs.field(default=(), converter=_subjects)
    suppressed: bool = False

    def __str__(self) -> str:
        mark = " (suppressed)" if self.suppressed else ""
        return f"{self.code} {self.severity.value}{mark}: {self.message}"
