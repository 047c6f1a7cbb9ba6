"""Write docs/rules.md from the rules' own metadata, so the page cannot drift from the code.

Run: python docs/gen_rules.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from usager import Canvas, check, dumps
from usager._document import to_document
from usager.examples import complete
from usager.rules import Rule, all_rules

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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _changes(bad: Canvas, good: Canvas) -> list[str]:
    """What the failing example changes in each list of the document, as bullet points."""
    bad_doc, good_doc = to_document(bad), to_document(good)
    lines: list[str] = []
    for key, value in bad_doc.items():
        before = good_doc[key]
        if value == before:
            continue
        added = [item for item in value if item not in before]
        removed = [item["id"] for item in before if item not in value]
        if removed:
            names = ", ".join(f"`{i}`" for i in removed)
            lines.append(f"- in `{key}`, {names} replaced by:" if added else f"- in `{key}`, without {names}")
        elif added:
            lines.append(f"- in `{key}`, also:")
        else:
            order = ", ".join(f"`{item['id']}`" for item in value)
            lines.append(f"- `{key}` in this order: {order}")
        if added:
            lines += ["", "    ```json"] + [f"    {line}" for line in _json(added).splitlines()] + ["    ```", ""]
    return lines


def _section(rule: Rule) -> list[str]:
    bad, good, reference = rule.bad(), rule.good(), complete()
    lines = ["", f"## {rule.code}", "", f"**{rule.severity.value}**: {rule.summary}.", "", rule.explanation, ""]
    lines += ["**Failing example**: the [reference canvas](#the-reference-canvas), changed so:", ""]
    lines += _changes(bad, reference)
    lines += ["", "gives:", "", "```text"]
    lines += [str(f) for f in check(bad, select=rule.code)]
    lines += ["```", ""]
    if good == reference:
        lines.append(
            f"**Passing example**: the [reference canvas](#the-reference-canvas) as it is gives no {rule.code} finding."
        )
    else:
        lines += ["**Passing example**: the [reference canvas](#the-reference-canvas), changed so:", ""]
        lines += _changes(good, reference)
        lines += ["", f"gives no {rule.code} finding."]
    return lines


def render() -> str:
    """The whole page."""
    rules = all_rules(plugins=False)
    lines = [HEADER.rstrip("\n")]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.severity.value} | {r.summary} |" for r in rules]
    lines += ["", REFERENCE.rstrip("\n"), "", "```json", dumps(complete(), "json").rstrip("\n"), "```"]
    for rule in rules:
        lines += _section(rule)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("rules.md")
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
