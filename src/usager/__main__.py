"""``python -m usager``: build the built-in example canvas, check it and print it as JSON."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from usager._check import check
from usager._example import mediatheque
from usager._io import dumps

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the example canvas's findings (on stderr) and its JSON (on stdout); return the exit code."""
    canvas = mediatheque()
    findings = check(canvas)
    print(f"{canvas.name}: {len(canvas)} elements, {len(findings)} findings", file=sys.stderr)
    for finding in findings:
        print(f"  {finding}", file=sys.stderr)
    sys.stdout.write(dumps(canvas, "json"))
    return 1 if any(f.severity.value == "error" for f in findings) else 0


if __name__ == "__main__":
    raise SystemExit(main())
