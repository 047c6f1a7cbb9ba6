from __future__ import annotations

import random
from typing import Any

import pytest

import usager
from usager import Brake, Canvas, exporters
from usager.testing import assert_consistent, check_exporter

from .graphviz_tools import require_dot


def test_assert_consistent_passes_a_clean_canvas() -> None:
    """A canvas with only warnings passes unless strict."""
    canvas = Canvas.standard("x")
    assert_consistent(canvas)
    with pytest.raises(AssertionError, match="U030 warning"):
        assert_consistent(canvas, strict=True)


def test_assert_consistent_lists_every_finding() -> None:
    """The message lists the failing findings first, then the others, each with code and severity."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="Fear", stage="ghost"))
    with pytest.raises(AssertionError) as info:
        assert_consistent(canvas)
    message = str(info.value)
    assert message.startswith("canvas 'x' has 1 finding(s) among the errors:\n")
    assert "  U002 error: brake 'b' (Fear) names 'ghost' in stage, but no element has that id" in message
    assert "\nand " in message
    assert "  U030 warning: stage 'discovery' (Discovery) is supported by no activity" in message


def test_assert_consistent_takes_a_selection() -> None:
    """select and ignore narrow the rules, as in check."""
    canvas = Canvas.standard("x").add(Brake(id="b", label="Fear", stage="ghost"))
    assert_consistent(canvas, ignore="U002")
    assert_consistent(canvas, strict=True, select=["U01"])


@pytest.mark.parametrize("name", ["json", "csv", "dot"])
def test_the_text_exporters_conform(name: str) -> None:
    """Every built-in text exporter passes the conformance suite."""
    check_exporter(exporters.get(name), max_examples=40)


@pytest.mark.parametrize("name", ["svg", "png", "pdf"])
def test_the_renderings_conform(name: str) -> None:
    """The Graphviz renderings pass it too (fewer examples: each one runs dot twice)."""
    require_dot()
    check_exporter(exporters.get(name), max_examples=5)


@pytest.mark.usefixtures("with_mermaid")
def test_the_example_plugin_conforms() -> None:
    """The example Mermaid plugin passes the conformance suite."""
    check_exporter(exporters.get("mermaid"), max_examples=40)


class Base:
    name = "faulty"
    suffixes = (".faulty",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Canvas, **options: Any) -> Any:
        return canvas.name


class NonDeterministic(Base):
    def export(self, canvas: Canvas, **options: Any) -> str:
        return f"{canvas.name} {random.random()}"


class AsciiOnly(Base):
    def export(self, canvas: Canvas, **options: Any) -> str:
        return canvas.name.encode("ascii").decode("ascii")


class WrongType(Base):
    binary = True


class LossyLoader(Base):
    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        return Canvas(name=str(data).strip() or "x")


@pytest.mark.parametrize(
    ("exporter", "says"),
    [
        (NonDeterministic(), "is not deterministic"),
        (AsciiOnly(), "raised UnicodeEncodeError"),
        (WrongType(), "declares binary=True but returned str, not bytes"),
        (LossyLoader(), "does not round-trip"),
    ],
    ids=["non-deterministic", "ascii-only", "wrong-type", "lossy-loader"],
)
def test_check_exporter_catches_real_bugs(exporter: Base, says: str) -> None:
    """The suite fails with what broke and the smallest canvas that shows it, as JSON."""
    with pytest.raises(AssertionError) as info:
        check_exporter(exporter)  # type: ignore[arg-type]
    message = str(info.value)
    assert f"the 'faulty' exporter {says}" in message
    json_part = message.split("the smallest canvas that shows it:\n", 1)[1]
    assert isinstance(usager.loads(json_part, "json"), Canvas)


@pytest.mark.parametrize(
    ("attribute", "value", "says"),
    [
        ("name", "Bad Name", "name must be a lower-case word"),
        ("suffixes", [".x"], "suffixes must be a non-empty tuple"),
        ("suffixes", ("X",), "suffixes must be a non-empty tuple"),
        ("media_type", "plain", "media_type must be a MIME type"),
        ("binary", "no", "binary must be True or False"),
    ],
)
def test_check_exporter_checks_the_metadata(attribute: str, value: object, says: str) -> None:
    """Malformed attributes are reported before any canvas is drawn."""
    exporter = Base()
    setattr(exporter, attribute, value)
    with pytest.raises(AssertionError, match=says):
        check_exporter(exporter)  # type: ignore[arg-type]
