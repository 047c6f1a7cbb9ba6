"""The ``hypothesis`` entry point: ``st.from_type(Canvas)`` draws :func:`usager.strategies.canvases`.

Hypothesis calls :func:`setup` while it is itself being imported, which may happen
from inside ``import usager.strategies``. So this module imports neither, and the
strategy is deferred: :mod:`usager.strategies` is imported when the first canvas is drawn.
"""

from __future__ import annotations

from typing import Any

__all__ = ["setup"]


def _canvases() -> Any:
    from usager.strategies import canvases

    return canvases()


def setup() -> None:
    """Register the canvas strategy for :class:`usager.Canvas` with Hypothesis."""
    from hypothesis import strategies as st

    from usager.canvas import Canvas

    st.register_type_strategy(Canvas, st.deferred(_canvases))
