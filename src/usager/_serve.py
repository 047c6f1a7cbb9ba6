"""``usager serve``: a local page that shows a canvas, and follows each save of its file.

The page shows the drawing (both layouts), the findings at their positions and the report of
the canvas in a file, or an index of the canvases of a folder. A watcher thread (``watchfiles``)
notices each change of a file; the page hears of it through server-sent events and fetches the
new view, with no reload. A file that does not load shows its problems and, greyed, the last
drawing that did. Everything is served from the standard library's threading HTTP server, on
the loopback interface unless told otherwise; the page runs one script of its own, allowed by
a nonce in its Content-Security-Policy, and loads nothing from elsewhere.
"""

from __future__ import annotations

import hashlib
import html
import os
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs

from usager import exporters
from usager._check import check
from usager._ci import in_file_order, position_of, positions_in, rule_url
from usager._config import Config
from usager._io import format_of, loads, read_bytes
from usager._many import canvas_files
from usager.canvas import Canvas
from usager.errors import LoadError, UsagerError, escaped
from usager.findings import Finding

__all__ = ["Preview", "Server", "serve"]

#: How often, in seconds, an open event stream says it is alive when nothing changes.
KEEPALIVE = 15.0


#: The layouts the page draws, in the order it draws them (the first is open on the page).
LAYOUTS = ("cycle", "lanes")


@attrs.frozen
class Reading:
    """What reading one version of a file gave: its status line, its findings (or its problems), its canvas."""

    canvas: Canvas | None  # None: the file did not load
    status: str
    body: str
    when: str


@attrs.frozen
class Drawing:
    """One layout's drawing of a version of a file: inline SVG when ``made``, else a note saying why not."""

    html: str
    made: bool
    when: str


def draw(canvas: Canvas, layout: str, when: str) -> Drawing:
    """The drawing of ``canvas`` in ``layout``, as inline SVG, or a note saying why there is none."""
    try:
        data = exporters.export("svg", canvas, layout=layout)
    except UsagerError as exc:
        return Drawing(f'<p class="note">No drawing: {html.escape(escaped(str(exc)))}</p>', False, when)
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    start = text.find("<svg")  # the XML declaration and doctype have no place inside a page
    return Drawing(text[start:] if start >= 0 else text, True, when)


def _finding_line(finding: Finding, position: tuple[int, int] | None) -> str:
    where = f"{position[0]}:{position[1]}" if position else ""
    code = html.escape(finding.code)
    link = f'<a href="{html.escape(rule_url(finding.code))}">{code}</a>' if finding.code.startswith("U") else code
    return (
        f'<li class="{finding.severity.value}"><span class="at">{where}</span> {link} '
        f'<span class="sev">{finding.severity.value}</span> {html.escape(escaped(finding.message))}</li>'
    )


def _status(kind: str, text: str, when: str) -> str:
    return f'<p id="status" class="{kind}">{text} <span class="when">(read at {when})</span></p>'


def _failed(headline: str, items: str, when: str) -> Reading:
    body = f'<section id="problems"><h2>Problems</h2><ul>{items}</ul></section>'
    return Reading(None, _status("failed", html.escape(escaped(headline)), when), body, when)


def read(path: Path, config_of: Callable[[Path], Config | None]) -> Reading:
    """Read and check the file at ``path`` as it is now: its findings at their positions, or its problems."""
    when = time.strftime("%H:%M:%S")
    try:
        data = read_bytes(path)
        name = format_of(path)
        canvas = loads(data, name, source=str(path))
    except LoadError as exc:
        problems = exc.problems or ()
        items = "".join(f"<li>{html.escape(escaped(str(p)))}</li>" for p in problems) or (
            f"<li>{html.escape(escaped(str(exc)))}</li>"
        )
        return _failed(f"{path.name} cannot be read", items, when)
    except FileNotFoundError:
        return _failed(f"{path.name} is gone", "<li>the file was deleted or moved</li>", when)
    except (OSError, UsagerError) as exc:
        return _failed(f"{path.name} cannot be read", f"<li>{html.escape(escaped(str(exc)))}</li>", when)
    try:
        findings = check(canvas, config=config_of(path), path=path)
    except UsagerError as exc:
        return _failed(f"{path.name} cannot be checked", f"<li>{html.escape(escaped(str(exc)))}</li>", when)
    positions = positions_in(canvas, data, name)
    in_file_order(findings, positions)
    shown = [f for f in findings if not f.suppressed]
    counts = {s: sum(f.severity.value == s for f in shown) for s in ("error", "warning", "info")}
    status = ", ".join(f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items())
    items = "".join(_finding_line(f, position_of(f, positions)) for f in shown)
    body = f'<section id="findings"><h2>Findings</h2><ul>{items or "<li>no finding</li>"}</ul></section>'
    headline = f"{html.escape(escaped(canvas.name))}: {len(canvas)} elements; {status}"
    return Reading(canvas, _status("ok", headline, when), body, when)


def compose(reading: Reading, drawings: Mapping[str, Drawing], last: Mapping[str, Drawing]) -> str:
    """The page's view of a version: its status, its drawings as far as they are made, its findings.

    A layout not drawn yet shows its last drawing made, marked as being redrawn; one that cannot
    be drawn says why, above its last drawing made, greyed. A file that does not load shows its
    problems, and the last drawings made, greyed.
    """
    if reading.canvas is None:
        stale = "".join(_layout(layout, last[layout].html) for layout in LAYOUTS if layout in last)
        shown = (
            f'<p class="note">The last drawing made, at {min(d.when for d in last.values())}:</p>'
            f'<section class="drawings stale">{stale}</section>'
            if stale
            else ""
        )
        return f"{reading.status}{reading.body}{shown}"
    parts = []
    for layout in LAYOUTS:
        current, before = drawings.get(layout), last.get(layout)
        if current is not None and current.made:
            parts.append(_layout(layout, current.html))
        elif current is not None:  # cannot be drawn: why, and the last drawing made
            earlier = f'<div class="stale">{before.html}</div>' if before is not None else ""
            parts.append(_layout(layout, current.html + earlier))
        elif before is not None:  # being drawn
            parts.append(_layout(layout, f'<div class="updating">{before.html}</div>', "updating"))
        else:
            parts.append(_layout(layout, '<p class="note">Drawing...</p>', "updating"))
    return f'{reading.status}<section class="drawings">{"".join(parts)}</section>{reading.body}'


def _layout(layout: str, content: str, state: str = "") -> str:
    opened = " open" if layout == LAYOUTS[0] else ""
    title = layout.capitalize() + (" (being drawn again)" if state == "updating" else "")
    return f'<details{opened}><summary>{title}</summary><div class="drawing" id="{layout}">{content}</div></details>'


@attrs.define
class Preview:
    """One served file: its version (one more at each step of a change), what the page shows of it.

    ``reading`` is the latest reading of the file, ``drawings`` its drawings made so far, by
    layout, and ``last`` the last drawing made of each layout, whatever version it drew.
    """

    path: Path
    version: int = 0
    view: str | None = None
    digest: bytes | None = None
    reading: Reading | None = None
    drawings: dict[str, Drawing] = attrs.field(factory=dict)
    last: dict[str, Drawing] = attrs.field(factory=dict)


_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { padding: .6rem 1rem; background: #24415f; color: #fff; }
header a { color: #cfe3ff; }
main { padding: 0 1rem 2rem; }
#status.ok { color: #1c5c2e; } #status.failed { color: #9b1c1c; font-weight: bold; }
.when { color: #666; font-weight: normal; font-size: .9em; }
.drawing { overflow: auto; background: #fff; border: 1px solid #ddd; max-height: 80vh; }
.drawing svg { display: block; max-width: 100%; height: auto; }
.stale { filter: grayscale(1); opacity: .45; }
.updating { opacity: .6; }
#findings li.error .sev, #problems li { color: #9b1c1c; }
#findings li.warning .sev { color: #8a5a00; }
.at { font-family: ui-monospace, monospace; color: #555; }
iframe { width: 100%; height: 80vh; border: 1px solid #ddd; background: #fff; }
summary { cursor: pointer; font-weight: bold; margin: .6rem 0; }
"""

_SCRIPT = """
const file = document.body.dataset.file;
const view = document.getElementById("view");
const report = document.getElementById("report");
let shown = document.body.dataset.version;
async function update(version) {
  if (version === shown) return;
  const response = await fetch("/view?file=" + encodeURIComponent(file));
  if (!response.ok) return;
  const open = [...view.querySelectorAll("details")].map((d) => d.open);
  view.innerHTML = await response.text();
  view.querySelectorAll("details").forEach((d, i) => { if (i < open.length) d.open = open[i]; });
  report.src = "/report?file=" + encodeURIComponent(file) + "&v=" + version;
  shown = version;
  document.body.dataset.version = version;
}
const events = new EventSource("/events?file=" + encodeURIComponent(file));
events.onmessage = (event) => update(event.data);
"""


def _page(title: str, body: str, *, nonce: str | None = None, attributes: str = "") -> str:
    script = f'\n<script nonce="{nonce}">{_SCRIPT}</script>' if nonce else ""
    policy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'" + (
        f"; script-src 'nonce-{nonce}'" if nonce else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body{attributes}>\n{body}{script}\n</body>\n</html>\n"
    )


class Server(ThreadingHTTPServer):
    """The preview server of a canvas file or a folder of canvases; :meth:`watch` follows their changes."""

    daemon_threads = True
    # a browser keeps an event stream open per page: the server must not wait for them to stop
    block_on_close = False

    def __init__(self, root: Path, address: tuple[str, int], config_of: Callable[[Path], Config | None]) -> None:
        self.root = root.resolve()
        self.folder = self.root if self.root.is_dir() else self.root.parent
        self.config_of = config_of
        self.previews: dict[str, Preview] = {}
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        super().__init__(address, _Handler)
        self.refresh_all()

    # --- the files served

    def names(self) -> list[str]:
        """The served files, by their path from the served folder (POSIX), in path order."""
        if not self.root.is_dir():
            return [self.root.name]

        def config(path: str) -> Config | None:
            return self.config_of(Path(path))

        found = canvas_files([str(self.root)], config)
        return [Path(p).resolve().relative_to(self.root).as_posix() for p in found]

    def preview(self, name: str) -> Preview | None:
        """The preview of the served file ``name`` (None for a name not served: nothing else is ever read)."""
        with self.changed:
            found = self.previews.get(name)
        if found is None and name in self.names():
            with self.changed:
                found = self.previews.setdefault(name, Preview(self.folder / name))
        return found

    def refresh(self, name: str) -> None:
        """Read the file ``name`` again; when its content changed, a new version and view, and wake the streams."""
        preview = self.preview(name)
        if preview is None:
            return
        try:
            digest: bytes | None = hashlib.blake2b(read_bytes(preview.path)).digest()
        except (OSError, UsagerError):
            digest = None
        if preview.view is not None and digest is not None and digest == preview.digest:
            return
        # first what reading and checking say (quick), then each drawing as it is made: the page
        # shows the new findings at once, and each drawing when it is ready
        reading = read(preview.path, self.config_of)
        with self.changed:
            preview.digest, preview.reading, preview.drawings = digest, reading, {}
            self._show(preview)
        if reading.canvas is None:
            return
        for layout in LAYOUTS:
            drawing = draw(reading.canvas, layout, reading.when)
            with self.changed:
                if preview.reading is not reading:  # a newer version is on its way
                    return
                preview.drawings[layout] = drawing
                if drawing.made:
                    preview.last[layout] = drawing
                self._show(preview)

    def _show(self, preview: Preview) -> None:
        """A new version of ``preview``'s view, from what it holds; the streams hear of it (lock held)."""
        assert preview.reading is not None
        preview.view = compose(preview.reading, preview.drawings, preview.last)
        preview.version += 1
        self.changed.notify_all()

    def refresh_all(self) -> None:
        """Read every served file again (and those seen before, which may be gone)."""
        with self.changed:
            known = list(self.previews)
        for name in dict.fromkeys([*self.names(), *known]):
            self.refresh(name)

    def watch(self) -> None:
        """Follow the changes of the served files until :meth:`stop`; runs in its own thread."""
        from watchfiles import watch

        for changes in watch(self.folder, stop_event=self.stopping, debounce=50, step=25, rust_timeout=500):
            touched = {Path(p).resolve() for _, p in changes}
            for name in list(self.previews) if self.root.is_dir() else [self.root.name]:
                if (self.folder / name).resolve() in touched:
                    self.refresh(name)
            if self.root.is_dir():
                for name in self.names():
                    if name not in self.previews:
                        self.refresh(name)

    def stop(self) -> None:
        """Stop the watcher and the streams, then the server."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        self.shutdown()


class _Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    server_version = "usager"

    def log_message(self, format: str, *args: Any) -> None:
        return  # the terminal shows the URL, not each request

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        name = query.get("file", [""])[0]
        try:
            if url.path == "/health":
                self._send(HTTPStatus.OK, "ok", "text/plain")
            elif url.path == "/":
                self._root()
            elif url.path == "/canvas":
                self._canvas(name)
            elif url.path == "/view":
                preview = self._served(name)
                if preview is not None and preview.view is not None:
                    self._send(HTTPStatus.OK, preview.view, "text/html")
            elif url.path == "/report":
                self._report(name)
            elif url.path == "/events":
                self._events(name)
            else:
                self._send(HTTPStatus.NOT_FOUND, "not found\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            return

    def _served(self, name: str) -> Preview | None:
        preview = self.server.preview(name)
        if preview is None:
            self._send(HTTPStatus.NOT_FOUND, f"{name!r} is not a canvas served here\n", "text/plain")
        return preview

    def _root(self) -> None:
        if not self.server.root.is_dir():
            self._canvas(self.server.root.name)
            return
        names = self.server.names()
        items = "".join(
            f'<li><a href="/canvas?file={urllib.parse.quote(n)}">{html.escape(escaped(n))}</a></li>' for n in names
        )
        title = f"usager: {self.server.root.name}"
        body = (
            f"<header><h1>{html.escape(escaped(self.server.root.name))}</h1></header>\n<main>"
            f"<p>{len(names)} canvas file{'' if len(names) == 1 else 's'}</p><ul>{items}</ul></main>"
        )
        self._send(HTTPStatus.OK, _page(title, body), "text/html")

    def _canvas(self, name: str) -> None:
        preview = self._served(name)
        if preview is None:
            return
        if preview.view is None:
            self.server.refresh(name)
        assert preview.view is not None
        nonce = secrets.token_urlsafe(16)
        back = '<a href="/">all canvases</a> · ' if self.server.root.is_dir() else ""
        shown = html.escape(escaped(name))
        quoted = urllib.parse.quote(name)
        body = (
            f"<header>{back}<strong>{shown}</strong> · follows each save</header>\n"
            f'<main><div id="view">{preview.view}</div>'
            f'<section><h2>Report</h2><iframe id="report" title="report" '
            f'src="/report?file={quoted}&amp;v={preview.version}"></iframe></section></main>'
        )
        attributes = f' data-file="{html.escape(name)}" data-version="{preview.version}"'
        self._send(HTTPStatus.OK, _page(f"usager: {name}", body, nonce=nonce, attributes=attributes), "text/html")

    def _report(self, name: str) -> None:
        preview = self._served(name)
        if preview is None:
            return
        try:
            canvas = loads(read_bytes(preview.path), format_of(preview.path), source=str(preview.path))
            text = exporters.export("html", canvas)
        except (OSError, UsagerError) as exc:
            body = f"<main><p>No report: {html.escape(escaped(str(exc)))}</p></main>"
            text = _page("usager: no report", body)
        assert isinstance(text, str)
        self._send(HTTPStatus.OK, text, "text/html")

    def _events(self, name: str) -> None:
        preview = self._served(name)
        if preview is None:
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for version in self._versions(preview):
            self.wfile.write(f"data: {version}\n\n".encode() if version is not None else b": alive\n\n")
            self.wfile.flush()

    def _versions(self, preview: Preview) -> Iterator[int | None]:
        """The versions of ``preview`` as they come (the current one first); None when a keep-alive is due."""
        sent = -1
        while not self.server.stopping.is_set():
            with self.server.changed:
                if preview.version == sent:
                    self.server.changed.wait(KEEPALIVE)
                version = preview.version
            if self.server.stopping.is_set():
                return
            yield None if version == sent else version
            sent = version

    def _send(self, status: HTTPStatus, text: str, media_type: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{media_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)


def serve(
    path: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    config_of: Callable[[Path], Config | None] | None = None,
    ready: Callable[[Server], None] | None = None,
) -> None:
    """Serve the preview of the canvas file or folder at ``path`` until interrupted.

    ``config_of`` gives the configuration of each file (default: the nearest one, as ``usager
    check`` finds it); ``ready`` is called with the server once it listens (its address is
    ``server.server_address``).
    """
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(path)
    server = Server(root, (host, port), config_of or Config.discover)
    watcher = threading.Thread(target=server.watch, name="usager-serve-watch", daemon=True)
    watcher.start()
    try:
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.25)
    finally:
        server.stopping.set()
        with server.changed:
            server.changed.notify_all()
        server.server_close()
