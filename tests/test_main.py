from __future__ import annotations

import subprocess
import sys

import usager


def test_python_m_usager_prints_the_checked_example() -> None:
    """python -m usager prints a loadable canvas on stdout and a clean summary on stderr."""
    result = subprocess.run([sys.executable, "-m", "usager"], capture_output=True, check=True, encoding="utf-8")
    canvas = usager.loads(result.stdout, "json")
    assert canvas.name == "Médiathèque municipale"
    assert usager.check(canvas) == []
    assert result.stderr.startswith(f"Médiathèque municipale: {len(canvas)} elements, 0 findings")
