"""Helpers for test suites: :func:`assert_consistent` and :func:`check_exporter`.

``check_exporter`` needs Hypothesis (install ``usager[testing]``); ``assert_consistent``
does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from usager._check import check
from usager._io import dumps
from usager.canvas import Canvas
from usager.exporters import Exporter, Loader
from usager.findings import Finding, Severity

__all__ = ["assert_consistent", "check_exporter", "format_findings"]

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
) -> None:
    """Fail with an :class:`AssertionError` listing every finding when ``canvas`` has errors.

    With ``strict=True``, warnings fail too. ``select`` and ``ignore`` choose rules as in
    :func:`usager.check`. The message lists all findings (code, severity, message), the
    failing ones first.
    """
    findings = check(canvas, select=select, ignore=ignore)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    bad = [f for f in findings if f.severity in failing]
    if bad:
        others = [f for f in findings if f.severity not in failing]
        what = "errors or warnings" if strict else "errors"
        message = f"canvas {canvas.name!r} has {len(bad)} finding(s) among the {what}:\n{format_findings(bad)}"
        if others:
            message += f"\nand {len(others)} more:\n{format_findings(others)}"
        raise AssertionError(message)


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
    return problems


def check_exporter(exporter: Exporter, *, max_examples: int = 50, hostile: bool = True, **options: Any) -> None:
    """Check that ``exporter`` behaves as an exporter must, on generated canvases.

    Checks, in order: ``name``, ``suffixes``, ``media_type`` and ``binary`` are well-formed;
    then, on ``max_examples`` consistent canvases drawn by
    :func:`usager.strategies.canvases` (of moderate size, with hostile Unicode text unless
    ``hostile=False``): ``export(canvas, **options)`` does not raise, returns ``bytes`` when
    ``binary`` is true and ``str`` otherwise, and returns the same output twice; if the
    exporter has ``load``, loading the output gives the canvas back.

    Raises :class:`AssertionError` saying what broke, with the smallest canvas that breaks it
    (as ``usager/2`` JSON).
    """
    from hypothesis import HealthCheck, Phase, given, settings

    from usager.strategies import canvases

    problems = _metadata_problems(exporter)
    if problems:
        raise AssertionError(f"{exporter!r} is not a well-formed exporter:\n" + "\n".join(f"  {p}" for p in problems))

    def fail(canvas: Canvas, what: str) -> None:
        raise AssertionError(
            f"the {exporter.name!r} exporter {what}\nthe smallest canvas that shows it:\n{dumps(canvas, 'json')}"
        )

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        # no "explain" phase: it costs seconds and the message already shows the smallest canvas
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(canvases(hostile=hostile, max_personas=2, max_brakes_per_stage=1, max_facilitators=3, max_backstage=2))
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
            fail(canvas, "is not deterministic: two exports of the same canvas differ")
        if isinstance(exporter, Loader):
            try:
                loaded = exporter.load(first)
            except Exception as exc:
                fail(canvas, f"cannot load its own output: {type(exc).__name__}: {exc}")
            if loaded != canvas:
                fail(canvas, "does not round-trip: loading its output gives another canvas")

    conforms()
