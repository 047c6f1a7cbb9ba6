"""How soon ``usager serve`` shows a save: from writing a one-character edit to the new view fetched.

For YAML canvases of several sizes, a preview server runs in this process; a client listens to
its event stream as the page does. Each round edits one character of a label, saves the file,
and fetches the view the page would fetch at each event: the time from the write to the first
new view (the new findings, the drawings being redrawn), to the view with the new cycle drawn
(the layout the page shows open), and to the view with every drawing made, is what a person
waits. Run: ``python benchmarks/live.py [--sizes 100,1000,10000]``.
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import usager
from usager._config import Config
from usager._serve import Server

sys.path.insert(0, str(Path(__file__).parent))
from generate import canvas_of


def _listen(url: str, events: queue.Queue[str]) -> None:
    with urllib.request.urlopen(url, timeout=600) as stream:
        for raw in stream:
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                events.put(line[len("data: ") :])


def measure(size: int, rounds: int) -> list[tuple[float, float, float]]:
    """Seconds from each save to its first view, to its cycle drawn, to all drawn, for ``size`` elements."""
    with tempfile.TemporaryDirectory() as folder:
        path = usager.dump(canvas_of(size), Path(folder) / "canvas.yaml")
        server = Server(path, ("127.0.0.1", 0), lambda p: Config())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        threading.Thread(target=server.watch, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        events: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_listen, args=(base + "events?file=canvas.yaml", events), daemon=True).start()
        events.get(timeout=600)  # the current version
        time.sleep(0.5)  # the watcher is watching
        text = path.read_text(encoding="utf-8")
        spent = []
        for round_ in range(rounds):
            label = text.index("label: ") + len("label: ")
            text = text[:label] + "XY"[round_ % 2] + text[label + 1 :]  # one character changed
            start = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            first = cycle = 0.0
            while True:
                events.get(timeout=600)
                with urllib.request.urlopen(base + "view?file=canvas.yaml", timeout=600) as response:
                    view = response.read().decode("utf-8")
                now = time.perf_counter() - start
                first = first or now
                if not cycle and '<div class="drawing" id="cycle"><svg' in view:
                    cycle = now
                if "being drawn again" not in view and "Drawing..." not in view:
                    break
            spent.append((first, cycle or now, now))
        server.stop()
        server.server_close()
        return spent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="canvas sizes (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=5, help="edits per size (default: %(default)s)")
    args = parser.parse_args(argv)
    print(f"{'elements':>8}  {'findings':>9}  {'cycle':>9}  {'all':>9}  (median seconds from a save to the view)")
    for size in map(int, args.sizes.split(",")):
        spent = measure(size, args.rounds)
        first, cycle, every = (statistics.median(s[i] for s in spent) for i in range(3))
        print(f"{size:>8}  {first:>9.3f}  {cycle:>9.3f}  {every:>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
