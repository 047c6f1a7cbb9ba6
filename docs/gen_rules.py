"""Write docs/rules.md from the rules' own metadata, so the page cannot drift from the code.

Run: python docs/gen_rules.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from usager import dumps
from usager._check import document_rule
from usager.examples import complete
from usager.rules import all_rules

HEADER = """\
# Rules reference

`usager.check(canvas)` runs these rules over the journey graph's edges and returns a list of
`Finding`s, each with a `code`, a `severity`, a `message` naming the elements by id and label,
and `subjects` (the ids concerned). Errors make a canvas inconsistent (`usager.validate`
raises `CanvasError`); warnings make it incomplete by the method; infos are worth a look.

Select or ignore rules like a linter's: `check(canvas, select=["U03"], ignore=["U034"])`
takes codes or prefixes (on the command line: `usager check --select U03 --ignore U034`). A
selector that matches no code raises `UnknownRuleError`.

Codes are grouped by range: U00x ids and references, U01x the cycle's stages, U02x brakes and
facilitators, U03x the backstage, U04x people.

| code | severity | rule |
|---|---|---|
"""

REFERENCE = """\
## The reference canvas

Each rule's examples start from this small canvas, which trips no rule: a community repair café,
the one `usager new --example` writes, with an experience score at every stage of its emotion
curve. In Python it is `usager.examples.complete()`. The failing example changes it so that the
rule fires; the passing example is the canvas as it is, or changed so that the rule stays quiet.
This page is generated from the rules' own metadata, and the test suite checks both examples of
every rule.
"""


def render() -> str:
    """The whole page."""
    rules = all_rules(plugins=False)
    lines = [HEADER.rstrip("\n")]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.summary} |" for r in rules]
    lines += ["", REFERENCE.rstrip("\n"), "", "```json", dumps(complete(), "json").rstrip("\n"), "```"]
    for rule in rules:
        lines += document_rule(rule).splitlines()
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("rules.md")
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
