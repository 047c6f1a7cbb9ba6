"""The elements of a user engagement canvas, and their enums.

Every element is an immutable attrs class (frozen, slotted, keyword-only) with
an ``id``. Values are checked at construction: a bad one raises
:class:`~usager.errors.ElementError` naming the field. Lists are stored as
tuples, enum fields accept the member or its string value, and elements
compare and hash by value.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Literal

import attrs

from usager._fields import (
    BOOLEAN,
    CODES,
    ID,
    LABEL,
    NUMBER,
    TEXT,
    TEXTS,
    about,
    choice,
    described,
    integer,
    ref,
    refs,
    to_enum,
    to_tuple,
    v2,
)
from usager._i18n import N_
from usager._repr import fields_repr
from usager._text import is_blank
from usager.errors import ElementError

__all__ = [
    "ASSESSMENT_FIELDS",
    "LIST_QUESTIONS",
    "Activity",
    "Brake",
    "BrakeKind",
    "BrakeKindName",
    "Contribution",
    "ContributionStatus",
    "ContributionStatusName",
    "DigitalComfort",
    "DigitalComfortName",
    "Element",
    "Experience",
    "Facilitator",
    "FacilitatorStatus",
    "FacilitatorStatusName",
    "Language",
    "LanguageName",
    "Metric",
    "MetricDirection",
    "MetricDirectionName",
    "Partner",
    "Persona",
    "Phase",
    "PhaseName",
    "Relationship",
    "RelationshipName",
    "Resource",
    "ResourceKind",
    "ResourceKindName",
    "Stage",
    "StageKind",
    "StageKindName",
    "Usager",
    "unassessed",
]


class Language(str, Enum):
    """The language of a canvas: it picks default labels and questions."""

    EN = "en"
    FR = "fr"


class StageKind(str, Enum):
    """A stage of the user's cycle: the six standard ones, in cycle order, or ``custom``."""

    DISCOVERY = "discovery"
    FIRST_EXPERIENCE = "first_experience"
    PURCHASE = "purchase"
    USAGE = "usage"
    EXTENDED_USAGE = "extended_usage"
    PRESCRIPTION = "prescription"
    CUSTOM = "custom"

    @classmethod
    def standard(cls) -> tuple[StageKind, ...]:
        """The six standard kinds, in cycle order."""
        return tuple(k for k in cls if k is not cls.CUSTOM)

    @classmethod
    def aliases(cls) -> dict[str, StageKind]:
        """Each kind by its name in every language (``"Achat"``: purchase), for "did you mean" suggestions."""
        return {kind.label(language): kind for kind in cls for language in Language}

    def label(self, language: Language | LanguageName = Language.EN) -> str:
        """The stage's name in ``language`` (``"Découverte"`` for discovery in French)."""
        return _STAGE_TEXT[self][Language(language)][0]

    def question(self, language: Language | LanguageName = Language.EN) -> str:
        """The question a team answers for this stage, in ``language``."""
        return _STAGE_TEXT[self][Language(language)][1]


_STAGE_TEXT: dict[StageKind, dict[Language, tuple[str, str]]] = {
    StageKind.DISCOVERY: {
        Language.EN: (
            "Discovery",
            "Where are people when they look for a way to solve their problem, "
            "and through which two or three places do they find out the service exists?",
        ),
        Language.FR: (
            "Découverte",
            "Où sont les gens quand ils cherchent à résoudre leur problème, "
            "et par quels deux ou trois endroits apprennent-ils que le service existe ?",
        ),
    },
    StageKind.FIRST_EXPERIENCE: {
        Language.EN: (
            "First experience",
            "What first contact shows them what the service will do for them: "
            "a trial, a conversation, a clear page, a meeting?",
        ),
        Language.FR: (
            "Première expérience",
            "Quel premier contact leur montre ce que le service fera pour eux : "
            "un essai, un échange, une page claire, une rencontre ?",
        ),
    },
    StageKind.PURCHASE: {
        Language.EN: (
            "Purchase",
            "What makes them decide to take the service up (paying, or simply signing up), "
            "and what else could they choose instead?",
        ),
        Language.FR: (
            "Achat",
            "Qu'est-ce qui les décide à adopter le service (en payant, ou simplement en s'inscrivant), "
            "et que pourraient-ils choisir à la place ?",
        ),
    },
    StageKind.USAGE: {
        Language.EN: (
            "Usage",
            "What happens the very first time they use it, and does it keep its promise?",
        ),
        Language.FR: (
            "Utilisation",
            "Que se passe-t-il la toute première fois qu'ils s'en servent, et la promesse est-elle tenue ?",
        ),
    },
    StageKind.EXTENDED_USAGE: {
        Language.EN: (
            "Extended usage",
            "What brings them back until the service is part of their daily life or work?",
        ),
        Language.FR: (
            "Utilisation étendue",
            "Qu'est-ce qui les fait revenir, jusqu'à ce que le service fasse partie de leur vie ou de leur travail ?",
        ),
    },
    StageKind.PRESCRIPTION: {
        Language.EN: (
            "Recommendation",
            "What turns a satisfied user into someone who recommends the service to others?",
        ),
        Language.FR: (
            "Prescription",
            "Qu'est-ce qui fait d'un usager satisfait quelqu'un qui recommande le service à d'autres ?",
        ),
    },
    StageKind.CUSTOM: {
        Language.EN: ("Stage", "What does the user do at this stage, and what do they need?"),
        Language.FR: ("Étape", "Que fait l'usager à cette étape, et de quoi a-t-il besoin ?"),
    },
}


#: What each list of the canvas asks, in each language: the guide ``usager new`` prints.
LIST_QUESTIONS: dict[str, dict[Language, str]] = {
    "personas": {
        Language.EN: "Who are the typical users, made concrete: their goals, frustrations, ease with technology?",
        Language.FR: "Qui sont les usagers types, rendus concrets : buts, frustrations, aisance numérique ?",
    },
    "usagers": {
        Language.EN: "Which real people use the service, which persona does each embody, and where are they now?",
        Language.FR: "Quelles personnes réelles utilisent le service, quel persona incarnent-elles, où en sont-elles ?",
    },
    "brakes": {
        Language.EN: "What holds users back at each stage, on the way to the next one, and how badly (1 to 3)?",
        Language.FR: "Qu'est-ce qui retient les usagers à chaque étape, avant la suivante, et à quel point (1 à 3) ?",
    },
    "facilitators": {
        Language.EN: "What helps users on, answering the brakes? Is it in place, planned, or still an idea?",
        Language.FR: "Qu'est-ce qui aide les usagers à avancer, en réponse aux freins ? En place, prévu, ou une idée ?",
    },
    "activities": {
        Language.EN: "What must the team do to keep the cycle running, and what only to launch it?",
        Language.FR: "Que doit faire l'équipe pour faire tourner le cycle, et que faut-il seulement pour le lancer ?",
    },
    "resources": {
        Language.EN: "What does the cycle need, or already have: people, data, a brand, a channel?",
        Language.FR: "De quoi le cycle a-t-il besoin, ou que possède-t-il déjà : équipe, données, marque, canal ?",
    },
    "partners": {
        Language.EN: "Who else, not a competitor, brings activities or resources?",
        Language.FR: "Qui d'autre, hors concurrents, apporte des activités ou des ressources ?",
    },
    "experiences": {
        Language.EN: "How does each persona feel at each stage, from -2 to +2, in their own words? (the emotion curve)",
        Language.FR: "Que ressent chaque persona à chaque étape, de -2 à +2, avec ses mots ? (la courbe des émotions)",
    },
    "metrics": {
        Language.EN: "Which numbers tell whether a stage works, where do they stand, and where should they go?",
        Language.FR: "Quels chiffres disent si une étape fonctionne, où en sont-ils, et où devraient-ils aller ?",
    },
    "contributions": {
        Language.EN: "What do users themselves propose, and what answer did each proposal get?",
        Language.FR: "Que proposent les usagers eux-mêmes, et quelle réponse chaque proposition a-t-elle reçue ?",
    },
}


class BrakeKind(str, Enum):
    """What sort of obstacle a brake is."""

    THOUGHT = "thought"
    FEELING = "feeling"
    PREJUDICE = "prejudice"
    PHYSICAL = "physical"
    DISCONTINUITY = "discontinuity"
    MISSING_FEATURE = "missing_feature"
    DIGITAL_SKILLS = "digital_skills"
    PRIVACY = "privacy"
    TRUST = "trust"
    OTHER = "other"


class Phase(str, Enum):
    """Whether a key activity keeps the service running or launches it the first time."""

    RUN = "run"
    LAUNCH = "launch"


class Relationship(str, Enum):
    """How an usager stands towards the service."""

    USER = "user"
    CUSTOMER = "customer"
    MEMBER = "member"


class DigitalComfort(str, Enum):
    """How much at ease a persona is with new technology."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ResourceKind(str, Enum):
    """What sort of key resource a resource is."""

    HUMAN = "human"
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    FINANCIAL = "financial"
    DATA = "data"
    CHANNEL = "channel"
    OTHER = "other"


class FacilitatorStatus(str, Enum):
    """Where a facilitator stands: an idea, planned, in place, or retired."""

    IDEA = "idea"
    PLANNED = "planned"
    IN_PLACE = "in_place"
    RETIRED = "retired"


class ContributionStatus(str, Enum):
    """Where an improvement proposed by usagers stands, from proposal to answer."""

    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class MetricDirection(str, Enum):
    """Whether a metric is better when it goes up or when it goes down."""

    INCREASE = "increase"
    DECREASE = "decrease"


# The string values each enum field accepts, for type checkers: ``kind="fear"`` is refused by
# mypy, ``kind="trust"`` accepted (at run time any string is checked, and a bad one refused with
# an ElementError). A test checks each against its enum.
#: The values of :class:`Language`, as strings.
LanguageName = Literal["en", "fr"]
#: The values of :class:`StageKind`, as strings.
StageKindName = Literal[
    "discovery",
    "first_experience",
    "purchase",
    "usage",
    "extended_usage",
    "prescription",
    "custom",
]
#: The values of :class:`BrakeKind`, as strings.
BrakeKindName = Literal[
    "thought",
    "feeling",
    "prejudice",
    "physical",
    "discontinuity",
    "missing_feature",
    "digital_skills",
    "privacy",
    "trust",
    "other",
]
#: The values of :class:`Phase`, as strings.
PhaseName = Literal["run", "launch"]
#: The values of :class:`Relationship`, as strings.
RelationshipName = Literal["user", "customer", "member"]
#: The values of :class:`DigitalComfort`, as strings.
DigitalComfortName = Literal["low", "medium", "high"]
#: The values of :class:`ResourceKind`, as strings.
ResourceKindName = Literal["human", "physical", "intellectual", "financial", "data", "channel", "other"]
#: The values of :class:`FacilitatorStatus`, as strings.
FacilitatorStatusName = Literal["idea", "planned", "in_place", "retired"]
#: The values of :class:`ContributionStatus`, as strings.
ContributionStatusName = Literal[
    "proposed",
    "under_review",
    "accepted",
    "in_progress",
    "done",
    "declined",
    "duplicate",
    "withdrawn",
]
#: The values of :class:`MetricDirection`, as strings.
MetricDirectionName = Literal["increase", "decrease"]


# Named converters: mypy's attrs plugin reads the first parameter's type as the
# type __init__ accepts, so each enum gets its own small function.
def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


def _language(value: Language | LanguageName) -> Language:
    return to_enum(Language, value)


def _stage_kind(value: StageKind | StageKindName) -> StageKind:
    return to_enum(StageKind, value)


def _brake_kind(value: BrakeKind | BrakeKindName) -> BrakeKind:
    return to_enum(BrakeKind, value)


def _phase(value: Phase | PhaseName) -> Phase:
    return to_enum(Phase, value)


def _relationship(value: Relationship | RelationshipName) -> Relationship:
    return to_enum(Relationship, value)


def _comfort(value: DigitalComfort | DigitalComfortName | None) -> DigitalComfort | None:
    return to_enum(DigitalComfort, value)


def _resource_kind(value: ResourceKind | ResourceKindName) -> ResourceKind:
    return to_enum(ResourceKind, value)


def _facilitator_status(value: FacilitatorStatus | FacilitatorStatusName) -> FacilitatorStatus:
    return to_enum(FacilitatorStatus, value)


def _contribution_status(value: ContributionStatus | ContributionStatusName) -> ContributionStatus:
    return to_enum(ContributionStatus, value)


def _direction(value: MetricDirection | MetricDirectionName) -> MetricDirection:
    return to_enum(MetricDirection, value)


#: One mark of an assessment, from 1 to 5, or null when not assessed.
_ASSESSMENT = integer(1, 5, optional=True, meaning=N_("5 = the most"))

#: What every element may say of itself, and the shared keys, each described once.
_DESCRIPTION = about("More about the element, in free text.", TEXT)
_EVIDENCE = about("Where this comes from: interview notes, study ids, URLs.", TEXTS)
_TAGS = about("Free labels: a ticket id, a team, an owner.", TEXTS)
_SUPPRESS = about(
    "Rule codes whose findings are left out of the checks when this element is their first subject.", CODES
)
_DESIRABILITY = about("How much users want it, from 1 to 5 (null: not assessed).", _ASSESSMENT)
_FEASIBILITY = about("How feasible it is for the team, from 1 to 5 (null: not assessed).", _ASSESSMENT)
_VIABILITY = about("How viable it is for the organisation, from 1 to 5 (null: not assessed).", _ASSESSMENT)
_EFFORT = about("How much effort it takes, from 1 (little) to 5 (a lot) (null: not assessed).", _ASSESSMENT)

#: The fields of an assessment (facilitators and contributions): wanted, feasible, viable, for what effort.
ASSESSMENT_FIELDS = ("desirability", "feasibility", "viability", "effort")


def unassessed(element: Facilitator | Contribution) -> bool:
    """Whether ``element`` carries no mark of its assessment at all."""
    return all(getattr(element, name) is None for name in ASSESSMENT_FIELDS)


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Persona:
    """A typical user, made concrete for a workshop.

    ``digital_comfort`` says how much at ease the persona is with new
    technology (``None`` when unknown).
    """

    id: str = attrs.field(metadata=ID)
    name: str = attrs.field(
        metadata=about("The persona's name, as the team calls it (Léa, the night commuter).", LABEL)
    )
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    goals: tuple[str, ...] = attrs.field(
        default=(), converter=_strings, metadata=about("What the persona wants to achieve, one item each.", TEXTS)
    )
    frustrations: tuple[str, ...] = attrs.field(
        default=(), converter=_strings, metadata=about("What annoys or blocks the persona today, one item each.", TEXTS)
    )
    digital_comfort: DigitalComfort | None = attrs.field(
        default=None,
        converter=_comfort,
        metadata=about(
            "How much at ease the persona is with new technology (null: unknown).",
            choice(DigitalComfort, optional=True),
        ),
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Usager:
    """A person in interaction with the service.

    ``persona`` is the id of the persona this usager embodies, ``stage`` the id
    of the stage the usager is at now (each may be ``None``).
    """

    id: str = attrs.field(metadata=ID)
    name: str = attrs.field(metadata=about("The person's name.", LABEL))
    persona: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the persona this usager embodies (null: none).",
            ref("persona", relation="embodies", optional=True),
        ),
    )
    relationship: Relationship = attrs.field(
        default=Relationship.USER,
        converter=_relationship,
        metadata=about(
            "How the usager stands towards the service: a user, a customer (who buys) or a member.",
            choice(Relationship),
        ),
    )
    stage: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the stage this usager is at now (null: unknown).", ref("stage", relation="at", optional=True)
        ),
    )
    needs: tuple[str, ...] = attrs.field(
        default=(), converter=_strings, metadata=about("What this usager needs from the service, one item each.", TEXTS)
    )
    lead_user: bool = attrs.field(
        default=False,
        metadata=about("Whether this usager meets a need before the rest of the market (a lead user).", v2(BOOLEAN)),
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Stage:
    """A stage of the user's cycle.

    An empty ``label`` stands for the kind's name in the canvas language (see
    :meth:`display_label`); a ``custom`` stage must have a label of its own.
    ``touchpoints`` are where the user meets the service at this stage.
    """

    id: str = attrs.field(metadata=ID)
    kind: StageKind = attrs.field(
        converter=_stage_kind,
        metadata=about(
            "Which stage of the cycle this is: one of the six standard kinds, or custom.", choice(StageKind)
        ),
    )
    label: str = attrs.field(
        default="",
        metadata=about(
            "The stage's name; empty for the kind's name in the canvas language (a custom stage needs one).", TEXT
        ),
    )
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    touchpoints: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("Where the user meets the service at this stage (a web page, a counter, an e-mail).", TEXTS),
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))

    def __attrs_post_init__(self) -> None:
        if self.kind is StageKind.CUSTOM and is_blank(self.label):
            raise ElementError("Stage", "label", "a custom stage needs a label")

    def display_label(self, language: Language | LanguageName = Language.EN) -> str:
        """The label, or the kind's name in ``language`` when the label is blank."""
        return self.kind.label(language) if is_blank(self.label) else self.label


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Brake:
    """Whatever holds the user back at ``stage``, on the way to the next one.

    ``personas`` lists the personas it affects (empty: all of them);
    ``severity`` goes from 1 (mild) to 3 (blocking).
    """

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("What holds the user back, in a few words.", LABEL))
    stage: str = attrs.field(
        metadata=about(
            "The id of the stage where it holds the user, on the way to the next one.", ref("stage", relation="holds")
        )
    )
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    kind: BrakeKind = attrs.field(
        default=BrakeKind.OTHER,
        converter=_brake_kind,
        metadata=about("What sort of obstacle it is.", choice(BrakeKind)),
    )
    personas: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the personas it affects (empty: all of them).", refs("persona", relation="affects")),
    )
    severity: int = attrs.field(
        default=2,
        metadata=about(
            "How badly it holds the user back: 1 (mild) to 3 (blocking).",
            integer(1, 3, meaning=N_("3 = blocks the user")),
        ),
    )
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_EVIDENCE))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Facilitator:
    """A means put in place to help the user from one stage to the next.

    ``addresses`` lists the brakes it answers, ``stages`` the stages it eases.
    """

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("What helps the user on, in a few words.", LABEL))
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    addresses: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the brakes it answers.", refs("brake", relation="addresses")),
    )
    stages: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the stages it eases.", refs("stage", relation="eases")),
    )
    status: FacilitatorStatus = attrs.field(
        default=FacilitatorStatus.IN_PLACE,
        converter=_facilitator_status,
        metadata=about("Where it stands: an idea, planned, in place, or retired.", v2(choice(FacilitatorStatus))),
    )
    desirability: int | None = attrs.field(default=None, metadata=v2(_DESIRABILITY))
    feasibility: int | None = attrs.field(default=None, metadata=v2(_FEASIBILITY))
    viability: int | None = attrs.field(default=None, metadata=v2(_VIABILITY))
    effort: int | None = attrs.field(default=None, metadata=v2(_EFFORT))
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_EVIDENCE))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Activity:
    """A key activity: something the team must do to keep the cycle going.

    ``supports`` lists the stages or facilitators it makes possible, ``uses``
    the resources it needs, ``partner`` the partner that performs it.
    """

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("What the team does, in a few words.", LABEL))
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    phase: Phase = attrs.field(
        default=Phase.RUN,
        converter=_phase,
        metadata=about(
            "Whether it keeps the service running (run) or launches it the first time (launch).", choice(Phase)
        ),
    )
    supports: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about(
            "The ids of the stages or facilitators it makes possible.",
            refs("stage", "facilitator", relation="supports"),
        ),
    )
    uses: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the resources it needs.", refs("resource", relation="uses")),
    )
    partner: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the partner that performs it (null: the team itself).",
            ref("partner", relation="performs", optional=True, reverse=True),
        ),
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Resource:
    """A key resource the cycle needs or already has; ``partner`` is who provides it."""

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("The resource, in a few words.", LABEL))
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    kind: ResourceKind = attrs.field(
        default=ResourceKind.OTHER,
        converter=_resource_kind,
        metadata=about("What sort of resource it is.", choice(ResourceKind)),
    )
    partner: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the partner that provides it (null: the team's own).",
            ref("partner", relation="provides", optional=True, reverse=True),
        ),
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Partner:
    """Someone else (not a competitor) who brings activities or resources."""

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("The partner's name.", LABEL))
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_TAGS))
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=v2(_SUPPRESS))


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Experience:
    """How users feel at a stage: a point of the emotion curve.

    ``score`` goes from -2 (very bad) to +2 (very good); ``persona`` is the
    persona who feels it (``None``: everyone). ``emotion`` names the feeling,
    ``quote`` gives it in a user's words, ``evidence`` says where it comes from.
    """

    id: str = attrs.field(metadata=ID)
    stage: str = attrs.field(
        metadata=about("The id of the stage where users feel it.", ref("stage", relation="felt_at"))
    )
    score: int = attrs.field(
        metadata=about(
            "How it feels, from -2 (very bad) to +2 (very good).",
            integer(-2, 2, meaning=N_("-2 = very bad, 2 = very good")),
        )
    )
    persona: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the persona who feels it (null: everyone).", ref("persona", relation="felt_by", optional=True)
        ),
    )
    emotion: str = attrs.field(default="", metadata=about("The feeling, in a word or two.", TEXT))
    quote: str = attrs.field(default="", metadata=about("The feeling in a user's own words.", TEXT))
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_EVIDENCE)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_TAGS)
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_SUPPRESS)


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Metric:
    """A number that tells whether a stage works (a sign-up conversion, loans per month).

    ``direction`` says whether more is better (``increase``) or less is;
    ``target`` and ``current`` are finite numbers or ``None``; ``source`` says
    where the figure comes from.
    """

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("What is measured (a sign-up conversion, loans per month).", LABEL))
    stage: str = attrs.field(metadata=about("The id of the stage it measures.", ref("stage", relation="measures")))
    unit: str = attrs.field(default="", metadata=about("The unit of its figures (%, loans, euros).", TEXT))
    direction: MetricDirection = attrs.field(
        default=MetricDirection.INCREASE,
        converter=_direction,
        metadata=about("Whether more is better (increase) or less is (decrease).", choice(MetricDirection)),
    )
    target: float | None = attrs.field(default=None, metadata=about("The figure aimed at (null: none yet).", NUMBER))
    current: float | None = attrs.field(
        default=None, metadata=about("The figure now (null: not measured yet).", NUMBER)
    )
    source: str = attrs.field(default="", metadata=about("Where the figures come from.", TEXT))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_TAGS)
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_SUPPRESS)


@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Contribution:
    """An improvement that usagers themselves propose, and what became of it.

    ``author`` is the usager who proposed it, ``supporters`` those who back it;
    ``stages`` and ``brakes`` are what it concerns. ``status`` follows it from
    ``proposed`` to ``done`` (or ``declined``, ``duplicate``, ``withdrawn``);
    ``answer`` is the team's reply, ``realized_by`` the facilitator or activity
    that made it real, ``duplicate_of`` the contribution it repeats. The
    assessment (``desirability``, ``feasibility``, ``viability``, ``effort``,
    each 1–5) weighs it as the method converges: wanted, feasible, viable.
    """

    id: str = attrs.field(metadata=ID)
    title: str = attrs.field(metadata=about("The proposal, in a few words.", LABEL))
    description: str = attrs.field(default="", metadata=_DESCRIPTION)
    author: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the usager who proposed it (null: unknown).",
            ref("usager", relation="proposed_by", optional=True),
        ),
    )
    stages: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the stages it concerns.", refs("stage", relation="concerns")),
    )
    brakes: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the brakes it addresses.", refs("brake", relation="addresses")),
    )
    status: ContributionStatus = attrs.field(
        default=ContributionStatus.PROPOSED,
        converter=_contribution_status,
        metadata=about(
            "Where it stands, from proposed to done (or declined, duplicate, withdrawn).", choice(ContributionStatus)
        ),
    )
    answer: str = attrs.field(default="", metadata=about("The team's reply to the proposal.", TEXT))
    realized_by: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the facilitator or activity that made it real.",
            ref("facilitator", "activity", relation="realized_by", optional=True),
        ),
    )
    duplicate_of: str | None = attrs.field(
        default=None,
        metadata=about(
            "The id of the contribution it repeats.", ref("contribution", relation="duplicates", optional=True)
        ),
    )
    supporters: tuple[str, ...] = attrs.field(
        default=(),
        converter=_strings,
        metadata=about("The ids of the usagers who back it.", refs("usager", relation="supported_by")),
    )
    desirability: int | None = attrs.field(default=None, metadata=_DESIRABILITY)
    feasibility: int | None = attrs.field(default=None, metadata=_FEASIBILITY)
    viability: int | None = attrs.field(default=None, metadata=_VIABILITY)
    effort: int | None = attrs.field(default=None, metadata=_EFFORT)
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_EVIDENCE)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_TAGS)
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_SUPPRESS)


#: Any canvas element.
Element = (
    Persona | Usager | Stage | Brake | Facilitator | Activity | Resource | Partner | Experience | Metric | Contribution
)
