"""usager: a service's user engagement canvas as typed, checked, exportable data."""

from usager import exporters
from usager._check import check, validate
from usager._graph import to_graph
from usager._io import MAX_BYTES, dump, dumps, load, loads
from usager._text import slugify
from usager._version import __version__
from usager.canvas import Canvas
from usager.elements import (
    Activity,
    Brake,
    BrakeKind,
    DigitalComfort,
    Element,
    Facilitator,
    Language,
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

__all__ = [
    "MAX_BYTES",
    "Activity",
    "Brake",
    "BrakeKind",
    "CannotLoadError",
    "Canvas",
    "CanvasError",
    "DigitalComfort",
    "Element",
    "ElementError",
    "ExporterError",
    "Facilitator",
    "Finding",
    "Language",
    "LoadError",
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
