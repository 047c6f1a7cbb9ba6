"""Driving the real headless Chromium through the DevTools protocol, over the pipe it offers.

``--remote-debugging-pipe`` makes Chromium read commands on its file descriptor 3 and write
answers and events on its descriptor 4, each a JSON object ended by a NUL byte: no port, no
websocket library. :class:`Browser` opens pages and evaluates JavaScript in them, so a test can
watch a live page change as a person would see it.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from .chromium_tools import _FLAGS, require_chromium

#: Starts Chromium with the two pipes as its descriptors 3 and 4 (the shell's redirections stop at 9).
_LAUNCH = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"
)


def _above(fd: int, least: int) -> int:
    """``fd`` moved to a descriptor number of at least ``least``."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, least)
    os.close(fd)
    return moved


class Browser:
    """A headless Chromium, and one page in it."""

    def __init__(self) -> None:
        chromium = require_chromium()
        self._profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # above 4, so that putting them at 3 and 4 cannot overwrite one with the other
        commands_read, answers_write = (_above(fd, 10) for fd in (commands_read, answers_write))
        self._process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(commands_read), str(answers_write), chromium, *_FLAGS,
             "--remote-debugging-pipe",
             f"--user-data-dir={self._profile.name}", "about:blank"],
            pass_fds=(commands_read, answers_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(commands_read)
        os.close(answers_write)
        self._ids = itertools.count(1)
        self._waiting: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session=True)
        self.send("Runtime.enable", session=True)

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._answers, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                answer = json.loads(message)
                with self._lock:
                    waiting = self._waiting.pop(answer.get("id", -1), None)
                if waiting is not None:
                    waiting.put(answer)

    def send(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send a command (to the page with ``session``); its result, or an AssertionError with its error."""
        number = next(self._ids)
        command: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session:
            command["sessionId"] = self._session
        answer: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._waiting[number] = answer
        os.write(self._commands, json.dumps(command).encode() + b"\0")
        got = answer.get(timeout=60)
        assert "error" not in got, got["error"]
        result: dict[str, Any] = got["result"]
        return result

    def open(self, url: str) -> None:
        """Go to ``url``."""
        self.send("Page.navigate", session=True, url=url)

    def evaluate(self, expression: str) -> Any:
        """The value of the JavaScript ``expression`` in the page."""
        result = self.send("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, check: Callable[[Any], bool], timeout: float = 30.0) -> Any:
        """Evaluate ``expression`` until ``check`` accepts its value (polling), and return that value."""
        deadline = time.monotonic() + timeout
        value: Any = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except AssertionError:  # the page is still loading
                value = None
            if check(value):
                return value
            time.sleep(0.05)
        raise AssertionError(f"{expression} stayed {value!r} for {timeout} s")

    def close(self) -> None:
        """Close the browser (asked first, then killed), and remove its profile."""
        try:
            self.send("Browser.close")
            self._process.wait(timeout=10)
        except (AssertionError, OSError, queue.Empty, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait(timeout=30)
        os.close(self._commands)
        os.close(self._answers)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
