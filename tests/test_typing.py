from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Written as the docs show an exporter (plain class attributes), with the public types pinned.
PLUGIN = textwrap.dedent(
    '''
    """A third-party exporter, as docs/exporters.md shows one."""

    from __future__ import annotations

    from typing import Any

    from typing_extensions import assert_type

    import usager
    from usager import exporters


    class MarkdownExporter:
        name = "markdown"
        suffixes = (".md", ".markdown")
        media_type = "text/markdown"
        binary = False

        def export(self, canvas: usager.Canvas, **options: Any) -> str:
            return f"# {canvas.name}\\n"


    exporter: exporters.Exporter = MarkdownExporter()
    canvas = usager.Canvas.standard("x")
    assert_type(usager.check(canvas), list[usager.Finding])
    assert_type(usager.dumps(canvas, "json"), str)
    assert_type(usager.dumps(canvas, "yaml"), str)
    assert_type(usager.dumps(canvas, "toml"), str)
    assert_type(usager.dumps(canvas, "png"), bytes)
    assert_type(usager.load("x.json"), usager.Canvas)
    assert_type(canvas.stages, tuple[usager.Stage, ...])
    assert_type(usager.Brake(id="b", label="B", stage="s").severity, int)
    assert_type(exporters.export("json", canvas), str | bytes)
    assert_type(usager.dumps(canvas, "html"), str)
    assert_type(usager.diff(canvas, canvas), usager.CanvasDiff)
    assert_type(usager.analysis.bottleneck(canvas), usager.analysis.Transition | None)
    assert_type(usager.analysis.priorities(canvas), list[usager.analysis.Priority])
    assert_type(canvas.get("discovery"), usager.Element)
    assert_type(canvas.get("discovery", usager.Stage), usager.Stage)
    assert_type(canvas.get("fear", usager.Brake).severity, int)
    assert_type(canvas.brakes_at("discovery"), tuple[usager.Brake, ...])
    assert_type(canvas.facilitators_for("fear"), tuple[usager.Facilitator, ...])
    assert_type(canvas.contributions_for("fear"), tuple[usager.Contribution, ...])
    assert_type(canvas.remove("fear", cascade=True), usager.Canvas)
    assert_type(canvas.rename("fear", "worry"), usager.Canvas)
    assert_type(usager.to_dict(canvas), dict[str, Any])
    assert_type(usager.from_dict({}), usager.Canvas)
    assert_type(usager.Brake(id="b", label="B", stage="s", kind="trust").kind, usager.BrakeKind)
    usager.Stage(id="s", kind="usage")
    usager.Canvas.standard("x", language="fr")
    '''
)

# Misspelt enum values: each line must be refused by mypy (strings are still checked at run time).
MISSPELT = textwrap.dedent(
    """
    import usager

    usager.Brake(id="b", label="B", stage="s", kind="fear")
    usager.Stage(id="s", kind="use")
    usager.Canvas.standard("x", language="de")
    usager.Facilitator(id="f", label="F", status="done")
    """
)


def _mypy(tmp_path: Path, name: str, source: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )  # fmt: skip


@pytest.mark.slow
def test_an_exporter_written_as_documented_passes_mypy_strict(tmp_path: Path) -> None:
    """Plain class attributes match the Exporter protocol, whose members are read-only, under mypy --strict."""
    result = _mypy(tmp_path, "markdown_plugin.py", PLUGIN)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_refuses_a_misspelt_enum_value(tmp_path: Path) -> None:
    """Enum parameters are typed with Literal values: each misspelt value is one mypy error on its line."""
    result = _mypy(tmp_path, "misspelt.py", MISSPELT)
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in lines] == ["4", "5", "6", "7"], result.stdout
    assert all("incompatible type" in line for line in lines), result.stdout


def test_the_literal_values_are_the_enum_values() -> None:
    """Each Literal alias lists exactly its enum's values, in order."""
    import enum
    import typing

    from usager import elements

    enums = [getattr(elements, name) for name in elements.__all__]
    enums = [e for e in enums if isinstance(e, type) and issubclass(e, enum.Enum)]
    assert len(enums) == 10
    for enum_class in enums:
        literal = getattr(elements, f"{enum_class.__name__}Name")
        assert typing.get_args(literal) == tuple(m.value for m in enum_class), enum_class
