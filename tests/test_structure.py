"""The structure that makes a new element type cheap: one record per element list, read everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import usager
from usager import Brake, Canvas, Contribution, Experience, Persona, Stage
from usager._fields import Kind, specs
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, TYPE_NAMED, TYPE_OF

SRC = Path(usager.__file__).resolve().parent


def test_each_element_list_has_one_record_derived_from_the_canvas() -> None:
    lists = [(f.name, s.element) for f, s in specs(Canvas) if s.kind is Kind.ELEMENTS]
    assert [(t.list, t.cls) for t in ELEMENT_TYPES] == lists == list(ELEMENT_LISTS)
    assert TYPE_OF[Brake].name == "brake"
    assert TYPE_NAMED["contribution"].cls is Contribution
    assert (TYPE_OF[Persona].label, TYPE_OF[Brake].label, TYPE_OF[Contribution].label) == ("name", "label", "title")
    assert TYPE_OF[Experience].label is None
    assert {t.name: t.since for t in ELEMENT_TYPES if t.since > 1} == {"experience": 2, "metric": 2, "contribution": 2}


def test_of_kind_is_the_typed_list() -> None:
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="discovery"))
    assert canvas.of_kind(Brake) == canvas.brakes
    assert canvas.of_kind(Stage) == canvas.stages
    with pytest.raises(TypeError, match="of_kind\\(\\) takes an element class such as Brake"):
        canvas.of_kind(int)  # type: ignore[type-var]


def test_no_module_derives_an_element_type_name_itself() -> None:
    """The type name comes from the record alone: nowhere else is a class name lowered."""
    derived = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "lower"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "__name__"
            ):
                derived.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert len(derived) == 1, derived
    assert derived[0].startswith("canvas.py:"), derived


def test_the_exporter_hooks_are_declared_protocols() -> None:
    """Each built-in's optional members are found by isinstance on the declared protocols."""
    from usager import exporters

    hooks = {
        name: tuple(
            proto.__name__
            for proto in (exporters.HasOptions, exporters.Loader, exporters.Locating, exporters.Commenting)
            if isinstance(exporters.get(name), proto)
        )
        for name in ("json", "csv", "yaml", "toml", "dot", "svg", "markdown", "html")
    }
    assert hooks == {
        "json": ("HasOptions", "Loader", "Locating"),
        "csv": ("HasOptions", "Loader", "Locating"),
        "yaml": ("Loader", "Locating", "Commenting"),
        "toml": ("Loader", "Locating", "Commenting"),
        "dot": ("HasOptions",),
        "svg": ("HasOptions",),
        "markdown": ("HasOptions",),
        "html": ("HasOptions",),
    }


def test_the_command_line_works_out_formats_only_through_io() -> None:
    """cli.py never reads a format from a suffix, nor an exporter's hook, by itself."""
    source = (SRC / "cli.py").read_text(encoding="utf-8")
    for forbidden in ("name_for_path", 'getattr(exporter, "options"', '"locator"', '"comments"'):
        assert forbidden not in source, forbidden
