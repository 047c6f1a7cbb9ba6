"""Write docs/rules.md from the rules' own metadata, so the page cannot drift from the code.

Run: python docs/gen_rules.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from usager import check
from usager.rules import all_rules

HEADER = """\
# Consistency rules

`usager.check(canvas)` runs these rules over the journey graph and returns a list of
`Finding`s, each with a `code`, a `severity`, a `message` naming the elements by id and label,
and `subjects` (the ids concerned). Errors make a canvas inconsistent (`usager.validate`
raises `CanvasError`); warnings make it incomplete by the method; infos are worth a look.

Select or ignore rules like a linter's: `check(canvas, select=["U03"], ignore=["U034"])`
takes codes or prefixes. A selector that matches no code raises `UnknownRuleError`.

Each rule below comes with the findings it gives on a small canvas built to break it; the
same canvas without that defect gives none. Both canvases live beside the rule in
`usager/rules/`, and the test suite checks them.

| code | severity | rule |
|---|---|---|
"""


def render() -> str:
    """The whole page."""
    rules = all_rules()
    lines = [HEADER.rstrip("\n")]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.summary} |" for r in rules]
    for r in rules:
        lines += ["", f"## {r.code}", "", f"**{r.severity.value}**: {r.summary}.", "", r.explanation, ""]
        lines += ["Findings on the example that breaks it:", "", "```text"]
        lines += [str(f) for f in check(r.bad(), select=r.code)]
        lines += ["```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("rules.md")
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
