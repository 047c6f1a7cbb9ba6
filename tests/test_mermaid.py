"""The example Mermaid plugin's text: escaping, caps and its two readings.

With the environment variable ``USAGER_MMDC`` naming a Mermaid command line (``mmdc``, with
its options, such as ``-p puppeteer.json``), the charts are also rendered by the real Mermaid;
``.ci/run`` installs it, and in CI (``CI`` set) those tests fail rather than skip without it.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import usager
from usager import Brake, Canvas, Facilitator, Stage

from .canvases import generated

ROOT = Path(__file__).parent.parent
_SOURCE = ROOT / "examples" / "plugins" / "usager-mermaid" / "src" / "usager_mermaid" / "__init__.py"


def _plugin() -> ModuleType:
    spec = importlib.util.spec_from_file_location("usager_mermaid_under_test", _SOURCE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mermaid = _plugin()


def _links(chart: str) -> int:
    """How many links Mermaid counts: each arrow, and each step of a chain of invisible links."""
    return sum(max(1, line.count("~~~")) for line in chart.splitlines() if re.search(r"-->|==>|-\.|~~~|-\.->", line))


def test_the_title_is_plain_text_not_entity_codes() -> None:
    """A title with & and French quotes is written as YAML text, which Mermaid shows as it is."""
    assert mermaid.title("R&D «Les Mots»") == '"R&D «Les Mots»"'
    assert mermaid.title('say "hi" \\ now') == '"say \\"hi\\" \\\\ now"'


def test_control_characters_show_as_visible_symbols() -> None:
    """C0 controls become control pictures; C1 controls, which an entity would show as Windows-1252, become �."""
    assert mermaid.text("a\x01b") == "a#9217;b"
    assert mermaid.text("a\x85b\x9fc") == "a#65533;b#65533;c"
    assert mermaid.title("a\x85\x01") == '"a\ufffd\u2401"'


def test_a_typed_backslash_n_stays_text_beside_a_real_line_break() -> None:
    """A backslash is followed by a word joiner, so Mermaid never reads a typed \\n as a line break."""
    assert mermaid.text("a\\nb\nc") == "a#92;#8288;nb<br>c"


def test_font_awesome_names_stay_text() -> None:
    """fa:fa-car and fab:fa-github get a word joiner after the colon, so they never become icons."""
    assert mermaid.text("fa:fa-car") == "fa:#8288;fa-car"
    assert mermaid.text("FAB:fa-github") == "FAB:#8288;fa-github"
    assert mermaid.text("ratio 1:2") == "ratio 1:2"


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_a_large_canvas_stays_under_the_link_limit(layout: str) -> None:
    """A canvas of 1,000 elements, backstage included, has fewer than Mermaid's 500 links."""
    chart = mermaid.to_mermaid(generated(1_000), layout=layout, backstage=True)
    assert _links(chart) <= mermaid.MAX_LINKS
    assert "and 1" in chart or "et " in chart  # lanes say how many more


def test_the_cycle_reading_groups_each_transition() -> None:
    """Each transition is a group with its stage, its brakes and the facilitators that answer them."""
    canvas = Canvas.standard("x").add(
        Brake(id="b", label="Fear", stage="usage"), Facilitator(id="f", label="Help", addresses=["b"])
    )
    chart = mermaid.to_mermaid(canvas)
    group = chart.split('subgraph t3["Usage #8594; Extended usage"]')[1].split("  end")[0]
    assert '(["Usage"]):::stage' in group
    assert '{{"Fear<br>●●○"}}:::brake' in group
    assert '("Help"):::facilitator' in group
    assert "  n5 ==> n0\n" in chart  # the last stage leads back to the first


def test_the_lanes_reading_orders_each_column() -> None:
    """In lanes, each stage's column runs brakes, stage, score, facilitators, from left to right across stages."""
    canvas = usager.load(ROOT / "examples" / "mediatheque.json")
    chart = mermaid.to_mermaid(canvas, layout="lanes")
    assert chart.splitlines()[3] == "flowchart LR"
    assert re.search(r"n\d+ ~~~ n\d+ ~~~ score\d ~~~ n\d+", chart)


def test_the_plugin_declares_and_checks_its_options() -> None:
    """layout is a choice, backstage a flag; anything else is usager's OptionError (a TypeError) naming it."""
    exporter = mermaid.MermaidExporter()
    assert exporter.options == {"layout": ("cycle", "lanes"), "backstage": bool}
    with pytest.raises(usager.OptionError, match="'grid'"):
        exporter.export(Canvas.standard("x"), layout="grid")
    with pytest.raises(usager.OptionError, match="true or false, not 'yes'"):
        exporter.export(Canvas.standard("x"), backstage="yes")
    with pytest.raises(usager.OptionError, match="unknown option 'size'"):
        exporter.export(Canvas.standard("x"), size=3)


@functools.cache
def _mmdc_problem() -> str | None:
    """Why the Mermaid command line of ``USAGER_MMDC`` cannot run, or None when it runs."""
    command = os.environ.get("USAGER_MMDC", "")
    if not command.strip():
        return "set USAGER_MMDC to a Mermaid command line (mmdc) to render with the real Mermaid"
    try:
        done = subprocess.run([*shlex.split(command), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        return f"USAGER_MMDC={command!r} does not run: {error}"
    if done.returncode != 0:
        return f"USAGER_MMDC={command!r} exits {done.returncode}: {done.stderr.strip()[-500:]}"
    return None


def _mmdc() -> list[str]:
    """The Mermaid command line; without a runnable one, skip locally and fail in CI."""
    problem = _mmdc_problem()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return shlex.split(os.environ["USAGER_MMDC"])


def _render(chart: str, tmp_path: Path) -> str:
    source, target = tmp_path / "chart.mmd", tmp_path / "chart.svg"
    source.write_text(chart, encoding="utf-8")
    subprocess.run([*_mmdc(), "-q", "-i", str(source), "-o", str(target)], check=True, capture_output=True)
    return target.read_text(encoding="utf-8")


def test_real_mermaid_shows_hostile_text_as_written(tmp_path: Path) -> None:
    """Rendered by Mermaid, the title and labels show the text as typed: no entity code, icon or stray break."""
    stage = Stage(id="s", kind="custom", label="a\\nb fa:fa-car \x85 & <b>")
    canvas = Canvas(name="R&D «Les Mots»", stages=[stage])
    svg = _render(mermaid.to_mermaid(canvas), tmp_path)
    texts = [html.unescape(t) for t in re.findall(r">([^<>]+)<", svg)]
    assert "R&D «Les Mots»" in texts
    assert "a\\\u2060nb fa:\u2060fa-car \ufffd & <b>" in texts
    assert "fa-car" not in re.sub(r">[^<>]*<", "><", svg)  # no icon element


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_real_mermaid_draws_a_large_canvas(layout: str, tmp_path: Path) -> None:
    """Mermaid draws the chart of a 1,000-element canvas instead of its error box."""
    svg = _render(mermaid.to_mermaid(generated(1_000), layout=layout, backstage=True), tmp_path)
    assert "Syntax error" not in svg
    assert "flowchart-link" in svg
