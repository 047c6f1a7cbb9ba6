from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import attrs
import pytest

import usager
from usager import Brake, Canvas, LoadError, Persona, Stage, dump, dumps, load, loads
from usager.examples import mediatheque

SMALL = Canvas(
    name="Médiathèque",
    language="fr",
    personas=[Persona(id="p", name="Léa", goals=["lire"], digital_comfort="low")],
    stages=[Stage(id="s", kind="usage")],
    brakes=[Brake(id="b", label="Peur", stage="s", kind="privacy", personas=["p"], severity=3)],
)

# Written by hand from the contract: every key, in the documented order, two-space indent.
SMALL_JSON = """\
{
  "format": "usager/2",
  "name": "Médiathèque",
  "description": "",
  "language": "fr",
  "personas": [
    {
      "id": "p",
      "name": "Léa",
      "description": "",
      "goals": [
        "lire"
      ],
      "frustrations": [],
      "digital_comfort": "low",
      "tags": [],
      "suppress": []
    }
  ],
  "usagers": [],
  "stages": [
    {
      "id": "s",
      "kind": "usage",
      "label": "",
      "description": "",
      "touchpoints": [],
      "tags": [],
      "suppress": []
    }
  ],
  "brakes": [
    {
      "id": "b",
      "label": "Peur",
      "stage": "s",
      "description": "",
      "kind": "privacy",
      "personas": [
        "p"
      ],
      "severity": 3,
      "evidence": [],
      "tags": [],
      "suppress": []
    }
  ],
  "facilitators": [],
  "activities": [],
  "resources": [],
  "partners": [],
  "experiences": [],
  "metrics": [],
  "contributions": []
}
"""

# The same canvas as usager/1 wrote it: it still loads, unchanged.
SMALL_JSON_V1 = """\
{
  "format": "usager/1",
  "name": "Médiathèque",
  "description": "",
  "language": "fr",
  "personas": [
    {
      "id": "p",
      "name": "Léa",
      "description": "",
      "goals": [
        "lire"
      ],
      "frustrations": [],
      "digital_comfort": "low"
    }
  ],
  "usagers": [],
  "stages": [
    {
      "id": "s",
      "kind": "usage",
      "label": "",
      "description": "",
      "touchpoints": []
    }
  ],
  "brakes": [
    {
      "id": "b",
      "label": "Peur",
      "stage": "s",
      "description": "",
      "kind": "privacy",
      "personas": [
        "p"
      ],
      "severity": 3
    }
  ],
  "facilitators": [],
  "activities": [],
  "resources": [],
  "partners": []
}
"""


def doc(**overrides: object) -> str:
    """A minimal valid document with some keys replaced."""
    base: dict[str, object] = {"format": "usager/2", "name": "x"}
    base.update(overrides)
    return json.dumps(base)


def problem(data: str | bytes) -> LoadError:
    with pytest.raises(LoadError) as info:
        loads(data, "json")
    return info.value


def test_dumps_is_the_canonical_document() -> None:
    """The JSON is canonical: all keys, contract order, readable UTF-8, final newline."""
    assert dumps(SMALL, "json") == SMALL_JSON


def test_loads_reads_the_canonical_document_back() -> None:
    """Loading the canonical text gives the same canvas."""
    assert loads(SMALL_JSON, "json") == SMALL
    assert loads(SMALL_JSON.encode(), "json") == SMALL


def test_minimal_document_uses_defaults() -> None:
    """Only format and name are required; lists default to empty, language to English."""
    canvas = loads('{"format": "usager/1", "name": "x"}')
    assert canvas == Canvas(name="x")


def test_the_example_round_trips() -> None:
    """The built-in example survives a round trip unchanged."""
    canvas = mediatheque()
    assert loads(dumps(canvas)) == canvas


def test_a_canvas_with_errors_saves_and_loads_back_equal() -> None:
    """Saving never depends on checks: dangling references and duplicate ids survive."""
    canvas = Canvas(
        name="wip",
        personas=[Persona(id="d", name="A"), Persona(id="d", name="B")],
        brakes=[Brake(id="b", label="B", stage="ghost")],
    )
    assert {f.code for f in usager.check(canvas)} >= {"U001", "U002", "U010"}
    assert loads(dumps(canvas)) == canvas


def test_bom_and_crlf_are_accepted() -> None:
    """A UTF-8 byte order mark and Windows line endings read fine."""
    data = b"\xef\xbb\xbf" + SMALL_JSON.replace("\n", "\r\n").encode()
    assert loads(data) == SMALL
    assert loads("\ufeff" + SMALL_JSON) == SMALL


def test_non_ascii_text_is_written_readably() -> None:
    """Accents are written as themselves, not escaped."""
    assert '"Médiathèque"' in dumps(SMALL)
    assert "\\u" not in dumps(SMALL)


def test_control_characters_survive() -> None:
    """Tabs, newlines and C0 controls are kept exactly."""
    canvas = Canvas(name="a\tb\nc\x01\x1f\u2028")
    assert loads(dumps(canvas)) == canvas


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        ("", "$", "empty"),
        ("  \n", "$", "empty"),
        (b"\xef\xbb\xbf", "$", "empty"),
        ("[]", "$", "expected an object (the canvas), found an array"),
        ('"canvas"', "$", "found the string 'canvas'"),
        ("null", "$", "found null"),
        (b'{"name": "caf\xe9"}', "byte 13", "not UTF-8"),
        ('{"format": "usager/1",', "", "not valid JSON"),
        ('{"name": "x"}', "$", "missing required key 'format'"),
        ('{"format": "usager/1"}', "$", "missing required key 'name'"),
        (
            doc(format="usager/3"),
            "$.format",
            "unsupported format 'usager/3'; this version reads 'usager/1', 'usager/2'",
        ),
        (doc(format=1), "$.format", "expected a string, found the number 1"),
        (doc(name=None), "$.name", "expected a string, found null"),
        (doc(name=""), "$.name", "empty"),
        (doc(language="de"), "$.language", "expected one of 'en', 'fr'"),
        (doc(nmae="x"), "$.nmae", "unknown key 'nmae' (did you mean 'name'?)"),
        (doc(**{"a b": 1}), "$['a b']", "unknown key 'a b'"),
        (doc(stages={}), "$.stages", "expected an array, found an object"),
        (doc(stages=[1]), "$.stages[0]", "expected an object, found the number 1"),
        (doc(stages=[{"id": "s"}]), "$.stages[0]", "missing required key 'kind'"),
        (doc(stages=[{"id": "s", "kind": "usage", "lable": "x"}]), "$.stages[0].lable", "did you mean 'label'?"),
        (doc(stages=[{"id": "s", "kind": "use"}]), "$.stages[0].kind", "expected one of 'discovery'"),
        (doc(stages=[{"id": "s s", "kind": "usage"}]), "$.stages[0].id", "not a valid id"),
        (doc(stages=[{"id": "s", "kind": "custom"}]), "$.stages[0].label", "custom stage needs a label"),
        (doc(brakes=[{"id": "b", "label": "B", "stage": None}]), "$.brakes[0].stage", "found null"),
        (doc(brakes=[{"id": "b", "label": "B", "stage": "s", "severity": "3"}]), "$.brakes[0].severity", "string"),
        (doc(brakes=[{"id": "b", "label": "B", "stage": "s", "severity": 2.9}]), "$.brakes[0].severity", "2.9"),
        (doc(brakes=[{"id": "b", "label": "B", "stage": "s", "severity": 2.0}]), "$.brakes[0].severity", "2.0"),
        (doc(brakes=[{"id": "b", "label": "B", "stage": "s", "severity": True}]), "$.brakes[0].severity", "true"),
        (doc(brakes=[{"id": "b", "label": "B", "stage": "s", "severity": 5}]), "$.brakes[0].severity", "1, 2 or 3"),
        (
            doc(brakes=[{"id": "b", "label": "B", "stage": "s", "personas": "p"}]),
            "$.brakes[0].personas",
            "expected a list like [p], found the string 'p'",
        ),
        (doc(personas=[{"id": "p", "name": "P", "goals": ["a", None]}]), "$.personas[0].goals[1]", "found null"),
        (doc(personas=[{"id": "p", "name": "P", "digital_comfort": "meh"}]), "$.personas[0].digital_comfort", "low"),
        (doc(usagers=[{"id": "u", "name": "U", "persona": 3}]), "$.usagers[0].persona", "an id (a string) or null"),
        (doc(activities=[{"id": "a", "label": "A", "phase": "go"}]), "$.activities[0].phase", "'run', 'launch'"),
        (doc(resources=[{"id": "r", "label": "R", "kind": None}]), "$.resources[0].kind", "found null"),
        (doc(partners=[{"id": "p", "label": "P", "url": "x"}]), "$.partners[0].url", "unknown key 'url'"),
        ('{"format": "usager/1", "name": "x", "name": "y"}', "$.name", "appears more than once"),
        ('{"format": "usager/1", "name": NaN}', "$.name", "NaN, which JSON does not allow"),
        (
            '{"format": "usager/1", "name": "x", "brakes": [{"id": "b", "label": "B", "stage": "s", "severity": '
            "Infinity}]}",
            "$.brakes[0].severity",
            "Infinity, which JSON does not allow",
        ),
        (
            '{"format": "usager/1", "name": "x", "brakes": [{"id": "b", "label": "B", "stage": "s", "severity": '
            "1e999}]}",
            "$.brakes[0].severity",
            "too large",
        ),
        ('{"format": "usager/1", "name": "\\ud800"}', "$.name", "lone surrogate"),
        ('{"format": "usager/1", "name": "a\\u0000b"}', "$.name", "NUL"),
        ("[" * 100_000 + "]" * 100_000, "$", "nested too deeply"),
        ("1" * 5000, "$", "expected an object (the canvas), found a number too large to represent"),
    ],
)
def test_bad_documents_raise_load_error_naming_where(data: str | bytes, where: str, says: str) -> None:
    """Each malformed document gets a LoadError whose problem names the place and what is wrong."""
    error = problem(data)
    assert isinstance(error, ValueError)
    places = {p.where: p.message for p in error.problems}
    assert where in places, error.problems
    assert says in places[where]
    assert f"{where}: " in str(error) if where else str(error).startswith("1:23: not valid JSON")


def test_every_problem_is_collected() -> None:
    """Several independent problems are all reported, each with its path, in the order of the text."""
    error = problem(
        doc(
            language="de",
            stages=[{"id": "s", "kind": "nope"}, {"kind": "usage"}],
            brakes=[{"id": "b", "label": "B", "stage": "s", "severity": 9}],
            typo=1,
        )
    )
    assert [p.where for p in error.problems] == [
        "$.language", "$.stages[0].kind", "$.stages[1]", "$.brakes[0].severity", "$.typo",
    ]  # fmt: skip
    assert str(error).startswith("5 problems:\n  1:49: $.language: expected one of 'en', 'fr'")


def test_load_error_messages_are_capped() -> None:
    """A document with hundreds of problems gets a readable message with the rest counted."""
    error = problem(doc(partners=[{"id": f"p{i}"} for i in range(100)]))
    assert len(error.problems) == 100
    assert str(error).endswith("... and 80 more")


def test_loads_refuses_what_is_not_text() -> None:
    """A non-text argument is a LoadError too, not a TypeError."""
    with pytest.raises(LoadError, match="expected text or bytes"):
        loads(12, "json")  # type: ignore[arg-type]


def test_dump_and_load_pick_the_format_from_the_suffix(tmp_path: Path) -> None:
    """dump writes the file named by the path, load reads it back."""
    target = tmp_path / "canvas.JSON"
    assert dump(SMALL, target) == target
    assert target.read_text(encoding="utf-8") == SMALL_JSON
    assert load(target) == SMALL
    assert load(str(target), format="json") == SMALL


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    """A LoadError from a file starts with its path."""
    target = tmp_path / "bad.json"
    target.write_text(doc(name=None))
    with pytest.raises(LoadError) as info:
        load(target)
    assert str(info.value) == f"{target}:1:32: $.name: expected a string, found null"
    assert info.value.source == str(target)


def test_load_of_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    """A missing file is not bad content: it is reported as the OS reports it."""
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.json")


def test_an_unknown_suffix_or_format_lists_the_formats(tmp_path: Path) -> None:
    """Asking for a format no exporter writes says which exist."""
    with pytest.raises(usager.exporters.UnknownExporterError, match="json"):
        dump(SMALL, tmp_path / "canvas.xyz")
    with pytest.raises(LookupError, match=r"no exporter is called 'xml'; available: .*json"):
        dumps(SMALL, "xml")
    assert not list(tmp_path.iterdir())


class Exploding:
    """An exporter that fails half-way, to prove that dump never leaves a half-written file."""

    name = "exploding"
    suffixes = (".boom",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Canvas, **options: object) -> str:
        raise RuntimeError("boom")


def test_dump_that_fails_leaves_the_previous_file_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing export or write keeps the old file and leaves no temporary file."""
    target = tmp_path / "canvas.json"
    target.write_text("previous")
    with pytest.raises(TypeError):
        dump(SMALL, target, indent=2, colour="red")
    assert target.read_text() == "previous"

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        dump(SMALL, target)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["canvas.json"]


def test_dump_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    """Writing where no folder exists raises and creates nothing."""
    with pytest.raises(FileNotFoundError):
        dump(SMALL, tmp_path / "missing" / "canvas.json")
    assert not list(tmp_path.iterdir())


def test_dump_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    """Replacing a file keeps its mode; a new file gets the usual mode."""
    target = tmp_path / "canvas.json"
    target.write_text("previous")
    target.chmod(0o640)
    dump(SMALL, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.json"
    dump(SMALL, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_json_exporter_options() -> None:
    """indent=None writes one line; an unknown option is refused by name."""
    one_line = dumps(SMALL, "json", indent=None)
    assert one_line.count("\n") == 1
    assert loads(one_line) == SMALL
    with pytest.raises(TypeError, match="'colour'"):
        dumps(SMALL, "json", colour="red")


def test_every_problem_of_every_field_is_reported() -> None:
    """Several bad fields in one element are all reported, not only the first."""
    error = problem(
        doc(
            stages=[{"id": "bad id", "kind": "nope"}],
            brakes=[{"id": "b", "label": " ", "stage": "s", "severity": 7}],
        )
    )
    assert [p.where for p in error.problems] == [
        "$.stages[0].id", "$.stages[0].kind", "$.brakes[0].label", "$.brakes[0].severity",
    ]  # fmt: skip
    assert [p.path for p in error.problems][-1] == ("brakes", 0, "severity")


def test_a_hundred_thousand_unknown_keys_are_counted_not_listed() -> None:
    """Past a few hundred problems the rest are counted; the message says how many there were."""
    keys = {f"k{i}": 1 for i in range(100_000)}
    error = problem(json.dumps({"format": "usager/1", "name": "x", **keys}))
    assert len(error.problems) == 200
    assert error.more == 100_000 - 200
    assert str(error).startswith("100000 problems:\n")
    assert str(error).endswith("... and 99980 more")


def test_a_million_bad_items_are_counted_not_listed() -> None:
    """A huge list of bad items is refused with the first problems and a count of the rest."""
    error = problem('{"format": "usager/1", "name": "x", "brakes": [' + ",".join(["1"] * 1_000_000) + "]}")
    assert len(error.problems) + error.more == 1_000_000
    assert error.problems[0].where == "$.brakes[0]"
    assert "expected an object, found the number 1" in error.problems[0].message


def test_long_keys_get_no_suggestion_and_are_shortened() -> None:
    """A 1 MB unknown key gives a short message: no 'did you mean', the key cut."""
    error = problem(json.dumps({"format": "usager/1", "name": "x", "n" * 1_000_000: 1}))
    message = str(error)
    assert len(message) < 1_000
    assert "more characters" in message
    assert "did you mean" not in message
    near = problem(json.dumps({"format": "usager/1", "name": "x", "nmae": 1}))
    assert "did you mean 'name'?" in str(near)


@pytest.mark.parametrize("key", ["\x1b[2J", "a\nb: forged problem", "\u2028", "\r"])
def test_control_characters_in_user_text_are_shown_escaped(key: str) -> None:
    """A key holding control characters can neither clear a terminal nor forge a problem line."""
    error = problem(json.dumps({"format": "usager/1", "name": "x", key: 1}))
    message = str(error)
    assert key not in message
    assert "\x1b" not in message
    assert "\r" not in message
    assert "\u2028" not in message
    assert message.count("\n") == 0, message
    bad_value = problem(json.dumps({"format": "usager/1", "name": "x", "language": "\x1b[2J"}))
    assert "\x1b" not in str(bad_value)
    assert "'\\x1b[2J'" in str(bad_value)


def test_a_usager_1_document_loads_unchanged() -> None:
    """What usager/1 wrote reads as the same canvas; it is written back as usager/2."""
    assert loads(SMALL_JSON_V1) == SMALL
    assert dumps(loads(SMALL_JSON_V1)) == SMALL_JSON


def test_a_usager_1_document_may_not_use_the_new_keys() -> None:
    """A key that usager/2 brought, inside a usager/1 document, says it needs usager/2."""
    document = json.loads(SMALL_JSON_V1)
    document["brakes"][0]["evidence"] = ["interview 3"]
    document["metrics"] = []
    document["$schema"] = "https://example.org/usager.json"
    error = problem(json.dumps(document))
    assert [p.where for p in error.problems] == ["$.brakes[0].evidence", "$.metrics", "$['$schema']"]
    assert error.problems[0].message == (  # the document is a French canvas's: its problems are said in French
        "la clé 'evidence' demande le format 'usager/2', et ce document est au format 'usager/1' : "
        "changez son format en 'usager/2'"
    )


def test_the_schema_key_is_kept_and_written_first() -> None:
    """A top-level $schema is kept through a round trip, written before the format; absent, it is not written."""
    canvas = attrs.evolve(SMALL, schema="https://example.org/usager.schema.json")
    text = dumps(canvas)
    assert text.startswith('{\n  "$schema": "https://example.org/usager.schema.json",\n  "format": "usager/2",\n')
    assert loads(text) == canvas
    assert loads(dumps(canvas, "csv"), "csv") == canvas
    assert '"$schema"' not in dumps(SMALL)
    assert problem(doc(**{"$schema": 3})).problems[0].where == "$['$schema']"


def test_syntax_errors_carry_their_line_and_column() -> None:
    """A JSON syntax error holds its position as data, beside the text that names it."""
    error = problem('{\n  "format": "usager/2",\n  "name": x\n}')
    assert [(p.where, p.line, p.column) for p in error.problems] == [("", 3, 11)]


def test_an_integer_too_long_to_convert_is_too_large_at_its_place() -> None:
    """A 5,000-digit integer is a number too large to represent, at its path, not Python's digit limit."""
    text = usager.dumps(usager.Canvas(name="x", stages=[usager.Stage(id="s", kind="usage")]), "json")
    text = text.replace('"name": "x"', '"name": ' + "9" * 5000)
    with pytest.raises(usager.LoadError) as info:
        usager.loads(text)
    assert [(p.where, p.message) for p in info.value.problems] == [
        ("$.name", "expected a string, found a number too large to represent")
    ]
