"""Differential fuzzing of the JSON fast path against the thorough reader.

    python3 benchmarks/fuzz_json.py --count 20000 --seed 1

Mutates canonical documents (the examples, and generated canvases of a few dozen elements)
textually: members inserted with known or unknown keys, keys renamed or doubled, colons,
quotes, backslashes, escapes and brackets inserted, spans cut. For each, the fast path must
either hand over (return None) or give exactly the canvas the thorough reader gives; any other
outcome is printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
from generate import canvas_of

from usager import Canvas, LoadError, dumps, load
from usager._document import NonFinite, from_document, object_pairs
from usager._fastjson import fast_load
from usager.canvas import ELEMENT_LISTS
from usager.examples import mediatheque

KEYS = sorted({key for cls in (Canvas, *(c for _, c in ELEMENT_LISTS)) for key in attrs.fields_dict(cls)} | {"x"})
CHARACTERS = [":", '"', "\\", ",", " ", "{", "}", "[", "]", "\\u003a", "\\u0000", "\\n", "\n", "\\ud800", "é"]
VALUES = [
    '""',
    '"s"',
    '"a:b"',
    '"U020"',
    '"usage"',
    "1",
    "2",
    "-1",
    "2.5",
    "1e400",
    "true",
    "null",
    "[]",
    '["s"]',
    "{}",
]
MEMBER = re.compile(r'"[a-z_$]+": (?:"[^"\\]*"|-?[0-9.e+]+|true|false|null|\[\])(?=[,}\n])')


def thorough(data: bytes) -> object:
    """The thorough reader's canvas, or the error it raises."""
    try:
        return from_document(json.loads(data, parse_constant=NonFinite, object_pairs_hook=object_pairs))
    except (LoadError, ValueError, RecursionError) as exc:
        return type(exc)


def mutate(text: str, rng: random.Random) -> str:
    """``text`` with one to three random textual changes."""
    for _ in range(rng.randint(1, 3)):
        operation = rng.choice(["insert member", "rename key", "double member", "character", "cut", "value"])
        position = rng.randrange(len(text) + 1)
        if operation == "insert member":
            at = rng.choice([i + 1 for i, c in enumerate(text) if c == "{"])
            text = f'{text[:at]}"{rng.choice(KEYS)}": {rng.choice(VALUES)}, {text[at:]}'
        elif operation == "rename key":
            at = rng.choice([m.start() + 1 for m in re.finditer(r'"[a-z_$]+":', text)])
            text = f"{text[:at]}{rng.choice(KEYS)}{text[text.index(chr(34), at) :]}"
        elif operation == "double member":
            members = list(MEMBER.finditer(text))
            if members:
                m = rng.choice(members)
                text = f"{text[: m.end()]}, {m.group()}{text[m.end() :]}"
        elif operation == "value":
            members = list(MEMBER.finditer(text))
            if members:
                m = rng.choice(members)
                key = m.group().split(":")[0]
                text = f"{text[: m.start()]}{key}: {rng.choice(VALUES)}{text[m.end() :]}"
        elif operation == "character":
            text = text[:position] + rng.choice(CHARACTERS) + text[position:]
        else:
            text = text[:position] + text[position + rng.randint(1, 3) :]
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000, help="mutated documents to try")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(__file__).resolve().parent.parent
    old = sorted((root / "tests" / "data" / "v1").glob("*.json"))  # usager/1: the second tier's
    bases = [mediatheque(), *map(load, old), *(canvas_of(n, seed=s) for s in (1, 2) for n in (20, 60))]
    texts = [dumps(c, "json", indent=indent) for c in bases for indent in (2, None)]
    texts += [p.read_text(encoding="utf-8") for p in old]
    accepted = handed_over = 0
    failures = []
    for _ in range(args.count):
        raw = mutate(rng.choice(texts), rng).encode("utf-8", "surrogatepass")
        fast = fast_load(raw)
        if fast is None:
            handed_over += 1
            continue
        accepted += 1
        if fast != thorough(raw):
            failures.append(raw)
    print(f"{args.count} mutated documents: the fast path read {accepted} (each equal to the thorough reader's "
          f"canvas) and handed {handed_over} over; {len(failures)} disagreements")  # fmt: skip
    for raw in failures[:5]:
        print(raw[:300])
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
