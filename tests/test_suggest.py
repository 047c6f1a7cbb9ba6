"""Suggestions for near misses: enum values in every reader, ids in U002's messages."""

from __future__ import annotations

import json
import time
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import Brake, BrakeKind, Canvas, Facilitator, LoadError, Stage, StageKind, check, dumps, loads
from usager._suggest import MAX_COMPARISONS, MAX_LENGTH, Names, closest, did_you_mean, folded
from usager.cli import main
from usager.elements import ContributionStatus, Language, ResourceKind

_ENUMS = [BrakeKind, StageKind, Language, ResourceKind, ContributionStatus]


def _load_error(document: dict[str, object]) -> str:
    with pytest.raises(LoadError) as info:
        loads(json.dumps(document), "json")
    return str(info.value)


def _document(**changes: object) -> dict[str, object]:
    document: dict[str, object] = {
        "format": "usager/2",
        "name": "Bib",
        "stages": [{"id": "s", "kind": "usage"}],
        "brakes": [{"id": "b", "label": "Fear", "stage": "s"}],
    }
    document.update(changes)
    return document


# ------------------------------------------------------------------ the module


def test_folded_ignores_case_accents_spaces_hyphens_and_underscores() -> None:
    """Case, accents, spaces, hyphens and underscores do not change the key."""
    assert folded("Première Expérience") == folded("premiere_experience") == folded("PREMIERE-EXPÉRIENCE")


def test_closest_matches_the_folded_key_first() -> None:
    """A value written with spaces and capitals finds the member whose key is the same."""
    assert closest("Digital skills", [m.value for m in BrakeKind]) == "digital_skills"


def test_closest_falls_back_on_edit_distance() -> None:
    """A typo finds the nearest candidate."""
    assert closest("discontinuty", [m.value for m in BrakeKind]) == "discontinuity"


def test_closest_suggests_nothing_far_off() -> None:
    """A value like no candidate gets no suggestion."""
    assert closest("fear", [m.value for m in BrakeKind]) is None


def test_closest_compares_only_short_values_by_edit_distance() -> None:
    """A long value gets no suggestion by edit distance (bounded cost)."""
    long = "digital_skill" + "s" * MAX_LENGTH
    assert closest(long, ["digital_skills"]) is None


def test_did_you_mean_names_the_suggestion_and_its_label() -> None:
    """The clause quotes the suggestion, then the label in parentheses."""
    assert did_you_mean("usage", "Utilisation") == "; did you mean 'usage' (Utilisation)?"
    assert did_you_mean(None) == ""


@given(st.sampled_from([m for enum in _ENUMS for m in enum]), st.data())
def test_every_spelling_of_a_value_suggests_it(member: BrakeKind, data: st.DataObject) -> None:
    """Any mix of case and of ' ', '-' or '_' between the words suggests the member's value."""
    words = str(member.value).split("_")
    separators = data.draw(st.lists(st.sampled_from([" ", "-", "_", ""]), min_size=len(words), max_size=len(words)))
    cased = [data.draw(st.sampled_from([w, w.upper(), w.capitalize()])) for w in words]
    spelled = "".join(w + s for w, s in zip(cased, separators, strict=True)).strip(" ")
    assert closest(spelled, [m.value for m in type(member)]) == member.value


def test_names_stop_comparing_by_edit_distance_past_a_budget() -> None:
    """Past MAX_COMPARISONS comparisons, only exact keys are suggested (bounded cost)."""
    names = Names()
    names.add("stage", "usage", "Utilisation")
    for n in range(MAX_COMPARISONS):
        names.suggest(f"other-{n}", ["stage"])
    assert names.suggest("usgae", ["stage"]) is None
    assert names.suggest("UTILISATION", ["stage"]) == ("usage", "Utilisation")


# ------------------------------------------------------------------ enums in the readers


def test_json_suggests_the_value_of_a_wrong_case_enum() -> None:
    """JSON: 'Discontinuity' is refused with the value to write."""
    message = _load_error(_document(brakes=[{"id": "b", "label": "Fear", "stage": "s", "kind": "Discontinuity"}]))
    assert "$.brakes[0].kind: expected one of" in message
    assert message.endswith("found the string 'Discontinuity'; did you mean 'discontinuity'?")


def test_json_suggests_the_value_of_an_enum_written_with_spaces() -> None:
    """JSON: 'digital skills' is refused with 'digital_skills'."""
    message = _load_error(_document(brakes=[{"id": "b", "label": "Fear", "stage": "s", "kind": "digital skills"}]))
    assert message.endswith("did you mean 'digital_skills'?")


def test_json_suggests_the_language_in_lower_case() -> None:
    """JSON: language 'FR' is refused with 'fr'."""
    assert _load_error(_document(language="FR")).endswith(
        "$.language: expected one of 'en', 'fr', found the string 'FR'; did you mean 'fr'?"
    )


def test_json_gives_no_suggestion_for_a_value_like_none() -> None:
    """JSON: a value like no member gets the list of values alone."""
    assert "did you mean" not in _load_error(_document(language="de"))


def test_csv_suggests_the_value_of_a_wrong_case_enum() -> None:
    """CSV: the cell 'Digital Skills' is refused at its row and column, with the value to write."""
    canvas = Canvas(name="Bib", stages=[Stage(id="s", kind="usage")], brakes=[Brake(id="b", label="Fear", stage="s")])
    text = dumps(canvas, "csv").replace(",other,s,", ",Digital Skills,s,")
    with pytest.raises(LoadError) as info:
        loads(text, "csv")
    assert str(info.value) == (
        "brake 'b', row 4, column 'kind' (F): expected one of 'thought', 'feeling', 'prejudice', 'physical', "
        "'discontinuity', 'missing_feature', 'digital_skills', 'privacy', 'trust', 'other', found the string "
        "'Digital Skills'; "
        "did you mean 'digital_skills'?"
    )


def test_a_stage_kind_written_as_its_label_suggests_the_kind() -> None:
    """JSON: a stage kind written as its French label ('Achat') suggests 'purchase'."""
    message = _load_error(_document(stages=[{"id": "s", "kind": "Achat"}]))
    assert message.endswith("found the string 'Achat'; did you mean 'purchase'?")


def test_construction_suggests_the_value_of_a_wrong_case_enum() -> None:
    """Python: Stage(kind='Purchase') is refused with 'purchase'."""
    with pytest.raises(ValueError, match=r"did you mean 'purchase'\?$"):
        Stage(id="s", kind="Purchase")


# ------------------------------------------------------------------ references in check


def _u002(*brakes: Brake, language: str = "fr") -> list[str]:
    canvas = attrs.evolve(Canvas.standard("Bib", language=language), brakes=brakes)
    return [f.message for f in check(canvas, select=["U002"])]


def test_u002_suggests_the_id_of_the_stage_a_label_names() -> None:
    """A stage's label used as a reference suggests the stage's id, with its label."""
    assert _u002(Brake(id="b", label="Fear", stage="Usage"), language="en") == [
        "brake 'b' (Fear) names 'Usage' in stage, but no element has that id; did you mean 'usage' (Usage)?"
    ]


def test_u002_suggests_in_the_canvas_language() -> None:
    """In a French canvas the whole message, suggestion included, is French."""
    assert _u002(Brake(id="b", label="Peur", stage="Utilisation")) == [
        "frein 'b' (Peur) nomme 'Utilisation' dans stage, mais aucun élément n’a cet identifiant ; "
        "vouliez-vous dire 'usage' (Utilisation) ?"
    ]


def test_u002_matches_labels_without_regard_to_case_and_accents() -> None:
    """'UTILISATION-ETENDUE' finds the stage labelled 'Utilisation étendue'."""
    assert _u002(Brake(id="b", label="Peur", stage="UTILISATION-ETENDUE"))[0].endswith(
        "vouliez-vous dire 'extended_usage' (Utilisation étendue) ?"
    )


def test_u002_suggests_a_stage_by_its_kind_in_another_language() -> None:
    """'Purchase' in a French canvas finds the purchase stage, shown by its French label."""
    assert _u002(Brake(id="b", label="Peur", stage="Purchase"))[0].endswith("vouliez-vous dire 'purchase' (Achat) ?")


def test_u002_suggests_a_near_id() -> None:
    """A typo in an id suggests the id."""
    assert _u002(Brake(id="b", label="Fear", stage="usgae"), language="en")[0].endswith("did you mean 'usage' (Usage)?")


def test_u002_suggests_only_elements_of_the_kinds_the_field_takes() -> None:
    """A brake's label named where a stage goes is not suggested."""
    canvas = attrs.evolve(
        Canvas.standard("Bib"),
        brakes=[Brake(id="fear", label="Fear of paying", stage="usage")],
        facilitators=[Facilitator(id="f", label="Help", stages=["fear-of-paying"])],
    )
    assert [f.message for f in check(canvas, select=["U002"])] == [
        "facilitator 'f' (Help) names 'fear-of-paying' in stages[0], but no element has that id"
    ]


def test_u002_stays_fast_with_many_dangling_references() -> None:
    """Five thousand dangling references to different names over a thousand stages cost well under a second."""
    stages = [Stage(id=f"stage-{n}", kind="custom", label=f"Step {n}") for n in range(1000)]
    brakes = [Brake(id=f"b{n}", label="x", stage=f"missing-{n}") for n in range(5000)]
    canvas = Canvas(name="Big", stages=stages, brakes=brakes)
    start = time.perf_counter()
    findings = check(canvas, select=["U002"])
    assert len(findings) == 5000
    assert time.perf_counter() - start < 1


# ------------------------------------------------------------------ ids


def test_a_bad_id_is_refused_with_an_id_made_from_it() -> None:
    """An element's id with a space is refused with a valid id to write instead."""
    message = _load_error(_document(stages=[{"id": "Mon étape", "kind": "usage"}]))
    assert message.endswith("such as 'mon-etape'")


def test_a_reference_that_is_no_id_says_references_name_ids() -> None:
    """A label with spaces where a reference goes is refused without offering a made-up id."""
    message = _load_error(_document(brakes=[{"id": "b", "label": "Fear", "stage": "Première expérience"}]))
    assert message.endswith("a reference names an element by its id, not its label")


# ------------------------------------------------------------------ as a person sees them


def test_usager_check_shows_the_value_to_write_for_a_wrong_case_enum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line prints the loader's suggestion on its one error line, and exits 2."""
    path = tmp_path / "canvas.json"
    path.write_text(json.dumps(_document(language="FR")), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"usager: error: {path}:1:149: $.language: "
        "expected one of 'en', 'fr', found the string 'FR'; did you mean 'fr'?"
    )


def test_usager_check_suggests_the_id_for_a_label_used_as_a_reference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stage's label where its id goes is a U002 error that names the id to write."""
    canvas = attrs.evolve(Canvas.standard("Bib"), brakes=[Brake(id="b", label="Fear", stage="Purchase")])
    path = tmp_path / "canvas.json"
    path.write_text(dumps(canvas, "json"), encoding="utf-8")
    assert main(["check", str(path), "--select", "U002"]) == 1
    line = path.read_text(encoding="utf-8").split("\n").index('      "id": "b",')  # the line before, 1-based
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}:{line}:5: U002 error: brake 'b' (Fear) names 'Purchase' in stage, but no element has that id; "
        "did you mean 'purchase' (Purchase)?"
    )
