"""Generated code shows its source: in tracebacks, to inspect, to a debugger."""

from __future__ import annotations

import inspect
import linecache
import traceback

import pytest

import usager
from usager._generated import generate
from usager.examples import mediatheque


def test_a_traceback_through_generated_code_shows_its_lines() -> None:
    from usager._fastjson import _BUILDERS

    build = _BUILDERS["brakes"]
    with pytest.raises(AttributeError) as info:
        build(object(), [])
    shown = "".join(traceback.format_exception(info.value))
    assert 'File "<usager generated fast-path build Brake>", line 3, in build' in shown
    assert "    v = s.id\n" in shown
    assert "<string>" not in shown


def test_every_generator_names_its_code() -> None:
    """The JSON fast path, the JSON writer, the document builder and the CSV readers each register theirs."""
    canvas = mediatheque()
    usager.loads(usager.dumps(canvas, "json"), "json")
    usager.loads(usager.dumps(canvas, "csv"), "csv")
    usager.to_dict(canvas)
    names = [name for name in linecache.cache if name.startswith("<usager generated ")]
    for family in ("fast-path build Brake", "JSON write Brake", "document Brake", "CSV read Brake", "CSV read canvas"):
        assert any(name.startswith(f"<usager generated {family}") for name in names), family
    for name in names:
        assert linecache.getlines(name), name


def test_inspect_reads_the_source_and_a_second_source_of_one_name_gets_its_own() -> None:
    first = generate("def f():\n    return 1\n", "f", "test f", {})
    second = generate("def f():\n    return 2\n", "f", "test f", {})
    again = generate("def f():\n    return 1\n", "f", "test f", {})
    assert inspect.getsource(first) == "def f():\n    return 1\n"
    assert inspect.getsource(second) == "def f():\n    return 2\n"
    assert first.__code__.co_filename == again.__code__.co_filename == "<usager generated test f>"
    assert second.__code__.co_filename == "<usager generated test f #2>"
    linecache.checkcache()  # what pdb and traceback call: the entries stay
    assert inspect.getsource(second) == "def f():\n    return 2\n"
