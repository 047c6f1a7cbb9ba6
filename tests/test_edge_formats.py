"""Reading TOML, YAML and the JSON Schema at their edges: cut texts, deep nesting, YAML 1.2's characters."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import jsonschema
import pytest
import yaml

import usager
from usager import Canvas, LoadError, Persona
from usager._document import VERSION, from_document
from usager._schema import json_schema
from usager.cli import main
from usager.exporters import toml as toml_exporter
from usager.exporters.toml import TomlExporter
from usager.exporters.yaml import YamlExporter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The start of a TOML canvas: what comes after it is what a test is about.
TOML_START = 'format = "usager/2"\nname = "x"\n'


@contextlib.contextmanager
def finishing_within(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block runs longer than ``seconds``."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        pytest.skip("needs SIGALRM")

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused(text: str, name: str) -> LoadError:
    """The error loading ``text`` as ``name`` raises (within seconds: it took forever)."""
    with finishing_within(10), pytest.raises(LoadError) as caught:
        usager.loads(text, name)
    return caught.value


# ---------------------------------------------------------------- TOML: texts cut short


@pytest.mark.parametrize(
    "rest",
    ["[x\n", "[[x\n", "'x", "[x.y\n", "[x]\n[[y\n", "b.'c = 1\n", "b = {'c = 1}\n", "b = [}\n", "[x"],
)
def test_a_key_given_twice_then_a_text_cut_short_is_refused_where_the_key_is(rest: str) -> None:
    """The scanner that finds the key given twice ends on an unclosed '[', '[[' or quote."""
    error = refused("a = 1\na = 2\n" + rest, "toml")
    (problem,) = error.problems
    assert (problem.line, problem.column) == (2, 1)
    assert "more than once" in problem.message


def test_the_toml_scanner_ends_on_any_text_cut_short() -> None:
    """Every prefix of a TOML text, after a key given twice, is refused with a line and a column."""
    text = TOML_EXAMPLE
    with finishing_within(60):
        for end in range(len(text)):
            with pytest.raises(LoadError) as caught:
                usager.loads("a = 1\na = 2\n" + text[:end], "toml")
            assert all(problem.line is not None for problem in caught.value.problems), text[:end]


TOML_EXAMPLE = (
    TOML_START
    + """description = \"\"\"
Deux [lignes]
de 'texte' {.}
\"\"\"

[[personas]]
id = "p"
name = 'L.[é]'
goals = ["a", "b.c", 'd]']
"sub.key" = { a = [1, [2]], 'b' = "c" }

[[stages]]
id = "s"
kind = "usage"
"""
)


# ---------------------------------------------------------------- TOML: nesting


def _levels(depth: int) -> str:
    return "a" + ".a" * (depth - 1)


@pytest.mark.parametrize(
    ("rest", "line", "column"),
    [
        (_levels(100_000) + " = 1\n", 3, 2000),  # the dot that opens level 1001
        ("[" + _levels(100_000) + "]\n", 3, 1999),
        ("[[" + _levels(100_000) + "]]\n", 3, 1998),
        ("x = " + "[" * 100_000 + "]" * 100_000 + "\n", 3, 1004),
        ("x = " + "{a = " * 100_000 + "1" + "}" * 100_000 + "\n", 3, 5000),
        ("[" + _levels(500) + "]\n" + _levels(500) + " = [[1]]\n", 4, 1003),
    ],
    ids=["dotted key", "table header", "list header", "inline arrays", "inline tables", "all together"],
)
def test_toml_nested_too_deeply_is_refused_before_it_is_parsed(
    rest: str, line: int, column: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dotted key 100,000 keys deep is refused at once (tomllib takes time and memory in its square)."""

    def parse(text: str) -> Any:
        raise AssertionError("a text too deep reached tomllib")

    monkeypatch.setattr(toml_exporter.tomllib, "loads", parse)
    (problem,) = refused(TOML_START + rest, "toml").problems
    assert (problem.line, problem.column) == (line, column)
    assert "more than 1000 levels deep" in problem.message
    assert TomlExporter().comments(TOML_START + rest) == ()


def test_toml_as_deep_as_the_limit_is_read() -> None:
    """1000 levels are not too many: the text is read, and refused for its unknown key only."""
    (problem,) = refused(TOML_START + _levels(1000) + " = 1\n", "toml").problems
    assert "unknown key 'a'" in problem.message


def test_toml_arrays_too_deep_for_the_stack_are_refused_where_they_go_deepest() -> None:
    """Inline arrays under the limit but too deep for tomllib's recursion: the error still says where."""
    (problem,) = refused(TOML_START + "x = " + "[" * 900 + "]" * 900 + "\n", "toml").problems
    assert "nested too deeply" in problem.message
    assert (problem.line, problem.column) == (3, 904)


def test_the_toml_scanner_reads_a_deep_header_in_linear_time() -> None:
    """A header 200,000 keys deep: the position scanner walks it once (it took minutes)."""
    text = TOML_START + "[" + _levels(200_000) + "]\nb = 1\n"
    with finishing_within(30):
        locate = TomlExporter().locator(text)
        assert locate(("a",) * 200_000 + ("b",), True) == (4, 1)


# ---------------------------------------------------------------- YAML: comments


def test_fmt_finds_the_comments_of_a_yaml_file_in_linear_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """6,000 personas whose texts hold '#': fmt finds the one comment in one pass (it took minutes), and keeps it."""
    personas = [
        Persona(id=f"p{i}", name=f"P #{i}", description=f"#{i}: see #{i + 1}\nand # here #", goals=(f"goal #{i}", "#t"))
        for i in range(6000)
    ]
    path = tmp_path / "many.yaml"
    canvas = Canvas(name="x", personas=personas)
    path.write_text(usager.dumps(canvas, "yaml") + "# the end\n", encoding="utf-8")
    with finishing_within(30):
        code = main(["fmt", str(path)])
    assert code == 0
    written = usager.dumps(canvas, "yaml", defaults="omit", layout="compact")
    assert path.read_text(encoding="utf-8") == written + "\n# the end\n"


# ---------------------------------------------------------------- YAML: the characters of YAML 1.2

YAML_START = "format: usager/2\nname: x\n"


@pytest.fixture(params=["libyaml", "pyyaml"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each YAML reader in turn: libyaml's (when PyYAML has it), then PyYAML's own."""
    if request.param == "pyyaml":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):  # pragma: no cover - PyYAML built without libyaml
        pytest.skip("PyYAML has no libyaml")
    return str(request.param)


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("a\u2028", "a\u2028"),  # LS ends a plain scalar: no line break in YAML 1.2
        ("a\u2028b", "a\u2028b"),
        ("a\x85b", "a\x85b"),  # NEL too
        ("'a\u2029b'", "a\u2029b"),
        ('"a\x85b"', "a\x85b"),  # NEL in quotes: not folded into a space
        ('"a\x80b\x9fc"', "a\x80b\x9fc"),  # C1 controls, as they are, in double quotes
        ("'a\x80b'", "a\x80b"),
        ('"a\x7fb"', "a\x7fb"),
        ('"\ue000\u2028\ue001"', "\ue000\u2028\ue001"),  # private-use characters beside them
        ("|\n  \tindented\n  not\n", "\tindented\nnot\n"),  # a tab after a literal block's indentation
        ("|\n  first\n  \tindented\n", "first\n\tindented\n"),
        (">\n  \tkept\n  a\n  b\n", "\tkept\na b\n"),
    ],
)
def test_yaml_is_read_with_the_characters_of_yaml_1_2(yaml_loader: str, written: str, text: str) -> None:
    """NEL, LS and PS are no line breaks, C1 controls stand in quotes, a block's line may start with a tab."""
    canvas = usager.loads(f"{YAML_START}description: {written}\nlanguage: en\n", "yaml")
    assert canvas.description == text


@pytest.mark.parametrize(
    ("written", "position", "char"),
    [("a\x80b", "3:15", "0080"), ("a # c\x9a", "3:19", "009A"), ("a\x7f", "3:15", "007F")],
)
def test_a_c1_control_outside_quotes_is_refused_where_it_stands(
    yaml_loader: str, written: str, position: str, char: str
) -> None:
    """YAML 1.2 takes C1 controls inside quotes only: elsewhere the error says where, and to quote the text."""
    error = refused(f"{YAML_START}description: {written}\n", "yaml")
    assert str(error).startswith(f"{position}: not valid YAML: the character U+{char} may stand in a YAML file only")
    assert "put the text in double quotes" in str(error)


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_positions_after_nel_ls_and_ps_count_lines_as_yaml_1_2(yaml_loader: str, char: str) -> None:
    """A line after one holding NEL, LS or PS is the next line, not one further."""
    error = refused(f'{YAML_START}description: "a{char}b"\nname: y {char}\nlable: z\n', "yaml")
    assert [str(p).split(":")[:2] for p in error.problems] == [["4", "1"], ["5", "1"]]


def test_a_tab_at_the_start_of_a_block_line_is_still_refused_where_it_indents(yaml_loader: str) -> None:
    """A tab in place of a block's indentation is refused as before, with the advice to use spaces."""
    error = refused(f"{YAML_START}description: |\n\tcode\n", "yaml")
    assert str(error) == "4:1: not valid YAML: a tab: YAML indents with spaces only; replace the tab with spaces"


def test_the_comments_of_yaml_1_2_are_found(yaml_loader: str) -> None:
    """A '#' after LS is text, a '#' in a block after a tab is text: only the real comment is found."""
    text = f"{YAML_START}description: a\u2028# text\npersonas: []  # a comment\nlanguage: |\n  \tx # text\n"
    assert YamlExporter().comments(text) == (4,)


@pytest.mark.parametrize("text", ["a\u2028", "\x85", "a\x85b\u2029", "x\x80y\x9f", "\x7f", "\ufffe\uffff", "\tb\nc\n"])
def test_what_is_written_for_these_characters_reads_back_the_same(yaml_loader: str, text: str) -> None:
    """The writer escapes what YAML 1.1 and 1.2 read otherwise, and the text reads back as it was."""
    canvas = Canvas(name="n", description=text, personas=[Persona(id="p", name="n", description=text, goals=(text,))])
    written = usager.dumps(canvas, "yaml")
    assert usager.loads(written, "yaml") == canvas
    assert yaml.safe_load(written)["description"] == text


def test_yaml_errors_name_the_characters_of_the_text(yaml_loader: str) -> None:
    """A message naming a character names the one in the text (LS here), whatever the reader read."""
    error = refused(f"{YAML_START}description: &a\u2028 x\n", "yaml")
    assert str(error).startswith("3:16: not valid YAML: while scanning an anchor")  # at the LS
    assert "\\ue" not in str(error)
    assert "\ue000" not in str(error)
    if yaml_loader == "pyyaml":
        assert str(error).endswith("but found '\\u2028'")


# ---------------------------------------------------------------- the JSON Schema in other engines

ROOT = Path(__file__).parent.parent
SCHEMA_FILE = ROOT / "docs" / f"usager-{VERSION}.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _validators() -> dict[str, Any]:
    """The schema's validators: Python's ``jsonschema``, and ``jsonschema-rs`` with each Rust regex engine."""
    import jsonschema_rs  # the test extra has it: a Rust-engine validator, as editors use

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return {
        "jsonschema": jsonschema.Draft202012Validator(schema),
        # fancy-regex; then the regex crate, which taplo's validator uses too (no lookaround)
        "jsonschema-rs": jsonschema_rs.validator_for(schema),
        "jsonschema-rs, regex": jsonschema_rs.validator_for(schema, pattern_options=jsonschema_rs.RegexOptions()),
    }


def test_the_committed_schema_is_the_one_usager_makes() -> None:
    """docs/usager-2.schema.json is what ``usager schema`` writes today."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_examples_are_valid_in_python_and_in_rust(example: Path) -> None:
    """Each example, as JSON and as the TOML an editor checks (taplo), is valid for each validator."""
    canvas = usager.load(example)
    documents = {
        "json": json.loads(example.read_text(encoding="utf-8")),
        "toml": tomllib.loads(usager.dumps(canvas, "toml")),
        "yaml": yaml.safe_load(usager.dumps(canvas, "yaml")),
    }
    for name, validator in _validators().items():
        for kind, document in documents.items():
            assert validator.is_valid(document), (name, kind)


@pytest.mark.parametrize(
    ("key", "value"),
    [("name", "a\x00b"), ("name", " \t\u3000"), ("name", ""), ("description", "\x00")],
)
def test_every_validator_refuses_what_the_loader_refuses_in_text(key: str, value: str) -> None:
    """NUL is never text and a name is never blank, in Python and in Rust alike."""
    document = {"format": "usager/2", "name": "x", key: value}
    with pytest.raises(LoadError):
        from_document(document)
    for name, validator in _validators().items():
        assert not validator.is_valid(document), name


@pytest.mark.parametrize(
    ("written", "right"),
    [({"id": "p\n"}, {"id": "p"}), ({"suppress": ["U020\n"]}, {"suppress": ["U020"]})],
    ids=["id", "rule code"],
)
def test_every_validator_refuses_an_id_or_a_code_ending_in_a_line_feed(
    written: dict[str, Any], right: dict[str, Any]
) -> None:
    """Python's $ matches before a final line feed; every validator refuses it all the same."""
    for element, valid in ((written, False), (right, True)):
        document = {"format": "usager/2", "name": "x", "partners": [{"id": "p", "label": "P", **element}]}
        assert _loader_reads(document) is valid
        for name, validator in _validators().items():
            assert validator.is_valid(document) is valid, name


def _loader_reads(document: dict[str, Any]) -> bool:
    try:
        from_document(document)
    except LoadError:
        return False
    return True
