"""Installing plugin distributions for real, with pip, into folders the tests put on sys.path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MERMAID = ROOT / "examples" / "plugins" / "usager-mermaid"
BROKEN = ROOT / "tests" / "plugins" / "usager-broken"


def pip_install(project: Path, target: Path) -> Path:
    """``pip install --target`` the project (no dependencies, no network) and return the target."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(project)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return target
