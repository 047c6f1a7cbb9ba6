"""Messages people read: in the canvas's language, with plurals, in plain words, suggesting French words.

A French canvas (``language: fr``) is told what is wrong with it in French, by the API and the
command line alike, even when its text cannot be read far enough to know its language; the
command line's summary lines follow; counts take the singular for 0 and 1 in French.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cattrs
import pytest

import usager
from usager import Brake, Canvas, LoadError, loads
from usager._i18n import (
    PLURAL_SEPARATOR,
    environment_language,
    language_of_text,
    plural_rule,
    read_po,
    speaking,
    spoken,
    trn,
)
from usager.cli import main
from usager.testing import assert_consistent

# ---------------------------------------------------------------- documents


def document(language: str | None = "fr", **lists: object) -> dict[str, object]:
    """A small canvas document, in ``language`` (no ``language`` key for None), with ``lists`` added."""
    doc: dict[str, object] = {"format": "usager/2", "name": "Médiathèque"}
    if language is not None:
        doc["language"] = language
    doc["stages"] = [{"id": "usage", "kind": "usage"}]
    doc.update(lists)
    return doc


def refused(doc: object, fmt: str = "json") -> LoadError:
    """The error reading ``doc`` (a document, or text or bytes in ``fmt``) raises."""
    text = doc if isinstance(doc, (str, bytes)) else json.dumps(doc, ensure_ascii=False)
    with pytest.raises(LoadError) as info:
        loads(text, fmt)
    return info.value


def brake(**fields: object) -> dict[str, object]:
    return {"id": "b", "label": "Jargon", "stage": "usage", **fields}


# ---------------------------------------------------------------- the catalog's plural forms


def test_the_po_reader_reads_plural_entries_as_a_compiled_catalog_keeps_them() -> None:
    """msgid/msgid_plural/msgstr[N] give one entry: both English forms to both translations, NUL-joined."""
    text = (
        'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "{n} brake"\nmsgid_plural "{n} brakes"\nmsgstr[0] "{n} frein"\nmsgstr[1] "{n} "\n"freins"\n\n'
        '#, fuzzy\nmsgid "{n} stage"\nmsgid_plural "{n} stages"\nmsgstr[0] "x"\nmsgstr[1] "y"\n\n'
        'msgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} fichier"\nmsgstr[1] ""\n'
    )
    key = "{n} brake" + PLURAL_SEPARATOR + "{n} brakes"
    assert read_po(text) == {key: "{n} frein" + PLURAL_SEPARATOR + "{n} freins"}  # fuzzy, incomplete: left out
    rule = plural_rule(text)
    assert [rule(n) for n in (0, 1, 2, 10)] == [0, 0, 1, 1]


def test_a_catalog_without_a_plural_header_counts_as_english() -> None:
    """No Plural-Forms header: the first form for 1, the second for any other count."""
    rule = plural_rule('msgid ""\nmsgstr "Language: xx\\n"\n')
    assert [rule(n) for n in (0, 1, 2)] == [1, 0, 1]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('msgid "a"\nmsgstr "b"\nmsgid_plural "as"\n', "line 3"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr "c"\n', "line 4"),
    ],
)
def test_the_po_reader_refuses_plural_forms_out_of_order(text: str, line: str) -> None:
    """A msgid_plural after the msgstr, or a plain msgstr in a plural entry, names its line."""
    with pytest.raises(ValueError, match=line):
        read_po(text, source="x.po")


def test_french_counts_zero_and_one_in_the_singular() -> None:
    """French says 0 erreur, 1 erreur, 2 erreurs; English 0 errors, 1 error."""
    assert [trn("fr", "{n} error", "{n} errors", n) for n in (0, 1, 2)] == ["0 erreur", "1 erreur", "2 erreurs"]
    assert [trn("en", "{n} error", "{n} errors", n) for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]


def test_a_message_about_a_count_missing_from_the_catalog_stays_english() -> None:
    """A plural entry the catalog lacks gives the English form for the count."""
    assert trn("fr", "{n} unicorn", "{n} unicorns", 1) == "1 unicorn"
    assert trn("fr", "{n} unicorn", "{n} unicorns", 3) == "3 unicorns"


# ---------------------------------------------------------------- plain words


def test_severity_says_its_values_and_what_3_means() -> None:
    """A severity written as a word says 1, 2 or 3, and that 3 blocks the user."""
    error = refused(document(None, brakes=[brake(severity="high")]))
    assert error.problems[0].where == "$.brakes[0].severity"
    assert error.problems[0].message == "expected 1, 2 or 3 (3 = blocks the user), found the string 'high'"
    with pytest.raises(usager.ElementError, match=r"Brake\.severity: expected 1, 2 or 3 \(3 = blocks the user\)"):
        Brake(id="b", label="B", stage="s", severity=4)


def test_a_list_given_as_one_string_is_shown_as_the_list_to_write() -> None:
    """'tourist, senior' for a list of ids gets the list form, with the user's own values."""
    error = refused(document(None, brakes=[brake(personas="tourist, senior")]))
    assert error.problems[0].where == "$.brakes[0].personas"
    assert error.problems[0].message == "expected a list like [tourist, senior], found the string 'tourist, senior'"


def test_a_list_given_as_a_number_names_what_the_list_holds() -> None:
    """A value that is no string keeps the general words: a list of ids."""
    error = refused(document(None, brakes=[brake(personas=3)]))
    assert error.problems[0].message == "expected a list of ids, found the number 3"


def test_an_empty_name_says_which_field_is_empty() -> None:
    """A blank name says 'the name is empty', in the document and in Python."""
    error = refused(document(None, personas=[{"id": "p", "name": "  "}]))
    assert error.problems[0].message == "the name is empty: write some text"
    with pytest.raises(usager.ElementError, match=r"^Persona\.name: the name is empty: write some text$"):
        usager.Persona(id="p", name="")


def test_an_enum_lists_its_values() -> None:
    """An unknown resource kind lists the kinds there are."""
    error = refused(document(None, resources=[{"id": "r", "label": "Salle", "kind": "room"}]))
    assert error.problems[0].message.startswith(
        "expected one of 'human', 'physical', 'intellectual', 'financial', 'data', 'channel', 'other', found"
    )


# ---------------------------------------------------------------- French words are understood


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_french_word_for_a_value_suggests_the_value(language: str) -> None:
    """'physique' for a resource kind: did you mean 'physical', whatever the canvas's language."""
    error = refused(document(language, resources=[{"id": "r", "label": "Salle", "kind": "physique"}]))
    ask = "vouliez-vous dire 'physical' ?" if language == "fr" else "did you mean 'physical'?"
    assert error.problems[0].message.endswith(ask)


def test_a_french_status_word_suggests_the_status() -> None:
    """'en place' for a facilitator's status suggests 'in_place'."""
    facilitator = {"id": "f", "label": "Aide", "status": "en place"}
    error = refused(document("fr", facilitators=[facilitator]))
    assert error.problems[0].message.endswith("; vouliez-vous dire 'in_place' ?")


def test_a_stages_french_label_suggests_its_kind() -> None:
    """A stage of kind 'découverte' (its French label) gets 'discovery'."""
    error = refused(document("fr") | {"stages": [{"id": "d", "kind": "découverte"}]})
    assert error.problems[0].where == "$.stages[0].kind"
    assert error.problems[0].message.endswith("trouvé le texte 'découverte' ; vouliez-vous dire 'discovery' ?")


# ---------------------------------------------------------------- the document's language


def test_a_french_canvas_is_told_its_problems_in_french() -> None:
    """Every problem of a French document, and the count above them, are in French; the place is kept."""
    error = refused(document("fr", brakes=[brake(severity="high", personas="touriste, senior")]))
    assert error.language == "fr"
    lines = str(error).splitlines()
    assert lines[0] == "2 problèmes :"
    assert lines[1].endswith(
        "frein 'b', $.brakes[0].severity: 1, 2 ou 3 (3 = bloque l’usager) attendu, trouvé le texte 'high'"
    )
    assert lines[2].endswith(
        "frein 'b', $.brakes[0].personas: une liste comme [touriste, senior] est attendue, trouvé le texte "
        "'touriste, senior'"
    )
    assert [p.line for p in error.problems] == [1, 1]  # where each one is, as in English


def test_an_english_canvas_is_told_in_english_and_so_is_one_without_a_language() -> None:
    """language: en, or no language key, reads in English."""
    for language in ("en", None):
        error = refused(document(language, brakes=[brake(severity=7)]))
        assert error.language == "en"
        assert error.problems[0].message == "expected 1, 2 or 3 (3 = blocks the user), found the number 7"


def test_a_language_usager_does_not_speak_is_said_in_english() -> None:
    """language: FR is itself a problem (did you mean 'fr'?), said in English."""
    error = refused(document("FR"))
    assert error.language == "en"
    assert error.problems[0].message.endswith("did you mean 'fr'?")


@pytest.mark.parametrize(
    ("fmt", "text", "says"),
    [
        ("json", '{"format": "usager/2", "name": "x", "language": "fr", "stages": [1,,2]}', "JSON non valide : "),
        ("yaml", "format: usager/2\nname: x\nlanguage: fr\nstages:\n  - id: a\n - id: b\n", "YAML non valide : "),
        ("toml", 'format = "usager/2"\nname = "x"\nlanguage = "fr"\nstages = [\n', "TOML non valide : "),
    ],
)
def test_a_syntax_error_is_said_in_the_language_the_text_names(fmt: str, text: str, says: str) -> None:
    """A text that does not parse is said in French when its language key can be found."""
    error = refused(text, fmt)
    assert error.language == "fr"
    assert error.problems[0].message.startswith(says)
    assert error.problems[0].line is not None  # still said where


def test_a_syntax_error_in_json_is_said_in_french_words() -> None:
    """The JSON reader's own advice comes in French: a comma where an item was expected."""
    error = refused('{"format": "usager/2", "language": "fr", "name": "x", "stages": [1,,2]}')
    assert str(error) == (
        "1:68: JSON non valide : une virgule là où un élément était attendu (deux virgules de suite ?)"
    )


def test_load_from_a_file_says_it_in_the_texts_language(tmp_path: Path) -> None:
    """usager.load reads the language key of a text it cannot parse too."""
    path = tmp_path / "mine.yaml"
    path.write_text("language: fr\nname: x\nstages: [\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        usager.load(path)
    assert info.value.language == "fr"
    assert "YAML non valide" in str(info.value)
    assert str(info.value).startswith(f"{path}:")


def test_a_french_csv_file_is_told_in_french() -> None:
    """The language cell of a CSV file's canvas row picks the language of its problems."""
    canvas = Canvas.standard("Médiathèque", language="fr").add(Brake(id="b", label="Jargon", stage="usage"))
    header, *rows = usager.dumps(canvas, "csv").splitlines()
    columns = header.lstrip("\ufeff").split(",")
    row = next(i for i, r in enumerate(rows) if r.startswith("brake,"))
    cells = rows[row].split(",")
    cells[columns.index("severity")] = "high"
    rows[row] = ",".join(cells)
    rows.append(",".join(["mystery"] + [""] * (len(columns) - 1)))
    error = refused("\n".join([header, *rows]) + "\n", "csv")
    lines = str(error).splitlines()
    assert lines[0] == "2 problèmes :"
    assert any("column 'severity'" in line and "1, 2 ou 3 (3 = bloque l’usager) attendu" in line for line in lines)
    assert any("type inconnu 'mystery'" in line for line in lines)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_csv_file_saved_in_windows_1252_is_told_in_its_canvas_rows_language(language: str) -> None:
    """A spreadsheet's plain CSV (not UTF-8) gets the advice to save it as CSV UTF-8, in the canvas's language."""
    canvas = Canvas.standard("Médiathèque", language=language).add(Brake(id="b", label="Épuisé", stage="usage"))
    data = usager.dumps(canvas, "csv").lstrip("\ufeff").encode("cp1252")
    error = refused(data, "csv")
    says = "le fichier n’est pas un texte UTF-8 : 'é'" if language == "fr" else "the file is not UTF-8 text: 'é'"
    assert error.problems[0].message.startswith(says)
    assert error.problems[0].where.startswith("row ")  # the place is said as in English


def test_speaking_sets_the_language_for_a_block_only() -> None:
    """speaking(fr) holds inside its block; an unknown language leaves the language as it is."""
    assert spoken() == "en"
    with speaking("fr"):
        assert spoken() == "fr"
        with speaking("de"):
            assert spoken() == "fr"
        error = refused(document(None, brakes=[brake(severity=0)]))  # no language key: the one spoken
    assert spoken() == "en"
    assert error.problems[0].message == "1, 2 ou 3 (3 = bloque l’usager) attendu, trouvé le nombre 0"


def test_a_french_canvas_missing_a_key_is_still_a_missing_field_for_cattrs() -> None:
    """cattrs learns of a missing key of a French document as of an English one's."""
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure(document("fr", personas=[{"id": "p"}]), Canvas)
    assert cattrs.transform_error(info.value) == ["required field missing @ $.personas[0].name"]


# ---------------------------------------------------------------- where the language comes from


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_CA"}, "fr"),
        ({"LANGUAGE": "de:fr", "LANG": "en_US"}, "fr"),
        ({"LANGUAGE": "de", "LANG": "fr_FR"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, None),
    ],
)
def test_the_environment_names_the_language_as_gettext_reads_it(environ: dict[str, str], language: str) -> None:
    """LANGUAGE (a list), then LC_ALL, LC_MESSAGES, LANG; a language without a catalog is English."""
    assert environment_language(environ) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ('{"name": "x", "language": "fr", "stages": [', "fr"),
        ("name: x\nlanguage: 'fr'  # the canvas's\nstages: [", "fr"),
        ('name = "x"\nlanguage = "fr"\n[[stages]\n', "fr"),
        ('{"language": "de"}', None),
        ("name: x\n  language: fr\n", None),  # not a top-level key
        ("name: x\n", None),
    ],
)
def test_the_language_key_is_found_in_a_text_that_does_not_parse(text: str, language: str | None) -> None:
    """language_of_text finds a top-level language key in JSON, YAML and TOML text."""
    assert language_of_text(text) == language


# ---------------------------------------------------------------- plurals elsewhere


def test_the_report_counts_one_brake_in_the_singular() -> None:
    """The report's summary says 1 frein, 0 contribution (not 1 freins, 0 contributions)."""
    canvas = Canvas.standard("Médiathèque", language="fr").add(Brake(id="b", label="Jargon", stage="usage"))
    markdown = usager.dumps(canvas, "markdown")
    assert "6 étapes, 1 frein, 0 facilitateur, 0 persona, 0 contribution" in markdown
    english = usager.dumps(Canvas.standard("Library").add(Brake(id="b", label="Jargon", stage="usage")), "markdown")
    assert "6 stages, 1 brake, 0 facilitators, 0 personas, 0 contributions" in english


def test_assert_consistent_counts_one_finding_in_the_singular() -> None:
    """One failing finding is '1 finding', not '1 finding(s)'."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="ghost"))
    with pytest.raises(AssertionError) as info:
        assert_consistent(canvas)
    assert str(info.value).startswith("canvas 'x' has 1 finding among the errors:\n")


# ---------------------------------------------------------------- the command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' own environment asks for no language (each test sets what it needs)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def test_check_tells_a_french_canvas_in_french(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Problems and summary line of a French file are in French, with the file's place as in English."""
    path = write(tmp_path / "fr.json", document("fr", brakes=[brake(severity="high")]))
    code, _, err = run(capsys, "check", "-j", "1", str(path))
    assert code == 2
    column = path.read_text(encoding="utf-8").index('"high"') + 1
    assert err.splitlines() == [
        f"usager: error: {path}:1:{column}: frein 'b', $.brakes[0].severity: "
        "1, 2 ou 3 (3 = bloque l’usager) attendu, trouvé le texte 'high'",
        "1 fichier vérifié : 0 erreur, 0 avertissement, 0 info ; 1 n’a pas pu être lu",
    ]


def test_check_tells_an_english_canvas_in_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The same file in English: English words, same place."""
    path = write(tmp_path / "en.json", document("en", brakes=[brake(severity="high")]))
    code, _, err = run(capsys, "check", "-j", "1", str(path))
    assert code == 2
    assert err.splitlines()[0].endswith(
        "brake 'b', $.brakes[0].severity: expected 1, 2 or 3 (3 = blocks the user), found the string 'high'"
    )
    assert err.splitlines()[1] == "1 file checked: 0 errors, 0 warnings, 0 infos; 1 could not be read"


def test_a_readable_french_canvas_is_summed_up_in_french(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A French canvas that reads: its findings and the summary's counts, in French and in the plural."""
    path = usager.dump(Canvas.standard("Médiathèque", language="fr"), tmp_path / "ok.json")
    code, out, err = run(capsys, "check", str(path))
    assert (code, err) == (0, "1 fichier vérifié : 0 erreur, 6 avertissements, 8 infos\n")
    assert "U030 warning" in out  # the findings speak the canvas's language too
    english = usager.dump(Canvas.standard("Library"), tmp_path / "en.json")
    assert run(capsys, "check", str(english))[2] == "1 file checked: 0 errors, 6 warnings, 8 infos\n"


def test_lang_speaks_for_files_that_say_no_language(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--lang fr: a file without a language key is told in French; the document's own language still wins."""
    bare = write(tmp_path / "bare.json", document(None, brakes=[brake(severity=9)]))
    code, _, err = run(capsys, "check", "--lang", "fr", "-j", "1", str(bare))
    assert code == 2
    assert "1, 2 ou 3 (3 = bloque l’usager) attendu, trouvé le nombre 9" in err
    assert err.endswith("1 fichier vérifié : 0 erreur, 0 avertissement, 0 info ; 1 n’a pas pu être lu\n")
    english = write(tmp_path / "en.json", document("en", brakes=[brake(severity=9)]))
    _, _, err = run(capsys, "--lang", "fr", "check", "-j", "1", str(english))
    assert "expected 1, 2 or 3 (3 = blocks the user), found the number 9" in err
    assert err.endswith("1 file checked: 0 errors, 0 warnings, 0 infos; 1 could not be read\n")


def test_files_in_two_languages_are_summed_up_in_the_one_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A French file and an English one: the summary line speaks --lang (English by default)."""
    fr = usager.dump(Canvas.standard("Médiathèque", language="fr"), tmp_path / "a.json")
    en = usager.dump(Canvas.standard("Library"), tmp_path / "b.json")
    english = "2 files checked: 0 errors, 12 warnings, 16 infos\n"
    assert run(capsys, "check", "-j", "1", str(fr), str(en))[2] == english
    french = "2 fichiers vérifiés : 0 erreur, 12 avertissements, 16 infos\n"
    assert run(capsys, "check", "--lang", "fr", str(fr), str(en))[2] == french


def test_an_unreadable_french_text_is_told_in_french(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A YAML syntax error in a file whose language key says fr: French, and the summary too."""
    path = tmp_path / "broken.yaml"
    path.write_text("format: usager/2\nlanguage: fr\nname: x\nstages: [\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    first, summary = err.splitlines()
    assert first.startswith(f"usager: error: {path}:")
    assert "YAML non valide : " in first
    assert summary == "1 fichier vérifié : 0 erreur, 0 avertissement, 0 info ; 1 n’a pas pu être lu"


@pytest.mark.parametrize("where", ["command", "main"])
def test_a_missing_file_is_said_in_the_language_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
) -> None:
    """No file to read: no document to tell the language, so --lang does, after the command or before it."""
    missing = tmp_path / "absent.json"
    argv = ["check", "--lang", "fr", str(missing)] if where == "command" else ["--lang", "fr", "check", str(missing)]
    _, _, err = run(capsys, *argv)
    assert err.splitlines() == [
        f"usager: error: {missing} : fichier introuvable",
        "1 fichier vérifié : 0 erreur, 0 avertissement, 0 info ; 1 n’a pas pu être lu",
    ]


def test_the_environment_picks_the_language_in_worker_processes(tmp_path: Path) -> None:
    """LANG=fr_FR: two files without a language key, checked by two worker processes, are told in French."""
    paths = [write(tmp_path / f"{n}.json", document(None, brakes=[brake(severity=5)])) for n in ("a", "b")]
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "fr_FR.UTF-8"
    done = subprocess.run(
        [sys.executable, "-m", "usager", "check", "-j", "2", *map(str, paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert [line.endswith("1, 2 ou 3 (3 = bloque l’usager) attendu, trouvé le nombre 5") for line in lines[:2]] == [
        True,
        True,
    ]
    assert lines[2] == "2 fichiers vérifiés : 0 erreur, 0 avertissement, 0 info ; 2 n’ont pas pu être lus"


def test_lang_is_told_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """check --help says where the language comes from."""
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--lang {en,fr}" in help_text
    assert "LANGUAGE, LC_ALL, LC_MESSAGES or LANG" in help_text
