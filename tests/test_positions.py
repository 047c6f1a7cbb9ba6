"""Every problem of a JSON, YAML or TOML text carries its line and column, and the element concerned."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from usager import LoadError, Problem, check, loads

from .profiles import examples
from .strategies import mutated_documents


def refused(text: str, fmt: str = "json", source: str | None = "c.json") -> LoadError:
    with pytest.raises(LoadError) as info:
        loads(text, fmt, source=source)
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ('{"a": [1, 2,\n]}', 1, 12, "trailing comma before ']': remove the comma after the last item"),
        ('{\n  "a": 1,\n}', 2, 9, "trailing comma before '}': remove the comma after the last item"),
        ('{"a": 1\n "b": 2}', 2, 2, "missing comma: items are separated by ','"),
        ("[1\n 2]", 2, 2, "missing comma: items are separated by ','"),
        (
            '{"a": "x\n}',
            1,
            7,
            "unclosed string: the closing '\"' is missing (a line break inside a text is written \\n)",
        ),
        ('{"a": 1', 1, 8, "unclosed object: the '{' at line 1, column 1 has no matching '}'"),
        ("[1, 2", 1, 6, "unclosed array: the '[' at line 1, column 1 has no matching ']'"),
        ('{"a": tru}', 1, 7, "'tru' is not a JSON value: text needs double quotes"),
        (
            '{"a": True}',
            1,
            7,
            "'True' is not a JSON value: text needs double quotes (true, false and null are written in lower case)",
        ),
        ("{'a': 1}", 1, 2, 'a single quote: JSON keys take double quotes (")'),
        ("{\"a\": 'x'}", 1, 7, 'a single quote: JSON strings take double quotes (")'),
        ("{a: 1}", 1, 2, 'a key without quotes: JSON keys take double quotes ("key": ...)'),
        ('{"a": 1 // note\n}', 1, 9, "a comment: JSON allows none (a .yaml or .toml canvas may have comments)"),
        ('{"a" 1}', 1, 6, "missing ':' after the key 'a'"),
        ('{"a": 007}', 1, 7, 'a number may not start with 0 (text such as "007" takes quotes)'),
        ('{"a": "\\q"}', 1, 8, "invalid escape '\\q': a backslash is written \\\\"),
        ('{"a": 1}}', 1, 9, "more text after the end of the document (a second value?)"),
        ('{"a": [1,, 2]}', 1, 10, "a comma where an item was expected (two commas in a row?)"),
        ('{"a": 1,, "b": 2}', 1, 9, "a comma where a key was expected (two commas in a row?)"),
    ],
)
def test_json_syntax_errors_are_named_in_words_at_their_place(text: str, line: int, column: int, reason: str) -> None:
    """A JSON syntax error says what is wrong in words a person reads, at the right line and column."""
    error = refused(text)
    assert [(p.line, p.column, p.message) for p in error.problems] == [(line, column, f"not valid JSON: {reason}")]
    assert str(error) == f"c.json:{line}:{column}: not valid JSON: {reason}"


def test_a_problem_names_the_element_by_its_id() -> None:
    """A problem inside an element whose id is known names the element."""
    text = (
        '{"format": "usager/2", "name": "x", "brakes": [{"id": "jargon", "label": "J", "stage": "s", "severity": 9}]}'
    )
    (problem,) = refused(text).problems
    assert problem.element == "brake 'jargon'"
    column = text.index("9") + 1
    assert str(problem) == (
        f"1:{column}: brake 'jargon', $.brakes[0].severity: "
        "expected 1, 2 or 3 (3 = blocks the user), found the number 9"
    )


def test_a_problem_of_a_csv_cell_keeps_its_words() -> None:
    """A CSV place is said in words: no line:column prefix is added to it."""
    problem = Problem("row 4, column 'stage' (F)", "no such stage", line=4, column=6)
    assert (problem.position, str(problem)) == (None, "row 4, column 'stage' (F): no such stage")


def test_several_problems_each_start_with_the_file_and_position() -> None:
    """With several problems, each line starts with file:line:column, as editors and compilers print them."""
    text = '{\n  "format": "usager/2",\n  "name": 3,\n  "typo": 1\n}'
    assert str(refused(text)).splitlines() == [
        "c.json: 2 problems:",
        "  c.json:3:11: $.name: expected a string, found the number 3",
        "  c.json:4:3: $.typo: unknown key 'typo'; the keys here are: $schema, format, name, description, language, "
        "personas, usagers, stages, brakes, facilitators, activities, resources, partners, experiences, metrics, "
        "contributions",
    ]


def test_a_misspelt_required_key_is_one_problem() -> None:
    """A misspelt required key is reported once, as an unknown key with the suggestion, not also as missing."""
    text = '{"format": "usager/2", "name": "x", "stages": [{"id": "s", "knid": "usage"}]}'
    assert [p.message.split(";")[0] for p in refused(text).problems] == ["unknown key 'knid' (did you mean 'kind'?)"]


# The same canvas, with the same hand mistakes, in the three formats: a typo in a key, a wrong-case
# enum value, a quoted number, a key given twice.
SAME_JSON = """\
{
  "format": "usager/2",
  "name": "Repair café",
  "stages": [
    {"id": "usage", "kind": "Usage"}
  ],
  "brakes": [
    {
      "id": "queue",
      "lable": "Long wait",
      "stage": "usage",
      "severity": "3",
      "stage": "usage"
    }
  ]
}
"""
SAME_YAML = """\
format: usager/2
name: Repair café
stages:
  - id: usage
    kind: Usage
brakes:
  - id: queue
    lable: Long wait
    stage: usage
    severity: "3"
    stage: usage
"""
SAME_TOML = """\
format = "usager/2"
name = "Repair café"

[[stages]]
id = "usage"
kind = "Usage"

[[brakes]]
id = "queue"
lable = "Long wait"
stage = "usage"
severity = "3"
"""


@pytest.mark.parametrize(("fmt", "text"), [("json", SAME_JSON), ("yaml", SAME_YAML), ("toml", SAME_TOML)])
def test_the_same_mistakes_give_the_same_problems_in_every_format(fmt: str, text: str) -> None:
    """A canvas with the same mistakes gives the same problems in JSON, YAML and TOML, each on its mistake's line."""
    error = refused(text, fmt)
    lines = text.splitlines()
    found = {(p.where, p.message) for p in error.problems}
    expected = {
        ("$.stages[0].kind", "expected one of 'discovery', 'first_experience', 'purchase', 'usage', "
         "'extended_usage', 'prescription', 'custom', found the string 'Usage'; did you mean 'usage'?"),
        ("$.brakes[0].lable", "unknown key 'lable' (did you mean 'label'?); the keys here are: id, label, stage, "
         "description, kind, personas, severity, evidence, tags, suppress"),
        ("$.brakes[0].severity", "expected 1, 2 or 3 (3 = blocks the user), found the string '3'; "
         "write it without quotes: 3"),
    }  # fmt: skip
    if fmt != "toml":  # TOML refuses a key given twice before anything else; see the next test
        expected.add(("$.brakes[0].stage", "this key appears more than once in the object; keep one"))
    assert found == expected
    for problem in error.problems:
        assert problem.line is not None
        assert problem.column is not None
        words = {"kind": "Usage", "lable": "lable", "severity": "3", "stage": "stage"}[str(problem.path[-1])]
        here = lines[problem.line - 1][problem.column - 1 :].lstrip('"')
        assert here.startswith(words), (problem, here)


def test_toml_names_a_key_given_twice_like_json() -> None:
    """TOML refuses a key given twice as a syntax error; usager says it as JSON does, at the second key."""
    text = SAME_TOML + 'stage = "usage"\n'
    (problem,) = refused(text, "toml").problems
    assert (problem.where, problem.message, problem.line, problem.column) == (
        "$.brakes[0].stage",
        "this key appears more than once in the object; keep one",
        13,
        1,
    )


def test_a_label_where_an_id_goes_gives_the_same_finding_in_every_format() -> None:
    """A stage's label in place of its id loads in every format, and check reports the same finding."""
    texts = {
        "json": '{"format": "usager/2", "name": "R", "stages": [{"id": "usage", "kind": "usage"}],\n'
        '"brakes": [{"id": "queue", "label": "Long wait", "stage": "Utilisation"}]}',
        "yaml": "format: usager/2\nname: R\nstages:\n  - id: usage\n    kind: usage\nbrakes:\n"
        "  - id: queue\n    label: Long wait\n    stage: Utilisation\n",
        "toml": 'format = "usager/2"\nname = "R"\n[[stages]]\nid = "usage"\nkind = "usage"\n'
        '[[brakes]]\nid = "queue"\nlabel = "Long wait"\nstage = "Utilisation"\n',
    }
    findings = {fmt: [str(f) for f in check(loads(text, fmt)) if f.code == "U002"] for fmt, text in texts.items()}
    assert findings["json"] == findings["yaml"] == findings["toml"]
    assert len(findings["json"]) == 1


def _value_at(document: Any, path: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]]:
    """The value at the longest prefix of ``path`` that is in ``document``, and that prefix."""
    value, steps = document, []
    for step in path:
        if (isinstance(value, dict) and step in value) or (
            isinstance(value, list) and type(step) is int and step < len(value)
        ):
            value = value[step]
            steps.append(step)
        else:
            break
    return value, tuple(steps)


@settings(max_examples=examples(150))
@given(mutated_documents())
def test_every_json_problem_points_at_its_key_or_value(document: dict[str, Any]) -> None:
    """In any refused JSON document, each problem's line and column are those of its key or of its value."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    try:
        loads(text, "json")
    except LoadError as exc:
        lines = text.split("\n")
        for problem in exc.problems:
            assert problem.line is not None, problem
            assert problem.column is not None, problem
            here = lines[problem.line - 1][problem.column - 1 :]
            value, steps = _value_at(document, problem.path)
            starts = [json.dumps(value, ensure_ascii=False)[:1]]
            if steps and isinstance(steps[-1], str):
                starts.append(json.dumps(steps[-1], ensure_ascii=False))
            if len(steps) < len(problem.path) and isinstance(problem.path[len(steps)], str):
                starts.append(json.dumps(problem.path[len(steps)], ensure_ascii=False))
            assert any(here.startswith(s) for s in starts), (problem, here[:40], starts)


@settings(max_examples=examples(100))
@given(mutated_documents())
def test_every_yaml_problem_has_a_place_in_the_text(document: dict[str, Any]) -> None:
    """A document written by another YAML tool and refused gives each problem a line and column inside the text."""
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    try:
        loads(text, "yaml")
    except LoadError as exc:
        lines = text.split("\n")
        for problem in exc.problems:
            assert problem.line is not None, problem
            assert problem.column is not None, problem
            assert 1 <= problem.line <= len(lines)
            assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1


def test_a_valid_document_is_never_scanned_again() -> None:
    """The position scanner runs only when a document is refused: reading good JSON never imports it."""
    script = (
        "import sys, usager\n"
        'usager.loads(\'{"format": "usager/2", "name": "a\\\\u003ab"}\', \'json\')\n'
        "print('usager.exporters._formats.jsontext' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"


def test_problems_are_listed_in_document_order() -> None:
    """An unknown key found first but written later is listed after the value written before it."""
    text = (
        'format: usager/2\nname: n\nbrakes:\n  - id: b\n    stage: s\n    label: L\n    severity: "3"\n    lable: x\n'
    )
    error = refused(text, "yaml", "c.yaml")
    assert [(p.line, p.column) for p in error.problems] == [(7, 15), (8, 5)]


def test_problems_without_a_position_follow_in_the_order_found() -> None:
    """A LoadError sorts by line and column; problems with no line keep their order, after the others."""
    problems = [Problem("b", "x"), Problem("$.z", "y", line=9, column=2), Problem("a", "z"), Problem("$", "w", line=2)]
    assert [p.where for p in LoadError(problems).problems] == ["$", "$.z", "b", "a"]
