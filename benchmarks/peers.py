"""The peers usager is measured against: the same document as a pydantic v2 model and as msgspec Structs.

Both are as strict as usager's loader where they can be: unknown keys forbidden, enums, the id
pattern, severities from 1 to 3, no coercion.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

import msgspec
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$"


# ------------------------------------------------------------------ pydantic v2
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


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Label = Annotated[str, StringConstraints(min_length=1)]
_CONFIG = ConfigDict(extra="forbid", strict=True, frozen=True)


class PersonaP(BaseModel):
    model_config = _CONFIG
    id: Id
    name: Label
    description: str = ""
    goals: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    digital_comfort: Literal["low", "medium", "high"] | None = None


class UsagerP(BaseModel):
    model_config = _CONFIG
    id: Id
    name: Label
    persona: Id | None = None
    relationship: Literal["user", "customer", "member"] = "user"
    stage: Id | None = None
    needs: tuple[str, ...] = ()


class StageP(BaseModel):
    model_config = _CONFIG
    id: Id
    kind: StageKindP
    label: str = ""
    description: str = ""
    touchpoints: tuple[str, ...] = ()


class BrakeP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    stage: Id
    description: str = ""
    kind: BrakeKindP = BrakeKindP.other
    personas: tuple[Id, ...] = ()
    severity: Annotated[int, Field(ge=1, le=3)] = 2


class FacilitatorP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    addresses: tuple[Id, ...] = ()
    stages: tuple[Id, ...] = ()


class ActivityP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    phase: Literal["run", "launch"] = "run"
    supports: tuple[Id, ...] = ()
    uses: tuple[Id, ...] = ()
    partner: Id | None = None


class ResourceP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""
    kind: Literal["human", "physical", "intellectual", "financial", "data", "channel", "other"] = "other"
    partner: Id | None = None


class PartnerP(BaseModel):
    model_config = _CONFIG
    id: Id
    label: Label
    description: str = ""


class CanvasP(BaseModel):
    model_config = _CONFIG
    format: Literal["usager/1"]
    name: Label
    description: str = ""
    language: Literal["en", "fr"] = "en"
    personas: tuple[PersonaP, ...] = ()
    usagers: tuple[UsagerP, ...] = ()
    stages: tuple[StageP, ...] = ()
    brakes: tuple[BrakeP, ...] = ()
    facilitators: tuple[FacilitatorP, ...] = ()
    activities: tuple[ActivityP, ...] = ()
    resources: tuple[ResourceP, ...] = ()
    partners: tuple[PartnerP, ...] = ()


# ------------------------------------------------------------------ msgspec
MId = Annotated[str, msgspec.Meta(pattern=ID_PATTERN)]
MLabel = Annotated[str, msgspec.Meta(min_length=1)]


class _S(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class PersonaM(_S):
    id: MId
    name: MLabel
    description: str = ""
    goals: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    digital_comfort: Literal["low", "medium", "high"] | None = None


class UsagerM(_S):
    id: MId
    name: MLabel
    persona: MId | None = None
    relationship: Literal["user", "customer", "member"] = "user"
    stage: MId | None = None
    needs: tuple[str, ...] = ()


class StageM(_S):
    id: MId
    kind: StageKindP
    label: str = ""
    description: str = ""
    touchpoints: tuple[str, ...] = ()


class BrakeM(_S):
    id: MId
    label: MLabel
    stage: MId
    description: str = ""
    kind: BrakeKindP = BrakeKindP.other
    personas: tuple[MId, ...] = ()
    severity: Annotated[int, msgspec.Meta(ge=1, le=3)] = 2


class FacilitatorM(_S):
    id: MId
    label: MLabel
    description: str = ""
    addresses: tuple[MId, ...] = ()
    stages: tuple[MId, ...] = ()


class ActivityM(_S):
    id: MId
    label: MLabel
    description: str = ""
    phase: Literal["run", "launch"] = "run"
    supports: tuple[MId, ...] = ()
    uses: tuple[MId, ...] = ()
    partner: MId | None = None


class ResourceM(_S):
    id: MId
    label: MLabel
    description: str = ""
    kind: Literal["human", "physical", "intellectual", "financial", "data", "channel", "other"] = "other"
    partner: MId | None = None


class PartnerM(_S):
    id: MId
    label: MLabel
    description: str = ""


class CanvasM(_S):
    format: Literal["usager/1"]
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
