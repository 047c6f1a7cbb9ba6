"""Checking many files: the canvases a folder holds, and work spread over worker processes.

:func:`canvas_files` expands the paths ``usager check`` is given (files and folders) into the
files to check, in path order; :func:`in_order` runs a function over them, in worker processes
when asked, and gives the results in the order of the files whatever the order the workers
finish in.
"""

from __future__ import annotations

import os
import signal
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from usager import exporters
from usager._config import CONFIG_FILES, Config
from usager._io import format_of
from usager.errors import UnknownExporterError, UsagerError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["WorkerLostError", "canvas_files", "cores", "in_order", "is_canvas_file"]

_T = TypeVar("_T")
_R = TypeVar("_R")


class WorkerLostError(UsagerError, RuntimeError):
    """A worker process of :func:`in_order` ended before giving its results."""


def cores() -> int:
    """The number of cores this process may run on (at least 1): the default of ``--jobs``."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)


def _readable() -> tuple[frozenset[str], frozenset[str]]:
    """The names of the formats usager reads, and their suffixes (lower case)."""
    names = exporters.readable()
    return frozenset(names), frozenset(s.lower() for name in names for s in exporters.get(name).suffixes)


def is_canvas_file(path: str | os.PathLike[str], readable: tuple[frozenset[str], frozenset[str]] | None = None) -> bool:
    """Whether a folder walk checks the file at ``path``: its format (by suffix) is one usager reads.

    Configuration files (``usager.toml``, ``pyproject.toml``) are not canvases; ``a.ujg.json`` is
    written by an exporter that does not read (the longest suffix names the format). ``readable``
    is what :func:`_readable` gives, computed once for a walk.
    """
    names, suffixes = readable or _readable()
    name = Path(path).name
    if name in CONFIG_FILES or Path(name).suffix.lower() not in suffixes:
        return False
    try:
        return format_of(path) in names
    except UnknownExporterError:
        return False


def canvas_files(
    paths: Sequence[str],
    config_of: Callable[[str], Config | None],
    baselines: Iterable[str | os.PathLike[str]] = (),
    *,
    force_exclude: bool = False,
) -> list[str]:
    """The files to check for ``paths``, files and folders, sorted by path, each once.

    A file named is checked whatever its name (``-`` is standard input). A folder is walked
    recursively for the files whose suffix a reader knows (:func:`is_canvas_file`), leaving out
    hidden files and folders (``.git``, ``.venv``...), what the ``exclude`` globs of the
    configuration that applies to each folder (``config_of(folder)``) match, and the files that
    are no canvases: the configuration's baseline and rulesets, and ``baselines`` (the files
    ``--baseline`` and ``--write-baseline`` name). With ``force_exclude``, a file named is left
    out too when its configuration's ``exclude`` matches it (as pre-commit names every file).
    """
    readable: tuple[frozenset[str], frozenset[str]] | None = None
    found: set[str] = set()
    skipped = {os.path.realpath(b) for b in baselines}
    for path in paths:
        if path != "-" and os.path.isdir(path):
            readable = readable or _readable()
            found.update(_walk(path, config_of, readable, skipped))
        elif path == "-" or not force_exclude:
            found.add(path)
        else:
            config = config_of(path)
            if config is None or not config.excluded(path):
                found.add(path)
    return sorted(found, key=_order)


def _order(path: str) -> tuple[tuple[str, ...], str]:
    """Paths sort folder by folder (``a/b.json`` before ``a-b.json``), ``-`` first; ``./a`` and ``a`` as written."""
    return (() if path == "-" else Path(path).parts), path


def _walk(
    folder: str,
    config_of: Callable[[str], Config | None],
    readable: tuple[frozenset[str], frozenset[str]],
    baselines: set[str],
) -> Iterator[str]:
    # the working folder's files are named as a person would, a.json rather than ./a.json
    here_prefix = len(os.curdir + os.sep) if os.path.normpath(folder) == os.curdir else 0
    # the files each configuration of the walk names, by its id (the configuration kept, so its id stays its own)
    owned: dict[int, tuple[Config, set[str]]] = {}
    for here, folders, files in os.walk(folder):
        config = config_of(here)
        kept = [d for d in folders if not d.startswith(".")]
        if config is not None and config.exclude:
            kept = [d for d in kept if not config.excluded(os.path.join(here, d))]
        folders[:] = kept
        for name in files:
            path = os.path.join(here, name)
            if name.startswith(".") or not is_canvas_file(path, readable):
                continue
            if config is not None and config.excluded(path):
                continue
            if config is not None and id(config) not in owned:
                owned[id(config)] = (config, baselines | {os.path.realpath(f) for f in config.own_files()})
            own = baselines if config is None else owned[id(config)][1]
            if own and os.path.realpath(path) in own:
                continue
            yield path[here_prefix:]


def in_order(function: Callable[[_T], _R], items: Sequence[_T], jobs: int) -> Iterator[_R]:
    """``function`` over ``items``, the results in the items' order.

    With ``jobs`` above 1 and more than one item, the calls run in a pool of at most ``jobs``
    worker processes (:func:`_pool`): ``function``
    must be a module-level function, and the items and results plain, picklable data. Otherwise
    they run here, one after the other, as the results are asked for. A worker that dies (killed,
    out of memory) raises :class:`WorkerLostError`.
    """
    if jobs <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    from concurrent.futures.process import BrokenProcessPool  # only here: a command of one file never needs it

    workers = min(jobs, len(items))
    chunk = max(1, len(items) // (workers * 8))
    pool = _pool(workers)
    try:
        yield from pool.map(function, items, chunksize=chunk)
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise WorkerLostError(
            f"one of the {workers} worker processes stopped before its work was done (killed, or out of "
            "memory?); --jobs 1 checks the files in this process"
        ) from None
    except BaseException:  # Ctrl-C, or the caller stopped early: the work not begun is dropped
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, started the system's default way.

    That is ``fork`` on Linux up to Python 3.13 (a copy of this process, usager already imported:
    the cheapest start), ``forkserver`` from 3.14, ``spawn`` (a fresh interpreter) on macOS and
    Windows; what crosses to and from the workers is picklable data in every case.
    """
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, initializer=_worker_started)


def _worker_started() -> None:
    """A worker leaves Ctrl-C to the command that started it, which stops the work and says so once.

    So too the warnings about the exporters installed (a clash of names, one that cannot load):
    the command has given them already, when it looked for the formats that read.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.simplefilter("ignore", exporters.ExporterWarning)
