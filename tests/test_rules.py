from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import usager
from usager import (
    Activity,
    Brake,
    Canvas,
    CanvasError,
    Facilitator,
    Finding,
    Partner,
    Persona,
    Resource,
    Severity,
    Stage,
    StageKind,
    UnknownRuleError,
    Usager,
    check,
    dumps,
    load,
    validate,
)
from usager.examples import complete, mediatheque
from usager.rules import Rule, all_rules

RULES = all_rules()


def codes(canvas: Canvas, **kwargs: object) -> list[str]:
    return [f.code for f in check(canvas, **kwargs)]  # type: ignore[arg-type]


def test_the_rule_set_is_the_documented_one() -> None:
    """Every code of the contract exists with its severity."""
    expected = {
        "U001": "error", "U002": "error", "U003": "error", "U010": "error", "U011": "warning", "U012": "error",
        "U020": "warning", "U021": "warning", "U030": "warning", "U031": "warning", "U032": "warning",
        "U033": "warning", "U034": "info", "U040": "info",
        # version 2: the contract's six
        "U022": "warning", "U023": "info", "U050": "warning", "U051": "warning", "U060": "info", "U061": "info",
        # version 2: added where the method calls for them
        "U004": "warning", "U024": "info", "U041": "info", "U052": "info",
    }  # fmt: skip
    assert {r.code: r.severity.value for r in RULES} == expected


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_rule_fires_on_its_bad_example(rule: Rule) -> None:
    """The rule's failing example trips exactly that rule among the rule's findings."""
    findings = check(rule.bad())
    assert rule.code in [f.code for f in findings]
    for finding in findings:
        if finding.code == rule.code:
            assert finding.severity is rule.severity
            assert finding.message


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_rule_is_quiet_on_its_good_example(rule: Rule) -> None:
    """The rule's passing example does not trip it."""
    assert rule.code not in codes(rule.good())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_rule_is_documented(rule: Rule) -> None:
    """Every rule has a one-line summary and an explanation of some length."""
    assert rule.summary
    assert "\n" not in rule.summary
    assert len(rule.explanation) > 80


def test_complete_canvases_yield_no_finding() -> None:
    """The reference canvas and the built-in example are clean."""
    assert check(complete()) == []
    assert check(mediatheque()) == []


def test_u001_names_each_holder_and_reports_the_id_once() -> None:
    """A duplicated id is one finding whose subject is the id, naming every holder."""
    canvas = Canvas(
        name="x",
        personas=[Persona(id="d", name="First")],
        partners=[Partner(id="d", label="Second"), Partner(id="d", label="Third")],
    )
    (finding,) = check(canvas, select="U001")
    assert finding.subjects == ("d",)
    assert "3 elements" in finding.message
    assert "persona 'd' (First)" in finding.message
    assert "partner 'd' (Third)" in finding.message


def test_u002_names_the_field_index_and_missing_id() -> None:
    """A dangling reference names its source, the field and the missing id."""
    canvas = Canvas.standard("x").add(Facilitator(id="f", label="Help", addresses=["ghost"]))
    (finding,) = check(canvas, select="U002")
    assert finding.subjects == ("f", "ghost")
    assert finding.message == "facilitator 'f' (Help) names 'ghost' in addresses[0], but no element has that id"


def test_u003_says_what_the_field_takes() -> None:
    """A reference to the wrong kind names both elements and the expected kind."""
    canvas = Canvas.standard("x").add(Partner(id="pa", label="Shop"), Activity(id="a", label="A", supports=["pa"]))
    (finding,) = check(canvas, select="U003")
    assert finding.subjects == ("a", "pa")
    assert "which takes a stage or facilitator" in finding.message


def test_u011_reports_missing_kinds_by_name() -> None:
    """Missing standard kinds are listed with their labels in the canvas language."""
    canvas = Canvas.standard("x", "fr")
    canvas = attrs.evolve(canvas, stages=[s for s in canvas.stages if s.kind is not StageKind.PURCHASE])
    (finding,) = check(canvas, select="U011")
    assert "purchase (Achat)" in finding.message
    assert finding.subjects == ()


def test_u011_accepts_a_rotation_of_the_cycle_and_custom_stages_anywhere() -> None:
    """The cycle may start at any stage; custom stages do not disturb the order."""
    stages = list(Canvas.standard("x").stages)
    rotated = [*stages[2:], Stage(id="c", kind="custom", label="Repair"), *stages[:2]]
    assert "U011" not in codes(Canvas(name="x", stages=rotated))


def test_u011_flags_swapped_stages_with_their_ids() -> None:
    """Two swapped stages give one order finding with every standard stage as subject."""
    stages = list(Canvas.standard("x").stages)
    stages[3], stages[4] = stages[4], stages[3]
    (finding,) = check(Canvas(name="x", stages=stages), select="U011")
    assert "out of cycle order" in finding.message
    assert set(finding.subjects) == {k.value for k in StageKind.standard()}


def test_u012_ignores_custom_stages() -> None:
    """Several custom stages are fine; two of one standard kind are not."""
    canvas = Canvas.standard("x").add(
        Stage(id="c1", kind="custom", label="A"), Stage(id="c2", kind="custom", label="B")
    )
    assert "U012" not in codes(canvas)
    (finding,) = check(canvas.add(Stage(id="u2", kind="usage")), select="U012")
    assert finding.subjects == ("usage", "u2")


def test_u020_counts_only_facilitators_that_really_address_the_brake() -> None:
    """A facilitator naming the brake through another field does not address it."""
    base = Canvas.standard("x").add(Brake(id="b", label="B", stage="usage"))
    assert "U020" in codes(base.add(Facilitator(id="f", label="F", stages=["usage"])))
    assert "U020" not in codes(base.add(Facilitator(id="f", label="F", addresses=["b"])))


def test_u021_a_facilitator_that_only_eases_is_fine() -> None:
    """Easing a stage is enough for a facilitator; naming only ghosts is not."""
    canvas = Canvas.standard("x")
    assert "U021" not in codes(canvas.add(Facilitator(id="f", label="F", stages=["usage"])))
    assert "U021" in codes(canvas.add(Facilitator(id="f", label="F", addresses=["ghost"])))


def test_u030_support_may_come_through_a_facilitator() -> None:
    """A stage is supported through a facilitator that eases it or addresses a brake held at it."""
    stage = Stage(id="s", kind="usage")

    def supported(*elements: object) -> bool:
        canvas = Canvas(name="x", stages=[stage]).add(*elements)  # type: ignore[arg-type]
        return "U030" not in codes(canvas)

    assert not supported()
    assert supported(Activity(id="a", label="A", supports=["s"]))
    assert supported(Facilitator(id="f", label="F", stages=["s"]), Activity(id="a", label="A", supports=["f"]))
    assert supported(
        Brake(id="b", label="B", stage="s"),
        Facilitator(id="f", label="F", addresses=["b"]),
        Activity(id="a", label="A", supports=["f"]),
    )
    assert not supported(Facilitator(id="f", label="F", stages=["s"]), Activity(id="a", label="A"))


def test_u031_to_u033_report_idle_backstage_elements() -> None:
    """An activity, a resource and a partner with no link are each reported."""
    canvas = Canvas.standard("x").add(
        Activity(id="a", label="A"), Resource(id="r", label="R"), Partner(id="p", label="P")
    )
    found = {f.code: f.subjects for f in check(canvas, select=["U031", "U032", "U033"])}
    assert found == {"U031": ("a",), "U032": ("r",), "U033": ("p",)}


def test_u034_reports_each_missing_phase() -> None:
    """No launch activity and no run activity are two findings."""
    canvas = Canvas.standard("x")
    assert [f.message for f in check(canvas, select="U034")] == [
        "no key activity has the phase 'run'",
        "no key activity has the phase 'launch'",
    ]
    assert len(check(canvas.add(Activity(id="a", label="A")), select="U034")) == 1


def test_u040_reports_a_persona_named_twice_in_a_brake() -> None:
    """A repeated persona in a brake's list is reported once per persona."""
    canvas = complete()
    brake = canvas.brakes[0]
    canvas = canvas.replace(attrs.evolve(brake, personas=["newcomer", "newcomer", "newcomer"]))
    (finding,) = check(canvas, select="U040")
    assert finding.subjects == (brake.id, "newcomer")
    assert "3 times" in finding.message


def test_findings_come_in_code_then_document_order() -> None:
    """The same canvas always gives the same findings in the same order."""
    canvas = Canvas.standard("x").add(Activity(id="a2", label="A"), Activity(id="a1", label="A"))
    findings = check(canvas)
    assert [f.code for f in findings] == sorted(f.code for f in findings)
    assert [f.subjects for f in findings if f.code == "U031"] == [("a2",), ("a1",)]
    assert findings == check(canvas)


def test_select_and_ignore_take_codes_and_prefixes() -> None:
    """Selection works like a linter's: exact codes, group prefixes, ignore after select."""
    canvas = Canvas.standard("x").add(Activity(id="a", label="A"), Resource(id="r", label="R"))
    assert set(codes(canvas, select="U03")) == {"U030", "U031", "U032", "U034"}
    assert set(codes(canvas, select="U03", ignore=["U030", "u034"])) == {"U031", "U032"}
    assert codes(canvas, select=["U001"]) == []


def test_an_unknown_selector_is_an_error_listing_the_codes() -> None:
    """A typo in a selector is refused rather than silently selecting nothing."""
    with pytest.raises(UnknownRuleError, match=r"'U999' matches no rule code; the codes are U001, U002"):
        check(Canvas.standard("x"), select="U999")
    with pytest.raises(UnknownRuleError, match="ignore"):
        check(Canvas.standard("x"), ignore=[""])


def test_validate_raises_with_every_finding_when_there_is_an_error() -> None:
    """validate returns a consistent canvas and raises CanvasError listing errors otherwise."""
    assert validate(complete()) is not None
    canvas = Canvas.standard("x").add(Brake(id="b", label="Fear", stage="ghost"))
    with pytest.raises(CanvasError) as info:
        validate(canvas)
    assert isinstance(info.value, ValueError)
    assert "1 error" in str(info.value)
    assert "U002 error: brake 'b' (Fear) names 'ghost'" in str(info.value)
    assert {f.code for f in info.value.findings} >= {"U002", "U020", "U030"}


def test_validate_accepts_warnings() -> None:
    """Warnings and infos do not make validate fail."""
    canvas = Canvas.standard("x")
    assert check(canvas)
    assert validate(canvas) is canvas


def test_finding_is_the_contract_shape() -> None:
    """A finding has code, severity, message and a tuple of subject ids, and reads like a linter line."""
    finding = Finding(code="U002", severity=Severity.ERROR, message="m", subjects=["a", "b"])
    assert finding.subjects == ("a", "b")
    assert str(finding) == "U002 error: m"


def test_messages_name_elements_by_id_and_label() -> None:
    """Every finding on the failing examples names its subjects' ids."""
    for rule in RULES:
        for finding in check(rule.bad()):
            for subject in finding.subjects:
                assert repr(subject) in finding.message


def test_check_is_exposed_on_the_package() -> None:
    """The facade offers check, validate and to_graph."""
    assert usager.check is check
    assert usager.validate is validate
    assert Usager.__name__ == "Usager"


def test_a_suppression_hides_exactly_its_finding() -> None:
    """suppress hides the finding of that code whose first subject is the element, and nothing else."""
    canvas = complete().add(
        Brake(id="b1", label="Hidden", stage="usage", suppress=["U020"]),
        Brake(id="b2", label="Shown", stage="usage"),
    )
    assert [(f.code, f.subjects) for f in check(canvas)] == [("U020", ("b2",))]
    everything = check(canvas, suppressed=True)
    assert [(f.code, f.subjects, f.suppressed) for f in everything] == [
        ("U020", ("b1",), True),
        ("U020", ("b2",), False),
    ]
    assert str(everything[0]).startswith("U020 warning (suppressed): brake 'b1'")


def test_a_suppression_on_a_later_subject_hides_nothing() -> None:
    """Only the first subject's suppress list counts (U003 names the referring element first)."""
    canvas = complete().add(
        Partner(id="p", label="Named as a stage", suppress=["U003"]),
        Brake(id="b", label="B", stage="p"),
        Facilitator(id="f", label="F", addresses=["b"]),
    )
    assert [f.subjects for f in check(canvas, select="U003")] == [("b", "p")]


def test_suppressions_are_honoured_by_validate_and_assert_consistent() -> None:
    """An error suppressed on its element no longer fails validate nor assert_consistent."""
    from usager.testing import assert_consistent

    broken = complete().add(Brake(id="b", label="B", stage="ghost", suppress=["U002"]))
    assert validate(broken) is broken
    assert_consistent(broken)
    with pytest.raises(AssertionError, match="U002"):
        assert_consistent(attrs.evolve(broken, brakes=[attrs.evolve(broken.brakes[-1], suppress=())]))


@pytest.mark.parametrize("path", sorted(Path(__file__).parent.joinpath("data", "v1").glob("*.json")), ids=str)
def test_the_version_1_examples_still_load_and_check_the_same(path: Path) -> None:
    """The three usager/1 examples load unchanged and keep their (empty) error findings."""
    canvas = load(path)
    assert path.read_text(encoding="utf-8").startswith('{\n  "format": "usager/1"')
    assert [f for f in check(canvas) if f.code < "U060"] == []
    assert dumps(canvas).startswith('{\n  "format": "usager/2"')
