"""Findings where code review happens: SARIF 2.1.0, GitHub annotations, JUnit XML and GitLab Code Quality.

``usager check --format sarif`` writes one SARIF log for every file checked; ``--format github``
prints one workflow command per finding (``::error file=canvas.json,line=12,col=5::U002 ...``),
which GitHub Actions shows beside the line in a pull request; ``--format junit`` writes a JUnit
XML report (:func:`junit_report`) and ``--format gitlab`` a GitLab Code Quality report
(:func:`gitlab_report`). A finding stands at its first
subject element, where :func:`element_positions` found it in the file (``Checked.positions``);
a problem of an unreadable file at its own line and column. Either may have none.

The user text a finding's message repeats (labels, ids) and the file names are written with
their control characters escaped (:func:`~usager.errors.escaped`), as load messages write them:
a label holding a line break cannot start a line of the log, such as a workflow command of its own.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from usager._document import Locate
from usager._io import locator_of
from usager._version import __version__
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import Problem, escaped
from usager.findings import Finding, Severity
from usager.rules import Rule, all_rules, origin

__all__ = [
    "DOCS_URL",
    "LOAD",
    "SARIF_SCHEMA",
    "SARIF_VERSION",
    "Checked",
    "element_positions",
    "github_annotations",
    "gitlab_report",
    "junit_report",
    "rule_url",
    "sarif_log",
]

#: Where usager's documentation is published; every link to a rule's page starts with it.
DOCS_URL = "https://usager.readthedocs.io/en/latest/"
#: The code an unreadable file is reported under, beside the rules' codes.
LOAD = "load"

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

#: SARIF's level for each severity.
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: The GitHub workflow command for each severity.
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


#: GitLab Code Quality's severity for each severity; an unreadable file is a ``blocker``.
_GITLAB_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    """A rule as SARIF describes it; ``helpUri`` for usager's own, whose page the docs have."""
    described: dict[str, Any] = {
        "id": rule.code,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
    }
    if origin(rule) == "usager":
        described["helpUri"] = rule_url(rule.code)
    described["defaultConfiguration"] = {"level": _LEVELS[rule.severity]}
    return described


def rule_url(code: str) -> str:
    """The page documenting the rule ``code`` (``load``: what makes a file unreadable).

    ```pycon
    >>> rule_url("U002")
    'https://usager.readthedocs.io/en/latest/rules/#u002'

    ```
    """
    if code == LOAD:
        return f"{DOCS_URL}file-format/"
    return f"{DOCS_URL}rules/#{code.lower()}"


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
    #: The codes of the rules that ran over the file (None: every rule), for the JUnit report.
    rules: tuple[str, ...] | None = None
    #: What a baseline did to the file's findings: how many it hid and how many of its entries
    #: for the file matched nothing (None: no baseline applied).
    baseline: tuple[int, int] | None = None

    def position(self, finding: Finding) -> Position | None:
        """Where ``finding`` stands: the position of its first subject that has one, else None."""
        return position_of(finding, self.positions)


def position_of(finding: Finding, positions: Mapping[str, Position]) -> Position | None:
    """Where ``finding`` stands among ``positions`` (by id): its first subject's that has one, else None."""
    return next((positions[s] for s in finding.subjects if s in positions), None)


def in_file_order(findings: list[Finding], positions: Mapping[str, Position]) -> None:
    """Sort ``findings`` in place as they stand in the file: those about the whole canvas first.

    The sort is stable: findings at one place keep the order of their rules.
    """
    findings.sort(key=lambda f: position_of(f, positions) or (0, 0))


def positions_in(canvas: Canvas, data: bytes, format: str) -> dict[str, Position]:
    """Where each element of ``canvas`` stands in ``data``, its text in ``format``, by id.

    One scan by the format's locator; nothing for a format that cannot tell positions.
    """
    locate = locator_of(format, data)
    return {} if locate is None else element_positions(canvas, locate)


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


#: The SARIF rule of an unreadable file, listed after every rule's.
_LOAD_RULE: dict[str, Any] = {
    "id": LOAD,
    "shortDescription": {"text": "the file cannot be read as a canvas"},
    "fullDescription": {
        "text": "The file is not a canvas usager can read: a syntax error, a missing or ill-typed key, an unknown "
        "format. Nothing else is checked until it reads."
    },
    "helpUri": rule_url(LOAD),
    "defaultConfiguration": {"level": "error"},
}


def sarif_log(checked: Sequence[Checked], extra_rules: Sequence[Rule] = ()) -> dict[str, Any]:
    """The SARIF 2.1.0 log of a ``usager check`` run: every rule, every finding, every unreadable file.

    The rules are the installed ones and ``extra_rules`` (the configurations' rulesets'). Each of
    usager's own rules carries ``helpUri``, its page in the documentation (:func:`rule_url`). An
    unreadable file is a result of the rule ``load`` (level error) at its first problem's
    position, and each of its problems a tool execution notification.
    """
    rules = _with(all_rules(), extra_rules)
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
            first = problems[0]
            results.append(
                {
                    "ruleId": LOAD,
                    "ruleIndex": len(rules),
                    "level": "error",
                    "message": {"text": str(first) if item.problems else item.error},
                    "locations": [_location(item.path, first.line, first.column)],
                }
            )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "usager",
                "version": __version__,
                "rules": [
                    *(_sarif_rule(rule) for rule in rules),
                    _LOAD_RULE,
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


def _place(path: str, line: int | None, column: int | None) -> str:
    """``canvas.json:12:5`` (as much of it as is known), the file name's control characters escaped."""
    place = escaped(path)
    if line:
        place += f":{line}" + (f":{column}" if column else "")
    return place


def _unplaced(problem: Problem) -> str:
    """``problem`` as it reads without its position, which :func:`_place` gives before it."""
    return str(attrs.evolve(problem, line=None, column=None))


#: The characters XML 1.0 cannot hold even escaped, once :func:`~usager.errors.escaped` has escaped
#: the controls: the noncharacters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\ufffe\uffff]")


def _xml(text: str) -> str:
    """``text`` as XML 1.0 can hold it: what :func:`~usager.errors.escaped` leaves, less the noncharacters."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped(text))


def _with(rules: Sequence[Rule], extra_rules: Sequence[Rule]) -> list[Rule]:
    """``rules``, then those of ``extra_rules`` whose code none of them has, each code once."""
    codes = {rule.code for rule in rules}
    every = list(rules)
    for rule in extra_rules:
        if rule.code not in codes:
            codes.add(rule.code)
            every.append(rule)
    return every


def junit_report(checked: Sequence[Checked], *, strict: bool = False, extra_rules: Sequence[Rule] = ()) -> str:
    """The JUnit XML report of a ``usager check`` run, as CI servers show test results.

    One ``testsuite`` per file checked (named by its path), one ``testcase`` per rule that ran
    over it (named by its code and summary, its ``classname`` the path): test names that stay
    the same from run to run, so a CI server tracks each rule's history per file. A rule's error
    findings (and warnings with ``strict``: the findings that fail ``usager check``) make its
    ``failure``, one line per finding at its position; its other findings (warnings, infos,
    suppressed ones) are listed in its ``system-out`` and the test passes. An unreadable file
    is one testcase, ``load``, whose ``error`` gives its first problem's position and message,
    and every problem in its text. ``extra_rules`` (the configurations' rulesets') name their
    testcases as the installed rules do. When a baseline applied to a file, its testsuite's
    ``properties`` say how many findings it hid (``usager.baseline.hidden``) and how many of its
    entries for the file matched nothing (``usager.baseline.stale``).
    """
    failing = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)
    summaries = {rule.code: rule.summary for rule in _with(all_rules(), extra_rules)}
    root = ET.Element("testsuites", name="usager")
    totals = dict.fromkeys(("tests", "failures", "errors"), 0)
    for item in checked:
        suite = ET.SubElement(root, "testsuite", name=_xml(item.path))
        counts = dict.fromkeys(("tests", "failures", "errors"), 0)
        if item.baseline is not None:
            properties = ET.SubElement(suite, "properties")
            for name, value in zip(("usager.baseline.hidden", "usager.baseline.stale"), item.baseline, strict=True):
                ET.SubElement(properties, "property", name=name, value=str(value))
        if item.error is not None:
            # the message of a file with no problem of its own (not found, no format) names the file
            lines = [f"{_place(item.path, p.line, p.column)}: {_unplaced(p)}" for p in item.problems] or [item.error]
            case = ET.SubElement(suite, "testcase", name=LOAD, classname=_xml(item.path), time="0")
            error = ET.SubElement(case, "error", message=_xml(lines[0]), type=LOAD)
            error.text = "\n".join(map(_xml, lines))
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            by_code: dict[str, list[Finding]] = {}
            for finding in item.findings:
                by_code.setdefault(finding.code, []).append(finding)
            codes = list(item.rules if item.rules is not None else summaries)
            codes += [code for code in by_code if code not in codes]
            for code in codes:
                name = f"{code} {summaries[code]}" if code in summaries else code
                case = ET.SubElement(suite, "testcase", name=_xml(name), classname=_xml(item.path), time="0")
                counts["tests"] += 1
                failed: list[str] = []
                other: list[str] = []
                for finding in by_code.get(code, ()):
                    line, column = item.position(finding) or (None, None)
                    text = f"{_place(item.path, line, column)}: {escaped(str(finding))}"
                    (failed if finding.severity in failing and not finding.suppressed else other).append(text)
                if failed:
                    more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
                    failure = ET.SubElement(case, "failure", message=_xml(failed[0] + more), type=code)
                    failure.text = "\n".join(map(_xml, failed))
                    counts["failures"] += 1
                if other:
                    ET.SubElement(case, "system-out").text = "\n".join(map(_xml, other))
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        suite.set("time", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _fingerprint(seen: set[str], *parts: str) -> str:
    """A fingerprint of ``parts`` not in ``seen`` (a repeat hashes its occurrence too); added to ``seen``."""
    base = "\0".join(parts)
    fingerprint = hashlib.sha256(base.encode("utf-8", "surrogatepass")).hexdigest()
    occurrence = 1
    while fingerprint in seen:
        occurrence += 1
        fingerprint = hashlib.sha256(f"{base}\0{occurrence}".encode("utf-8", "surrogatepass")).hexdigest()
    seen.add(fingerprint)
    return fingerprint


def _issue(
    description: str, check_name: str, fingerprint: str, severity: str, path: str, line: int | None
) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        "location": {"path": path, "lines": {"begin": line or 1}},
    }


def gitlab_report(checked: Iterable[Checked]) -> list[dict[str, Any]]:
    """The GitLab Code Quality report of a ``usager check`` run: one issue per finding not suppressed.

    ``check_name`` is the rule's code; ``severity`` is ``major`` for an error, ``minor`` for a
    warning, ``info`` for an info; ``location.lines.begin`` the line of the finding's first
    subject (1 when it is not known). The ``fingerprint``, by which GitLab tells a new issue from
    one it already knows, hashes the file, the code and the subjects' ids, not the line: editing
    another part of the canvas leaves it as it was. Each problem of an unreadable file is an
    issue ``load`` of severity ``blocker`` at its position. A file whose baseline entries no
    longer all match has an ``info`` issue ``baseline`` saying how many, so the baseline can shrink.
    """
    issues: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in checked:
        for finding in item.findings:
            if finding.suppressed:
                continue
            line, _ = item.position(finding) or (None, None)
            description = f"{finding.code} {finding.severity.value}: {escaped(finding.message)}"
            fingerprint = _fingerprint(seen, item.path, finding.code, *finding.subjects)
            issues.append(
                _issue(description, finding.code, fingerprint, _GITLAB_SEVERITIES[finding.severity], item.path, line)
            )
        if item.error is not None:
            problems = item.problems or (Problem("", item.error),)
            for problem in problems:
                description = f"unreadable canvas: {str(problem) if item.problems else item.error}"
                fingerprint = _fingerprint(seen, item.path, LOAD, problem.where)
                issues.append(_issue(description, LOAD, fingerprint, "blocker", item.path, problem.line))
        if item.baseline is not None and item.baseline[1]:
            stale = item.baseline[1]
            entries = (
                "1 baseline entry no longer matches" if stale == 1 else f"{stale} baseline entries no longer match"
            )
            description = f"{entries} a finding of this file: write the baseline again to drop them"
            fingerprint = _fingerprint(seen, item.path, "baseline")
            issues.append(_issue(description, "baseline", fingerprint, "info", item.path, None))
    return issues
