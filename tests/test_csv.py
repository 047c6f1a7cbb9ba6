from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import Brake, Canvas, LoadError, Metric, Persona, Problem, Stage, Usager, check, dumps, loads
from usager._fields import spec_of
from usager.cli import main
from usager.examples import mediatheque
from usager.exporters._formats.spreadsheet import delimiter, may_protect, protect, unprotect
from usager.exporters.csv import COLUMNS

from .strategies import canvases

SMALL = Canvas(
    name="Bib",
    personas=[Persona(id="p", name="Léa", goals=["lire", "écrire"])],
    stages=[Stage(id="s", kind="usage")],
    brakes=[Brake(id="b", label="=HYPERLINK()", stage="s", personas=["p"], severity=3)],
)

# Written by hand from the documented layout: BOM, header, the canvas row, one row per element.
# The usager/1 layout, which still loads (its columns and the malformed variants below).
V1_COLUMNS = (
    "type", "id", "name", "label", "kind", "stage", "persona", "personas", "relationship", "severity", "phase",
    "partner", "addresses", "stages", "supports", "uses", "digital_comfort", "goals", "frustrations", "needs",
    "touchpoints", "description", "format", "language",
)  # fmt: skip
_E = ","
SMALL_CSV_V1 = (
    "\ufeff" + ",".join(V1_COLUMNS) + "\r\n"
    + "canvas,,Bib" + _E * 19 + ",usager/1,en\r\n"
    + 'persona,p,Léa' + _E * 14 + ',"lire\nécrire"' + _E * 6 + "\r\n"
    + "stage,s,,,usage" + _E * 19 + "\r\n"
    + "brake,b,,'=HYPERLINK(),other,s,,p,,3" + _E * 14 + "\r\n"
)  # fmt: skip
# The usager/2 layout: 49 columns, the rows placed by hand (A=type ... AW=$schema).
V2_HEADER = (
    "type,id,name,title,label,kind,stage,persona,personas,relationship,lead_user,severity,status,phase,partner,"
    "addresses,stages,brakes,supports,uses,author,supporters,realized_by,duplicate_of,score,emotion,quote,unit,"
    "direction,target,current,source,desirability,feasibility,viability,effort,digital_comfort,goals,"
    "frustrations,needs,touchpoints,evidence,answer,tags,suppress,description,format,language,$schema"
)
SMALL_CSV = (
    "\ufeff" + V2_HEADER + "\r\n"
    # the canvas: name (C), then description, format, language, $schema close the row
    + "canvas,,Bib" + _E * 43 + ",usager/2,en," + "\r\n"
    # a persona: name (C), goals (AL, the 38th column), digital_comfort (AK) empty
    + "persona,p,Léa" + _E * 34 + ',"lire\nécrire"' + _E * 11 + "\r\n"
    # a stage: kind (F)
    + "stage,s,,,,usage" + _E * 43 + "\r\n"
    # a brake: label (E), kind (F), stage (G), personas (I), lead_user (K) empty, severity (L)
    + "brake,b,,,'=HYPERLINK(),other,s,,p,,,3" + _E * 37 + "\r\n"
)  # fmt: skip


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def problems(text: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(LoadError) as info:
        loads(text, "csv")
    return [(p.where, p.message) for p in info.value.problems]


def test_the_layout_is_the_documented_one() -> None:
    """The CSV of a small canvas is exactly the hand-written table."""
    assert dumps(SMALL, "csv") == SMALL_CSV


def test_the_hand_written_table_loads_back() -> None:
    """Reading the documented layout gives the canvas."""
    assert loads(SMALL_CSV, "csv") == SMALL


def test_the_example_and_an_inconsistent_canvas_round_trip() -> None:
    """Complete or broken, a canvas survives CSV."""
    assert loads(dumps(mediatheque(), "csv"), "csv") == mediatheque()
    broken = Canvas(name="wip", personas=[Persona(id="d", name="A"), Persona(id="d", name="B")],
                    brakes=[Brake(id="b", label="B", stage="ghost")])  # fmt: skip
    assert check(broken)
    assert loads(dumps(broken, "csv"), "csv") == broken


@given(canvases())
def test_any_canvas_round_trips_through_csv(canvas: Canvas) -> None:
    """Hostile text (separators, quotes, newlines, formulas, escapes, RTL, emoji) survives CSV exactly."""
    assert loads(dumps(canvas, "csv"), "csv") == canvas


@given(canvases())
def test_no_cell_can_run_as_a_formula(canvas: Canvas) -> None:
    """No cell of the file starts with a character a spreadsheet reads as a formula."""
    for row in rows(dumps(canvas, "csv")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-5", "@SUM(A1)", "\tx", "\rx", "'already", "''twice", "'=x"])
def test_formula_neutralisation_is_reversible(text: str) -> None:
    """Risky cells gain a quote on export and lose exactly one on load, including cells already quoted."""
    canvas = Canvas(name=text, personas=[Persona(id="p", name="P", goals=[text])])
    exported = dumps(canvas, "csv")
    assert rows(exported)[1][2] == "'" + text
    assert loads(exported, "csv") == canvas


def test_list_cells_escape_backslashes_newlines_and_empty_items() -> None:
    """Items with line breaks, backslashes and empty items are written reversibly, one per line."""
    goals = ["", "a\nb", "back\\slash", "\\e", "\r", "last"]
    canvas = Canvas(name="x", personas=[Persona(id="p", name="P", goals=goals)])
    cell = rows(dumps(canvas, "csv"))[2][COLUMNS.index("goals")]
    assert cell == "\\e\na\\nb\nback\\\\slash\n\\\\e\n\\r\nlast"
    assert loads(dumps(canvas, "csv"), "csv").personas[0].goals == tuple(goals)


@pytest.mark.parametrize("ending", ["\n", "\r"])
def test_any_line_ending_and_no_bom_are_accepted(ending: str) -> None:
    """Files saved with LF or CR endings, and without the byte order mark, load."""
    text = SMALL_CSV.lstrip("\ufeff").replace("\r\n", ending)
    if ending == "\r":
        text = text.replace('"lire\nécrire"', '"lire\récrire"')
    assert loads(text, "csv") == SMALL
    assert loads(text.encode("utf-8"), "csv") == SMALL


def test_a_blank_last_line_is_ignored() -> None:
    """Spreadsheets sometimes leave an empty line at the end."""
    assert loads(SMALL_CSV + "\r\n", "csv") == SMALL


def _replace_cell(row: int, column: str, value: str) -> str:
    table = rows(SMALL_CSV_V1)
    table[row - 1][V1_COLUMNS.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("", "row 1", "empty"),
        (b"\xef\xbb\xbf", "row 1", "empty"),
        (b"type,id\xff", "row 1, column B", "not UTF-8"),
        ("type,id\r\n", "row 1", "missing columns 'name', 'label'"),
        (SMALL_CSV_V1.replace(",language\r\n", ",language,extra\r\n", 1), "row 1, column Y", "unknown column 'extra'"),
        (SMALL_CSV_V1.replace(",language\r\n", ",id\r\n", 1), "row 1", "the column 'id' appears twice"),
        (SMALL_CSV_V1.replace("stage,s,,,usage", "stage,s,,,usage,", 1), "row 4", "expected 24 cells, found 25"),
        (_replace_cell(4, "type", "step"), "row 4, column 'type' (A)", "unknown type 'step'"),
        (_replace_cell(4, "severity", "2"), "row 4, column 'severity' (J)", "a stage has no 'severity'"),
        (
            _replace_cell(5, "severity", "2.0"),
            "row 5, column 'severity' (J)",
            "expected 1, 2 or 3 (3 = blocks the user), found the number 2.0",
        ),
        (_replace_cell(5, "severity", "4"), "row 5, column 'severity' (J)", "expected 1, 2 or 3 (3 = blocks the user)"),
        (_replace_cell(5, "kind", "fear"), "row 5, column 'kind' (E)", "expected one of 'thought'"),
        (_replace_cell(5, "stage", ""), "row 5, column 'stage' (F)", "may not be empty"),
        (_replace_cell(5, "personas", "p q"), "row 5, column 'personas' (H)", "not a valid id"),
        (_replace_cell(3, "goals", "a\\qb"), "row 3, column 'goals' (R)", "unknown escape '\\q'"),
        (_replace_cell(3, "name", ""), "row 3, column 'name' (C)", "empty"),
        (_replace_cell(4, "kind", "custom"), "row 4, column 'label' (D)", "custom stage needs a label"),
        (_replace_cell(2, "format", "usager/9"), "row 2, column 'format' (W)", "unsupported format 'usager/9'"),
        (_replace_cell(2, "language", "de"), "row 2, column 'language' (X)", "expected one of 'en', 'fr'"),
        (_replace_cell(2, "name", ""), "row 2, column 'name' (C)", "empty"),
        (_replace_cell(2, "id", "x"), "row 2, column 'id' (B)", "the canvas row has no 'id'"),
        (_replace_cell(2, "type", "persona"), "row 2", "no 'canvas' row"),
        (
            SMALL_CSV_V1 + "canvas,,Again" + "," * 19 + ",usager/1,en\r\n",
            "row 6, column 'type' (A)",
            "a second 'canvas'",
        ),
        (SMALL_CSV_V1 + 'brake,"b', "CSV", "not valid CSV"),
    ],
)
def test_malformed_files_name_the_row_and_column(text: str | bytes, where: str, says: str) -> None:
    """Each malformed file gets a LoadError whose problem names the row (and column) and what is wrong."""
    found = problems(text)
    assert any(w == where and says in m for w, m in found), found


def test_csv_exporter_takes_no_option() -> None:
    """An option is refused by name."""
    with pytest.raises(TypeError, match="'sep'"):
        dumps(SMALL, "csv", sep=";")


@pytest.mark.parametrize("cell", [" =1+1", "  +A1", "\u00a0-2", " \n@SUM(A1)"])
def test_formulas_behind_spaces_are_neutralised_and_restored(cell: str) -> None:
    """A cell that a spreadsheet trimming spaces would run as a formula is protected, reversibly."""
    canvas = Canvas(name=cell, stages=[Stage(id="s", kind="custom", label=cell)])
    text = dumps(canvas, "csv")
    assert f"'{cell.splitlines()[0]}" in text
    assert loads(text, "csv") == canvas


def test_every_problem_of_a_row_is_reported() -> None:
    """Several bad cells of one row are all reported, each with its column."""
    text = _replace_cell(5, "severity", "7")
    table = rows(text)
    table[4][V1_COLUMNS.index("kind")] = "fear"
    table[4][V1_COLUMNS.index("personas")] = "p q"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    assert [w for w, _ in problems(out.getvalue())] == [
        "row 5, column 'kind' (E)", "row 5, column 'personas' (H)", "row 5, column 'severity' (J)",
    ]  # fmt: skip


def test_the_v2_header_is_the_documented_one() -> None:
    """The columns written are the 49 of the usager/2 layout, in the documented order."""
    assert ",".join(COLUMNS) == V2_HEADER


def test_a_usager_1_file_loads_unchanged() -> None:
    """A file in the usager/1 layout (24 columns, format usager/1) reads as the same canvas."""
    assert loads(SMALL_CSV_V1, "csv") == SMALL


def test_a_usager_1_file_may_not_use_the_new_columns() -> None:
    """A usager/1 file holding a value in a column usager/2 brought says it needs usager/2."""
    table = [[*row, ""] for row in rows(SMALL_CSV_V1)]
    table[0][-1] = "tags"
    table[3][-1] = "x"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(table)
    text = out.getvalue()
    found = problems(text)
    assert found == [
        (
            "row 4, column 'tags' (Y)",
            "the column 'tags' needs format 'usager/2', and this file is 'usager/1': change its format to 'usager/2'",
        )
    ]


def test_problems_carry_their_row_and_column_numbers() -> None:
    """A CSV problem holds the line its row starts on and its column as data, beside the text that names them.

    Row 3 holds a text of two lines, so row 5 starts on line 6.
    """
    problem = _problems_of(_replace_cell(5, "severity", "7"))[0]
    assert (problem.where, problem.line, problem.column) == ("row 5, column 'severity' (J)", 6, 10)


def _problems_of(text: str) -> tuple[Problem, ...]:
    with pytest.raises(LoadError) as info:
        loads(text, "csv")
    return info.value.problems


def test_a_canvas_with_every_new_element_round_trips() -> None:
    """Experiences, metrics, contributions, assessments, tags, suppressions, floats and $schema read back equal."""
    canvas = attrs.evolve(
        mediatheque().replace(
            attrs.evolve(mediatheque().get("ecrans"), suppress=["U022"], tags=["a", "=b", ""], evidence=["x\ny"])
        ),
        schema="https://example.org/usager.schema.json",
        metrics=[attrs.evolve(m, current=85.25, target=1e16) for m in mediatheque().metrics],
    )
    for fmt in ("json", "csv"):
        assert loads(dumps(canvas, fmt), fmt) == canvas, fmt


# ------------------------------------------------------------------ files as spreadsheets save them


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_load(delimiter: str) -> None:
    """A file saved with ';' (French, German spreadsheets) or tabs loads like the comma one."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows(SMALL_CSV))
    assert loads(out.getvalue(), "csv") == SMALL


def test_the_separator_comes_from_the_header_row() -> None:
    """Cells full of ';' do not fool the detection: the header row decides."""
    canvas = Canvas(name="a;b;c;d;e;f", personas=[Persona(id="p", name="x;y;z", goals=["1;2;3;4;5;6;7;8"])])
    assert loads(dumps(canvas, "csv"), "csv") == canvas


def test_a_utf16_file_with_its_mark_loads() -> None:
    """'Unicode text' as a spreadsheet saves it (UTF-16 with a byte order mark, tabs) loads."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows(SMALL_CSV))
    assert loads(out.getvalue().encode("utf-16"), "csv") == SMALL


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_windows_1252_file_is_told_to_save_as_csv_utf8(encoding: str) -> None:
    """A file in another encoding is refused at the row and column of its first such character, with what to do."""
    data = SMALL_CSV.lstrip("\ufeff").encode(encoding)
    assert problems(data) == [
        (
            "row 3, column 'name' (C)",
            "the file is not UTF-8 text: 'é' here is written in another encoding (Windows-1252 or Latin-1, as "
            'spreadsheets save plain "CSV"); save it again as "CSV UTF-8" (LibreOffice: Save As, Text CSV, '
            "character set Unicode (UTF-8); Excel: Save As, CSV UTF-8)",
        )
    ]


def test_the_row_of_a_bad_byte_counts_records_not_lines() -> None:
    """A multi-line cell before the bad byte (row 3's goals) does not shift the row named."""
    data = SMALL_CSV.encode("utf-8").replace(b"'=HYPERLINK()", b"Caf\xe9")
    assert problems(data)[0][0] == "row 5, column 'label' (E)"


@pytest.mark.parametrize(
    "text",
    ["007", "1.10", "50%", "1e5", "1,5", "1 000", "(5)", "€12", "12 €", "TRUE", "false", "Vrai",
     "2024-01-02", "01/02/2024", "1/2", "12:30", "Jan 2", "2-Jan-24", "3 févr.", " 42 "],
)  # fmt: skip
def test_text_a_spreadsheet_would_read_as_a_value_is_protected_reversibly(text: str) -> None:
    """Text that looks like a number, an amount, a date, a time or a boolean gains a quote, which loading removes."""
    canvas = Canvas(name="x", stages=[Stage(id="s", kind="usage", label=text)])
    exported = dumps(canvas, "csv")
    assert rows(exported)[2][COLUMNS.index("label")] == "'" + text
    assert loads(exported, "csv") == canvas


@pytest.mark.parametrize("text", ["Sign up", "3 clicks to pay", "U020", "No", "janvier", "v2.0 beta", "x1"])
def test_ordinary_text_is_written_as_it_is(text: str) -> None:
    """Text no spreadsheet would rewrite keeps no quote."""
    canvas = Canvas(name="x", stages=[Stage(id="s", kind="usage", label=text)])
    assert rows(dumps(canvas, "csv"))[2][COLUMNS.index("label")] == text


def test_ids_that_look_numeric_are_protected_in_every_column() -> None:
    """An id such as '007' is quoted where it stands and where it is referenced."""
    canvas = Canvas(name="x", stages=[Stage(id="007", kind="usage")], brakes=[Brake(id="b", label="B", stage="007")])
    table = rows(dumps(canvas, "csv"))
    assert (table[2][COLUMNS.index("id")], table[3][COLUMNS.index("stage")]) == ("'007", "'007")


def test_numbers_stay_numbers_unless_a_spreadsheet_would_round_them() -> None:
    """1.5 is written plain; a number with more than 15 significant digits is quoted, and both load back."""
    metric = Metric(id="m", label="M", stage="s", target=1.5, current=0.1 + 0.2)
    canvas = Canvas(name="x", stages=[Stage(id="s", kind="usage")], metrics=[metric])
    exported = dumps(canvas, "csv")
    row = rows(exported)[3]
    assert (row[COLUMNS.index("target")], row[COLUMNS.index("current")]) == ("1.5", "'0.30000000000000004")
    assert loads(exported, "csv") == canvas


def test_booleans_load_in_the_upper_case_spreadsheets_write() -> None:
    """A spreadsheet writes TRUE and FALSE; both load."""
    canvas = Canvas(name="x", usagers=[Usager(id="u", name="U", lead_user=True)])
    text = dumps(canvas, "csv").replace(",true,", ",TRUE,")
    assert ",TRUE," in text
    assert loads(text, "csv") == canvas


@given(st.text())
def test_protection_is_reversible_for_any_text(text: str) -> None:
    """Whatever a text cell holds, protecting then unprotecting it gives it back."""
    assert unprotect(protect(text, spec_of(attrs.fields(Stage).label))) == text


@pytest.mark.parametrize(("header", "separator"), [("type,id,name", ","), ("type;id;name", ";"), ("type\tid", "\t")])
def test_the_separator_is_the_one_that_splits_the_header_into_columns(header: str, separator: str) -> None:
    """The header row alone decides the separator."""
    assert delimiter(header + "\r\ncanvas;x,y\tz\r\n", COLUMNS) == separator


def test_numbers_in_exponent_notation_are_protected() -> None:
    """1e-05 is quoted: a French spreadsheet would write it back as 1,00E-05."""
    canvas = Canvas(
        name="x", stages=[Stage(id="s", kind="usage")], metrics=[Metric(id="m", label="M", stage="s", target=1e-05)]
    )
    exported = dumps(canvas, "csv")
    assert rows(exported)[3][COLUMNS.index("target")] == "'1e-05"
    assert loads(exported, "csv") == canvas


def test_a_semicolon_file_may_write_numbers_with_a_decimal_comma() -> None:
    """In a ';' file, as French spreadsheets save it, 2,5 is the number 2.5."""
    canvas = Canvas(
        name="x", stages=[Stage(id="s", kind="usage")], metrics=[Metric(id="m", label="M", stage="s", target=2.5)]
    )
    table = rows(dumps(canvas, "csv"))
    table[3][COLUMNS.index("target")] = "2,5"
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows(table)
    assert loads(out.getvalue(), "csv") == canvas


def test_a_comma_file_refuses_a_decimal_comma() -> None:
    """In a ',' file, the cell '2,5' is no number (the comma is no decimal mark there)."""
    canvas = Canvas(
        name="x", stages=[Stage(id="s", kind="usage")], metrics=[Metric(id="m", label="M", stage="s", target=2.5)]
    )
    text = dumps(canvas, "csv").replace(",2.5,", ',"2,5",')
    assert problems(text) == [
        ("row 4, column 'target' (AD)", "expected a finite number or null, found the string '2,5'")
    ]


def test_usager_check_reads_a_file_saved_with_semicolons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ';'-separated file checks like the comma one."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows(dumps(mediatheque(), "csv")))
    path = tmp_path / "canvas.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().err == "1 fichier vérifié : aucun problème trouvé\n"  # a French canvas


def test_usager_check_says_how_to_save_a_windows_1252_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cp1252 file is one error line naming the row and column, with the advice, and exit 2."""
    path = tmp_path / "canvas.csv"
    path.write_bytes(SMALL_CSV.lstrip("\ufeff").encode("cp1252"))
    assert main(["check", str(path)]) == 2
    error = capsys.readouterr().err.splitlines()[0]
    assert error.startswith(f"usager: error: {path}: row 3, column 'name' (C): the file is not UTF-8 text")
    assert error.endswith(
        'save it again as "CSV UTF-8" (LibreOffice: Save As, Text CSV, character set Unicode (UTF-8); '
        "Excel: Save As, CSV UTF-8)"
    )


@pytest.mark.parametrize("column", ["severity", "current"])
def test_an_integer_too_long_to_convert_is_refused_at_its_cell(column: str) -> None:
    """A 5,000-digit number in a CSV cell is refused at its row and column, not with Python's ValueError."""
    canvas = Canvas(
        name="x",
        stages=[Stage(id="s", kind="usage")],
        brakes=[Brake(id="b", label="B", stage="s")],
        metrics=[Metric(id="m", label="M", stage="s", current=1.5)],
    )
    text = dumps(canvas, "csv").replace(",2," if column == "severity" else ",1.5,", "," + "9" * 5000 + ",")
    with pytest.raises(LoadError, match=f"column '{column}'"):
        loads(text, "csv")


@given(st.text() | st.text(alphabet="0123456789 .,:-+=@'%$€eEtTzZ/ſﬀabcdefjlmnorsuvwxyz\t\r\n\xa0"))
def test_a_text_said_not_to_need_protecting_is_its_own_cell(text: str) -> None:
    """Where may_protect says no, protect leaves the text of every text, label, id and reference field as it is."""
    specs = {spec_of(field).kind: spec_of(field) for field in attrs.fields(Brake) if field.name in ("id", "label")}
    specs.update((spec_of(f).kind, spec_of(f)) for f in attrs.fields(Brake) if f.name in ("description", "stage"))
    if not may_protect(text):
        for spec in specs.values():
            assert protect(text, spec, text) == text


def test_an_absent_column_of_a_defaulted_field_takes_the_default() -> None:
    """A file written before an optional field was (no column for it) reads, as a JSON file without the key does."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="usage"))
    rows = list(csv.reader(io.StringIO(dumps(canvas, "csv").lstrip("\ufeff"))))
    dropped = {"tags", "severity", "evidence", "description"}
    keep = [i for i, column in enumerate(rows[0]) if column not in dropped]
    out = io.StringIO()
    csv.writer(out).writerows([[row[i] for i in keep] for row in rows])
    assert loads(out.getvalue(), "csv") == canvas
    needed = [i for i, column in enumerate(rows[0]) if column != "label"]
    out = io.StringIO()
    csv.writer(out).writerows([[row[i] for i in needed] for row in rows])
    with pytest.raises(LoadError, match="missing column 'label'"):
        loads(out.getvalue(), "csv")
