from __future__ import annotations

import random
import sys
from typing import Any

import pytest

import usager
from usager import Brake, Canvas, OptionError, exporters
from usager.testing import assert_consistent, check_exporter

from .graphviz_tools import require_dot
from .profiles import examples


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
    assert message.startswith("canvas 'x' has 1 finding among the errors:\n")
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
    check_exporter(exporters.get(name), max_examples=examples(40))


@pytest.mark.parametrize(
    "name", ["svg", pytest.param("png", marks=pytest.mark.slow), pytest.param("pdf", marks=pytest.mark.slow)]
)
def test_the_renderings_conform(name: str) -> None:
    """The Graphviz renderings pass it too (fewer examples: each one runs dot twice)."""
    require_dot()
    check_exporter(exporters.get(name), max_examples=5)


@pytest.mark.usefixtures("with_mermaid")
def test_the_example_plugin_conforms() -> None:
    """The example Mermaid plugin passes the conformance suite."""
    check_exporter(exporters.get("mermaid"), max_examples=examples(40))


class Base:
    name = "faulty"
    suffixes = (".faulty",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Canvas, **options: Any) -> Any:
        if options:
            raise OptionError(f"no option {', '.join(options)}")
        return canvas.name


class NonDeterministic(Base):
    def export(self, canvas: Canvas, **options: Any) -> str:
        super().export(canvas, **options)
        return f"{canvas.name} {random.random()}"


class AsciiOnly(Base):
    def export(self, canvas: Canvas, **options: Any) -> str:
        super().export(canvas, **options)
        return canvas.name.encode("ascii").decode("ascii")


class WrongType(Base):
    binary = True


class Lenient(Base):
    def export(self, canvas: Canvas, **options: Any) -> str:
        return canvas.name


class SetOrder(Base):
    """Deterministic within a process, not across processes: it iterates over a set of ids."""

    def export(self, canvas: Canvas, **options: Any) -> str:
        super().export(canvas, **options)
        return "\n".join({e.id for e in canvas.elements()}) + "\n"


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


def test_check_exporter_refuses_an_exporter_that_accepts_any_option() -> None:
    """An unknown option must raise TypeError; swallowing it silently is reported."""
    with pytest.raises(AssertionError, match="accepts an option it does not take"):
        check_exporter(Lenient())  # type: ignore[arg-type]


def test_check_exporter_shows_a_diff_when_two_exports_differ() -> None:
    """Nondeterminism is shown as a unified diff of the two outputs."""
    with pytest.raises(AssertionError) as info:
        check_exporter(NonDeterministic(), processes=False)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n--- first\n+++ second\n@@ " in message
    assert message.index("--- first") < message.index("the smallest canvas that shows it:")


def test_check_exporter_shows_a_diff_of_the_documents_when_a_round_trip_differs() -> None:
    """A lossy loader is shown as a diff between the canvas and what came back, as JSON."""
    with pytest.raises(AssertionError) as info:
        check_exporter(LossyLoader(), processes=False)  # type: ignore[arg-type]
    assert "--- the canvas\n+++ loaded back\n" in str(info.value)


def test_check_exporter_reports_the_smallest_shape() -> None:
    """A failure on any canvas is shown on one stage and nothing else."""
    with pytest.raises(AssertionError) as info:
        check_exporter(NonDeterministic(), processes=False)  # type: ignore[arg-type]
    canvas = usager.loads(str(info.value).split("the smallest canvas that shows it:\n", 1)[1], "json")
    assert (len(canvas.stages), len(canvas)) == (1, 1)


def test_check_exporter_catches_set_order_across_processes() -> None:
    """An exporter that iterates over a set passes in one process and fails across two."""
    with pytest.raises(AssertionError) as info:
        check_exporter(SetOrder(), max_examples=5)  # type: ignore[arg-type]
    message = str(info.value)
    assert "is not deterministic across processes: with PYTHONHASHSEED=" in message
    assert "--- this process\n+++ PYTHONHASHSEED=" in message


def test_check_exporter_without_hypothesis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Hypothesis the error says to install usager[testing]."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(ModuleNotFoundError, match=r"install it with python3 -m pip install 'usager\[testing\]'"):
        check_exporter(Base())  # type: ignore[arg-type]
