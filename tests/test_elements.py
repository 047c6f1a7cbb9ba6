from __future__ import annotations

from typing import Any

import attrs
import pytest

import usager
from usager import (
    Activity,
    Brake,
    BrakeKind,
    DigitalComfort,
    ElementError,
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
from usager.canvas import ELEMENT_LISTS


def test_lists_are_stored_as_tuples_and_enums_accept_their_values() -> None:
    """Any sequence becomes a tuple; a string names its enum member."""
    brake = Brake(id="b", label="Fear", stage="s", kind="privacy", personas=["p1", "p2"])
    assert brake.personas == ("p1", "p2")
    assert brake.kind is BrakeKind.PRIVACY
    activity = Activity(id="a", label="Run", phase="launch", supports=iter(["s"]))
    assert activity.phase is Phase.LAUNCH
    assert activity.supports == ("s",)


def test_defaults_follow_the_contract() -> None:
    """Defaults: relationship user, brake kind other and severity 2, phase run, resource kind other."""
    assert Usager(id="u", name="U").relationship is Relationship.USER
    brake = Brake(id="b", label="B", stage="s")
    assert (brake.kind, brake.severity, brake.personas, brake.description) == (BrakeKind.OTHER, 2, (), "")
    assert Activity(id="a", label="A").phase is Phase.RUN
    assert Resource(id="r", label="R").kind is ResourceKind.OTHER
    assert Persona(id="p", name="P").digital_comfort is None


def test_elements_compare_and_hash_by_value() -> None:
    """Two elements with the same content are equal and hash alike."""
    a = Facilitator(id="f", label="Help", addresses=["b"])
    b = Facilitator(id="f", label="Help", addresses=("b",))
    assert a == b
    assert hash(a) == hash(b)
    assert a != attrs.evolve(a, label="Other")


def test_elements_are_frozen_and_keyword_only() -> None:
    """Fields cannot be reassigned, nor passed by position."""
    partner = Partner(id="p", label="Shop")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        partner.label = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Partner("p", "Shop")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cls", "kwargs", "field", "says"),
    [
        (Persona, {"id": "", "name": "P"}, "id", "empty"),
        (Persona, {"id": "a b", "name": "P"}, "id", "not a valid id"),
        (Persona, {"id": 3, "name": "P"}, "id", "found the number 3"),
        (Persona, {"id": "p", "name": "  "}, "name", "the name is empty"),
        (Persona, {"id": "p", "name": None}, "name", "found null"),
        (
            Persona,
            {"id": "p", "name": "P", "goals": "abc"},
            "goals",
            "expected a list like [abc], found the string 'abc'",
        ),
        (Persona, {"id": "p", "name": "P", "goals": ["ok", 3]}, "goals[1]", "expected a string"),
        (Persona, {"id": "p", "name": "P", "frustrations": ["a\x00"]}, "frustrations[0]", "NUL"),
        (Persona, {"id": "p", "name": "P", "digital_comfort": "none"}, "digital_comfort", "'low', 'medium', 'high'"),
        (Persona, {"id": "p", "name": "P", "description": "\ud800"}, "description", "lone surrogate"),
        (Usager, {"id": "u", "name": "U", "persona": "bad id"}, "persona", "not a valid id"),
        (Usager, {"id": "u", "name": "U", "relationship": "client"}, "relationship", "'user', 'customer', 'member'"),
        (Stage, {"id": "s", "kind": "discover"}, "kind", "'discovery'"),
        (Stage, {"id": "s", "kind": "custom"}, "label", "custom stage needs a label"),
        (Stage, {"id": "s", "kind": "usage", "touchpoints": [None]}, "touchpoints[0]", "found null"),
        (Brake, {"id": "b", "label": "B", "stage": None}, "stage", "found null"),
        (Brake, {"id": "b", "label": "B", "stage": "s", "severity": 0}, "severity", "1, 2 or 3 (3 = blocks the user)"),
        (Brake, {"id": "b", "label": "B", "stage": "s", "severity": 4}, "severity", "1, 2 or 3 (3 = blocks the user)"),
        (
            Brake,
            {"id": "b", "label": "B", "stage": "s", "severity": 2.0},
            "severity",
            "1, 2 or 3 (3 = blocks the user)",
        ),
        (Brake, {"id": "b", "label": "B", "stage": "s", "severity": True}, "severity", "boolean"),
        (Brake, {"id": "b", "label": "B", "stage": "s", "severity": "3"}, "severity", "the string '3'"),
        (Brake, {"id": "b", "label": "B", "stage": "s", "personas": ["ok", "n o"]}, "personas[1]", "not a valid id"),
        (Facilitator, {"id": "f", "label": "F", "addresses": 3}, "addresses", "list of ids"),
        (Activity, {"id": "a", "label": "A", "phase": "launched"}, "phase", "'run', 'launch'"),
        (Activity, {"id": "a", "label": "A", "partner": ""}, "partner", "empty"),
        (Resource, {"id": "r", "label": "R", "kind": "money"}, "kind", "'financial'"),
        (Partner, {"id": "p", "label": ""}, "label", "empty"),
    ],
)
def test_bad_values_raise_an_element_error_naming_the_field(
    cls: type[Any], kwargs: dict[str, Any], field: str, says: str
) -> None:
    """Construction refuses a bad value with a ValueError naming the class, the field and the problem."""
    with pytest.raises(ElementError) as info:
        cls(**kwargs)
    assert isinstance(info.value, ValueError)
    assert info.value.owner == cls.__name__
    assert info.value.field == field
    assert says in str(info.value)
    assert str(info.value).startswith(f"{cls.__name__}.{field}: ")


def test_text_keeps_control_characters_and_any_unicode() -> None:
    """Tabs, newlines, control characters, RTL marks and emoji are kept exactly."""
    text = "a\tb\nc\x01d\u202e😀"
    assert Persona(id="p", name=text, goals=[text]).goals == (text,)


def test_stage_kinds_have_labels_and_questions_in_both_languages() -> None:
    """Every stage kind is named and asks a question in English and French."""
    assert [k.value for k in StageKind.standard()] == [
        "discovery", "first_experience", "purchase", "usage", "extended_usage", "prescription",
    ]  # fmt: skip
    assert [k.label("fr") for k in StageKind.standard()] == [
        "Découverte", "Première expérience", "Achat", "Utilisation", "Utilisation étendue", "Prescription",
    ]  # fmt: skip
    for kind in StageKind:
        for language in Language:
            assert kind.question(language).endswith("?")


def test_stage_display_label_falls_back_to_the_kind_in_the_language() -> None:
    """An empty label shows the kind's name in the language asked for."""
    stage = Stage(id="s", kind=StageKind.PURCHASE)
    assert stage.display_label("fr") == "Achat"
    assert stage.display_label() == "Purchase"
    assert Stage(id="s", kind="purchase", label="Sign-up").display_label("fr") == "Sign-up"


def test_enums_are_strings_with_the_contract_values() -> None:
    """Enum members compare equal to their JSON values."""
    assert BrakeKind.DIGITAL_SKILLS == "digital_skills"
    assert {m.value for m in DigitalComfort} == {"low", "medium", "high"}
    assert {m.value for m in BrakeKind} == {
        "thought", "feeling", "prejudice", "physical", "discontinuity", "missing_feature", "digital_skills",
        "privacy", "trust", "other",
    }  # fmt: skip
    assert {m.value for m in ResourceKind} == {
        "human", "physical", "intellectual", "financial", "data", "channel", "other",
    }  # fmt: skip


# ---------------------------------------------------------------- version 2


@pytest.mark.parametrize(
    ("build", "says"),
    [
        (
            lambda: usager.Experience(id="e", stage="s", score=3),
            "Experience.score: expected -2, -1, 0, 1 or 2 \\(-2 = very bad, 2 = very good\\)",
        ),
        (lambda: usager.Experience(id="e", stage="s", score=True), "Experience.score: expected -2, -1, 0, 1 or 2"),
        (lambda: usager.Experience(id="e", stage="s", score=1.0), "Experience.score: expected -2"),
        (
            lambda: usager.Facilitator(id="f", label="F", effort=0),
            "Facilitator.effort: expected 1, 2, 3, 4 or 5 \\(5 = the most\\) or null",
        ),
        (lambda: usager.Facilitator(id="f", label="F", status="done"), "Facilitator.status: expected one of 'idea'"),
        (
            lambda: usager.Contribution(id="c", title="T", viability=6),
            "Contribution.viability: expected 1, 2, 3, 4 or 5",
        ),
        (lambda: usager.Contribution(id="c", title=" "), "Contribution.title: the title is empty: write some text"),
        (lambda: usager.Contribution(id="c", title="T", status="open"), "Contribution.status: expected one of"),
        (lambda: usager.Metric(id="m", label="M", stage="s", target=float("nan")), "Metric.target: expected a finite"),
        (
            lambda: usager.Metric(id="m", label="M", stage="s", current=float("inf")),
            "Metric.current: expected a",
        ),
        (lambda: usager.Metric(id="m", label="M", stage="s", target="3"), "Metric.target: expected a finite number"),
        (lambda: usager.Usager(id="u", name="U", lead_user=1), "Usager.lead_user: expected true or false"),
        (
            lambda: usager.Brake(id="b", label="B", stage="s", suppress=["u020"]),
            r"Brake.suppress\[0\]: expected a",
        ),
        (lambda: usager.Partner(id="p", label="P", tags=["ok", None]), r"Partner.tags\[1\]: expected a string"),
    ],
)
def test_version_2_values_are_checked_with_the_field_named(build: Any, says: str) -> None:
    """Scores, assessments, finite numbers, statuses and codes are refused with the field named."""
    with pytest.raises(usager.ElementError, match=says):
        build()


def test_every_element_has_tags_and_suppressions() -> None:
    """tags and suppress close every element's keys, empty by default."""
    for _, cls in ELEMENT_LISTS:
        names = [f.name for f in attrs.fields(cls)]
        assert names[-2:] == ["tags", "suppress"], cls
        assert cls.__attrs_attrs__.tags.default == ()


def test_the_new_defaults_are_the_contract_ones() -> None:
    """Facilitators are in place, contributions proposed, metrics increase, usagers are no lead users."""
    assert usager.Facilitator(id="f", label="F").status is usager.FacilitatorStatus.IN_PLACE
    assert usager.Contribution(id="c", title="T").status is usager.ContributionStatus.PROPOSED
    assert usager.Metric(id="m", label="M", stage="s").direction is usager.MetricDirection.INCREASE
    assert usager.Usager(id="u", name="U").lead_user is False
    assert usager.Experience(id="e", stage="s", score=-2).persona is None
