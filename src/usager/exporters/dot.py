"""The ``dot`` exporter: the canvas drawn as a Graphviz graph.

Two layouts (option ``layout``):

- ``"cycle"`` (the default), the engagement canvas as its poster shows it:
  the stages on a circle, clockwise from the top; each brake outside the
  circle in the sector of the transition it holds; facilitators inside, in
  the sector of what they answer; the backstage below, the people beside
  (see :mod:`usager.exporters._drawing.cycle`).
- ``"lanes"``, a journey-map grid: one column per stage, brakes in a lane
  above, facilitators below, the experience scores as a curve, the backstage
  beneath (see :mod:`usager.exporters._drawing.lanes`).

Every position is computed here, in points, and pinned, and every line that
joins two elements is routed around the boxes it does not join, never along
another line (see :mod:`usager.exporters._drawing.scene.route`); the source
names its engine (``layout=nop2``, which draws what it is given), so
``dot -Tsvg canvas.dot`` draws exactly what usager renders. Boxes never
overlap. Each facilitator carries a tag (``F1``) and each brake names the tags
of what answers it, so an answer can be traced even where lines are many.
Lanes are capped: an "and N more" box lists what it stands for, by name.

With ``draft=True`` a canvas with errors is drawn too: each reference that
names no element leads to a dashed red box labelled with the missing id, and
the findings are listed in a caption. Without it such a canvas is refused
with :class:`~usager.errors.CanvasError`.

Every node id is synthetic (``n0``, ``n1``... in document order) and user
text only ever appears inside escaped, wrapped and capped quoted labels: no
label can change the graph's structure, break the syntax, become an HTML
label or a port, or make Graphviz open a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from usager._check import check, run
from usager._graph import Resolution, resolve
from usager.canvas import Canvas
from usager.errors import CanvasError, OptionError
from usager.exporters import OptionHelp
from usager.exporters._drawing.cycle import cycle
from usager.exporters._drawing.dottext import wrap
from usager.exporters._drawing.lanes import lanes
from usager.exporters._drawing.parts import Subject
from usager.exporters._drawing.scene import source
from usager.exporters._drawing.scene.route import route
from usager.findings import Finding, Severity
from usager.rules import Context, all_rules

__all__ = ["LAYOUTS", "OPTIONS", "OPTION_HELP", "DotExporter", "to_dot"]

#: The layouts, the first being the default.
LAYOUTS = ("cycle", "lanes")
#: The options of the drawing exporters, by name: their type, or their allowed values.
OPTIONS: Mapping[str, type | tuple[str, ...]] = MappingProxyType(
    {"layout": LAYOUTS, "draft": bool, "backstage": bool, "people": bool}
)
#: What each option of the drawing exporters means, and its default.
OPTION_HELP: Mapping[str, OptionHelp] = MappingProxyType(
    {
        "layout": OptionHelp(
            "the stages on a circle, as the canvas poster shows them (cycle), or a journey-map grid (lanes)", "cycle"
        ),
        "draft": OptionHelp(
            "draw a canvas that has errors too: a missing element becomes a red box, the findings are listed", False
        ),
        "backstage": OptionHelp("draw the backstage: key activities, resources and partners", True),
        "people": OptionHelp("draw the personas and the usagers", True),
    }
)
#: The error rules the quick consistency test below stands for.
_QUICK = frozenset({"U001", "U002", "U003", "U010", "U012"})


def _consistent(canvas: Canvas, resolution: Resolution, rules: list[Any]) -> bool:
    """True when the canvas surely has no error finding, from its resolution alone."""
    if {r.code for r in rules} != _QUICK:
        return False
    if resolution.dangling or resolution.wrong_kind or len(resolution.index) != len(canvas) or not canvas.stages:
        return False
    kinds = [s.kind for s in canvas.stages if s.kind.value != "custom"]
    return len(kinds) == len(set(kinds))


def _errors(canvas: Canvas, resolution: Resolution) -> list[Finding]:
    rules = [r for r in all_rules() if r.severity is Severity.ERROR]
    if _consistent(canvas, resolution, rules):
        return []
    return run(Context.of(canvas), rules)


def to_dot(
    canvas: Canvas, *, layout: str = "cycle", draft: bool = False, backstage: bool = True, people: bool = True
) -> str:
    """The DOT source drawing ``canvas``; raises :class:`CanvasError` when it has error findings.

    With ``draft=True`` it draws any canvas, listing its errors and warnings.
    """
    if layout not in LAYOUTS:
        raise OptionError(f"option 'layout' takes one of {', '.join(map(repr, LAYOUTS))}, not {layout!r}")
    findings: list[Finding] | None = None
    resolution = resolve(canvas)
    if draft:
        findings = [f for f in check(canvas) if f.severity is not Severity.INFO]
    else:
        errors = _errors(canvas, resolution)
        if errors:
            raise CanvasError(errors, action=f"cannot draw canvas {canvas.name!r}")
    subject = Subject(canvas, resolution, backstage=backstage, people=people, findings=findings)
    group = cycle(subject) if layout == "cycle" else lanes(subject)
    route(group)
    return source(wrap(canvas.name, width=60, max_lines=3), group)


class DotExporter:
    """The canvas as Graphviz DOT source (see the module documentation for the drawing).

    Options: ``layout`` (``"cycle"``, the default, or ``"lanes"``); ``draft``
    (default ``False``) draws a canvas that has errors; ``backstage`` (default
    ``True``) draws the key activities, resources and partners; ``people``
    (default ``True``) the personas and usagers. Without ``draft``, a canvas
    with error-level findings is refused with a
    :class:`~usager.errors.CanvasError` listing them.
    """

    name = "dot"
    suffixes = (".dot", ".gv")
    media_type = "text/vnd.graphviz"
    binary = False
    options = OPTIONS
    option_help = OPTION_HELP

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The DOT source."""
        return to_dot(canvas, **_options(options))


def _options(options: dict[str, Any]) -> dict[str, Any]:
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise OptionError(
            f"unknown option {', '.join(sorted(map(repr, unknown)))}; the options are {', '.join(OPTIONS)}"
        )
    for key, value in options.items():
        kind = OPTIONS[key]
        if isinstance(kind, tuple):
            if value not in kind:
                raise OptionError(f"option {key!r} takes one of {', '.join(map(repr, kind))}, not {value!r}")
        elif not isinstance(value, bool):
            raise OptionError(f"option {key!r} takes true or false, not {value!r}")
    return options
