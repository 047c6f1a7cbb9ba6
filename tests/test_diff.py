from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import usager
from usager import Brake, Canvas, Facilitator, Stage, diff
from usager.cli import main
from usager.strategies import any_canvases, canvases

from .profiles import examples

ROOT = Path(__file__).resolve().parent.parent
MEDIATHEQUE = ROOT / "examples" / "mediatheque.json"


def base() -> Canvas:
    return Canvas.standard("Shop").add(
        Brake(id="jargon", label="Jargon", stage="purchase", severity=2),
        Facilitator(id="glossary", label="Glossary", addresses=["jargon"]),
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_equal_canvases_give_an_empty_diff() -> None:
    """bool(diff) is False for two equal canvases, and the text says there is no change."""
    found = diff(base(), base())
    assert (bool(found), found.text()) == (False, "no change\n")


def test_a_changed_field_is_named_with_both_values() -> None:
    """A brake whose severity went from 2 to 3 gives one change with both values."""
    new = base().replace(Brake(id="jargon", label="Jargon", stage="purchase", severity=3))
    (change,) = diff(base(), new).changed
    assert (change.id, change.kind, [(f.name, f.old, f.new) for f in change.fields]) == (
        "jargon",
        "brake",
        [("severity", 2, 3)],
    )


def test_the_text_reads_like_a_changelog() -> None:
    """A severity change reads "brake 'jargon' severity 2 → 3"."""
    new = base().replace(Brake(id="jargon", label="Jargon", stage="purchase", severity=3))
    assert diff(base(), new).text() == "~ brake 'jargon' severity 2 → 3\n"


def test_added_elements_and_their_findings() -> None:
    """An added brake is listed, with the finding it brings ("+ U020 on 'deposit'")."""
    new = base().add(Brake(id="deposit", label="Deposit", stage="usage"))
    found = diff(base(), new)
    assert [e.id for e in found.added] == ["deposit"]
    assert "+ U020 on 'deposit': " in found.text()


def test_removed_elements_and_resolved_findings() -> None:
    """Removing the only answer of a brake lists it as removed and the new U020 as added."""
    found = diff(base(), base().remove("glossary"))
    assert ([e.id for e in found.removed], [f.code for f in found.findings_added]) == (["glossary"], ["U020"])
    assert [f.code for f in diff(base().remove("glossary"), base()).findings_resolved] == ["U020"]


def test_an_element_whose_kind_changed_is_removed_and_added() -> None:
    """The same id on a brake, then a facilitator: removed and added, not changed."""
    old = Canvas.standard("x").add(Brake(id="thing", label="Thing", stage="usage"))
    new = Canvas.standard("x").add(Facilitator(id="thing", label="Thing", stages=["usage"]))
    found = diff(old, new)
    assert ([type(e).__name__ for e in found.removed], [type(e).__name__ for e in found.added], found.changed) == (
        ["Brake"],
        ["Facilitator"],
        (),
    )


def test_the_stage_order_is_reported_when_shared_stages_move() -> None:
    """Swapping two stages gives the old and new cycle order, and the text says so."""
    stages = list(base().stages)
    stages[1], stages[2] = stages[2], stages[1]
    found = diff(base(), attrs.evolve(base(), stages=stages))
    assert found.stage_order is not None
    assert found.stage_order.new[1:3] == ("purchase", "first_experience")
    assert "stage order changed" in found.text()


def test_adding_a_stage_is_no_reordering() -> None:
    """A stage appended to the cycle is an addition; the order of the others did not change."""
    new = base().add(Stage(id="repair", kind="custom", label="Repair"))
    assert diff(base(), new).stage_order is None


def test_canvas_fields_are_compared() -> None:
    """A new name is a change of the canvas itself."""
    (change,) = diff(base(), attrs.evolve(base(), name="Shop 2")).canvas
    assert (change.name, change.old, change.new) == ("name", "Shop", "Shop 2")


def test_the_json_form_has_stable_keys() -> None:
    """to_dict always has the same keys, in the same order, with plain values."""
    data = diff(base(), base().replace(Brake(id="jargon", label="Jargon", stage="purchase", severity=3))).to_dict()
    assert list(data) == [
        "equal",
        "canvas",
        "added",
        "removed",
        "changed",
        "stage_order",
        "findings_added",
        "findings_resolved",
    ]
    assert data["changed"] == [{"id": "jargon", "kind": "brake", "fields": [{"name": "severity", "old": 2, "new": 3}]}]


def test_a_french_canvas_gets_a_french_diff() -> None:
    """The texts are in the new version's language."""
    old = Canvas.standard("Médiathèque", language="fr")
    new = old.add(Brake(id="jargon", label="Jargon", stage="purchase"))
    assert diff(old, new).text().startswith("+ frein 'jargon' ('Jargon')\n+ U020 sur 'jargon': ")


def test_the_markdown_form_fences_hostile_text() -> None:
    """A label full of backticks and markup stays inside the diff block."""
    new = base().replace(Brake(id="jargon", label="```</details><script>", stage="purchase"))
    text = diff(base(), new).markdown()
    fence = text.splitlines()[2].removesuffix("diff")
    assert len(fence) > 3
    assert text.rstrip("\n").endswith("\n" + fence)


@settings(max_examples=examples(40))
@given(any_canvases())
def test_a_canvas_never_differs_from_itself(canvas: Canvas) -> None:
    """Any canvas, however inconsistent, compared with itself gives an empty diff."""
    assert not diff(canvas, canvas)


@settings(max_examples=examples(40))
@given(canvases(), canvases())
def test_the_diff_accounts_for_every_element(old: Canvas, new: Canvas) -> None:
    """Added, removed and changed ids belong where they should; an empty diff means equal but for list order."""
    found = diff(old, new)
    ids_old = {e.id for e in old.elements()}
    ids_new = {e.id for e in new.elements()}
    assert {e.id for e in found.added} <= ids_new
    assert {e.id for e in found.removed} <= ids_old
    assert {c.id for c in found.changed} <= ids_old & ids_new
    assert bool(found) or _same_but_order(old, new)


def _same_but_order(old: Canvas, new: Canvas) -> bool:
    """Whether two canvases differ at most in the order of their lists other than the stages."""
    from usager.canvas import ELEMENT_LISTS

    lists = [name for name, _ in ELEMENT_LISTS if name != "stages"]
    return attrs.evolve(old, **{n: sorted(getattr(old, n), key=repr) for n in lists}) == attrs.evolve(
        new, **{n: sorted(getattr(new, n), key=repr) for n in lists}
    )


def test_reordering_brakes_is_no_change() -> None:
    """Only the stages' order is the cycle's; the order of other lists changes nothing."""
    two = base().add(Brake(id="far", label="Far", stage="usage"))
    assert not diff(two, attrs.evolve(two, brakes=list(reversed(two.brakes))))


def test_cli_diff_of_equal_files_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """usager diff of a file with itself prints "no change" and exits 0."""
    assert run(capsys, "diff", str(MEDIATHEQUE), str(MEDIATHEQUE)) == (0, "aucun changement\n", "")


def test_cli_diff_of_different_files_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A changed severity is told in words, and the exit code is 1."""
    canvas = usager.load(MEDIATHEQUE)
    brake = canvas.get("inconnue")
    assert isinstance(brake, Brake)
    new = usager.dump(canvas.replace(attrs.evolve(brake, severity=3)), tmp_path / "new.json")
    code, out, _ = run(capsys, "diff", str(MEDIATHEQUE), str(new))
    assert (code, out.splitlines()[0]) == (1, "~ frein 'inconnue' severity 2 → 3")


def test_cli_diff_across_formats_and_versions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A usager/1 JSON file and the same canvas as CSV (usager/2) do not differ."""
    old = ROOT / "tests" / "data" / "v1" / "mediatheque.json"
    new = usager.dump(usager.load(old), tmp_path / "same.csv")
    assert run(capsys, "diff", str(old), str(new))[0] == 0


def test_cli_diff_json_is_for_tools(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--format json prints the files and the diff's stable keys."""
    new = usager.dump(usager.load(MEDIATHEQUE).remove("mairie"), tmp_path / "new.json")
    code, out, _ = run(capsys, "diff", str(MEDIATHEQUE), str(new), "--format", "json")
    data = json.loads(out)
    assert (code, data["old"], data["equal"], [e["id"] for e in data["removed"]]) == (
        1,
        str(MEDIATHEQUE),
        False,
        ["mairie"],
    )


def test_cli_diff_markdown_for_a_pull_request(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--format markdown prints a heading and a diff block."""
    new = usager.dump(usager.load(MEDIATHEQUE).remove("mairie"), tmp_path / "new.json")
    code, out, _ = run(capsys, "diff", str(MEDIATHEQUE), str(new), "--format", "markdown")
    assert (code, out.splitlines()[:3]) == (1, ["### Changements du canevas", "", "```diff"])


def test_cli_diff_of_an_unreadable_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A malformed file gives one usager: error line on stderr and exit 2."""
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "diff", str(MEDIATHEQUE), str(bad))
    assert (code, out, err.count("\n"), err.startswith("usager: error: ")) == (2, "", 1, True)


def test_cli_diff_of_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file that does not exist is a user error, exit 2."""
    code, _, err = run(capsys, "diff", str(tmp_path / "nope.json"), str(MEDIATHEQUE))
    assert (code, err) == (2, f"usager: error: {tmp_path / 'nope.json'}: no such file\n")


def test_the_docstring_example_holds() -> None:
    """The example in diff's docstring prints what it says."""
    import doctest

    from usager import _diff

    result = doctest.testmod(_diff)
    assert (result.failed, result.attempted) == (0, 4)
