"""The ``svg``, ``png`` and ``pdf`` exporters: the DOT drawing rendered by Graphviz.

Rendering runs the real Graphviz ``dot`` program through the ``graphviz``
package, on the source the ``dot`` exporter writes (whose ``layout`` attribute
picks the engine that draws it). Graphviz is a system program, not a Python package: where ``dot``
is missing, :class:`GraphvizNotFoundError` says how to install it (the
``dot`` exporter, which only writes source, still works).
"""

from __future__ import annotations

import re
from typing import Any

from usager.canvas import Canvas
from usager.errors import GraphvizNotFoundError, RenderError
from usager.exporters.dot import OPTION_HELP, OPTIONS, _options, to_dot

__all__ = ["GraphvizNotFoundError", "PdfExporter", "PngExporter", "RenderError", "SvgExporter", "render"]

INSTALL_HELP = (
    "Graphviz's 'dot' program was not found on PATH; rendering needs it. Install Graphviz:\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  Fedora: sudo dnf install graphviz\n"
    "  macOS (Homebrew): brew install graphviz\n"
    "  conda: conda install -c conda-forge graphviz\n"
    "  Windows: winget install graphviz (then add its bin folder to PATH)\n"
    "The 'dot' exporter (Graphviz source) works without it."
)

# Cairo stamps PDFs with the time they were made; a fixed stamp of the same length keeps the
# output deterministic without moving any byte offset the file's cross-reference table holds.
_PDF_DATE = re.compile(rb"/CreationDate \(D:\d{14}(?:Z|[+-]\d\d'\d\d')?\)")
_FIXED_DATE = b"D:19700101000000Z"


def _fixed_pdf_date(data: bytes) -> bytes:
    def same_length(match: re.Match[bytes]) -> bytes:
        inside = match.group()[len(b"/CreationDate (") : -1]
        return b"/CreationDate (" + _FIXED_DATE.ljust(len(inside), b" ") + b")"

    return _PDF_DATE.sub(same_length, data)


def render(canvas: Canvas, format: str, **options: Any) -> bytes:
    """Render the drawing of ``canvas`` to ``format`` (``svg``, ``png`` or ``pdf``) with Graphviz."""
    import graphviz  # type: ignore[import-untyped]

    source = to_dot(canvas, **_options(options))
    try:
        data: bytes = graphviz.pipe("dot", format, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError(INSTALL_HELP) from None
    except graphviz.CalledProcessError as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz could not render {canvas.name!r} as {format}: {said}") from None
    return _fixed_pdf_date(data) if format == "pdf" else data


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
    """The drawing as SVG, rendered by Graphviz."""

    name = "svg"
    suffixes = (".svg",)
    media_type = "image/svg+xml"


class PngExporter(_Rendered):
    """The drawing as a PNG image, rendered by Graphviz."""

    name = "png"
    suffixes = (".png",)
    media_type = "image/png"


class PdfExporter(_Rendered):
    """The drawing as a PDF document, rendered by Graphviz (with a fixed creation date)."""

    name = "pdf"
    suffixes = (".pdf",)
    media_type = "application/pdf"
