"""Reading and writing canvases in any format: :func:`dumps`, :func:`loads`, :func:`dump`, :func:`load`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Literal, overload

from usager import exporters
from usager.canvas import Canvas
from usager.errors import UsagerError

__all__ = ["dump", "dumps", "load", "loads"]

TextFormat = Literal["json", "csv", "dot"]
BinaryFormat = Literal["svg", "png", "pdf"]


class CannotLoadError(UsagerError, ValueError):
    """The format asked for can be written but not read."""


@overload
def dumps(canvas: Canvas, format: TextFormat = ..., **options: Any) -> str: ...
@overload
def dumps(canvas: Canvas, format: BinaryFormat, **options: Any) -> bytes: ...
@overload
def dumps(canvas: Canvas, format: str, **options: Any) -> str | bytes: ...
def dumps(canvas: Canvas, format: str = "json", **options: Any) -> str | bytes:
    """``canvas`` in the format called ``format``, as ``str`` or ``bytes`` (per the exporter's ``binary``).

    ``options`` go to the exporter. Raises
    :class:`~usager.exporters.UnknownExporterError` for an unknown format.
    """
    return exporters.get(format).export(canvas, **options)


def _loader(exporter: exporters.Exporter) -> exporters.Loader:
    if not isinstance(exporter, exporters.Loader):
        readable = [n for n in exporters.available() if isinstance(_safe_get(n), exporters.Loader)]
        raise CannotLoadError(
            f"the {exporter.name!r} format can be written but not read; formats that read: {', '.join(readable)}"
        )
    return exporter


def _safe_get(name: str) -> exporters.Exporter | None:
    try:
        return exporters.get(name)
    except UsagerError:
        return None


def loads(data: str | bytes, format: str = "json", *, source: str | None = None) -> Canvas:
    """Read a canvas from ``data`` in the format called ``format``.

    Raises :class:`~usager.errors.LoadError` (a ``ValueError``) on bad input,
    naming where the problem is; ``source`` prefixes its message.
    """
    return _loader(exporters.get(format)).load(data, source=source)


def _exporter(path: Path, format: str | None) -> exporters.Exporter:
    return exporters.get(format) if format is not None else exporters.for_path(path)


def dump(canvas: Canvas, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> Path:
    """Write ``canvas`` to ``path``, in ``format`` or the format its suffix names.

    The file is written atomically: the export is made first, written to a
    temporary file beside ``path`` and then moved into place, so on any
    failure the previous file is left as it was and no partial file remains.
    An existing file keeps its permissions. Returns the path written.
    """
    target = Path(path)
    exporter = _exporter(target, format)
    output = exporter.export(canvas, **options)
    data = output.encode("utf-8") if isinstance(output, str) else output
    _write_atomically(target, data)
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    directory = target.parent
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    import tempfile

    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def load(path: str | os.PathLike[str], format: str | None = None) -> Canvas:
    """Read the canvas in the file at ``path``, in ``format`` or the format its suffix names.

    Raises :class:`~usager.errors.LoadError` on bad content (its message
    starts with the path), and :class:`OSError` when the file cannot be read.
    """
    source = Path(path)
    loader = _loader(_exporter(source, format))
    return loader.load(source.read_bytes(), source=os.fspath(path))
