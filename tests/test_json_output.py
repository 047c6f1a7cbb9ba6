"""The JSON writer's output is pinned: byte for byte what the dict-based writer wrote before it."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import Canvas, dumps, load
from usager._document import to_document, to_fields
from usager.examples import mediatheque
from usager.exporters.json import _number

from .strategies import canvases

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


def previous(canvas: Canvas, indent: int | None) -> str:
    """What the writer wrote before elements became Structs: one dict per element, then msgspec."""
    encoded = msgspec.json.Encoder().encode(to_fields(canvas, number=_number))
    return msgspec.json.format(encoded, indent=indent or 0).decode("utf-8") + "\n"


@given(canvases(), st.sampled_from([2, None, 0, 4]))
def test_the_output_is_what_the_dict_based_writer_wrote(canvas: Canvas, indent: int | None) -> None:
    """For any canvas and indentation, dumps writes the same bytes as the writer it replaced."""
    assert dumps(canvas, "json", indent=indent) == previous(canvas, indent)


@given(canvases())
def test_the_output_is_what_json_dumps_writes(canvas: Canvas) -> None:
    """The indented output is the standard library's json.dumps of the document, two spaces, non-ASCII kept."""
    expected = json.dumps(to_document(canvas), indent=2, ensure_ascii=False) + "\n"
    assert dumps(canvas, "json").encode("utf-8", "surrogatepass") == expected.encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_are_written_as_before(path: Path) -> None:
    """Each example canvas, indented and on one line, is written as the dict-based writer wrote it."""
    canvas = load(path)
    for indent in (2, None):
        assert dumps(canvas, "json", indent=indent) == previous(canvas, indent)


def test_the_built_in_example_is_written_as_before() -> None:
    """The library's own example canvas is written as the dict-based writer wrote it."""
    assert dumps(mediatheque(), "json") == previous(mediatheque(), 2)
