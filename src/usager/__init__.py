"""usager: a service's user engagement canvas as typed, checked, exportable data."""

from typing import TYPE_CHECKING, Any

from usager import exporters
from usager._check import check, validate
from usager._diff import CanvasDiff, ElementChange, FieldChange, StageOrder, diff
from usager._embed import from_dict, to_dict
from usager._graph import to_graph
from usager._io import MAX_BYTES, dump, dumps, load, loads
from usager._text import slugify
from usager._version import __version__
from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    BrakeKind,
    Contribution,
    ContributionStatus,
    DigitalComfort,
    Element,
    Experience,
    Facilitator,
    FacilitatorStatus,
    Language,
    Metric,
    MetricDirection,
    Partner,
    Persona,
    Phase,
    Relationship,
    Resource,
    ResourceKind,
    Stage,
    StageKind,
    Usager,
)
from usager.errors import (
    CannotLoadError,
    CanvasError,
    ElementError,
    ExporterError,
    LoadError,
    OptionError,
    Problem,
    UnknownIdError,
    UnknownRuleError,
    UsagerError,
)
from usager.findings import Finding, Severity

if TYPE_CHECKING:
    import cattrs

    from usager import analysis

    converter: cattrs.Converter

__all__ = [
    "MAX_BYTES",
    "Activity",
    "Brake",
    "BrakeKind",
    "CannotLoadError",
    "Canvas",
    "CanvasDiff",
    "CanvasError",
    "Contribution",
    "ContributionStatus",
    "DigitalComfort",
    "Element",
    "ElementChange",
    "ElementError",
    "Experience",
    "ExporterError",
    "Facilitator",
    "FacilitatorStatus",
    "FieldChange",
    "Finding",
    "Language",
    "LoadError",
    "Metric",
    "MetricDirection",
    "OptionError",
    "Partner",
    "Persona",
    "Phase",
    "Problem",
    "Relationship",
    "Resource",
    "ResourceKind",
    "Severity",
    "Stage",
    "StageKind",
    "StageOrder",
    "UnknownIdError",
    "UnknownRuleError",
    "Usager",
    "UsagerError",
    "__version__",
    "analysis",
    "check",
    "converter",
    "diff",
    "dump",
    "dumps",
    "exporters",
    "from_dict",
    "load",
    "loads",
    "slugify",
    "to_dict",
    "to_graph",
    "validate",
]


def __getattr__(name: str) -> Any:
    """What ``import usager`` does not import until it is first used.

    ``usager.analysis`` imports networkx, and ``usager.converter`` cattrs.
    """
    if name == "analysis":
        import importlib

        return importlib.import_module("usager.analysis")
    if name == "converter":
        from usager._converter import converter

        return converter
    raise AttributeError(f"module 'usager' has no attribute {name!r}")
