from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

import usager
from usager import Canvas, LoadError, Persona, Usager, dump, dumps, load, loads
from usager._document import to_document
from usager.examples import mediatheque
from usager.strategies import any_canvases, canvases, texts

from .profiles import examples
from .test_yaml import SMALL

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Written by hand: the canvas's keys, then one [[list]] table per element in the document's
# order; a null value (metrics' current) is left out; so are empty element lists.
SMALL_TOML = '''\
format = "usager/2"
name = "Médiathèque"
description = """
Deux lignes
de texte
"""
language = "fr"

[[personas]]
id = "p"
name = "Léa"
description = ""
goals = ["lire", "no", "1.10"]
frustrations = []
digital_comfort = "low"
tags = []
suppress = []

[[stages]]
id = "s"
kind = "usage"
label = ""
description = ""
touchpoints = []
tags = []
suppress = []

[[brakes]]
id = "b"
label = "Peur: des données"
stage = "s"
description = ""
kind = "privacy"
personas = ["p"]
severity = 3
evidence = []
tags = []
suppress = []

[[metrics]]
id = "m"
label = "Prêts"
stage = "s"
unit = ""
direction = "increase"
target = 1.5
source = ""
tags = []
suppress = []
'''

BASE = """\
format = "usager/2"
name = "Test"

[[stages]]
id = "usage"
kind = "usage"

[[brakes]]
id = "jargon"
label = "Jargon"
stage = "usage"
severity = 3
"""


def refused(text: str) -> LoadError:
    with pytest.raises(LoadError) as info:
        loads(text, "toml", source="mine.toml")
    return info.value


def edited(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


def test_the_small_canvas_is_written_as_by_hand() -> None:
    """The TOML of a small canvas is exactly the text written by hand from the format's rules."""
    assert dumps(SMALL, "toml") == SMALL_TOML


def test_the_hand_written_text_reads_back(tmp_path: Path) -> None:
    """The hand-written TOML gives the canvas back, from a .toml file too."""
    (tmp_path / "c.toml").write_text(SMALL_TOML, encoding="utf-8")
    assert load(tmp_path / "c.toml") == SMALL


@given(any_canvases())
def test_any_canvas_round_trips(canvas: Canvas) -> None:
    """Whatever the text and however inconsistent, TOML gives the same canvas back."""
    assert loads(dumps(canvas, "toml"), "toml") == canvas


@settings(max_examples=examples(50))
@given(canvases())
def test_output_is_deterministic(canvas: Canvas) -> None:
    """The same canvas gives the same text, also after a round trip."""
    text = dumps(canvas, "toml")
    assert dumps(loads(text, "toml"), "toml") == text


@given(any_canvases())
def test_the_document_is_the_json_one_without_nulls(canvas: Canvas) -> None:
    """tomllib reads the written text as the JSON document with its null values left out."""
    document = to_document(canvas)
    expected = {k: v for k, v in document.items() if v is not None and v != []}
    for name, items in expected.items():
        if isinstance(items, list):
            expected[name] = [{k: v for k, v in item.items() if v is not None} for item in items]
    assert tomllib.loads(dumps(canvas, "toml")) == expected


@settings(max_examples=examples(300))
@given(texts())
def test_any_text_round_trips_in_every_position(text: str) -> None:
    """A text round-trips as a canvas key, an element's key and a list item, however it is written."""
    canvas = Canvas(name="n", description=text, personas=[Persona(id="p", name="n", description=text, goals=[text])])
    assert loads(dumps(canvas, "toml"), "toml") == canvas


def test_a_missing_key_means_null() -> None:
    """TOML has no null: a reference left out is None, and a None is left out when written."""
    usager_ = Usager(id="u", name="U")
    text = BASE + '\n[[usagers]]\nid = "u"\nname = "U"\n'
    assert loads(text, "toml").usagers == (usager_,)
    assert "persona" not in dumps(Canvas(name="n", usagers=[usager_]), "toml")


def test_a_long_list_gets_one_item_per_line() -> None:
    """A list too long for one line, or holding multi-line text, is written one item per line."""
    canvas = Canvas(name="n", personas=[Persona(id="p", name="n", goals=["x" * 50, "y" * 50])])
    assert f'goals = [\n  "{"x" * 50}",\n  "{"y" * 50}",\n]\n' in dumps(canvas, "toml")


def test_the_exporter_takes_no_option() -> None:
    """An option is refused with an OptionError (a TypeError)."""
    with pytest.raises(TypeError, match="takes no option 'indent'"):
        dumps(SMALL, "toml", indent=4)


def test_a_quoted_number_is_not_a_severity() -> None:
    """A quoted "3" is text, refused where an integer is expected, with its position and what to write."""
    error = refused(edited("severity = 3", 'severity = "3"'))
    assert str(error) == (
        "mine.toml:12:12: brake 'jargon', $.brakes[0].severity: expected 1, 2 or 3 (3 = blocks the user), "
        "found the string '3'; write it without quotes: 3"
    )


def test_a_duplicate_key_is_named_with_its_path() -> None:
    """A key given twice is refused at its second occurrence, with the same message as JSON's."""
    error = refused(edited("severity = 3", 'severity = 3\nstage = "usage"'))
    assert str(error) == (
        "mine.toml:13:1: brake 'jargon', $.brakes[0].stage: this key appears more than once in the object; keep one"
    )


def test_bare_text_says_to_quote_it() -> None:
    """A text without quotes is a syntax error that says text goes in double quotes."""
    error = refused(edited('label = "Jargon"', "label = Jargon"))
    assert str(error) == 'mine.toml:10:9: not valid TOML: invalid value: text goes in double quotes (label = "My text")'


def test_a_date_is_not_text() -> None:
    """TOML's dates are values of their own: refused where text is expected."""
    error = refused(edited('label = "Jargon"', "label = 2024-01-01"))
    assert str(error) == "mine.toml:10:9: brake 'jargon', $.brakes[0].label: expected a string, found a date"


def test_positions_in_inline_tables_and_arrays() -> None:
    """Problems inside arrays and inline tables are placed at their value."""
    text = BASE + 'tags = ["a",\n  3]\n\n[[personas]]\nid = "p"\nname = { first = "x" }\n'
    places = {p.where: (p.line, p.column) for p in refused(text).problems}
    assert places == {"$.brakes[0].tags[1]": (14, 3), "$.personas[0].name": (18, 8)}


def test_an_empty_document_is_refused() -> None:
    """A file with no key says what a canvas starts with."""
    assert (
        str(refused("# nothing\n"))
        == "mine.toml:1:1: $: the document is empty (a canvas starts with format = 'usager/2')"
    )


def test_comments_are_found_outside_texts() -> None:
    """The lines holding comments are found; a '#' inside a text is no comment."""
    text = '# top\nname = "x # no"\ndescription = """\n# not one\n"""\ntags = [1, # yes\n 2]\nformat = "a" # yes\n'
    assert usager.exporters.get("toml").comments(text) == (1, 6, 8)  # type: ignore[attr-defined]


def test_the_example_round_trips(tmp_path: Path) -> None:
    """The media library example reads back from its TOML file."""
    assert load(dump(mediatheque(), tmp_path / "m.toml")) == mediatheque()


def test_a_single_table_where_a_list_goes_says_to_double_the_brackets() -> None:
    """[brakes] where [[brakes]] was meant gets the TOML way to write a list of elements."""
    error = refused('format = "usager/2"\nname = "x"\n\n[brakes]\nid = "b"\n')
    assert (
        str(error) == "mine.toml:4:1: $.brakes: expected an array, found an object: each element is a [[brakes]] table"
    )


def test_an_integer_too_long_to_convert_is_a_load_error() -> None:
    """An integer of 5,000 digits is refused with a LoadError, not Python's ValueError."""
    text = usager.dumps(usager.Canvas.standard("x"), "toml")
    text = text.replace('name = "x"', 'name = "x"\nseverity = ' + "9" * 5000)
    with pytest.raises(usager.LoadError, match="more than 4300 digits"):
        usager.loads(text, "toml")
