"""``usager serve``: the page follows each save, in the real headless Chromium, and the server survives bad files."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import usager
from usager import examples
from usager.examples import Brake

from .cdp import Browser

STATUS = "document.getElementById('status') && document.getElementById('status').textContent"
CLASS = "document.getElementById('status') && document.getElementById('status').className"


class Served:
    """A running ``usager serve`` and its address."""

    def __init__(self, path: Path, *extra: str) -> None:
        env = {**os.environ, "USAGER_DISABLE_PLUGINS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "usager", "serve", str(path), "--port", "0", "--no-open", *extra],
            stderr=subprocess.PIPE, text=True, env=env, cwd=path.parent,
        )  # fmt: skip
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        found = re.search(r"at (http://\S+/) \(Ctrl-C stops\)", line)
        assert found, line + (self.process.stderr.read() if self.process.poll() is not None else "")
        self.url = found.group(1)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def stop(self) -> tuple[int, str]:
        """Ctrl-C: the exit code, and what the server said on standard error after its address."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        assert self.process.stderr is not None
        with self.process.stderr:
            return code, self.process.stderr.read()


@pytest.fixture
def cafe(tmp_path: Path) -> Path:
    return usager.dump(examples.repair_cafe(), tmp_path / "cafe.yaml")


@pytest.fixture
def served(cafe: Path) -> Iterator[Served]:
    server = Served(cafe)
    yield server
    code, said = server.stop()
    assert code == 130  # Ctrl-C stops it as it stops every command
    assert "Traceback" not in said


def test_health_and_the_page(served: Served) -> None:
    assert served.get("/health") == (200, "ok")
    status, page = served.get("/")
    assert status == 200
    assert "Content-Security-Policy" in page
    assert "script-src 'nonce-" in page
    assert "Repair café" in page
    assert '<div class="drawing" id="cycle"><svg' in page
    assert '<div class="drawing" id="lanes"><svg' in page
    status, report = served.get("/report?file=cafe.yaml")
    assert status == 200
    assert report.startswith("<!DOCTYPE html>")


def test_nothing_but_the_served_canvases_is_read(served: Served, cafe: Path) -> None:
    (cafe.parent / "secret.txt").write_text("the secret", encoding="utf-8")
    for name in ("../secret.txt", "secret.txt", "/etc/passwd", "cafe.yaml/../secret.txt"):
        for route in ("view", "report", "canvas"):
            status, body = served.get(f"/{route}?file={name}")
            assert status == 404, (route, name)
            assert "the secret" not in body


def test_the_page_follows_each_save(served: Served, cafe: Path, tmp_path: Path) -> None:
    with Browser() as browser:
        browser.open(served.url)
        browser.wait_for(STATUS, lambda text: bool(text) and text.startswith("Repair café:"))
        browser.evaluate("window.sameDocument = 42")  # gone if the page reloads

        # a save: the page shows the new canvas, with no reload
        usager.dump(examples.repair_cafe().add(Brake(id="late", label="Late", stage="ghost")), cafe)
        browser.wait_for(STATUS, lambda text: bool(text) and "1 error" in text)
        findings = browser.evaluate("document.getElementById('findings').textContent")
        assert re.search(r"\d+:\d+ U002 error brake 'late' \(Late\) names 'ghost'", findings), findings
        assert browser.evaluate("window.sameDocument") == 42

        # a file that does not load: its problems, and the last drawing greyed
        cafe.write_text(cafe.read_text(encoding="utf-8").replace("stages:", "stages: [", 1), encoding="utf-8")
        browser.wait_for(CLASS, lambda name: name == "failed")
        problems = browser.evaluate("document.getElementById('problems').textContent")
        assert re.search(r"\d+:\d+: not valid YAML", problems), problems
        assert browser.evaluate("document.querySelectorAll('.drawings.stale svg').length") == 2

        # fixed, then deleted: the server keeps going
        usager.dump(examples.repair_cafe(), cafe)
        browser.wait_for(CLASS, lambda name: name == "ok")
        assert browser.evaluate("document.querySelectorAll('.drawings.stale').length") == 0
        cafe.unlink()
        browser.wait_for(STATUS, lambda text: bool(text) and "is gone" in text)
        usager.dump(examples.complete(), cafe)
        browser.wait_for(STATUS, lambda text: bool(text) and "is gone" not in text and "class" not in text)
        assert browser.evaluate("window.sameDocument") == 42
    assert served.get("/health") == (200, "ok")


def test_a_folder_is_an_index_of_its_canvases(tmp_path: Path) -> None:
    usager.dump(examples.repair_cafe(), tmp_path / "cafe.yaml")
    (tmp_path / "town").mkdir()
    usager.dump(examples.mediatheque(), tmp_path / "town" / "library.json")
    (tmp_path / "notes.txt").write_text("not a canvas", encoding="utf-8")
    server = Served(tmp_path)
    try:
        status, index = server.get("/")
        assert status == 200
        assert re.findall(r'href="/canvas\?file=([^"]+)"', index) == ["cafe.yaml", "town/library.json"]
        status, page = server.get("/canvas?file=town/library.json")
        assert status == 200
        assert '<div class="drawing" id="cycle"><svg' in page
        with Browser() as browser:
            browser.open(server.url + "canvas?file=town/library.json")
            browser.wait_for(STATUS, lambda text: bool(text) and ":" in text)
            usager.dump(examples.mediatheque().add(Brake(id="late", label="Late", stage="ghost")),
                        tmp_path / "town" / "library.json")  # fmt: skip
            browser.wait_for(STATUS, lambda text: bool(text) and "1 error" in text)
    finally:
        assert server.stop()[0] == 130


def test_a_missing_path_is_one_error_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "usager", "serve", str(tmp_path / "nope.yaml"), "--no-open"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == f"usager: error: {tmp_path / 'nope.yaml'}: no such file or folder\n"


def test_the_latency_benchmark_runs() -> None:
    """``benchmarks/live.py`` measures a save to its view fetched (a smoke run on a small canvas)."""
    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "live.py"
    done = subprocess.run(
        [sys.executable, str(bench), "--sizes", "20", "--rounds", "2"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[0].split()[:4] == ["elements", "findings", "cycle", "all"]
    size, findings, cycle, every = rows[1].split()
    assert size == "20"
    assert 0 < float(findings) <= float(cycle) <= float(every)
