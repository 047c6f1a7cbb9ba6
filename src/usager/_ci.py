"""Findings where code review happens: SARIF 2.1.0 (code scanning) and GitHub workflow annotations.

``usager check --format sarif`` writes one SARIF log for every file checked; ``--format github``
prints one workflow command per finding (``::error file=canvas.json,line=12,col=5::U002 ...``),
which GitHub Actions shows beside the line in a pull request. A finding stands at its first
subject element, where :func:`element_positions` found it in the file (``Checked.positions``);
a problem of an unreadable file at its own line and column. Either may have none.

The user text a finding's message repeats (labels, ids) and the file names are written with
their control characters escaped (:func:`~usager.errors.escaped`), as load messages write them:
a label holding a line break cannot start a line of the log, such as a workflow command of its own.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from usager._document import Locate
from usager._version import __version__
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import Problem, escaped
from usager.findings import Finding, Severity
from usager.rules import all_rules

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "Checked", "element_positions", "github_annotations", "sarif_log"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

#: SARIF's level for each severity.
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: The GitHub workflow command for each severity.
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


#: A 1-based line and column in a file.
Position = tuple[int, int]


@attrs.frozen
class Checked:
    """What checking one file gave: its findings, or the problems that made it unreadable.

    ``positions`` holds where the elements stand in the file, by id (see :func:`element_positions`).
    """

    path: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    problems: tuple[Problem, ...] = ()
    positions: Mapping[str, Position] = attrs.field(default=MappingProxyType({}))

    def position(self, finding: Finding) -> Position | None:
        """Where ``finding`` stands: the position of its first subject that has one, else None."""
        return next((self.positions[s] for s in finding.subjects if s in self.positions), None)


def element_positions(canvas: Canvas, locate: Locate) -> dict[str, Position]:
    """Where each element of ``canvas`` stands in the text it was read from, by id.

    ``locate`` is the locator of that text (its format's ``locator(data)``); an element
    stands where its object starts (``$.brakes[3]``: the ``{``, a YAML item's first key,
    a TOML ``[[brakes]]`` header, a CSV row). An id given twice keeps its first position;
    an element the locator cannot place has none.
    """
    positions: dict[str, Position] = {}
    for list_name, _ in ELEMENT_LISTS:
        for index, element in enumerate(getattr(canvas, list_name)):
            if element.id not in positions:
                found = locate((list_name, index), False)
                if found is not None:
                    positions[element.id] = found
    return positions


def _uri(path: str) -> str:
    """``path`` as a relative URI reference (forward slashes, reserved characters escaped)."""
    return urllib.parse.quote(path.replace("\\", "/"), safe="/")


def _region(line: int | None, column: int | None) -> dict[str, int]:
    region = {"startLine": line} if line else {}
    if line and column:
        region["startColumn"] = column
    return region


def _location(path: str, line: int | None = None, column: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}}
    region = _region(line, column)
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def sarif_log(checked: Sequence[Checked]) -> dict[str, Any]:
    """The SARIF 2.1.0 log of a ``usager check`` run: every rule, every finding, every unreadable file."""
    rules = all_rules()
    index = {rule.code: i for i, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for item in checked:
        for finding in item.findings:
            line, column = item.position(finding) or (None, None)
            result: dict[str, Any] = {
                "ruleId": finding.code,
                "level": _LEVELS[finding.severity],
                "message": {"text": escaped(finding.message)},
                "locations": [_location(item.path, line, column)],
            }
            if finding.code in index:
                result["ruleIndex"] = index[finding.code]
            if finding.subjects:
                result["properties"] = {"subjects": list(finding.subjects)}
            if finding.suppressed:
                result["suppressions"] = [{"kind": "inSource", "justification": "listed in the element's suppress"}]
            results.append(result)
        if item.error is not None:
            problems = item.problems or (Problem("", item.error),)
            for problem in problems:
                notifications.append(
                    {
                        "level": "error",
                        "message": {"text": str(problem) if item.problems else item.error},
                        "locations": [_location(item.path, problem.line, problem.column)],
                    }
                )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "usager",
                "version": __version__,
                "rules": [
                    {
                        "id": rule.code,
                        "shortDescription": {"text": rule.summary},
                        "fullDescription": {"text": rule.explanation},
                        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                    }
                    for rule in rules
                ],
            }
        },
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub reads it."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, path: str, message: str, title: str, line: int | None, column: int | None) -> str:
    """A workflow command; ``message`` is what usager says, its user text escaped already."""
    properties = [f"file={_property(escaped(path))}"]
    if line:
        properties.append(f"line={line}")
        if column:
            properties.append(f"col={column}")
    properties.append(f"title={_property(title)}")
    return f"::{kind} {','.join(properties)}::{_data(message)}"


def github_annotations(checked: Iterable[Checked]) -> list[str]:
    """One GitHub workflow command per finding that is not suppressed, and per problem of an unreadable file."""
    lines: list[str] = []
    for item in checked:
        for finding in item.findings:
            if finding.suppressed:
                continue
            line, column = item.position(finding) or (None, None)
            lines.append(
                _command(
                    _COMMANDS[finding.severity],
                    item.path,
                    f"{finding.code} {finding.severity.value}: {escaped(finding.message)}",
                    f"usager {finding.code}",
                    line,
                    column,
                )
            )
        if item.error is not None:
            if not item.problems:
                lines.append(_command("error", item.path, item.error, "usager: unreadable canvas", None, None))
            for problem in item.problems:
                lines.append(
                    _command(
                        "error", item.path, str(problem), "usager: unreadable canvas", problem.line, problem.column
                    )
                )
    return lines
