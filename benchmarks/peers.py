"""The peers usager is measured against: the same document as a pydantic v2 model and as msgspec Structs.

Both model format ``usager/2`` key for key, with usager's defaults, and are as strict as usager's
loader where they can be: unknown keys forbidden, enums, the id and rule-code patterns, integer
bounds (severity 1-3, score -2..2, assessments 1-5), finite numbers, no coercion. What they do not
check: that a name or label is not blank (only not empty), text free of NUL and lone surrogates,
and that a custom stage has a label.

The top-level ``$schema`` key: msgspec renames a field; pydantic gets a field whose name *is*
``$schema`` (built with ``create_model``), because with an alias pydantic's JSON validation
silently accepts, and drops, a key spelled like the field's Python name despite ``extra="forbid"``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

#: usager's id rule: an ASCII letter, digit or ``_``, then also ``-`` and ``.``, at most 128 characters.
#: The end of the text is ``\z`` for pydantic (Rust's regex has no ``\Z``) and ``\Z`` for msgspec
#: (Python's ``re.search``, where ``\z`` is an error before 3.14); never ``$``, which Python's
#: ``re`` also lets match before a trailing newline.
_ID = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}"
ID_PATTERN_RUST = _ID + r"\z"
ID_PATTERN_PYTHON = _ID + r"\Z"
#: A rule code (``U020``), as in ``suppress``.
CODE_PATTERN_RUST = r"^U[0-9]{3}\z"
CODE_PATTERN_PYTHON = r"^U[0-9]{3}\Z"

FORMAT = Literal["usager/2"]
DigitalComfort = Literal["low", "medium", "high"]
Relationship = Literal["user", "customer", "member"]
Phase = Literal["run", "launch"]
ResourceKind = Literal["human", "physical", "intellectual", "financial", "data", "channel", "other"]
FacilitatorStatus = Literal["idea", "planned", "in_place", "retired"]
MetricDirection = Literal["increase", "decrease"]
ContributionStatus = Literal[
    "proposed", "under_review", "accepted", "in_progress", "done", "declined", "duplicate", "withdrawn"
]


class StageKindP(str, Enum):
    discovery = "discovery"
    first_experience = "first_experience"
    purchase = "purchase"
    usage = "usage"
    extended_usage = "extended_usage"
    prescription = "prescription"
    custom = "custom"


class BrakeKindP(str, Enum):
    thought = "thought"
    feeling = "feeling"
    prejudice = "prejudice"
    physical = "physical"
    discontinuity = "discontinuity"
    missing_feature = "missing_feature"
    digital_skills = "digital_skills"
    privacy = "privacy"
    trust = "trust"
    other = "other"


# ------------------------------------------------------------------ pydantic v2
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN_RUST)]
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN_RUST)]
Label = Annotated[str, StringConstraints(min_length=1)]
Severity = Annotated[int, Field(ge=1, le=3)]
Score = Annotated[int, Field(ge=-2, le=2)]
Assessment = Annotated[int, Field(ge=1, le=5)]
#: A finite number: an int stays an int; a float may not be NaN or infinite (1e400 is refused).
Number = int | Annotated[float, Field(allow_inf_nan=False)]
_CONFIG = ConfigDict(extra="forbid", strict=True, frozen=True)


class PersonaP(BaseModel):
    model_config = _CONFIG
    id: Id
    name: Label
    description: str = ""
    goals: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    digital_comfort: DigitalComfort | None = None
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class UsagerP(BaseModel):
    model_config = _CONFIG
    id: Id
    name: Label
    persona: Id | None = None
    relationship: Relationship = "user"
    stage: Id | None = None
    needs: tuple[str, ...] = ()
    lead_user: bool = False
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class StageP(BaseModel):
    model_config = _CONFIG
    id: Id
    kind: StageKindP
    label: str = ""
    description: str = ""
    touchpoints: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class BrakeP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    stage: Id
    description: str = ""
    kind: BrakeKindP = BrakeKindP.other
    personas: tuple[Id, ...] = ()
    severity: Severity = 2
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class FacilitatorP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    addresses: tuple[Id, ...] = ()
    stages: tuple[Id, ...] = ()
    status: FacilitatorStatus = "in_place"
    desirability: Assessment | None = None
    feasibility: Assessment | None = None
    viability: Assessment | None = None
    effort: Assessment | None = None
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class ActivityP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    phase: Phase = "run"
    supports: tuple[Id, ...] = ()
    uses: tuple[Id, ...] = ()
    partner: Id | None = None
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class ResourceP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    kind: ResourceKind = "other"
    partner: Id | None = None
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class PartnerP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class ExperienceP(BaseModel):
    model_config = _CONFIG
    id: Id
    stage: Id
    score: Score
    persona: Id | None = None
    emotion: str = ""
    quote: str = ""
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class MetricP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    stage: Id
    unit: str = ""
    direction: MetricDirection = "increase"
    target: Number | None = None
    current: Number | None = None
    source: str = ""
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


class ContributionP(BaseModel):
    model_config = _CONFIG
    id: Id
    title: Label
    description: str = ""
    author: Id | None = None
    stages: tuple[Id, ...] = ()
    brakes: tuple[Id, ...] = ()
    status: ContributionStatus = "proposed"
    answer: str = ""
    realized_by: Id | None = None
    duplicate_of: Id | None = None
    supporters: tuple[Id, ...] = ()
    desirability: Assessment | None = None
    feasibility: Assessment | None = None
    viability: Assessment | None = None
    effort: Assessment | None = None
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[Code, ...] = ()


#: The document's fields, in document order: ``$schema`` is no Python identifier, hence ``create_model``.
_CANVAS_FIELDS: dict[str, Any] = {
    "$schema": (Label | None, None),
    "format": (FORMAT, ...),
    "name": (Label, ...),
    "description": (str, ""),
    "language": (Literal["en", "fr"], "en"),
    "personas": (tuple[PersonaP, ...], ()),
    "usagers": (tuple[UsagerP, ...], ()),
    "stages": (tuple[StageP, ...], ()),
    "brakes": (tuple[BrakeP, ...], ()),
    "facilitators": (tuple[FacilitatorP, ...], ()),
    "activities": (tuple[ActivityP, ...], ()),
    "resources": (tuple[ResourceP, ...], ()),
    "partners": (tuple[PartnerP, ...], ()),
    "experiences": (tuple[ExperienceP, ...], ()),
    "metrics": (tuple[MetricP, ...], ()),
    "contributions": (tuple[ContributionP, ...], ()),
}
CanvasP: type[BaseModel] = create_model("CanvasP", __config__=_CONFIG, **_CANVAS_FIELDS)


# ------------------------------------------------------------------ msgspec
MId = Annotated[str, msgspec.Meta(pattern=ID_PATTERN_PYTHON)]
MCode = Annotated[str, msgspec.Meta(pattern=CODE_PATTERN_PYTHON)]
MLabel = Annotated[str, msgspec.Meta(min_length=1)]
MSeverity = Annotated[int, msgspec.Meta(ge=1, le=3)]
MScore = Annotated[int, msgspec.Meta(ge=-2, le=2)]
MAssessment = Annotated[int, msgspec.Meta(ge=1, le=5)]
#: msgspec's JSON decoder refuses NaN and Infinity, and numbers too large for a float (1e400).
MNumber = int | float


class _S(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class PersonaM(_S):
    id: MId
    name: MLabel
    description: str = ""
    goals: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    digital_comfort: DigitalComfort | None = None
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class UsagerM(_S):
    id: MId
    name: MLabel
    persona: MId | None = None
    relationship: Relationship = "user"
    stage: MId | None = None
    needs: tuple[str, ...] = ()
    lead_user: bool = False
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class StageM(_S):
    id: MId
    kind: StageKindP
    label: str = ""
    description: str = ""
    touchpoints: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class BrakeM(_S):
    id: MId
    label: MLabel
    stage: MId
    description: str = ""
    kind: BrakeKindP = BrakeKindP.other
    personas: tuple[MId, ...] = ()
    severity: MSeverity = 2
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class FacilitatorM(_S):
    id: MId
    label: MLabel
    description: str = ""
    addresses: tuple[MId, ...] = ()
    stages: tuple[MId, ...] = ()
    status: FacilitatorStatus = "in_place"
    desirability: MAssessment | None = None
    feasibility: MAssessment | None = None
    viability: MAssessment | None = None
    effort: MAssessment | None = None
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class ActivityM(_S):
    id: MId
    label: MLabel
    description: str = ""
    phase: Phase = "run"
    supports: tuple[MId, ...] = ()
    uses: tuple[MId, ...] = ()
    partner: MId | None = None
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class ResourceM(_S):
    id: MId
    label: MLabel
    description: str = ""
    kind: ResourceKind = "other"
    partner: MId | None = None
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class PartnerM(_S):
    id: MId
    label: MLabel
    description: str = ""
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class ExperienceM(_S):
    id: MId
    stage: MId
    score: MScore
    persona: MId | None = None
    emotion: str = ""
    quote: str = ""
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class MetricM(_S):
    id: MId
    label: MLabel
    stage: MId
    unit: str = ""
    direction: MetricDirection = "increase"
    target: MNumber | None = None
    current: MNumber | None = None
    source: str = ""
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class ContributionM(_S):
    id: MId
    title: MLabel
    description: str = ""
    author: MId | None = None
    stages: tuple[MId, ...] = ()
    brakes: tuple[MId, ...] = ()
    status: ContributionStatus = "proposed"
    answer: str = ""
    realized_by: MId | None = None
    duplicate_of: MId | None = None
    supporters: tuple[MId, ...] = ()
    desirability: MAssessment | None = None
    feasibility: MAssessment | None = None
    viability: MAssessment | None = None
    effort: MAssessment | None = None
    evidence: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    suppress: tuple[MCode, ...] = ()


class CanvasM(_S, kw_only=True):  # kw_only applies to the fields a class declares: ``$schema`` comes first
    #: ``$schema``: UNSET (and left out when encoding) when the document has no such key.
    schema: MLabel | msgspec.UnsetType | None = msgspec.field(default=msgspec.UNSET, name="$schema")
    format: FORMAT
    name: MLabel
    description: str = ""
    language: Literal["en", "fr"] = "en"
    personas: tuple[PersonaM, ...] = ()
    usagers: tuple[UsagerM, ...] = ()
    stages: tuple[StageM, ...] = ()
    brakes: tuple[BrakeM, ...] = ()
    facilitators: tuple[FacilitatorM, ...] = ()
    activities: tuple[ActivityM, ...] = ()
    resources: tuple[ResourceM, ...] = ()
    partners: tuple[PartnerM, ...] = ()
    experiences: tuple[ExperienceM, ...] = ()
    metrics: tuple[MetricM, ...] = ()
    contributions: tuple[ContributionM, ...] = ()
