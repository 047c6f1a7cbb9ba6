"""Reading and writing canvases in any format: :func:`dumps`, :func:`loads`, :func:`dump`, :func:`load`."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal, overload

from usager import exporters
from usager.canvas import Canvas, set_display
from usager.errors import CannotLoadError, CanvasError, LoadError, UsagerError

__all__ = ["MAX_BYTES", "CannotLoadError", "dump", "dumps", "load", "loads", "read_bytes", "read_stream"]

TextFormat = Literal["json", "csv", "yaml", "toml", "dot", "markdown", "html"]
BinaryFormat = Literal["svg", "png", "pdf"]

#: The largest file :func:`load` reads, in bytes (256 MiB), unless told otherwise.
MAX_BYTES = 256 * 1024 * 1024


@overload
def dumps(canvas: Canvas, format: TextFormat = ..., **options: Any) -> str: ...
@overload
def dumps(canvas: Canvas, format: BinaryFormat, **options: Any) -> bytes: ...
@overload
def dumps(canvas: Canvas, format: str, **options: Any) -> str | bytes: ...
def dumps(canvas: Canvas, format: str = "json", **options: Any) -> str | bytes:
    """``canvas`` in the format called ``format``, as ``str`` or ``bytes`` (per the exporter's ``binary``).

    ``options`` go to the exporter. Raises
    :class:`~usager.errors.UnknownExporterError` for an unknown format, and
    :class:`~usager.errors.ExporterError` when the exporter fails.
    """
    return exporters.export(format, canvas, **options)


def _loader(name: str) -> exporters.Loader:
    exporter = exporters.get(name)
    if not isinstance(exporter, exporters.Loader):
        raise CannotLoadError(
            f"the {name!r} format can be written but not read; formats that read: {', '.join(exporters.readable())}"
        )
    return exporter


def loads(data: str | bytes, format: str = "json", *, source: str | None = None) -> Canvas:
    """Read a canvas from ``data`` in the format called ``format``.

    Raises :class:`~usager.errors.LoadError` (a ``ValueError``) on bad input,
    naming where the problem is; ``source`` prefixes its message.
    """
    return _loader(format).load(data, source=source)


def _name(path: Path, format: str | None) -> str:
    return format if format is not None else exporters.name_for_path(path)


def dump(canvas: Canvas, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> Path:
    """Write ``canvas`` to ``path``, in ``format`` or the format its suffix names.

    The file is written atomically: the export is made first, written to a
    temporary file beside ``path`` and then moved into place, so on any
    failure (an interrupt included) the previous file is left as it was and no
    partial or temporary file remains. An existing file keeps its permissions.
    Returns the path written.
    """
    target = Path(path)
    output = exporters.export(_name(target, format), canvas, **options)
    data = output.encode("utf-8") if isinstance(output, str) else output
    _write_atomically(target, data)
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # The temporary name is chosen before the file exists, so that whatever interrupts the
    # creation (a KeyboardInterrupt inside os.open included) can remove it by that name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    import secrets  # only when writing: its import costs more than the rest of this module

    for _ in range(100):
        temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temporary, flags, 0o600)
        except FileExistsError:
            continue
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        break
    else:  # pragma: no cover - a hundred random names all taken
        raise FileExistsError(f"cannot create a temporary file beside {target}")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_stream(stream: BinaryIO, *, source: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read all of ``stream``, refusing with a :class:`~usager.errors.LoadError` past ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LoadError.at("", f"the input is larger than {_size(max_bytes)}, the most usager reads", source=source)
    return data


def _size(count: int) -> str:
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    return f"{count} bytes"


@contextlib.contextmanager
def _open_regular(source: str, max_bytes: int) -> Iterator[BinaryIO]:
    """The regular file at ``source``, opened for reading; anything else refused before a byte is read."""
    # O_NONBLOCK: opening a FIFO for reading does not wait for a writer.
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)  # before os.fdopen, which refuses a folder with an error of its own
        if not stat.S_ISREG(info.st_mode):
            what = (
                "is a folder" if stat.S_ISDIR(info.st_mode) else "is not a regular file (a pipe, a device or a socket)"
            )
            raise LoadError.at(
                "", f"{what}; usager reads canvases from regular files, and from standard input as '-'", source=source
            )
        if info.st_size > max_bytes:
            raise LoadError.at(
                "",
                f"the file has {info.st_size} bytes, more than {_size(max_bytes)}, the most usager reads",
                source=source,
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> bytes:
    """The content of the regular file at ``path``, at most ``max_bytes`` long.

    A folder, a pipe, a device or a socket is refused with a
    :class:`~usager.errors.LoadError` (nothing is read from it, so a FIFO
    cannot hang the caller nor ``/dev/zero`` fill the memory), and so is a
    file larger than ``max_bytes``. A file that cannot be opened raises
    :class:`OSError`.
    """
    source = os.fspath(path)
    with _open_regular(source, max_bytes) as handle:
        return read_stream(handle, source=source, max_bytes=max_bytes)


def load(path: str | os.PathLike[str], format: str | None = None, *, max_bytes: int = MAX_BYTES) -> Canvas:
    """Read the canvas in the file at ``path``, in ``format`` or the format its suffix names.

    Only regular files are read, of at most ``max_bytes`` (256 MiB by default).
    Raises :class:`~usager.errors.LoadError` on bad content or on a file that
    is not regular or too large (its message starts with the path), and
    :class:`OSError` when the file cannot be opened.
    """
    source = os.fspath(path)
    with _open_regular(source, max_bytes) as handle:  # first: a folder has no suffix to go by
        loader = _loader(_name(Path(source), format))
        data = read_stream(handle, source=source, max_bytes=max_bytes)
    return loader.load(data, source=source)


def _notebook(canvas: Canvas) -> dict[str, str]:
    """The notebook display of a canvas: its drawing as SVG (a draft when it has errors), and a summary."""
    bundle = {"text/plain": canvas.summary()}
    try:
        try:
            drawing = dumps(canvas, "svg")
        except CanvasError:  # a canvas in progress: its draft, findings listed
            drawing = dumps(canvas, "svg", draft=True)
        bundle["image/svg+xml"] = drawing.decode("utf-8")
    except UsagerError as exc:
        bundle["text/plain"] += f"\n(no drawing: {str(exc).splitlines()[0]})"
    return bundle


set_display(_notebook)
