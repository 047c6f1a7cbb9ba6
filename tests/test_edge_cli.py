"""The command line and the writers at their edges.

What a write may replace (a symbolic link is followed, a folder, a device, a named pipe or a
socket is refused), what is left after a signal, an output closed or gone, plugins that fail
in awkward ways, and user text (file names, labels) that would act on a terminal or a CI log.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import usager
from usager import Brake, Canvas, exporters
from usager.cli import main
from usager.errors import LoadError, OutputPathError, UsagerError
from usager.examples import complete

from .plugins import ROOT, pip_install

HOSTILE = ROOT / "tests" / "plugins" / "usager-hostile"

#: Characters that act on a terminal or a log: ESC, a bidirectional override, line breaks.
HOSTILE_CHARACTERS = ("\x1b", "\u202e", "\r")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usager_process(*argv: str) -> list[str]:
    """The real command line, as a list for subprocess."""
    return [sys.executable, "-m", "usager", *argv]


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- Writing: links are followed, what is not a regular file is refused ---------------------


def test_dump_writes_through_a_symbolic_link_and_keeps_it(tmp_path: Path) -> None:
    """The file a link leads to is replaced, beside itself; the link stays a link."""
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "canvas.json"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert usager.dump(complete(), link) == link
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert usager.load(real) == complete()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real"]


def test_dump_through_a_dangling_link_creates_what_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    usager.dump(complete(), link)
    assert link.is_symlink()
    assert usager.load(tmp_path / "made.json") == complete()


def _not_regular(kind: str, path: Path) -> None:
    """Make a ``kind`` of file that is not regular at ``path``."""
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        if len(os.fsencode(path)) > 100:  # pragma: no cover - AF_UNIX paths are short
            pytest.skip("the temporary folder's path is too long for a socket")
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    else:  # a character device: a copy of the null device's node, harmless to lose
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))


NOT_REGULAR = ["folder", "fifo", "socket", "device"]


@pytest.mark.parametrize("kind", NOT_REGULAR)
@pytest.mark.parametrize("through_link", [False, True], ids=["itself", "link"])
def test_dump_refuses_what_is_not_a_regular_file_before_exporting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, through_link: bool
) -> None:
    """A folder, a named pipe, a socket or a device (or a link to one) is left as it is, nothing exported."""
    target = tmp_path / "target.json"
    _not_regular(kind, target)
    mode = target.lstat().st_mode
    path = tmp_path / "link.json" if through_link else target
    if through_link:
        path.symlink_to(target)

    def export(*args: object, **kwargs: object) -> str:
        raise AssertionError("exported for a path that cannot take the file")

    monkeypatch.setattr(exporters, "export", export)
    with pytest.raises(OutputPathError) as caught:
        usager.dump(complete(), path)
    assert isinstance(caught.value, UsagerError)
    assert isinstance(caught.value, OSError)
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path} {'leads to' if through_link else 'is'} a ")
    assert "wrote nothing" in str(caught.value)
    assert target.lstat().st_mode == mode
    assert path.is_symlink() is through_link
    assert temporary_files(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_dump_refuses_a_link_to_an_open_descriptor(tmp_path: Path) -> None:
    """/dev/stdout and its kind stand for a descriptor: the log behind it is not replaced."""
    log = tmp_path / "build.log"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write("what the build said\n")
        handle.flush()
        link = tmp_path / "out.json"
        link.symlink_to(f"/proc/self/fd/{handle.fileno()}")
        with pytest.raises(OutputPathError, match="leads to an open file descriptor"):
            usager.dump(complete(), link)
    assert log.read_text(encoding="utf-8") == "what the build said\n"


def test_fmt_rewrites_the_file_a_link_leads_to(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text(json.dumps(usager.to_dict(complete()), indent=7), encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    code, _, err = run(capsys, "fmt", str(link))
    assert (code, err.splitlines()[0]) == (0, f"reformatted {link}")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == usager.dumps(complete(), "json")


@pytest.mark.parametrize("kind", NOT_REGULAR)
@pytest.mark.parametrize(
    "command",
    [["export", "{canvas}", "--to", "json", "-o", "{out}"], ["new", "-o", "{out}"], ["new", "--force", "-o", "{out}"]],
    ids=["export", "new", "new-force"],
)
def test_the_command_line_refuses_to_write_over_what_is_not_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, command: list[str]
) -> None:
    """One 'usager: error:' line, exit 2, the path left as it was."""
    canvas = usager.dump(complete(), tmp_path / "canvas.json")
    out = tmp_path / "out.json"
    _not_regular(kind, out)
    mode = out.lstat().st_mode
    code, stdout, err = run(capsys, *(a.format(canvas=canvas, out=out) for a in command))
    assert (code, stdout) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"usager: error: {out} is a ")
    assert out.lstat().st_mode == mode
    assert temporary_files(tmp_path) == []


# --- Signals: the temporary file goes, the exit code says which signal ----------------------


@pytest.fixture(scope="module")
def large_canvas() -> bytes:
    """A canvas of about 20 MB, whose write takes long enough to be interrupted."""
    brakes = [Brake(id=f"b{i}", label=f"Brake {i}", stage="usage", description="x" * 10_000) for i in range(2000)]
    return usager.dumps(Canvas.standard("Large").add(*brakes), "json").encode("utf-8")


def _interrupted(folder: Path, data: bytes, signum: int, *, delay: float | None) -> tuple[int, str]:
    """Export ``data`` (from standard input) to ``folder``, sending ``signum`` after ``delay`` seconds.

    The delay counts from the moment the input is read (the handlers are in place by then);
    ``None`` sends it as soon as the temporary file appears, in the middle of the write.
    """
    with subprocess.Popen(
        usager_process("export", "-", "-o", str(folder / "out.json")),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None
        assert process.stderr is not None
        process.stdin.write(data)  # returns once all but a pipe's buffer of it is read
        process.stdin.close()
        if delay is not None:
            time.sleep(delay)
        else:
            deadline = time.monotonic() + 60
            while process.poll() is None and not temporary_files(folder) and time.monotonic() < deadline:
                pass
        if process.poll() is None:
            process.send_signal(signum)
        err = process.stderr.read().decode("utf-8", "replace")
        return process.wait(timeout=60), err


@pytest.mark.parametrize(("signum", "expected"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_a_signal_during_a_write_leaves_no_temporary_file(
    tmp_path: Path, large_canvas: bytes, signum: int, expected: int
) -> None:
    """Interrupted at any moment, the write leaves no temporary file; the exit code is 128 + the signal.

    A signal that comes once the command is done (0: it wrote the file) finds the interpreter
    shutting down, with the default handlers back: it ends the process, with nothing to clean.
    """
    codes = []
    for delay in (None, None, None, 0.0, 0.05, 0.15, 0.3):
        code, err = _interrupted(tmp_path, large_canvas, signum, delay=delay)
        codes.append(code)
        assert temporary_files(tmp_path) == [], (delay, code, err)
        if code == -signum:  # the signal came after the command, as the interpreter shut down
            assert err.startswith("wrote "), (delay, code, err)
        else:
            assert code in (expected, 0), (delay, code, err)
        assert "Traceback" not in err
        assert len(err.splitlines()) <= 1, err
        if code == expected and (tmp_path / "out.json").exists():  # the previous file, whole
            assert (tmp_path / "out.json").read_bytes() == large_canvas
    assert codes.count(expected) >= 4, codes


@pytest.mark.parametrize(("send", "expected"), [("INT", 130), ("TERM", 143)])
def test_a_signal_while_a_plugin_runs_exec_exits_as_documented(
    tmp_path: Path, hostile_site: Path, send: str, expected: int
) -> None:
    """A signal that arrives in code run by exec() (the interpreter's own mark of it included) exits 130 or 143."""
    canvas = usager.dump(complete(), tmp_path / "canvas.json")
    result = subprocess.run(
        usager_process("export", str(canvas), "-o", str(tmp_path / "out.interrupted"), "-O", f"send={send}"),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(hostile_site), exporters.DISABLE_PLUGINS_ENV: "0"},
    )
    assert result.returncode == expected
    assert result.stderr == ("usager: interrupted\n" if send == "INT" else "usager: terminated\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canvas.json"]


def test_dump_installs_no_signal_handler_and_cleans_up_after_any_exception(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library leaves signals to the application; whatever stops a write removes its temporary file."""

    class Stop(BaseException):
        pass

    def stop(fd: int) -> None:
        raise Stop

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    target = usager.dump(Canvas.standard("Before"), tmp_path / "canvas.json")
    monkeypatch.setattr(os, "fsync", stop)
    with pytest.raises(Stop):
        usager.dump(complete(), target)
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    assert temporary_files(tmp_path) == []
    assert usager.load(target) == Canvas.standard("Before")


# --- An output closed or gone: no traceback, a non-zero exit --------------------------------


@pytest.mark.parametrize("command", [["exporters"], ["check", "{canvas}"], ["schema"]])
def test_a_closed_standard_output_is_one_error_line(tmp_path: Path, command: list[str]) -> None:
    canvas = usager.dump(Canvas.standard("Bare"), tmp_path / "canvas.json")  # warnings to print
    argv = usager_process(*(a.format(canvas=canvas) for a in command))
    result = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *argv], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("usager: error:")]
    assert errors == ["usager: error: cannot write the output: standard output is closed"]


def test_a_reader_gone_away_ends_the_command_quietly(tmp_path: Path) -> None:
    """usager schema | head: no message, no traceback, exit 141 as for SIGPIPE."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(usager_process("schema"), stdout=write, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (141, b"")


# --- User errors: one line, exit 2 ----------------------------------------------------------


@pytest.mark.parametrize("example", [[], ["--example"]], ids=["new", "example"])
@pytest.mark.parametrize("name", ["   ", "a\x00b"], ids=["blank", "nul"])
def test_new_refuses_a_name_a_canvas_cannot_take(
    capsys: pytest.CaptureFixture[str], example: list[str], name: str
) -> None:
    code, out, err = run(capsys, "new", *example, "--name", name)
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"usager: error: --name {name!r}: ")


# --- Plugins that fail in awkward ways ------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the usager-hostile plugin distribution, installed by pip."""
    return pip_install(HOSTILE, tmp_path_factory.mktemp("hostile-site"))


@pytest.fixture
def with_hostile(hostile_site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The usager-hostile plugin is installed for this test."""
    monkeypatch.setenv(exporters.DISABLE_PLUGINS_ENV, "0")
    monkeypatch.syspath_prepend(str(hostile_site))
    exporters.refresh()
    yield hostile_site
    monkeypatch.undo()
    exporters.refresh()
    for module in ("usager_hostile", "usager_hostile.loud"):
        sys.modules.pop(module, None)


def _one_bounded_line(text: str) -> str:
    """The single line of ``text``: bounded, with no character that acts on a terminal."""
    [line] = text.splitlines()
    assert len(line) < 1000
    assert not any(c in line for c in HOSTILE_CHARACTERS)
    return line


@pytest.mark.usefixtures("with_hostile")
@pytest.mark.filterwarnings("ignore::usager.errors.ExporterWarning")
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("mute", "failed: _Unprintable (whose message cannot be shown: its __str__ fails)"),
        ("chatty", "failed: ValueError: \\x1b[2J\\u202e\\n::error file=README.md,line=1::injectedspam\\nspam"),
        ("loud", "failed to load: RuntimeError: \\x1b[2J\\u202e\\n::error"),
        ("vague", "fails when its declarations are read: RuntimeError: binary or not, who knows"),
        ("suffixless", "has suffixes (); expected a non-empty tuple"),
    ],
)
def test_a_failing_plugin_is_one_bounded_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, says: str
) -> None:
    canvas = usager.dump(complete(), tmp_path / "canvas.json")
    code, out, err = run(capsys, "export", str(canvas), "--to", name)
    assert (code, out) == (2, "")
    line = _one_bounded_line(err)
    assert line.startswith(f"usager: error: the '{name}' exporter ")
    assert says in line
    if name in ("chatty", "loud"):
        assert line.endswith(" more characters)")


@pytest.mark.usefixtures("with_hostile")
@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("suffixless", "has suffixes (); expected a non-empty tuple"),
        ("vague", "fails when its declarations are read: RuntimeError: binary or not, who knows"),
    ],
)
def test_the_registry_refuses_a_plugin_that_declares_no_suffix_or_fails_to_declare(name: str, problem: str) -> None:
    """The usual broken-plugin warning, naming the entry point and its distribution; the others keep working."""
    with (
        pytest.warns(exporters.ExporterWarning) as caught,
        pytest.raises(exporters.ExporterUnavailableError, match=f"the '{name}' exporter cannot be used"),
    ):
        exporters.get(name)
    [warning] = [str(w.message) for w in caught]
    assert f"'{name} = usager_hostile:" in warning
    assert "from distribution 'usager-hostile'" in warning
    assert problem in warning
    assert exporters.export("plain", complete()) == complete().name


@pytest.mark.usefixtures("with_hostile")
def test_exporters_lists_what_a_broken_plugin_says_bounded(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exporters")
    assert code == 0
    loud = next(line for line in out.splitlines() if line.startswith("loud "))
    assert _one_bounded_line(loud).endswith(" more characters)")


@pytest.mark.usefixtures("with_hostile")
@pytest.mark.filterwarnings("ignore::usager.errors.ExporterWarning")
def test_demo_skips_awkward_plugins(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0
    skipped = {line.split(":")[0]: line for line in out.splitlines() if line.startswith("skipped ")}
    assert {"skipped mute", "skipped chatty", "skipped loud", "skipped vague", "skipped suffixless"} <= set(skipped)
    assert all(_one_bounded_line(line) for line in skipped.values())
    assert (tmp_path / "demo" / "mediatheque.plain").read_text(encoding="utf-8") == "Médiathèque municipale"


@pytest.mark.usefixtures("with_hostile")
def test_a_plugin_exception_is_bounded_in_the_api(tmp_path: Path) -> None:
    """The ExporterError of a plugin that says megabytes is a few hundred characters; its cause keeps all."""
    with pytest.raises(usager.ExporterError) as caught:
        usager.dumps(complete(), "chatty")
    assert len(str(caught.value)) < 1000
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value.__cause__, ValueError)
    with pytest.raises(usager.ExporterError, match=r"failed: _Unprintable \(whose message cannot be shown"):
        usager.dumps(complete(), "mute")


# --- User text that would act on a terminal or a CI log -------------------------------------

#: A label that, printed raw, clears the terminal, flips the text and forges a workflow command.
FORGED = "x\n::error file=README.md,line=1::injected\r\x1b[2J\u202e"


@pytest.fixture
def forged(tmp_path: Path) -> Path:
    """A canvas with an error (a dangling stage) and a warning, on a brake labelled :data:`FORGED`."""
    canvas = Canvas.standard("x").add(Brake(id="b", label=FORGED, stage="ghost"))
    return usager.dump(canvas, tmp_path / "forged.json")


def test_check_text_escapes_what_a_label_holds(capsys: pytest.CaptureFixture[str], forged: Path) -> None:
    code, out, _ = run(capsys, "check", str(forged))
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith(f"{forged}:") for line in lines)
    assert not any(c in out for c in HOSTILE_CHARACTERS)
    assert "(x\\n::error file=README.md,line=1::injected\\r\\x1b[2J\\u202e)" in out


def test_check_github_escapes_what_a_label_holds(capsys: pytest.CaptureFixture[str], forged: Path) -> None:
    """One workflow command per finding, no other line, nothing a terminal acts on."""
    code, out, _ = run(capsys, "check", "--format", "github", str(forged))
    assert code == 1
    findings = usager.check(usager.load(forged))
    lines = out.splitlines()
    assert len(lines) == len([f for f in findings if not f.suppressed])
    assert all(line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in lines)
    assert not any(c in out for c in HOSTILE_CHARACTERS)


def test_check_sarif_escapes_what_a_label_holds(capsys: pytest.CaptureFixture[str], forged: Path) -> None:
    code, out, _ = run(capsys, "check", "--format", "sarif", str(forged))
    assert code == 1
    texts = [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]]
    assert any("x\\n::error" in text for text in texts)
    assert not any(c in text for text in texts for c in (*HOSTILE_CHARACTERS, "\n"))


def test_a_refused_drawing_escapes_what_a_label_holds(capsys: pytest.CaptureFixture[str], forged: Path) -> None:
    """The findings a CanvasError lists show their labels escaped."""
    code, _, err = run(capsys, "export", str(forged), "--to", "dot")
    assert code == 2
    assert err.startswith("usager: error: ")
    assert not any(c in err for c in HOSTILE_CHARACTERS)
    assert all(line.startswith(("usager: error: ", "  ")) for line in err.splitlines())


NAME = "canvas\x1b[31m\u202enosj.json"


@pytest.mark.parametrize("format", ["text", "github"])
def test_check_escapes_file_names(capsys: pytest.CaptureFixture[str], tmp_path: Path, format: str) -> None:
    path = usager.dump(Canvas.standard("Bare"), tmp_path / NAME)  # warnings, at a position
    code, out, err = run(capsys, "check", "--format", format, str(path))
    assert code == 0
    assert out
    assert not any(c in out + err for c in HOSTILE_CHARACTERS)
    assert "canvas\\x1b[31m\\u202enosj.json" in out


def test_file_names_in_error_messages_are_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / NAME
    malformed = tmp_path / ("bad" + NAME)
    malformed.write_text("{", encoding="utf-8")
    for argv in (["check", str(missing)], ["check", str(malformed)], ["fmt", str(malformed)]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert not any(c in err for c in HOSTILE_CHARACTERS), argv
        assert "canvas\\x1b[31m\\u202enosj.json" in err
    with pytest.raises(LoadError) as caught:
        usager.load(malformed)
    assert str(caught.value).startswith(f"{tmp_path}/badcanvas\\x1b[31m\\u202enosj.json:")


# --- Graphviz missing: the message says how to install it -----------------------------------


def test_demo_without_graphviz_says_how_to_install_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("USAGER_GRAPHVIZ", "dot")  # not the WebAssembly build either
    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0
    assert "apt-get install graphviz" in out
    assert "brew install graphviz" in out
    assert out.count("Install Graphviz") == 1  # said once, for the first drawing skipped
    assert "skipped svg: " in out


def test_the_notebook_says_how_to_install_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("USAGER_GRAPHVIZ", "dot")
    bundle = complete()._repr_mimebundle_()
    assert "brew install graphviz" in bundle["text/plain"]


@pytest.mark.parametrize("name", ["vague", "suffixless"])
def test_exporting_to_a_broken_plugin_is_one_line_saying_why(tmp_path: Path, hostile_site: Path, name: str) -> None:
    """`usager export --to BROKEN` names that plugin's trouble once, with no Python warning lines."""
    canvas = usager.dump(complete(), tmp_path / "canvas.json")
    result = subprocess.run(
        usager_process("export", str(canvas), "--to", name, "-o", str(tmp_path / "out.x")),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(hostile_site), exporters.DISABLE_PLUGINS_ENV: "0"},
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"usager: error: the {name!r} exporter cannot be used: it "), line


def test_a_broken_plugin_is_no_concern_of_a_command_that_does_not_use_it(tmp_path: Path, hostile_site: Path) -> None:
    """demo goes on (saying which plugins it could not use), with no Python warning lines on the way."""
    result = subprocess.run(
        usager_process("demo", str(tmp_path / "demo")),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(hostile_site), exporters.DISABLE_PLUGINS_ENV: "0"},
    )
    assert result.returncode == 0, result.stderr
    assert "ExporterWarning" not in result.stderr
    assert ".py:" not in result.stderr
