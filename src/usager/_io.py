"""Reading and writing canvases in any format: :func:`dumps`, :func:`loads`, :func:`dump`, :func:`load`."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Literal, overload

from usager import exporters
from usager._document import Locate
from usager._i18n import language_of_text, say, say_n, speaking
from usager.canvas import Canvas
from usager.errors import CannotLoadError, CanvasError, LoadError, OutputPathError, UsagerError, escaped

__all__ = [
    "MAX_BYTES",
    "CannotLoadError",
    "OutputPathError",
    "comment_lines",
    "dump",
    "dumps",
    "format_of",
    "load",
    "loads",
    "locator_of",
    "notebook_bundle",
    "options_of",
    "read_bytes",
    "read_stream",
    "writable_path",
    "write_bytes",
]

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
    naming where the problem is; ``source`` prefixes its message. The problems are
    said in the document's ``language`` (French for ``fr``), also when the text
    cannot be read far enough to know it (a syntax error), as long as its
    ``language`` key can be found in the text; else in the language spoken
    (English, unless :func:`usager._i18n.speaking` says otherwise).
    """
    return _load(_loader(format), data, source)


def _load(loader: exporters.Loader, data: str | bytes, source: str | None) -> Canvas:
    """``loader.load(data)``, its problems said in the document's language (see :func:`loads`)."""
    try:
        return loader.load(data, source=source)
    except LoadError as exc:
        found = language_of_text(data) if isinstance(data, (str, bytes)) else None
        if found is None or found == exc.language:
            raise
    with speaking(found):  # only on the error path: said again, in the language the text names
        return loader.load(data, source=source)


def _name(path: Path, format: str | None) -> str:
    return format if format is not None else format_of(path)


def format_of(path: str | os.PathLike[str]) -> str:
    """The name of the format the suffix of ``path`` names (``canvas.yaml``: ``"yaml"``).

    Raises :class:`~usager.errors.UnknownExporterError` when no exporter writes that suffix.
    """
    return exporters.name_for_path(Path(path))


def options_of(exporter: exporters.Exporter) -> Mapping[str, type | tuple[str, ...]] | None:
    """The options ``exporter`` declares (:class:`~usager.exporters.HasOptions`), or None when it declares none."""
    return exporter.options if isinstance(exporter, exporters.HasOptions) else None


def locator_of(format: str, data: str | bytes) -> Locate | None:
    """Where each path of the document stands in ``data``, a text of ``format``; None when the format cannot say.

    See :class:`~usager.exporters.Locating`.
    """
    exporter = exporters.get(format)
    return exporter.locator(data) if isinstance(exporter, exporters.Locating) else None


def comment_lines(format: str, data: str | bytes) -> tuple[int, ...]:
    """The lines of ``data``, a text of ``format``, that hold a comment a rewrite would drop.

    See :class:`~usager.exporters.Commenting`; () for a format without comments.
    """
    exporter = exporters.get(format)
    return exporter.comments(data) if isinstance(exporter, exporters.Commenting) else ()


def dump(canvas: Canvas, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> Path:
    """Write ``canvas`` to ``path``, in ``format`` or the format its suffix names.

    The file is written atomically: the export is made first, written to a
    temporary file beside ``path`` and then moved into place, so on any
    failure (an interrupt included) the previous file is left as it was and no
    partial or temporary file remains. An existing file keeps its permissions.
    A symbolic link is kept: the file it leads to is the one replaced, beside
    which the temporary file is written. A path that is not a regular file (a
    folder, a device, a named pipe, a socket) is refused with
    :class:`~usager.errors.OutputPathError` before anything is exported.
    Returns the path written.
    """
    target = Path(path)
    real = writable_path(target)  # first: nothing is exported for a path that cannot take a file
    output = exporters.export(_name(target, format), canvas, **options)
    data = output.encode("utf-8") if isinstance(output, str) else output
    _write_atomically(real, data)
    return target


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to the file at ``path`` as :func:`dump` writes a canvas: atomically, refusing what is no file.

    Raises :class:`~usager.errors.OutputPathError` for a path that is not a regular file, and
    :class:`OSError` when the file cannot be written; returns the path written.
    """
    target = Path(path)
    _write_atomically(writable_path(target), data)
    return target


def _kind(mode: int) -> str:
    """What a file that is not regular is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"  # pragma: no cover - a door, a whiteout...


def writable_path(path: str | os.PathLike[str]) -> Path:
    """The file that writing to ``path`` replaces: ``path``, or what the symbolic link ``path`` leads to.

    Raises :class:`~usager.errors.OutputPathError` when that is there and is not a regular
    file (a folder, a device, a named pipe, a socket): such a path is never replaced by a
    file. A path where nothing is yet (a dangling link's target included) is fine.
    """
    given = os.fspath(path)
    try:
        info = os.stat(given)  # follows links: the kind of what a write would reach
    except FileNotFoundError:
        info = None
    link = os.path.islink(given)
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
    elif _names_a_descriptor(given):
        kind = "an open file descriptor"
    else:
        return Path(os.path.realpath(given)) if link else Path(given)
    raise OutputPathError(
        f"{escaped(given)} {'leads to' if link else 'is'} {kind}; usager writes regular files only, and wrote nothing",
        path=given,
    )


def _names_a_descriptor(path: str) -> bool:
    """Whether ``path``, or a link on the way from it, is ``/dev/fd/N`` or ``/proc/PID/fd/N`` (``/dev/stdout``...).

    Such a path stands for a descriptor open in some process (a shell's redirection, a log
    appended to): replacing the file behind it would throw away what that process wrote.
    """
    path = os.path.abspath(path)
    for _ in range(40):  # the most links a path resolves through on Linux
        if path.startswith("/dev/fd/") or (path.startswith("/proc/") and "/fd/" in path):
            return True
        if not os.path.islink(path):
            return False
        path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
    return False


def _write_atomically(target: Path, data: bytes) -> None:
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    # The temporary name is chosen before the file exists, so that whatever interrupts the
    # creation (a KeyboardInterrupt inside os.open included) can remove it by that name, and
    # one handler covers the whole write: any exception (a KeyboardInterrupt, the command
    # line's SIGTERM) that arrives at any point removes the temporary file.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    import secrets  # only when writing: its import costs more than the rest of this module

    temporary: Path | None = None
    try:
        for _ in range(100):
            temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
            try:
                fd = os.open(temporary, flags, 0o600)
            except FileExistsError:
                temporary = None  # another's: not to be removed
                continue
            break
        else:  # pragma: no cover - a hundred random names all taken
            raise FileExistsError(f"cannot create a temporary file beside {target}")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise


def read_stream(stream: BinaryIO, *, source: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read all of ``stream``, refusing with a :class:`~usager.errors.LoadError` past ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        message = say("the input is larger than {size}, the most usager reads", size=_size(max_bytes))
        raise LoadError.at("", message, source=source)
    return data


def _size(count: int) -> str:
    if count % (1024 * 1024) == 0:
        return say("{count} MiB", count=count // (1024 * 1024))
    return say_n("{n} byte", "{n} bytes", count)


@contextlib.contextmanager
def _open_regular(source: str, max_bytes: int) -> Iterator[BinaryIO]:
    """The regular file at ``source``, opened for reading; anything else refused before a byte is read."""
    # O_NONBLOCK: opening a FIFO for reading does not wait for a writer.
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)  # before os.fdopen, which refuses a folder with an error of its own
        if not stat.S_ISREG(info.st_mode):
            what = (
                say("is a folder")
                if stat.S_ISDIR(info.st_mode)
                else say("is not a regular file (a pipe, a device or a socket)")
            )
            message = say("{what}; usager reads canvases from regular files, and from standard input as '-'", what=what)
            raise LoadError.at("", message, source=source)
        if info.st_size > max_bytes:
            raise LoadError.at(
                "",
                say(
                    "the file has {count} bytes, more than {size}, the most usager reads",
                    count=info.st_size,
                    size=_size(max_bytes),
                ),
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
    return _load(loader, data, source)


def notebook_bundle(canvas: Canvas) -> dict[str, str]:
    """The notebook display of a canvas: its drawing as SVG (a draft when it has errors), and a summary."""
    bundle = {"text/plain": canvas.summary()}
    try:
        try:
            drawing = dumps(canvas, "svg")
        except CanvasError:  # a canvas in progress: its draft, findings listed
            drawing = dumps(canvas, "svg", draft=True)
        bundle["image/svg+xml"] = drawing.decode("utf-8")
    except UsagerError as exc:
        bundle["text/plain"] += f"\n(no drawing: {exc})"  # whole: Graphviz's says how to install it
    return bundle
