"""What the command line says: advice to draw a draft, CLI-neutral option errors, help, plurals, formats."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import usager
from usager import Brake, Canvas, CanvasError, OptionError, dumps
from usager.cli import _readable_suffixes, main
from usager.examples import complete, repair_cafe


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return usager.dump(complete().add(Brake(id="lost", label="Lost", stage="ghost")), tmp_path / "broken.json")


# ---------------------------------------------------------------- drawing a canvas with errors


def test_a_refused_drawing_says_how_to_draw_a_draft(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """The refusal's first line ends with the option that draws the canvas anyway."""
    code, _, err = run(capsys, "export", str(broken), "--to", "dot")
    first, *errors = err.splitlines()
    assert code == 2
    assert first.startswith("usager: error: cannot draw canvas 'Repair café': 1 error; ")
    assert first.endswith("add -O draft=true")
    assert errors == ["  U002 error: brake 'lost' (Lost) names 'ghost' in stage, but no element has that id"]


def test_the_advised_option_draws_the_canvas(capsys: pytest.CaptureFixture[str], broken: Path) -> None:
    """-O draft=true, as advised, exports the canvas that was refused."""
    code, out, _ = run(capsys, "export", str(broken), "--to", "dot", "-O", "draft=true")
    assert (code, out.startswith("digraph")) == (0, True)


def test_the_python_error_gives_no_command_line_advice(broken: Path) -> None:
    """CanvasError, raised to Python callers, keeps its message: no -O in it."""
    with pytest.raises(CanvasError) as caught:
        dumps(usager.load(broken), "dot")
    assert "-O" not in str(caught.value)


def test_the_dot_exporter_asks_for_true_or_false_in_any_words(broken: Path) -> None:
    """A flag that is not a bool is refused in words that fit Python and the command line alike."""
    with pytest.raises(OptionError, match=r"^option 'draft' takes true or false, not 'yes'$"):
        dumps(usager.load(broken), "dot", draft="yes")


def test_the_html_exporter_asks_for_true_or_false_in_any_words() -> None:
    """The html exporter's drawing option says true or false, not Python's True or False."""
    with pytest.raises(OptionError, match=r"^drawing takes true or false, not 'no'$"):
        dumps(Canvas.standard("x"), "html", drawing="no")


# ---------------------------------------------------------------- help and plurals


def test_check_help_lists_every_readable_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    """check --help names the suffixes of the formats usager reads, as the registry gives them."""
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"canvas files ({_readable_suffixes()}) and folders to walk for them; - reads standard input" in help_text


def test_readable_suffixes_cover_yaml_toml_and_csv() -> None:
    """The suffixes the help lists include the hand-written formats and the spreadsheet."""
    assert {".json", ".yaml", ".yml", ".toml", ".csv"} <= set(_readable_suffixes().split(", "))


def test_fmt_help_lists_every_readable_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    """fmt --help names the same suffixes."""
    with pytest.raises(SystemExit):
        main(["fmt", "--help"])
    assert f"canvas files ({_readable_suffixes()})" in " ".join(capsys.readouterr().out.split())


def test_a_summary_counts_one_element_in_the_singular() -> None:
    """One brake is '1 brake', one activity '1 activity'."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="usage"))
    assert canvas.summary() == "Canvas 'x' (en): 6 stages, 1 brake"


def test_a_summary_counts_several_elements_in_the_plural() -> None:
    """Several activities are '2 activities'."""
    canvas = repair_cafe("en")
    assert f"{len(canvas.activities)} activities" in canvas.summary()
    assert len(canvas.activities) > 1


def test_demo_counts_in_the_singular_and_plural(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """demo says '0 findings' for none, in the plural, and 'N elements'."""
    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0
    assert out.splitlines()[0].endswith(" elements, 0 findings")


# ---------------------------------------------------------------- diff and fmt across formats


def test_diff_of_json_and_yaml_says_what_changed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A JSON file and a YAML file of the next version diff like two files of one format."""
    old = usager.dump(repair_cafe("en"), tmp_path / "old.json")
    new = usager.dump(repair_cafe("en").add(Brake(id="late", label="Late", stage="usage")), tmp_path / "new.yaml")
    code, out, _ = run(capsys, "diff", str(old), str(new))
    assert (code, out.splitlines()[0]) == (1, "+ brake 'late' ('Late')")


def test_diff_markdown_of_json_and_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--format markdown of a JSON and a YAML file lists the change in a diff block."""
    old = usager.dump(repair_cafe("en"), tmp_path / "old.json")
    new = usager.dump(repair_cafe("en").add(Brake(id="late", label="Late", stage="usage")), tmp_path / "new.yaml")
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", "markdown")
    assert (code, out.splitlines()[:4]) == (1, ["### Canvas changes", "", "```diff", "+ brake 'late' ('Late')"])


def test_diff_of_the_same_canvas_in_json_and_yaml_is_equal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The same canvas in two formats does not differ: exit 0."""
    old = usager.dump(repair_cafe("en"), tmp_path / "same.json")
    new = usager.dump(repair_cafe("en"), tmp_path / "same.yaml")
    assert run(capsys, "diff", str(old), str(new))[0] == 0


def test_fmt_rewrites_a_csv_file_canonically(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A CSV file saved with ';' by a spreadsheet is rewritten as the canonical CSV."""
    rows = list(csv.reader(io.StringIO(dumps(repair_cafe("en"), "csv").removeprefix("\ufeff"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    target = tmp_path / "sheet.csv"
    target.write_text(out.getvalue(), encoding="utf-8")
    code, _, err = run(capsys, "fmt", str(target))
    assert (code, err.splitlines()[-1]) == (0, "1 file reformatted, 0 already canonical")
    assert target.read_bytes() == dumps(repair_cafe("en"), "csv").encode("utf-8")


def test_fmt_check_passes_a_canonical_csv_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A CSV file usager wrote is canonical already: fmt --check exits 0."""
    target = usager.dump(repair_cafe("en"), tmp_path / "sheet.csv")
    assert run(capsys, "fmt", "--check", str(target))[0] == 0
