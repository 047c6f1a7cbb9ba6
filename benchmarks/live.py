"""How soon ``usager serve`` shows a save: from writing a one-character edit to the new view fetched.

For YAML canvases of several sizes, a preview server runs in this process; a client listens to
its event stream as the page does. Each round edits one character of a label, saves the file,
waits for the event, and fetches the view the page would fetch: the time from the write to the
view in hand is what a person waits. Run: ``python benchmarks/live.py [--sizes 100,1000,10000]``.
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


def measure(size: int, rounds: int) -> list[float]:
    """Seconds from each save to its view fetched, for a canvas of ``size`` elements."""
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
            events.get(timeout=600)
            with urllib.request.urlopen(base + "view?file=canvas.yaml", timeout=600) as view:
                view.read()
            spent.append(time.perf_counter() - start)
        server.stop()
        server.server_close()
        return spent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000", help="canvas sizes (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=5, help="edits per size (default: %(default)s)")
    args = parser.parse_args(argv)
    print(f"{'elements':>8}  {'median':>8}  {'max':>8}  (seconds from a save to the new view fetched)")
    for size in map(int, args.sizes.split(",")):
        spent = measure(size, args.rounds)
        print(f"{size:>8}  {statistics.median(spent):>8.3f}  {max(spent):>8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
