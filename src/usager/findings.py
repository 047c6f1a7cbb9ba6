"""What a check reports: :class:`Finding` and its :class:`Severity`."""

from __future__ import annotations

from enum import Enum

import attrs

from usager._fields import _strings

__all__ = ["Finding", "Severity"]


class Severity(str, Enum):
    """How serious a finding is.

    Errors make a canvas inconsistent; warnings make it incomplete by the
    method; infos are worth a look.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen(kw_only=True)
class Finding:
    """One thing a rule found in a canvas.

    ``subjects`` holds the ids of the elements concerned (the witnesses), in
    the order the message names them.
    """

    code: str
    severity: Severity
    message: str
    subjects: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def __str__(self) -> str:
        return f"{self.code} {self.severity.value}: {self.message}"
