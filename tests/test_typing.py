from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
    '''
)


def test_an_exporter_written_as_documented_passes_mypy_strict(tmp_path: Path) -> None:
    """Plain class attributes match the Exporter protocol, whose members are read-only, under mypy --strict."""
    plugin = tmp_path / "markdown_plugin.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(plugin)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
