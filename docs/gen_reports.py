"""Screenshots of the examples' HTML reports in docs/images, taken in headless Chromium.

Run from the project's root: python docs/gen_reports.py (needs Graphviz and Chromium).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import usager

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("mediatheque", "budget-app", "open-data")


def main() -> None:
    """Write one screenshot per example."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is needed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as work:
        for name in EXAMPLES:
            page = Path(work) / f"{name}.html"
            usager.dump(usager.load(ROOT / "examples" / f"{name}.json"), page)
            out = ROOT / "docs" / "images" / f"report-{name}.png"
            subprocess.run(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--user-data-dir={Path(work) / 'profile'}", f"--screenshot={out}",
                 "--window-size=1280,1500", page.as_uri()],
                check=True, capture_output=True,
            )  # fmt: skip
            print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
