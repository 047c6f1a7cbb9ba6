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
    ExporterUnavailableError,
    ExporterWarning,
    GraphvizNotFoundError,
    LoadError,
    OptionError,
    OutputPathError,
    Problem,
    RenderError,
    RuleWarning,
    UnknownExporterError,
    UnknownIdError,
    UnknownRuleError,
    UsagerError,
)
from usager.findings import Finding, Severity

if TYPE_CHECKING:
    import cattrs

    from usager import analysis, exporters
    from usager._baseline import Baseline
    from usager._check import check, validate
    from usager._config import Config
    from usager._converter import register_hooks
    from usager._diff import CanvasDiff, ElementChange, FieldChange, StageOrder, diff
    from usager._embed import from_dict, to_dict
    from usager._graph import to_graph
    from usager._io import MAX_BYTES, dump, dumps, load, loads
    from usager.rules import Rule

    converter: cattrs.Converter

#: What ``import usager`` leaves to first use, by module: the rules, the exporters, reading and
#: writing, the analyses (networkx), the diff, the dict form, the cattrs converter and hooks, the baseline.
_LAZY = {
    "Baseline": "usager._baseline",
    "CanvasDiff": "usager._diff",
    "Config": "usager._config",
    "ElementChange": "usager._diff",
    "FieldChange": "usager._diff",
    "MAX_BYTES": "usager._io",
    "Rule": "usager.rules",
    "StageOrder": "usager._diff",
    "analysis": "usager.analysis",
    "check": "usager._check",
    "converter": "usager._converter",
    "diff": "usager._diff",
    "dump": "usager._io",
    "dumps": "usager._io",
    "exporters": "usager.exporters",
    "from_dict": "usager._embed",
    "load": "usager._io",
    "loads": "usager._io",
    "register_hooks": "usager._converter",
    "to_dict": "usager._embed",
    "to_graph": "usager._graph",
    "validate": "usager._check",
}

__all__ = [
    "MAX_BYTES",
    "Activity",
    "Baseline",
    "Brake",
    "BrakeKind",
    "CannotLoadError",
    "Canvas",
    "CanvasDiff",
    "CanvasError",
    "Config",
    "Contribution",
    "ContributionStatus",
    "DigitalComfort",
    "Element",
    "ElementChange",
    "ElementError",
    "Experience",
    "ExporterError",
    "ExporterUnavailableError",
    "ExporterWarning",
    "Facilitator",
    "FacilitatorStatus",
    "FieldChange",
    "Finding",
    "GraphvizNotFoundError",
    "Language",
    "LoadError",
    "Metric",
    "MetricDirection",
    "OptionError",
    "OutputPathError",
    "Partner",
    "Persona",
    "Phase",
    "Problem",
    "Relationship",
    "RenderError",
    "Resource",
    "ResourceKind",
    "Rule",
    "RuleWarning",
    "Severity",
    "Stage",
    "StageKind",
    "StageOrder",
    "UnknownExporterError",
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
    "register_hooks",
    "slugify",
    "to_dict",
    "to_graph",
    "validate",
]


def __getattr__(name: str) -> Any:
    """Import what one of the names of :data:`_LAZY` needs when that name is first used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'usager' has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module)
    value = loaded if name in ("analysis", "exporters") else getattr(loaded, name)
    globals()[name] = value
    return value
