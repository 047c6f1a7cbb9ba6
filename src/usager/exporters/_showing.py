"""How an exporter that shows a canvas to people (a drawing, a report) shows each element type.

Each declares it as data: the element types a part of its own shows, and those it leaves out,
with why. Every other element type, a new one included, gets the exporter's generic part, so
that no element type is silently missing from what people see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from usager.canvas import ELEMENT_TYPES, ElementType

__all__ = ["Showing"]


@attrs.frozen
class Showing:
    """How an exporter shows each element type.

    ``own`` names, for each element type a part of the exporter's own shows, that part (a
    drawing's group, a report's section anchor); ``not_shown`` says, for each element type
    it does not show one element at a time, why. Every other element type, a new one
    included, is shown by the exporter's generic part.
    """

    own: Mapping[type[Any], str]
    not_shown: Mapping[type[Any], str]

    def others(self) -> tuple[ElementType[Any], ...]:
        """The element types neither shown by a part of their own nor left out, in document order."""
        return tuple(t for t in ELEMENT_TYPES if t.cls not in self.own and t.cls not in self.not_shown)
