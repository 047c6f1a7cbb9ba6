"""usager: a service's user engagement canvas as typed, checked, exportable data."""

from typing import TYPE_CHECKING, Any

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
    from usager import exporters
    from usager._check import check, validate
    from usager._graph import to_graph
    from usager._io import MAX_BYTES, dump, dumps, load, loads

#: What ``import usager`` leaves to first use (the rules, the exporters, reading and writing), by module.
_LAZY = {
    "MAX_BYTES": "usager._io",
    "check": "usager._check",
    "dump": "usager._io",
    "dumps": "usager._io",
    "exporters": "usager.exporters",
    "load": "usager._io",
    "loads": "usager._io",
    "to_graph": "usager._graph",
    "validate": "usager._check",
}

__all__ = [
    "MAX_BYTES",
    "Activity",
    "Brake",
    "BrakeKind",
    "CannotLoadError",
    "Canvas",
    "CanvasError",
    "Contribution",
    "ContributionStatus",
    "DigitalComfort",
    "Element",
    "ElementError",
    "Experience",
    "ExporterError",
    "Facilitator",
    "FacilitatorStatus",
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
    "UnknownIdError",
    "UnknownRuleError",
    "Usager",
    "UsagerError",
    "__version__",
    "check",
    "dump",
    "dumps",
    "exporters",
    "load",
    "loads",
    "slugify",
    "to_graph",
    "validate",
]


def __getattr__(name: str) -> Any:
    """Import the rules, the exporters or the readers when one of their names is first used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'usager' has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module)
    value = loaded if name == "exporters" else getattr(loaded, name)
    globals()[name] = value
    return value
