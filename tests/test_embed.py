from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import jsonschema
import pydantic
import pytest
from hypothesis import given

import usager
from usager import Brake, Canvas, LoadError
from usager.examples import complete
from usager.strategies import any_canvases


@given(any_canvases())
def test_to_dict_is_the_json_document(canvas: Canvas) -> None:
    """to_dict gives exactly what json.loads gives for the JSON export."""
    assert usager.to_dict(canvas) == json.loads(usager.dumps(canvas, "json"))


@given(any_canvases())
def test_from_dict_reads_to_dict_back(canvas: Canvas) -> None:
    """from_dict(to_dict(c)) == c for every canvas, consistent or not."""
    assert usager.from_dict(usager.to_dict(canvas)) == canvas


def test_from_dict_is_as_strict_as_json() -> None:
    """Every problem is reported with its $ path, as the JSON loader reports it (which lists them by line)."""
    document = usager.to_dict(complete())
    document["brakes"][0]["severity"] = "3"
    document["bogus"] = 1
    with pytest.raises(LoadError) as info:
        usager.from_dict(document)
    assert [p.where for p in info.value.problems] == ["$.bogus", "$.brakes[0].severity"]
    with pytest.raises(LoadError) as json_info:
        usager.loads(json.dumps(document), "json")
    assert sorted((repr(p.path), p.message) for p in json_info.value.problems) == sorted(
        (repr(p.path), p.message) for p in info.value.problems
    )


def test_from_dict_takes_any_mapping_at_the_top() -> None:
    """A read-only mapping is a document too; inside, objects are dicts as JSON gives them."""
    document: Mapping[str, Any] = MappingProxyType(usager.to_dict(complete()))
    assert usager.from_dict(document) == complete()


def test_from_dict_refuses_a_non_mapping() -> None:
    """A list is not a canvas: LoadError at $."""
    with pytest.raises(LoadError, match=r"^\$: expected an object \(the canvas\), found an array$"):
        usager.from_dict([])  # type: ignore[arg-type]


def test_to_dict_refuses_what_is_not_a_canvas() -> None:
    """to_dict names what it was given instead."""
    with pytest.raises(TypeError, match="to_dict\\(\\) takes a Canvas, not dict"):
        usager.to_dict({})  # type: ignore[arg-type]


class Model(pydantic.BaseModel):
    title: str
    canvas: Canvas


def test_a_canvas_is_a_pydantic_field() -> None:
    """A model validates the document into a Canvas and dumps it back as the document."""
    document = usager.to_dict(complete())
    model = Model(title="t", canvas=document)  # type: ignore[arg-type]
    assert model.canvas == complete()
    assert model.model_dump() == {"title": "t", "canvas": document}
    assert Model.model_validate_json(model.model_dump_json()) == model


def test_a_pydantic_field_takes_a_canvas_as_is() -> None:
    """A Canvas value is accepted unchanged (Python mode)."""
    assert Model(title="t", canvas=complete()).canvas is not None


def test_pydantic_errors_carry_each_problem_at_its_location() -> None:
    """Each problem is one pydantic error, located inside the field, with usager's message."""
    document = usager.to_dict(complete())
    document["brakes"][0]["stage"] = None
    with pytest.raises(pydantic.ValidationError) as info:
        Model(title="t", canvas=document)  # type: ignore[arg-type]
    errors = info.value.errors(include_url=False)
    assert [(e["loc"], e["msg"], e["input"]) for e in errors] == [
        (("canvas", "brakes", 0, "stage"), "expected an id (a string), found null", None)
    ]


def test_the_pydantic_json_schema_is_usagers() -> None:
    """The field refers to one Canvas definition, usager's own schema with its definitions inlined."""
    schema = Model.model_json_schema()
    assert schema["properties"]["canvas"] == {"$ref": "#/$defs/Canvas"}
    field = schema["$defs"]["Canvas"]
    assert field["required"] == ["format", "name"]
    assert field["additionalProperties"] is False
    assert "$ref" not in json.dumps(field)
    assert field["properties"]["brakes"]["items"]["properties"]["severity"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 3,
        "default": 2,
        "title": "Severity",
        "description": "How badly it holds the user back: 1 (mild) to 3 (blocking).",
    }


def test_the_json_schema_accepts_the_document() -> None:
    """The schema pydantic shows validates a real document."""
    field = Model.model_json_schema()["$defs"]["Canvas"]
    jsonschema.Draft202012Validator(field).validate(usager.to_dict(complete()))


def test_importing_usager_imports_neither_cattrs_nor_pydantic() -> None:
    """The embedding hooks are lazy: a bare import loads neither library."""
    code = "import sys, usager; print(sorted(m for m in ('cattrs', 'pydantic', 'pydantic_core') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_brake_alone_is_not_a_canvas() -> None:
    """Brake documents are refused where a canvas is expected, naming the missing keys."""
    with pytest.raises(pydantic.ValidationError, match="missing required key 'format'"):
        Model(title="t", canvas=usager.converter.unstructure(Brake(id="b", label="B", stage="s")))  # type: ignore[arg-type]
