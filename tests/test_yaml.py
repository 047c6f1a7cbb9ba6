from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings

import usager
from usager import Brake, Canvas, LoadError, Metric, Persona, Stage, Usager, dump, dumps, load, loads
from usager._document import to_document
from usager.examples import mediatheque
from usager.strategies import any_canvases, canvases, texts

from .profiles import examples

SMALL = Canvas(
    name="Médiathèque",
    language="fr",
    description="Deux lignes\nde texte\n",
    personas=[Persona(id="p", name="Léa", goals=["lire", "no", "1.10"], digital_comfort="low")],
    stages=[Stage(id="s", kind="usage")],
    brakes=[Brake(id="b", label="Peur: des données", stage="s", kind="privacy", personas=["p"], severity=3)],
    metrics=[Metric(id="m", label="Prêts", stage="s", target=1.5)],
)

# Written by hand: every key in the document's order, block style, a literal block, quotes only
# where YAML would read something else than the text.
SMALL_YAML = """\
format: usager/2
name: Médiathèque
description: |
  Deux lignes
  de texte
language: fr
personas:
  - id: p
    name: Léa
    description: ""
    goals:
      - lire
      - "no"
      - "1.10"
    frustrations: []
    digital_comfort: low
    tags: []
    suppress: []
usagers: []
stages:
  - id: s
    kind: usage
    label: ""
    description: ""
    touchpoints: []
    tags: []
    suppress: []
brakes:
  - id: b
    label: "Peur: des données"
    stage: s
    description: ""
    kind: privacy
    personas:
      - p
    severity: 3
    evidence: []
    tags: []
    suppress: []
facilitators: []
activities: []
resources: []
partners: []
experiences: []
metrics:
  - id: m
    label: Prêts
    stage: s
    unit: ""
    direction: increase
    target: 1.5
    current: null
    source: ""
    tags: []
    suppress: []
contributions: []
"""

BASE = """\
format: usager/2
name: Test
stages:
  - id: usage
    kind: usage
brakes:
  - id: jargon
    label: Jargon
    stage: usage
    severity: 3
"""


def refused(text: str) -> LoadError:
    with pytest.raises(LoadError) as info:
        loads(text, "yaml", source="mine.yaml")
    return info.value


def edited(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


def test_the_small_canvas_is_written_as_by_hand() -> None:
    """The YAML of a small canvas is exactly the text written by hand from the format's rules."""
    assert dumps(SMALL, "yaml") == SMALL_YAML


def test_the_hand_written_text_reads_back() -> None:
    """The hand-written YAML gives the canvas back."""
    assert loads(SMALL_YAML, "yaml") == SMALL


@given(any_canvases())
def test_any_canvas_round_trips(canvas: Canvas) -> None:
    """Whatever the text and however inconsistent, YAML gives the same canvas back."""
    assert loads(dumps(canvas, "yaml"), "yaml") == canvas


@settings(max_examples=examples(50))
@given(canvases())
def test_output_is_deterministic(canvas: Canvas) -> None:
    """The same canvas gives the same text, also after a round trip."""
    text = dumps(canvas, "yaml")
    assert dumps(loads(text, "yaml"), "yaml") == text


@given(any_canvases())
def test_other_yaml_readers_read_the_same_document(canvas: Canvas) -> None:
    """PyYAML's own safe_load reads the written text as the same document: the quoting is right for others too."""
    assert yaml.safe_load(dumps(canvas, "yaml")) == to_document(canvas)


@settings(max_examples=examples(300))
@given(texts())
def test_any_text_round_trips_in_every_position(text: str) -> None:
    """A text round-trips as a canvas scalar, a list item and a nested scalar, however it is written."""
    canvas = Canvas(name="n", description=text, personas=[Persona(id="p", name="n", description=text, goals=[text])])
    assert loads(dumps(canvas, "yaml"), "yaml") == canvas


def test_multi_line_text_is_a_literal_block() -> None:
    """Text with line breaks is written as a literal block, its lines indented under the key."""
    canvas = Canvas(name="n", personas=[Persona(id="p", name="n", goals=["one\ntwo"])])
    assert "    goals:\n      - |-\n        one\n        two\n" in dumps(canvas, "yaml")


def test_the_yml_suffix_is_yaml(tmp_path: Path) -> None:
    """A .yml file is written and read as YAML."""
    path = dump(SMALL, tmp_path / "canvas.yml")
    assert path.read_text(encoding="utf-8") == SMALL_YAML
    assert load(path) == SMALL


def test_the_exporter_takes_no_option() -> None:
    """An option is refused with an OptionError (a TypeError)."""
    with pytest.raises(TypeError, match="takes no option 'indent'"):
        dumps(SMALL, "yaml", indent=4)


@pytest.mark.parametrize("plain", ["no", "1.10", "yes", "2024-01-01", "0x1F", "3", "True"])
def test_text_fields_take_plain_scalars_as_text(plain: str) -> None:
    """No implicit typing: a plain scalar where text is expected is that text."""
    assert loads(edited("label: Jargon", f"label: {plain}"), "yaml").brakes[0].label == plain


@pytest.mark.parametrize("plain", ["null", "~", ""])
def test_null_is_null_where_a_field_allows_it(plain: str) -> None:
    """null, ~ or nothing leaves an optional reference empty."""
    text = BASE + f"usagers:\n  - id: u\n    name: U\n    persona: {plain}\n"
    assert loads(text, "yaml").usagers[0] == Usager(id="u", name="U")


def test_null_where_text_is_expected_is_refused_as_in_json() -> None:
    """A plain null in a text field is null, which a text field refuses (the text 'null' takes quotes)."""
    error = refused(edited("label: Jargon", "label: null"))
    assert str(error) == "mine.yaml:8:12: brake 'jargon', $.brakes[0].label: expected a string, found null"


def test_a_quoted_number_is_not_a_severity() -> None:
    """A quoted "3" is text, refused where an integer is expected, with its position and what to write."""
    error = refused(edited("severity: 3", 'severity: "3"'))
    assert str(error) == (
        "mine.yaml:10:15: brake 'jargon', $.brakes[0].severity: expected 1, 2 or 3 (3 = blocks the user), "
        "found the string '3'; write it without quotes: 3"
    )


def test_yes_is_not_a_boolean() -> None:
    """Only true and false are booleans: yes is a word, refused where a boolean is expected."""
    error = refused(BASE + "usagers:\n  - id: u\n    name: U\n    lead_user: yes\n")
    assert error.problems[0].message == "expected true or false, found the string 'yes'"
    assert (error.problems[0].line, error.problems[0].column) == (14, 16)


@pytest.mark.parametrize(
    ("old", "new", "message", "line", "column"),
    [
        ("stage: usage", "stage: &s usage", "$.brakes[0].stage: an anchor (&s)", 9, 12),
        ("severity: 3", "severity: 3\n    description: *s", "$.brakes[0].description: an alias (*s)", 11, 18),
        ("severity: 3", "severity: !!int 3", "$.brakes[0].severity: a tag (!!int)", 10, 15),
        ("severity: 3", "severity: !custom 3", "$.brakes[0].severity: a tag (!custom)", 10, 15),
        ("    severity: 3", "    <<: {severity: 3}", "$.brakes[0]: a merge key (<<)", 10, 5),
        ("    severity: 3", "    [a]: 3", "$.brakes[0]: a key must be plain text", 10, 5),
    ],
)
def test_yaml_features_beyond_json_are_refused_where_they_stand(
    old: str, new: str, message: str, line: int, column: int
) -> None:
    """Tags, anchors, aliases, merge keys and keys that are not text are refused with their position."""
    error = refused(edited(old, new))
    assert str(error).startswith(f"mine.yaml:{line}:{column}: {message}")


def test_a_second_document_is_refused() -> None:
    """A file holds one canvas: a second document is refused at its start."""
    assert str(refused(BASE + "---\nformat: usager/2\n")).startswith("mine.yaml:11:1: a second document")


def test_a_duplicate_key_is_refused_at_its_second_occurrence() -> None:
    """A key given twice is refused where it is given again."""
    error = refused(edited("    severity: 3", "    severity: 3\n    severity: 2"))
    assert str(error) == (
        "mine.yaml:11:5: brake 'jargon', $.brakes[0].severity: this key appears more than once in the object; keep one"
    )


def test_a_tab_indentation_says_to_use_spaces() -> None:
    """A tab where indentation goes is named as such, at its line."""
    error = refused(edited("    severity: 3", "\tseverity: 3"))
    assert (
        str(error)
        == "mine.yaml:10:1: not valid YAML: a tab: YAML indents with spaces only; replace the tab with spaces"
    )


def test_a_misindented_line_is_named() -> None:
    """A line indented unlike its neighbours is named at its position."""
    error = refused(edited("    stage: usage", "   stage: usage"))
    assert str(error).startswith("mine.yaml:9:4: not valid YAML: this line is not indented like the lines around it")


def test_a_control_character_says_how_to_write_it() -> None:
    """A character YAML forbids is named with the escape to write instead."""
    error = refused(edited("Jargon", "Jar\x07gon"))
    assert str(error).startswith("mine.yaml:8:15: not valid YAML: the character U+0007")
    assert '"\\x07"' in str(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "mine.yaml:1:1: $: the document is empty"),
        ("# only a comment\n", "mine.yaml:1:1: $: the document is empty"),
        ("---\n", "mine.yaml:2:1: $: expected an object (the canvas), found null"),
        ("- a\n", "mine.yaml:1:1: $: expected an object (the canvas), found an array"),
    ],
)
def test_a_document_that_is_no_mapping_is_refused(text: str, message: str) -> None:
    """A file with no canvas in it says so."""
    assert str(refused(text)) == message


def test_reading_without_pyyaml_says_how_to_install_it() -> None:
    """Without PyYAML (a dependency, missing from a broken environment), reading says so; writing still works."""
    script = (
        "import sys\n"
        "sys.modules['yaml'] = None\n"
        "import usager\n"
        "from usager.examples import mediatheque\n"
        "text = usager.dumps(mediatheque(), 'yaml')\n"
        "try:\n"
        "    usager.loads(text, 'yaml')\n"
        "except ValueError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == (
        "CannotLoadError reading YAML needs PyYAML, which usager depends on but this environment lacks: "
        "install it with pip install pyyaml\n"
    )


def test_comments_are_found_outside_texts() -> None:
    """The lines holding comments are found; a '#' inside a text is no comment."""
    text = "# top\nname: 'x # no'\ndescription: |\n  # not one\nformat: usager/2 # yes\n"
    assert usager.exporters.get("yaml").comments(text) == (1, 5)  # type: ignore[attr-defined]


def test_the_example_round_trips() -> None:
    """The media library example reads back from its YAML."""
    assert loads(dumps(mediatheque(), "yaml"), "yaml") == mediatheque()


def test_a_canvas_with_a_schema_names_it_for_editors() -> None:
    """A $schema is also written as the yaml-language-server comment editors read, and the key reads back."""
    canvas = Canvas(name="n", schema="usager.schema.json")
    text = dumps(canvas, "yaml")
    assert text.startswith("# yaml-language-server: $schema=usager.schema.json\n$schema: usager.schema.json\n")
    assert loads(text, "yaml") == canvas


def test_a_schema_on_several_lines_gets_no_comment() -> None:
    """A $schema that cannot stand on one comment line is written as the key alone."""
    canvas = Canvas(name="n", schema="a\nb")
    assert dumps(canvas, "yaml").startswith("$schema: |-\n")


def test_pyyaml_is_a_dependency_of_the_plain_install() -> None:
    """`pip install usager` reads the YAML that `usager new -o mine.yaml` writes: PyYAML is no extra."""
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    required = [Requirement(line) for line in requires("usager") or []]
    plain = {r.name.lower() for r in required if r.marker is None or r.marker.evaluate({"extra": ""})}
    assert "pyyaml" in plain
