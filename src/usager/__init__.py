"""usager: a service's user engagement canvas as typed, checked, exportable data."""

from usager import exporters
from usager._check import check, validate
from usager._diff import CanvasDiff, ElementChange, FieldChange, StageOrder, diff
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from usager import analysis

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
    "diff",
    "dump",
    "dumps",
    "exporters",
    "load",
    "loads",
    "slugify",
    "to_graph",
    "validate",
]


def __getattr__(name: str) -> object:
    """``usager.analysis``, imported when first used (it imports networkx, which ``import usager`` does not)."""
    if name == "analysis":
        import importlib

        return importlib.import_module("usager.analysis")
    raise AttributeError(f"module 'usager' has no attribute {name!r}")
