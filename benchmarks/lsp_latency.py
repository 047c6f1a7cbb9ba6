"""How quickly ``usager lsp`` answers an editor: diagnostics after a one-character edit, and completion.

Run from the repository root (the ``lsp`` extra installed):

    python3 benchmarks/lsp_latency.py                          # 1,000 and 10,000 elements
    python3 benchmarks/lsp_latency.py --sizes 1000 --repeat 3  # a quick look

For each size, a canvas of that many elements (``generate.canvas_of``) is written as YAML and
opened in a server started as an editor starts it (``python -m usager lsp``, driven over stdio by
pygls's own client). Then, ``--repeat`` times:

- diagnostics: one character of a label is changed (an incremental change, as an editor sends
  it) and the time until the server publishes the diagnostics of that version is measured;
- completion: the time to answer a completion request in a reference field (a brake's ``stage``).

The table shows the median and the worst of each, beside the goal (diagnostics ≤ 100 ms and
completion ≤ 50 ms at 1,000 elements). No figure is asserted anywhere: the machine decides.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import canvas_of
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

import usager

#: The goals, in milliseconds, at 1,000 elements.
GOALS = {"diagnostics after an edit": 100.0, "completion": 50.0}


async def measure(size: int, repeat: int) -> dict[str, list[float]]:
    """The latencies, in milliseconds, of each operation on a canvas of ``size`` elements."""
    folder = Path(tempfile.mkdtemp())
    path = folder / "canvas.yaml"
    usager.dump(canvas_of(size), path)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = path.as_uri()
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    client = LanguageClient("usager-benchmark", "1")

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            published[params.version] = time.perf_counter()
            arrived.set()

    async def version_published(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 600)
        return published[version]

    await client.start_io(sys.executable, "-m", "usager", "lsp", cwd=str(folder))
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), process_id=None))
    client.initialized(lsp.InitializedParams())
    item = lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
    await version_published(1)

    label = next(i for i, line in enumerate(lines) if line.startswith("    label: "))
    stage = next(i for i, line in enumerate(lines) if line.startswith("    stage: "))
    results: dict[str, list[float]] = {name: [] for name in GOALS}
    for version in range(2, repeat + 2):
        # one character of a label typed over: a new letter each time, so every version differs
        at = lsp.Position(line=label, character=len("    label: "))
        change = lsp.TextDocumentContentChangePartial(
            range=lsp.Range(start=at, end=lsp.Position(line=label, character=at.character + 1)),
            text="ABCDEFGHIJKLMNOPQRSTUVWXYZ"[version % 26],
        )
        document = lsp.VersionedTextDocumentIdentifier(uri=uri, version=version)
        start = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(text_document=document, content_changes=[change])
        )
        results["diagnostics after an edit"].append((await version_published(version) - start) * 1000)

        position = lsp.Position(line=stage, character=len(lines[stage]))
        params = lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
        start = time.perf_counter()
        answer = await client.text_document_completion_async(params)
        results["completion"].append((time.perf_counter() - start) * 1000)
        if answer is None or not answer.items:
            raise SystemExit("the completion offered nothing")

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="canvas sizes, in elements (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=10, help="edits and completions per size (default: %(default)s)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"usager {usager.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'operation':<28}{'elements':>10}{'median':>12}{'worst':>12}  goal")
    for size in sizes:
        results = asyncio.run(measure(size, args.repeat))
        for name, times in results.items():
            goal = GOALS[name]
            median = statistics.median(times)
            verdict = f"≤ {goal:.0f} ms at 1,000: {'ok' if median <= goal else 'MISSED'}" if size == 1000 else ""
            print(f"{name:<28}{size:>10,}{median:>9.1f} ms{max(times):>9.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
