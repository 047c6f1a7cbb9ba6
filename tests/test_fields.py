from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

import usager
from usager._fields import ID, LABEL, Kind, described, integer, spec_of, specs
from usager._graph import REFERENCES
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.examples import mediatheque

SRC = Path(usager.__file__).resolve().parent


def test_every_field_of_every_class_is_described() -> None:
    """Each element class and the canvas describe every field they take."""
    for cls in [cls for _, cls in ELEMENT_LISTS] + [Canvas]:
        assert [f.name for f, _ in specs(cls)] == [f.name for f in attrs.fields(cls) if f.init]


def test_a_field_without_a_description_is_refused_when_the_class_is_made() -> None:
    """A described class cannot hold a field that escapes the one description."""
    with pytest.raises(TypeError, match="'nickname' has no usager description"):

        @attrs.frozen(kw_only=True, field_transformer=described)
        class Bad:
            id: str = attrs.field(metadata=ID)
            nickname: str = attrs.field(default="")


def test_a_field_that_does_not_say_what_it_holds_is_refused_when_the_class_is_made() -> None:
    """Every field carries a sentence for people (the schema's descriptions come from it)."""
    with pytest.raises(TypeError, match=r"Bad\.label: say what the field holds"):

        @attrs.frozen(kw_only=True, field_transformer=described)
        class Bad:
            label: str = attrs.field(metadata=LABEL)


def test_a_described_field_may_not_bring_its_own_validator() -> None:
    """The validator comes from the description alone."""
    with pytest.raises(TypeError, match="the validator comes from the description"):

        @attrs.frozen(kw_only=True, field_transformer=described)
        class Bad:
            label: str = attrs.field(metadata=LABEL, validator=attrs.validators.instance_of(str))


def test_the_graph_references_come_from_the_descriptions() -> None:
    """REFERENCES lists exactly the reference fields, with the relation their description gives."""
    described_refs = [
        (cls.__name__, f.name, spec.relation)
        for _, cls in ELEMENT_LISTS
        for f, spec in specs(cls)
        if spec.kind in (Kind.REF, Kind.REFS)
    ]
    assert [(r.owner.__name__, r.field, r.relation) for r in REFERENCES] == described_refs
    assert ("Brake", "stage", "holds") in described_refs


def test_the_validator_reports_the_field_and_the_item() -> None:
    """A bad list item is named by its index, a bound by its range."""
    with pytest.raises(usager.ElementError, match=r"Persona\.goals\[1\]: expected a string, found the number 3"):
        usager.Persona(id="p", name="P", goals=["a", 3])  # type: ignore[list-item]
    with pytest.raises(
        usager.ElementError, match=r"Brake\.severity: expected 1, 2 or 3 \(3 = blocks the user\), found"
    ):
        usager.Brake(id="b", label="B", stage="s", severity=4)
    assert spec_of(attrs.fields(usager.Brake).severity).high == 3


def test_the_first_bad_field_in_order_is_the_one_reported() -> None:
    """With several bad fields, the error names the first of them in the class's order."""
    with pytest.raises(usager.ElementError, match=r"^Brake\.label: ") as info:
        usager.Brake(id="b", label=" ", stage="bad id!", severity=9)
    assert (info.value.owner, info.value.field) == ("Brake", "label")


def test_one_validator_checks_the_whole_element() -> None:
    """Each described class has one validator, on its last field, and attrs.validate still checks every field."""
    for _, cls in (*ELEMENT_LISTS, ("canvas", Canvas)):
        validators = [f.validator for f in attrs.fields(cls) if f.validator is not None]
        assert validators == [[f for f in attrs.fields(cls) if f.init][-1].validator]
    brake = usager.Brake(id="b", label="B", stage="s")
    with attrs.validators.disabled():
        bad = attrs.evolve(brake, stage="no good")
    with pytest.raises(usager.ElementError, match=r"^Brake\.stage: "):
        attrs.validate(bad)


def test_a_class_without_described_fields_gets_no_validator() -> None:
    """A class whose fields are all left out of ``__init__`` is made as it is."""

    @attrs.frozen(field_transformer=described)
    class Bare:
        count: int = attrs.field(init=False, default=0)

    assert attrs.fields(Bare).count.validator is None


# The one line a maintainer adds to give personas an age; nothing else in the sources changes.
NEW_FIELD = (
    "    age: int | None = attrs.field(default=None, metadata=about('Age in years.', integer(0, 150, optional=True)))\n"
)

NEW_FIELD_CHECK = textwrap.dedent(
    """
    import json
    import jsonschema
    from hypothesis import HealthCheck, Phase, settings
    import usager
    from usager import Persona, Canvas, Stage
    from usager._fastjson import fast_load
    from usager._schema import json_schema
    from usager.strategies import any_canvases, canvases

    canvas = Canvas(name="x", stages=[Stage(id="s", kind="usage")], personas=[Persona(id="p", name="P", age=42)])
    text = usager.dumps(canvas, "json")
    assert '"age": 42' in text, text
    assert usager.loads(text) == canvas
    assert fast_load(text.encode()) == canvas, "the fast path does not read the new field"
    csv = usager.dumps(canvas, "csv")
    assert "age" in csv.splitlines()[0]
    assert usager.loads(csv, "csv") == canvas
    schema = json_schema()
    assert schema["$defs"]["Persona"]["properties"]["age"] == {
        "title": "Age", "description": "Age in years.",
        "oneOf": [{"type": "integer", "minimum": 0, "maximum": 150}, {"type": "null"}], "default": None,
    }
    jsonschema.validate(json.loads(text), schema)
    try:
        usager.loads(text.replace('"age": 42', '"age": 200'))
    except usager.LoadError as exc:
        assert "$.personas[0].age: expected an integer from 0 to 150 or null, found the number 200" in str(exc), exc
    else:
        raise AssertionError("age 200 was accepted")
    from hypothesis import find

    quick = settings(database=None, max_examples=1000, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    for strategy in (any_canvases(), canvases()):
        find(strategy, lambda c: any(p.age is not None for p in c.personas), settings=quick)
    import pathlib
    for old in sorted(pathlib.Path("old").iterdir()):  # written before the field was: each still reads
        loaded = usager.load(old)
        assert loaded.personas and all(p.age is None for p in loaded.personas), old
    print("new field works everywhere")
    """
)


@pytest.mark.slow
def test_a_new_optional_field_needs_no_other_source_change(tmp_path: Path) -> None:
    """One line added to Persona works in JSON, the fast path, CSV, the schema and the strategies,
    and breaks no file written before it, in any format.
    """
    copy = tmp_path / "usager"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    elements = copy / "elements.py"
    source = elements.read_text(encoding="utf-8")
    anchor = "    digital_comfort: DigitalComfort | None = attrs.field("
    assert source.count(anchor) == 1
    source = source.replace(anchor, NEW_FIELD + anchor)
    assert "    integer,\n" in source, "elements.py imports the integer helper already: the field is the one line added"
    assert "    about,\n" in source, "elements.py imports the about helper already"
    elements.write_text(source, encoding="utf-8")
    (tmp_path / "old").mkdir()
    for suffix in ("json", "yaml", "toml", "csv"):  # files of every format written before the field was
        usager.dump(mediatheque(), tmp_path / "old" / f"mediatheque.{suffix}")
    result = subprocess.run(
        [sys.executable, "-c", NEW_FIELD_CHECK],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "", "USAGER_DISABLE_PLUGINS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "new field works everywhere" in result.stdout


def test_integer_helper_is_the_one_the_new_field_uses() -> None:
    """The helper named in the new-field test exists and describes a bounded optional integer."""
    spec = integer(0, 150, optional=True)["usager"]
    assert (spec.kind, spec.low, spec.high, spec.optional) == (Kind.INTEGER, 0, 150, True)
