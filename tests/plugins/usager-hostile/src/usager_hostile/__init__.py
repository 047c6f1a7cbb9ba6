"""usager exporters that fail in awkward ways, for the registry's and the command line's tests."""

from __future__ import annotations

from typing import Any

#: What the chatty exporter's exception says: a terminal escape, a bidirectional override,
#: a forged workflow command and megabytes more.
CHATTY = "\x1b[2J\u202e" + "\n::error file=README.md,line=1::injected" + "spam\n" * 1_000_000


class Plain:
    name = "plain"
    suffixes = (".plain",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas: Any, **options: Any) -> str:
        return str(canvas.name)


class _Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("this exception cannot say what it is")


class Mute(Plain):
    """Raises an exception that cannot be turned into text."""

    name = "mute"
    suffixes = (".mute",)

    def export(self, canvas: Any, **options: Any) -> str:
        raise _Unprintable()


class Chatty(Plain):
    """Raises an exception that says too much."""

    name = "chatty"
    suffixes = (".chatty",)

    def export(self, canvas: Any, **options: Any) -> str:
        raise ValueError(CHATTY)


class Vague(Plain):
    """Cannot say whether it writes bytes."""

    name = "vague"
    suffixes = (".vague",)

    @property
    def binary(self) -> bool:  # type: ignore[override]
        raise RuntimeError("binary or not, who knows")


class Suffixless(Plain):
    """Writes files of no suffix."""

    name = "suffixless"
    suffixes = ()  # type: ignore[assignment]


class Interrupted(Plain):
    """Sends its own process the signal ``send`` names (INT, TERM) while it exports, from source text run by exec()."""

    name = "interrupted"
    suffixes = (".interrupted",)

    def export(self, canvas: Any, send: str | None = None, **options: Any) -> str:
        if send is not None:
            exec(f"import os, signal, time\nos.kill(os.getpid(), signal.SIG{send})\ntime.sleep(30)")
        return "not interrupted"
