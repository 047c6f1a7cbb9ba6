from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import usager
from usager import LoadError
from usager.examples import mediatheque


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """Loading a named pipe does not wait for a writer: it is refused as not a regular file."""
    fifo = tmp_path / "canvas.json"
    os.mkfifo(fifo)
    code = f"import usager\ntry:\n    usager.load({str(fifo)!r})\nexcept usager.LoadError as e:\n    print(e)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True)
    assert "is not a regular file" in result.stdout
    assert "standard input as '-'" in result.stdout


def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    """A symbolic link to an endless device is refused, not read until memory runs out."""
    link = tmp_path / "canvas.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(LoadError, match="is not a regular file"):
        usager.load(link)


def test_a_folder_is_refused_whatever_its_name(tmp_path: Path) -> None:
    """A folder named like a canvas is refused as a folder."""
    folder = tmp_path / "canvas.json"
    folder.mkdir()
    with pytest.raises(LoadError, match="is a folder"):
        usager.load(folder)


def test_files_over_the_size_cap_are_refused_saying_the_cap(tmp_path: Path) -> None:
    """A file larger than max_bytes is refused with the sizes in the message."""
    target = usager.dump(mediatheque(), tmp_path / "canvas.json")
    size = target.stat().st_size
    with pytest.raises(LoadError, match=f"the file has {size} bytes, more than 100 bytes"):
        usager.load(target, max_bytes=100)
    assert usager.load(target, max_bytes=size) == mediatheque()
    assert usager.MAX_BYTES == 256 * 1024 * 1024


class Interrupted(BaseException):
    """Stands for a KeyboardInterrupt arriving at an unlucky moment."""


def _interrupt_after(real: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise Interrupted

    return wrapper


@pytest.mark.parametrize("where", ["open", "fsync", "chmod", "replace"])
def test_an_interrupt_at_any_step_of_dump_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Whichever step an interrupt hits, the previous file stays whole and no temporary file remains."""
    target = tmp_path / "canvas.json"
    target.write_text("previous")
    monkeypatch.setattr(os, where, _interrupt_after(getattr(os, where)))
    with pytest.raises(Interrupted):
        usager.dump(mediatheque(), target)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["canvas.json"]
    if where != "replace":  # the file was moved into place just before the interrupt
        assert target.read_text() == "previous"


def test_usager_exposes_max_bytes() -> None:
    """The size cap is public, documented data."""
    assert "MAX_BYTES" in dir(usager)
