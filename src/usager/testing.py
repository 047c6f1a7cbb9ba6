"""Helpers for test suites: :func:`assert_consistent`, :func:`check_exporter` and :func:`check_rule`.

``check_exporter`` needs Hypothesis (install ``usager[testing]``); ``assert_consistent``
and ``check_rule`` do not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from usager._check import Configuration, check
from usager._io import dumps
from usager.canvas import Canvas
from usager.elements import Stage
from usager.errors import UsagerError
from usager.exporters import Exporter, Loader, describe_options
from usager.findings import Finding, Severity
from usager.rules import CODE_PATTERN, RULES, Context, Rule

__all__ = ["UNKNOWN_OPTION", "assert_consistent", "check_exporter", "check_rule", "diff", "format_findings"]

_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*(;.*)?", re.IGNORECASE)


def format_findings(findings: Iterable[Finding]) -> str:
    """Findings as readable lines: ``U002 error: brake 'b1' (Fear) names 'x' in stage, ...``."""
    return "\n".join(f"  {finding}" for finding in findings)


def assert_consistent(
    canvas: Canvas,
    strict: bool = False,
    *,
    select: Iterable[str] | str | None = None,
    ignore: Iterable[str] | str | None = None,
    config: Configuration | None = None,
    path: str | os.PathLike[str] | None = None,
) -> None:
    """Fail with an :class:`AssertionError` listing every finding when ``canvas`` has errors.

    With ``strict=True``, warnings fail too. ``select``, ``ignore``, ``config`` (a
    :class:`usager.Config`) and ``path`` choose rules as in :func:`usager.check`. The message
    lists all findings (code, severity, message), the failing ones first.
    """
    findings = check(canvas, select=select, ignore=ignore, config=config, path=path)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    bad = [f for f in findings if f.severity in failing]
    if bad:
        others = [f for f in findings if f.severity not in failing]
        what = "errors or warnings" if strict else "errors"
        count = f"{len(bad)} finding{'' if len(bad) == 1 else 's'}"
        message = f"canvas {canvas.name!r} has {count} among the {what}:\n{format_findings(bad)}"
        if others:
            message += f"\nand {len(others)} more:\n{format_findings(others)}"
        raise AssertionError(message)


def _example(rule: Rule, which: str, problems: list[str]) -> Canvas | None:
    try:
        canvas = getattr(rule, which)()
    except Exception as exc:
        problems.append(f"its {which!r} example fails to build: {type(exc).__name__}: {exc}")
        return None
    if not isinstance(canvas, Canvas):
        problems.append(f"its {which!r} example gives a {type(canvas).__name__}, not a Canvas")
        return None
    return canvas


def _run_rule(rule: Rule, canvas: Canvas, which: str, problems: list[str]) -> list[Finding] | None:
    try:
        return list(rule.findings(Context.of(canvas)))
    except Exception as exc:
        problems.append(f"it raises on its {which!r} example: {type(exc).__name__}: {exc}")
        return None


def _finding_problems(canvas: Canvas, findings: list[Finding], which: str) -> list[str]:
    problems: list[str] = []
    context = Context.of(canvas)
    first_ids = context.index.keys()
    # A later subject may be an id the canvas names without any element having it (a reference
    # that dangles, as U002 reports); the first is always an element's, as suppression needs.
    named = first_ids | {target for _, _, target, _ in context.resolution.dangling}
    for finding in findings:
        if not isinstance(finding.message, str) or not finding.message.strip():
            problems.append(f"on its {which!r} example it gives a finding with no message: {finding!r}")
        unknown = [s for i, s in enumerate(finding.subjects) if s not in (named if i else first_ids)]
        if unknown:
            problems.append(
                f"on its {which!r} example a finding names subjects that are no id of the canvas: "
                f"{', '.join(map(repr, unknown))} (in {finding.message!r})"
            )
    return problems


def check_rule(rule: Rule) -> None:
    """Check that ``rule`` keeps the contract of a :class:`usager.Rule`; fail with an :class:`AssertionError`.

    The conformance kit of a rule of one's own: its code looks like a rule code (``TEAM001``:
    ``[A-Z][A-Z0-9]{0,3}[0-9]{3}``, not starting with ``U``, which usager's own rules take),
    its severity is a :class:`~usager.Severity` and its summary is not empty; its ``bad``
    example gives at least one finding of its code and its ``good`` example none; two runs
    over the same canvas give the same findings, in the same order; every finding has a
    message, and its subjects are ids of the canvas (the first an element's; a later one may be
    an id the canvas refers to that no element has). The message lists every problem found.
    """
    if not isinstance(rule, Rule):
        raise AssertionError(f"{rule!r} is a {type(rule).__name__}, not a usager.Rule")
    problems: list[str] = []
    code = rule.code
    if not isinstance(code, str) or CODE_PATTERN.fullmatch(code) is None:
        problems.append(f"its code {code!r} does not match [A-Z][A-Z0-9]{{0,3}}[0-9]{{3}}")
    elif code.startswith("U") and RULES.get(code) is not rule:
        problems.append(f"its code {code!r} starts with 'U', which is reserved for usager's own rules")
    if not isinstance(rule.severity, Severity):
        problems.append(f"its severity {rule.severity!r} is not a usager.Severity")
    if not isinstance(rule.summary, str) or not rule.summary.strip():
        problems.append("its summary is empty")
    for which in ("bad", "good"):
        canvas = _example(rule, which, problems)
        if canvas is None:
            continue
        findings = _run_rule(rule, canvas, which, problems)
        if findings is None:
            continue
        again = _run_rule(rule, canvas, which, problems)
        if again is not None and again != findings:
            problems.append(
                f"two runs over its {which!r} example differ:\n{format_findings(findings)}\nthen\n"
                f"{format_findings(again)}"
            )
        problems += _finding_problems(canvas, findings, which)
        own = [f for f in findings if f.code == code]
        if which == "bad" and not own:
            problems.append(f"its 'bad' example gives no {code} finding")
        elif which == "good" and findings:
            problems.append(f"its 'good' example gives findings:\n{format_findings(findings)}")
    if problems:
        raise AssertionError(
            f"rule {code!r} breaks the contract of a usager.Rule:\n" + "\n".join(f"- {p}" for p in problems)
        )


def _metadata_problems(exporter: Any) -> list[str]:
    problems: list[str] = []
    name = getattr(exporter, "name", None)
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name or ""):
        problems.append(f"name must be a lower-case word such as 'mermaid', found {name!r}")
    suffixes = getattr(exporter, "suffixes", None)
    if (
        not isinstance(suffixes, tuple)
        or not suffixes
        or not all(isinstance(s, str) and re.fullmatch(r"(\.[a-z0-9_-]+)+", s) for s in suffixes)
    ):
        problems.append(
            f"suffixes must be a non-empty tuple of lower-case suffixes such as ('.mmd',), found {suffixes!r}"
        )
    media_type = getattr(exporter, "media_type", None)
    if not isinstance(media_type, str) or not _MEDIA_TYPE.fullmatch(media_type):
        problems.append(f"media_type must be a MIME type such as 'text/plain', found {media_type!r}")
    if not isinstance(getattr(exporter, "binary", None), bool):
        problems.append(f"binary must be True or False, found {getattr(exporter, 'binary', None)!r}")
    if not callable(getattr(exporter, "export", None)):
        problems.append("export must be a method: export(canvas, **options) -> str | bytes")
    problems += _options_problems(exporter)
    return problems


def _options_problems(exporter: Any) -> list[str]:
    """What is wrong with the declaration of the exporter's options (``options``, ``option_help``)."""
    try:
        declared = describe_options(exporter)
    except UsagerError as exc:
        return [str(exc)]
    helps = getattr(exporter, "option_help", None)
    if declared is None or not isinstance(helps, Mapping):
        return []
    names = {option.name for option in declared}
    return [f"option_help names {name!r}, which options does not declare" for name in helps if name not in names]


#: An option no exporter takes: ``check_exporter`` passes it to see it refused.
UNKNOWN_OPTION = "usager_check_exporter_unknown_option"
#: The hash seeds of the fresh processes that export again (set ordering differs between them).
_SEEDS = ("1", "2")
#: What the fresh process runs: export the pickled canvas with the pickled exporter.
_CHILD = """
import pickle, sys
try:
    exporter, canvas, options = pickle.loads(sys.stdin.buffer.read())
except Exception as exc:
    sys.stderr.write(f"{type(exc).__name__}: {exc}")
    sys.exit(3)
output = exporter.export(canvas, **options)
sys.stdout.buffer.write(output.encode("utf-8", "surrogatepass") if isinstance(output, str) else output)
"""
#: Lines of a diff shown before it is cut.
_DIFF_LINES = 60


def _text(output: str | bytes) -> str:
    return output if isinstance(output, str) else output.decode("utf-8", "backslashreplace")


def diff(first: str | bytes, second: str | bytes, *, names: tuple[str, str] = ("first", "second")) -> str:
    """A unified diff of two outputs (bytes shown as UTF-8, undecodable bytes escaped), cut when long."""
    import difflib

    lines = list(
        difflib.unified_diff(
            _text(first).splitlines(keepends=True),
            _text(second).splitlines(keepends=True),
            fromfile=names[0],
            tofile=names[1],
        )
    )
    if not lines and first != second:  # the same text, different bytes: say where they part
        a, b = _encoded(first), _encoded(second)
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        return f"the outputs first differ at byte {at} ({len(a)} and {len(b)} bytes long)\n"
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... and {len(lines) - _DIFF_LINES} more lines of diff\n"]
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _in_fresh_process(exporter: Exporter, canvas: Canvas, options: dict[str, Any], seed: str) -> bytes | None:
    """``exporter.export(canvas)`` in a new interpreter with hash seed ``seed`` (None if it cannot be rebuilt there).

    The exporter travels by pickle, so it must be importable by name (a class defined at the
    top level of a module); one that is not is left out of this check.
    """
    import os
    import pickle
    import subprocess
    import sys

    try:
        payload = pickle.dumps((exporter, canvas, options))
    except Exception:
        return None
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD], input=payload, capture_output=True, env=env, check=False, timeout=300
    )
    if result.returncode == 3:
        return None
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise AssertionError(
            f"the {exporter.name!r} exporter failed in a fresh process: {tail[0] if tail else result.returncode}"
        )
    return result.stdout


def _encoded(output: str | bytes) -> bytes:
    return output.encode("utf-8", "surrogatepass") if isinstance(output, str) else output


def _import_hypothesis() -> None:
    try:
        import hypothesis  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "hypothesis":
            raise
        raise ModuleNotFoundError(
            "usager.testing.check_exporter needs Hypothesis, which is not installed: "
            "install it with python3 -m pip install 'usager[testing]'",
            name="hypothesis",
        ) from None


def check_exporter(
    exporter: Exporter, *, max_examples: int = 50, hostile: bool = True, processes: bool = True, **options: Any
) -> None:
    """Check that ``exporter`` behaves as an exporter must, on generated canvases.

    Checks, in order: ``name``, ``suffixes``, ``media_type`` and ``binary`` are well-formed,
    and so is the declaration of its options (``options`` and ``option_help``, which names no
    option that ``options`` does not declare);
    an option it does not take raises :class:`TypeError` (such as
    :class:`~usager.errors.OptionError`); then, on consistent canvases, first the smallest
    shapes (:func:`usager.strategies.small_canvases`: one stage, at most one element of each
    kind) and then realistic ones (:func:`usager.strategies.canvases`), ``max_examples`` of
    each, with hostile Unicode text unless ``hostile=False``: ``export(canvas, **options)``
    does not raise, returns ``bytes`` when ``binary`` is true and ``str`` otherwise, and
    returns the same output twice; if the exporter has ``load``, loading the output gives
    the canvas back. Last, unless ``processes=False``, the example canvas is exported again
    in two fresh Python processes with other hash seeds, which must give the same output
    (an exporter that iterates over a set would not); this needs the exporter to be
    picklable (an instance of a class defined at the top level of a module), and is left
    out for one that is not.

    Raises :class:`AssertionError` saying what broke, with a unified diff of the two outputs
    (or documents) when they differ, and the smallest canvas that breaks it (as ``usager/2``
    JSON) last. Needs Hypothesis (``usager[testing]``).
    """
    _import_hypothesis()
    from hypothesis import HealthCheck, Phase, given, settings

    from usager.examples import mediatheque
    from usager.strategies import canvases, small_canvases

    problems = _metadata_problems(exporter)
    if problems:
        raise AssertionError(f"{exporter!r} is not a well-formed exporter:\n" + "\n".join(f"  {p}" for p in problems))

    def fail(canvas: Canvas, what: str, shown: str = "") -> None:
        raise AssertionError(
            f"the {exporter.name!r} exporter {what}\n{shown}the smallest canvas that shows it:\n{dumps(canvas, 'json')}"
        )

    _refuses_unknown_options(exporter, options, fail)

    def conforms(canvas: Canvas) -> None:
        try:
            first = exporter.export(canvas, **options)
        except Exception as exc:
            fail(canvas, f"raised {type(exc).__name__}: {exc}")
        expected = bytes if exporter.binary else str
        if type(first) is not expected:
            fail(
                canvas,
                f"declares binary={exporter.binary} but returned {type(first).__name__}, not {expected.__name__}",
            )
        try:
            second = exporter.export(canvas, **options)
        except Exception as exc:
            fail(canvas, f"raised {type(exc).__name__} the second time: {exc}")
        if first != second:
            fail(canvas, "is not deterministic: two exports of the same canvas differ", diff(first, second))
        if isinstance(exporter, Loader):
            try:
                loaded = exporter.load(first)
            except Exception as exc:
                fail(canvas, f"cannot load its own output: {type(exc).__name__}: {exc}")
            if loaded != canvas:
                shown = diff(dumps(canvas, "json"), dumps(loaded, "json"), names=("the canvas", "loaded back"))
                fail(canvas, "does not round-trip: loading its output gives another canvas", shown)

    run = settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        # no "explain" phase: it costs seconds and the message already shows the smallest canvas
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    run(given(small_canvases(hostile=hostile))(conforms))()
    realistic = canvases(hostile=hostile, max_personas=2, max_brakes_per_stage=1, max_facilitators=3, max_backstage=2)
    run(given(realistic)(conforms))()
    if processes:
        _same_in_fresh_processes(exporter, mediatheque(), options, fail)


def _refuses_unknown_options(exporter: Exporter, options: dict[str, Any], fail: Any) -> None:
    """An option the exporter does not take must raise TypeError (OptionError is one)."""
    canvas = Canvas(name="x", stages=[Stage(id="s", kind="custom", label="S")])
    try:
        exporter.export(canvas, **options, **{UNKNOWN_OPTION: True})
    except TypeError:
        return
    except Exception as exc:
        fail(canvas, f"raised {type(exc).__name__} for an option it does not take, not TypeError: {exc}")
    fail(canvas, f"accepts an option it does not take ({UNKNOWN_OPTION}=True) instead of raising TypeError")


def _same_in_fresh_processes(exporter: Exporter, canvas: Canvas, options: dict[str, Any], fail: Any) -> None:
    here = _encoded(exporter.export(canvas, **options))
    for seed in _SEEDS:
        there = _in_fresh_process(exporter, canvas, options, seed)
        if there is None:
            return  # the exporter cannot be rebuilt in another process
        if there != here:
            fail(
                canvas,
                f"is not deterministic across processes: with PYTHONHASHSEED={seed} another process exports "
                "other bytes (iterating over a set or a dict of sets?)",
                diff(here, there, names=("this process", f"PYTHONHASHSEED={seed}")),
            )
