"""``import usager`` stays light: the rules, the exporters and the readers load on first use."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> None:
    """Run ``code`` in a fresh interpreter; fail with its error output if it fails."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_import_usager_leaves_the_rules_exporters_and_readers_for_later() -> None:
    """After ``import usager`` alone, no rule, exporter, reader, suggester or msgspec module has been imported."""
    run(
        "import sys, usager\n"
        "heavy = [m for m in sys.modules if m.startswith(('usager.rules', 'usager.exporters', 'usager._io',"
        " 'usager._check', 'usager._graph', 'usager._suggest', 'msgspec', 'networkx', 'cattrs'))]\n"
        "assert not heavy, heavy\n"
    )


def test_the_lazy_names_work_on_first_use() -> None:
    """check, validate, dumps, loads, dump, load, to_graph, MAX_BYTES and exporters are there when first used."""
    run(
        "import usager\n"
        "c = usager.Canvas.standard('x')\n"
        "assert usager.loads(usager.dumps(c, 'json'), 'json') == c\n"
        "assert isinstance(usager.check(c), list) and usager.validate(c) is c\n"
        "assert 'json' in usager.exporters.available() and usager.MAX_BYTES > 0\n"
        "assert callable(usager.dump) and callable(usager.load) and callable(usager.to_graph)\n"
        "from usager import check, exporters\n"
        "assert check is usager.check and exporters is usager.exporters\n"
    )


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name usager does not have raises AttributeError, as for any module."""
    code = """
import usager
try:
    usager.nothing
except AttributeError as exc:
    assert "nothing" in str(exc)
else:
    raise SystemExit("no AttributeError")
"""
    run(code)


def test_a_canvas_shows_its_drawing_in_a_notebook_before_anything_else_is_used() -> None:
    """The notebook display registers itself on first use, even when nothing but the model was imported."""
    run(
        "import usager\n"
        "bundle = usager.Canvas.standard('x')._repr_mimebundle_()\n"
        "assert 'text/plain' in bundle\n"
        "assert 'image/svg+xml' in bundle or 'no drawing' in bundle['text/plain'], bundle\n"
        "import sys\n"
        "assert 'usager._io' in sys.modules\n"
    )
