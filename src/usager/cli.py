"""The ``usager`` command line (also ``python -m usager``)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TextIO, TypeVar

import attrs

from usager import exporters, rules
from usager._baseline import Baseline
from usager._check import check, document_rule, rules_run
from usager._ci import Checked, github_annotations, gitlab_report, in_file_order, junit_report, positions_in, sarif_log
from usager._config import Config, find
from usager._diff import diff
from usager._i18n import LANGUAGES, environment_language, say, say_n, speaking, spoken, tr, trn
from usager._io import (
    comment_lines,
    dump,
    dumps,
    format_of,
    loads,
    options_of,
    read_bytes,
    read_stream,
    writable_path,
    write_bytes,
)
from usager._many import WorkerLostError, canvas_files, cores, in_order
from usager._schema import json_schema
from usager._suggest import closest, did_you_mean
from usager._version import __version__
from usager.canvas import ELEMENT_LISTS, TYPE_OF, Canvas
from usager.elements import (
    LIST_QUESTIONS,
    Activity,
    Brake,
    Contribution,
    Element,
    Experience,
    Facilitator,
    Language,
    LanguageName,
    Metric,
    Partner,
    Persona,
    Resource,
    Usager,
)
from usager.errors import (
    CanvasError,
    ElementError,
    LoadError,
    OutputPathError,
    Problem,
    RuleWarning,
    UnknownRuleError,
    UsagerError,
    escaped,
    shown,
)
from usager.examples import mediatheque, repair_cafe
from usager.findings import Finding, Severity

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
#: The exit codes of a command cut short, as a shell reports a program a signal ends (128 + its
#: number): Ctrl-C (SIGINT), SIGTERM, and a reader of standard output that went away (SIGPIPE).
EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_BROKEN_PIPE = 130, 143, 141


class _Failure(Exception):
    """A user error: printed on stderr as ``usager: error: ...``, exit code 2.

    ``problems`` holds the problems of a :class:`~usager.errors.LoadError`, with their lines;
    ``language`` is the language the message is said in.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = (), language: str | None = None) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.language = language or spoken()


def _codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _format_name(name: str) -> str:
    """The exporter called ``name``, whatever its case (``SVG`` is ``svg``); a broken one is an error saying why."""
    names = exporters.available()
    if name in names:
        return name
    matches = [n for n in names if n.lower() == name.lower()]
    if len(matches) == 1:
        return matches[0]
    broken = [i for i in exporters.infos() if i.error is not None and i.name.lower() == name.lower()]
    if broken:
        raise _Failure(f"the {broken[0].name!r} exporter cannot be used: it {broken[0].error}")
    raise _Failure(f"no exporter is called {name!r}; available: {', '.join(names)}")


def _read(path: str, fmt: str | None = None) -> Canvas:
    """The canvas in the file at ``path``, or on standard input when ``path`` is ``-``."""
    return _read_text(path, fmt)[0]


def _read_text(path: str, fmt: str | None = None) -> tuple[Canvas, bytes | None, str]:
    """The canvas at ``path`` (``-``: standard input), the file's bytes (None for standard input), its format."""
    if fmt is not None:
        fmt = _format_name(fmt)
    try:
        if path == "-":
            data = read_stream(sys.stdin.buffer, source="<stdin>")
            return loads(data, fmt or "json", source="<stdin>"), None, fmt or "json"
        data = read_bytes(path)  # first: a folder has no suffix to go by
        name = fmt or format_of(path)
        return loads(data, name, source=path), data, name
    except FileNotFoundError:
        raise _Failure(say("{file}: no such file", file=escaped(path))) from None
    except OSError as exc:
        raise _Failure(
            say("{file}: cannot be read ({reason})", file=escaped(path), reason=exc.strerror or exc)
        ) from None
    except LoadError as exc:
        raise _Failure(str(exc), exc.problems, exc.language) from None
    except exporters.UnknownExporterError:  # only the suffix can be unknown: the name was checked
        raise _Failure(
            say(
                "{file}: cannot tell the format from the file name; name it with --from NAME, one of: {formats}",
                file=escaped(path),
                formats=", ".join(exporters.readable()),
            )
        ) from None
    except UsagerError as exc:
        raise _Failure(f"{escaped(path)}: {exc}") from None


def _at(path: str, position: tuple[int, int] | None) -> str:
    """``canvas.yaml:12:5`` (the file alone when the position is not known), control characters escaped."""
    name = escaped(path)
    return name if position is None else f"{name}:{position[0]}:{position[1]}"


def _finding_json(path: str, finding: Finding, position: tuple[int, int] | None) -> dict[str, object]:
    """A finding of ``usager check --format json``: where it stands (line and column, or null) and what it says."""
    line, column = position or (None, None)
    return {
        "file": path,
        "line": line,
        "column": column,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "subjects": list(finding.subjects),
        "suppressed": finding.suppressed,
    }


def _unreadable_json(checked: Checked) -> dict[str, object]:
    """An unreadable file of ``usager check --format json``: the error, at its first problem's position."""
    first = checked.problems[0] if checked.problems else None
    return {
        "file": checked.path,
        "line": first.line if first else None,
        "column": first.column if first else None,
        "error": checked.error,
    }


#: What a file reader returns.
T = TypeVar("T")


def _read_file(read: Callable[[str | Path], T], path: str | Path, what: str) -> T:
    """``read(path)``, a :class:`_Failure` naming the file when it is missing, unreadable or wrong.

    ``what`` names the file for a person (``configuration``, ``baseline``).
    """
    try:
        return read(path)
    except FileNotFoundError:
        raise _Failure(f"{escaped(str(path))}: no such {what} file") from None
    except OSError as exc:
        raise _Failure(f"{escaped(str(path))}: cannot be read ({exc.strerror or exc})") from None
    except LoadError as exc:
        raise _Failure(str(exc), exc.problems) from None


def _load_config(path: str | Path) -> Config:
    """The configuration in the file at ``path``; a :class:`_Failure` when it cannot be read or is wrong."""
    return _read_file(Config.load, path, "configuration")


def _relative(path: Path) -> Path:
    """``path`` relative to the working folder when it is inside it (as a message shows it), else as it is."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _configs(args: argparse.Namespace) -> Callable[[str], Config | None]:
    """The configuration of each checked file: none with --isolated, --config's, else the nearest one up the folders."""
    if args.isolated:
        return lambda path: None
    if args.config is not None:
        given = _load_config(args.config)
        return lambda path: given
    loaded: dict[Path | None, Config] = {None: Config()}

    def discovered(path: str) -> Config:
        found = find("." if path == "-" else path)
        if found not in loaded:
            loaded[found] = _load_config(_relative(found)) if found is not None else Config()
        return loaded[found]

    return discovered


@attrs.define
class _Baselines:
    """The baseline of each checked file.

    --write-baseline's (filled as files are checked), else --baseline's, else its configuration's.
    """

    given: Baseline | None = None
    written: Baseline | None = None
    loaded: dict[Path, Baseline] = attrs.field(factory=dict)
    used: bool = False

    def __call__(self, config: Config | None) -> Baseline | None:
        if self.written is not None or self.given is not None:
            return self.written or self.given
        if config is None or config.baseline is None:
            return None
        if config.baseline not in self.loaded:
            self.loaded[config.baseline] = _load_baseline(_relative(config.baseline))
        self.used = True
        return self.loaded[config.baseline]


def _baselines(args: argparse.Namespace) -> _Baselines:
    if args.write_baseline is not None:
        return _Baselines(written=Baseline(folder=Path(args.write_baseline).parent))
    if args.baseline is not None:
        return _Baselines(given=_load_baseline(args.baseline))
    return _Baselines()


def _load_baseline(path: str | Path) -> Baseline:
    """The baseline in the file at ``path``; a :class:`_Failure` when it cannot be read or is wrong."""
    return _read_file(Baseline.load, path, "baseline")


def _match(baseline: Baseline, findings: list[Finding], path: str, writing: bool) -> tuple[list[Finding], int, int]:
    """The findings ``baseline`` leaves of the file at ``path``; when ``writing``, it takes them all in first."""
    if writing:
        baseline.entries.update(baseline.key(f, path) for f in findings if not f.suppressed)
    return baseline.match(findings, path)


def _write_baseline(baseline: Baseline | None, path: str) -> Path:
    assert baseline is not None  # --write-baseline made it
    try:
        return baseline.write(path)
    except UsagerError as exc:
        raise _Failure(str(exc)) from None
    except OSError as exc:
        raise _Failure(f"{escaped(path)}: cannot be written ({exc.strerror or exc})") from None


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check canvas files, and the canvases in folders; print findings like a linter.

    A folder is walked for the files whose suffix a reader knows, less hidden ones and what the
    configuration's exclude globs match; files are checked and reported in path order, on
    --jobs worker processes. The rules run as the project's configuration says ([tool.usager]
    in pyproject.toml, or usager.toml, the nearest one up the folders from each file); --select
    replaces its choice of rules, --ignore adds to it.
    """
    configs = _configs(args)
    if args.jobs is not None and args.jobs < 1:
        raise _Failure(f"--jobs: {args.jobs} is not a number of processes (1 or more)")
    named = [b for b in (args.baseline, args.write_baseline) if b is not None]
    files = canvas_files(
        args.files, configs, named, force_exclude=args.force_exclude
    )  # a bad configuration stops the command (exit 2)
    status = EXIT_OK
    counted = (Severity.ERROR, Severity.WARNING) if args.strict else (Severity.ERROR,)
    counts = dict.fromkeys(Severity, 0)
    checked: list[Checked] = []
    baselines = _baselines(args)
    hidden = stale = 0
    baseline_of: dict[str, Baseline | None] = {}
    tasks: list[_CheckTask] = []
    stop: _Failure | None = None
    for path in files:
        try:
            config = configs(path)
        except _Failure as exc:  # checks the files before it, then stops the command
            stop = exc
            break
        baseline_of[path] = baselines(config)
        tasks.append(
            _CheckTask(
                path,
                args.input_format,
                _codes(args.select),
                _codes(args.ignore),
                args.suppressed,
                config,
                junit=args.format == "junit",
                language=spoken(),
            )
        )
    # standard input (first in path order) is read here, never by a worker
    here = [_check_file(t) for t in tasks if t.path == "-"]
    jobs = cores() if args.jobs is None else args.jobs
    languages: set[str] = set()
    for item in _results(here, tasks, jobs):
        if item.fatal is not None:
            raise _Failure(item.fatal)
        checked.append(item.checked)
        languages.add(item.language)
        if item.checked.error is not None:
            status = EXIT_INPUT
            if args.format == "text":
                print(f"usager: error: {item.checked.error}", file=err)
            continue
        findings = list(item.checked.findings)
        baseline = baseline_of.get(item.checked.path)
        if baseline is not None:
            findings, hid, unmatched = _match(baseline, findings, item.checked.path, args.write_baseline is not None)
            hidden, stale = hidden + hid, stale + unmatched
            checked[-1] = attrs.evolve(item.checked, findings=tuple(findings), baseline=(hid, unmatched))
        for finding in findings:
            if not finding.suppressed:
                counts[finding.severity] += 1
        if args.format == "text":
            for finding in findings:
                print(f"{_at(item.checked.path, item.checked.position(finding))}: {escaped(str(finding))}", file=out)
        if status == EXIT_OK and any(f.severity in counted and not f.suppressed for f in findings):
            status = EXIT_FINDINGS
    if stop is not None:
        raise stop
    used = args.write_baseline is not None or args.baseline is not None or baselines.used
    if args.write_baseline is not None:
        written = _write_baseline(baselines.written, args.write_baseline)
        total = sum(baselines.written.entries.values()) if baselines.written is not None else 0
        entries = say_n("{n} entry", "{n} entries", total)
        print(say("wrote {file}: {entries}", file=escaped(str(written)), entries=entries), file=err)
    if args.format == "json":
        report = [_finding_json(c.path, f, c.position(f)) for c in checked for f in c.findings]
        problems = [_unreadable_json(c) for c in checked if c.error is not None]
        document: dict[str, object] = {"findings": report, "unreadable": problems}
        if used:
            document["baseline"] = {"hidden": hidden, "stale": stale}
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "sarif":
        log = sarif_log(checked, _ruleset_rules(configs, checked))
        if used:
            log["runs"][0].setdefault("properties", {})["baseline"] = {"hidden": hidden, "stale": stale}
        json.dump(log, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "gitlab":
        json.dump(gitlab_report(checked), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "junit":
        out.write(junit_report(checked, strict=args.strict, extra_rules=_ruleset_rules(configs, checked)))
    else:
        if args.format == "github":
            for line in github_annotations(checked):
                print(line, file=out)
        unreadable = sum(c.error is not None for c in checked)
        # the files' own language when they all speak one, else the one asked for (--lang, LANG)
        language = languages.pop() if len(languages) == 1 else spoken()
        print(_summary(len(checked), counts, unreadable, stale, language=language), file=err)
    return status


def _ruleset_rules(configs: Callable[[str], Config | None], checked: Sequence[Checked]) -> list[rules.Rule]:
    """The rules of the rulesets of the configurations that applied to the files ``checked``."""
    found: dict[str, rules.Rule] = {}
    for config in {id(c): c for c in map(configs, (item.path for item in checked)) if c is not None}.values():
        try:
            found.update((rule.code, rule) for rule in config.ruleset_rules())
        except UsagerError:  # a file whose ruleset is bad says so as it is checked
            continue
    return list(found.values())


def _results(here: list[_CheckResult], tasks: list[_CheckTask], jobs: int) -> Iterator[_CheckResult]:
    """``here``, the result of standard input, then those of the files of ``tasks``, in their order."""
    yield from here
    try:
        yield from in_order(_check_file, [t for t in tasks if t.path != "-"], jobs)
    except WorkerLostError as exc:
        raise _Failure(str(exc)) from None


@attrs.frozen
class _CheckTask:
    """What checking one file takes, as plain data a worker process receives."""

    path: str
    input_format: str | None
    select: list[str] | None
    ignore: list[str] | None
    suppressed: bool
    config: Config | None
    junit: bool  # whether to list the rules run, for the JUnit report
    language: str = "en"  # the language spoken where the file says none (--lang, LANG): workers are told it


@attrs.frozen
class _CheckResult:
    """What checking one file gave, as plain data a worker process sends back.

    ``fatal`` is an error that stops the command (a selector matching no rule). ``language`` is
    the one the file's messages are said in: its canvas's, or the one spoken when it says none.
    """

    checked: Checked
    fatal: str | None = None
    language: str = "en"


def _check_file(task: _CheckTask) -> _CheckResult:
    """Check the file ``task`` names: its findings and their positions, or why it cannot be read."""
    with speaking(task.language):
        return _check_spoken(task)


def _check_spoken(task: _CheckTask) -> _CheckResult:
    """:func:`_check_file`, in the language spoken."""
    path, config = task.path, task.config
    try:
        ran = _rules_run(task.select, task.ignore, config, path) if task.junit else None
        canvas, data, name = _read_text(path, task.input_format)
        findings = check(
            canvas,
            select=task.select,
            ignore=task.ignore,
            suppressed=task.suppressed,
            config=config,
            path=None if path == "-" else path,
        )
    except UnknownRuleError as exc:
        return _CheckResult(Checked(path, positions={}), fatal=str(exc))
    except _Failure as exc:
        return _CheckResult(Checked(path, error=str(exc), problems=exc.problems, positions={}), language=exc.language)
    # standard input (no data) has no positions
    positions = positions_in(canvas, data, name) if data is not None and any(f.subjects for f in findings) else {}
    in_file_order(findings, positions)
    return _CheckResult(Checked(path, tuple(findings), positions=positions, rules=ran), language=canvas.language.value)


def _rules_run(select: list[str] | None, ignore: list[str] | None, config: Config | None, path: str) -> tuple[str, ...]:
    """The codes of the rules ``check`` runs on the file at ``path`` with these options, in order.

    Raises :class:`UnknownRuleError` for a selector that matches no rule.
    """
    chosen = rules_run(select=select, ignore=ignore, config=config, path=None if path == "-" else path)
    return tuple(rule.code for rule in chosen)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _counted(language: str, severity: Severity, count: int) -> str:
    """``1 error``, ``3 warnings``, ``0 infos``: ``count`` findings of ``severity``, in ``language``."""
    if severity is Severity.ERROR:
        return trn(language, "{n} error", "{n} errors", count)
    elif severity is Severity.WARNING:
        return trn(language, "{n} warning", "{n} warnings", count)
    return trn(language, "{n} info", "{n} infos", count)


def _summary(files: int, counts: dict[Severity, int], unreadable: int, stale: int = 0, *, language: str = "en") -> str:
    """``2 files checked: 1 error, 3 warnings, 0 infos`` (``no problem found`` when there is none), in ``language``.

    ``; 2 baseline entries no longer match`` follows when ``stale`` entries of a baseline matched nothing.
    """
    checked = trn(language, "{n} file checked", "{n} files checked", files)
    tail = (
        trn(language, "; {n} baseline entry no longer matches", "; {n} baseline entries no longer match", stale)
        if stale
        else ""
    )
    if not any(counts.values()) and not unreadable:
        return tr(language, "{checked}: no problem found", checked=checked) + tail
    found = ", ".join(_counted(language, s, counts[s]) for s in Severity)
    unread = trn(language, "; {n} could not be read", "; {n} could not be read", unreadable) if unreadable else ""
    return tr(language, "{checked}: {found}", checked=checked, found=found) + unread + tail


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Export a canvas file to another format."""
    if any(value.strip() == "help" for value in args.options or []):
        return _options_help(args.to, args.output, out)
    if args.file is None:
        raise _Failure("export needs FILE, the canvas file to export (- reads standard input)")
    name = _export_format(args.to, args.output)
    exporter = _exporter(name)
    options = _options(exporter, args.options or [])
    canvas = _read(args.file, args.input_format)
    if args.output:
        try:
            written = dump(canvas, args.output, exporter.name, **options)
        except CanvasError as exc:
            raise _Failure(_refused(exc, exporter, options)) from None
        except OutputPathError as exc:
            raise _Failure(f"{exc}; leave out -o to write to standard output") from None
        except UsagerError as exc:
            raise _Failure(str(exc)) from None
        except OSError as exc:
            raise _Failure(f"{escaped(args.output)}: cannot be written ({exc.strerror or exc})") from None
        print(f"wrote {escaped(str(written))}", file=err)
        return EXIT_OK
    if exporter.binary and out.isatty():
        raise _Failure(f"the {exporter.name!r} format is binary: write it to a file with -o, or redirect the output")
    try:
        data = dumps(canvas, exporter.name, **options)
    except CanvasError as exc:
        raise _Failure(_refused(exc, exporter, options)) from None
    except UsagerError as exc:
        raise _Failure(str(exc)) from None
    if isinstance(data, bytes):
        out.flush()
        out.buffer.write(data)
    else:
        out.write(data)
    return EXIT_OK


def _refused(error: CanvasError, exporter: exporters.Exporter, options: Mapping[str, object]) -> str:
    """The message of a drawing refused for its errors, its first line ending with how to draw it anyway.

    The advice is given when the exporter declares a ``draft`` option that was not set.
    """
    first, _, rest = str(error).partition("\n")
    declared = options_of(exporter)
    if declared is not None and declared.get("draft") is bool and not options.get("draft"):
        first += "; to draw it anyway, as a draft that lists them, add -O draft=true"
    return f"{first}\n{rest}" if rest else first


def _export_format(to: str | None, output: str | None) -> str:
    """The exporter to run: ``--to`` (any case), else the one ``-o``'s suffix names; they must agree."""
    by_suffix: str | None = None
    if output is not None:
        try:
            by_suffix = format_of(output)
        except UsagerError:
            by_suffix = None
    if to is None:
        if by_suffix is not None:
            return by_suffix
        where = f"from the file name {output!r}" if output else "without -o OUT"
        raise _Failure(
            f"cannot tell the format {where}; name it with --to NAME, one of: {', '.join(exporters.available())}"
        )
    name = _format_name(to)
    if output is not None and by_suffix is not None and by_suffix != name:
        suffixes = _exporter(name).suffixes
        if not any(Path(output).name.lower().endswith(s) for s in suffixes):
            raise _Failure(
                f"--to {name} writes {'/'.join(suffixes)} files, but {output!r} is named like a {by_suffix} file: "
                "change the suffix of -o, or --to"
            )
    return name


#: How ``-O NAME=VALUE`` spells booleans.
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _option_value(exporter: exporters.Exporter, name: str, text: str, kind: object) -> object:
    """``text`` converted as the exporter declares the option ``name``: bool, int, float, str or choices."""
    what = f"the {exporter.name!r} exporter's option {name!r}"
    if kind is bool:
        value = _BOOLEANS.get(text.strip().lower())
        if value is None:
            raise _Failure(f"{what} takes true or false (yes/no, 1/0), not {text!r}")
        return value
    if kind is int or kind is float:
        try:
            return int(text.strip()) if kind is int else float(text.strip())
        except ValueError:
            article = "a whole number" if kind is int else "a number"
            raise _Failure(f"{what} takes {article}, not {text!r}") from None
    if isinstance(kind, tuple) and text not in kind:
        raise _Failure(f"{what} takes one of {', '.join(map(repr, kind))}, not {text!r}")
    return text


def _options(exporter: exporters.Exporter, values: list[str]) -> dict[str, object]:
    """``-O NAME=VALUE`` options, typed by the exporter's ``options`` declaration (strings without one)."""
    declared = _declared(exporter)
    by_name = {option.name: option for option in declared or ()}
    options: dict[str, object] = {}
    for value in values:
        name, sep, text = value.partition("=")
        name = name.strip()
        if not sep or not name:
            raise _Failure(f"-O takes NAME=VALUE, not {value!r} (-O help lists the exporter's options)")
        if declared is not None:
            if name not in by_name:
                raise _Failure(_no_such_option(exporter.name, name, declared))
            options[name] = _option_value(exporter, name, text, by_name[name].kind)
        else:
            options[name] = text
    return options


def _declared(exporter: exporters.Exporter) -> tuple[exporters.Option, ...] | None:
    """The options ``exporter`` declares, or None; a declaration that cannot be read is an error saying why."""
    try:
        return exporters.describe_options(exporter)
    except UsagerError as exc:
        raise _Failure(str(exc)) from None


def _no_such_option(exporter: str, name: str, declared: Sequence[exporters.Option]) -> str:
    """The message for ``-O NAME=...`` that the exporter does not take: what it takes, and a near name."""
    said = f"the {exporter!r} exporter has no option {escaped(repr(name), 80)}"
    if not declared:
        return f"{said}; it takes none"
    suggestion = did_you_mean(closest(name, [option.name for option in declared]))
    known = ", ".join(f"{escaped(option.name, 80)}={escaped(option.value, 80)}" for option in declared)
    return f"{said}{suggestion}; its options are: {known} (usager export --to {exporter} -O help says what each does)"


def _option_rows(declared: Sequence[exporters.Option]) -> list[tuple[str, str, str]]:
    """Each option as ``-O name=VALUE``, its default and its meaning (escaped: a plugin's text)."""
    return [
        (
            f"-O {escaped(option.name, 80)}={escaped(option.value, 80)}",
            f"default {escaped(option.default_text, 80)}",
            escaped(option.meaning, 300) if option.meaning else "no description",
        )
        for option in declared
    ]


def _option_lines(
    declared: Sequence[exporters.Option] | None, width: Sequence[int] = (), indent: str = "  "
) -> list[str]:
    """The lines telling an exporter's options: one per option, or one saying it takes none or does not say.

    The columns are ``width`` wide; by default, as wide as these options need.
    """
    if declared is None:
        return [f"{indent}(options not declared: -O NAME=VALUE passes VALUE as text)"]
    if not declared:
        return [f"{indent}(no options)"]
    rows = _option_rows(declared)
    width = width or [max(len(row[i]) for row in rows) for i in range(2)]
    return [f"{indent}{row[0]:<{width[0]}}  {row[1]:<{width[1]}}  {row[2]}" for row in rows]


def _options_help(to: str | None, output: str | None, out: TextIO) -> int:
    """``usager export -O help``: the options of the exporter ``--to`` or ``-o`` names, or of every exporter."""
    if to is None and output is None:
        print("The options of each exporter (usager export FILE --to NAME -O OPTION=VALUE):", file=out)
        return cmd_exporters(argparse.Namespace(format="text"), out, out)
    exporter = _exporter(_export_format(to, output))
    print(
        f"Options of the {exporter.name!r} exporter (usager export FILE --to {exporter.name} -O OPTION=VALUE):",
        file=out,
    )
    for line in _option_lines(_declared(exporter)):
        print(line, file=out)
    return EXIT_OK


def _exporter(name: str) -> exporters.Exporter:
    """The exporter called ``name``; one that cannot be used is one error, which says why."""
    try:
        with warnings.catch_warnings():  # the registry's warning about it would say the same again
            warnings.simplefilter("ignore", exporters.ExporterWarning)
            return exporters.get(name)
    except UsagerError as exc:
        raise _Failure(str(exc)) from None


def cmd_exporters(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List the exporters found, with their distributions and their options (-O); broken ones with the reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", exporters.ExporterWarning)
        infos = exporters.infos()
        if args.format == "json":
            json.dump([_exporter_json(info) for info in infos], out, ensure_ascii=False, indent=2)
            out.write("\n")
            return EXIT_OK
        rows: list[tuple[str, str, str, str]] = []
        described: list[tuple[exporters.Option, ...] | str | None] = []  # each one's options, or why not shown
        for info in infos:
            if info.shadowed:
                rows.append((info.name, "-", info.distribution or "?", f"IGNORED: {info.error}"))
                described.append(())
            elif info.error is None:
                exporter = exporters.get(info.name)
                rows.append((info.name, " ".join(exporter.suffixes), info.distribution or "usager", ""))
                try:
                    described.append(exporters.describe_options(exporter))
                except UsagerError as exc:
                    described.append(f"  ({escaped(str(exc), 300)})")
            else:
                rows.append((info.name, "-", info.distribution or "?", f"BROKEN: {info.error}"))
                described.append(())
    every = [row for options in described if isinstance(options, tuple) for row in _option_rows(options)]
    option_width = [max((len(row[i]) for row in every), default=0) for i in range(2)]
    width = [max(len(r[i]) for r in [("name", "suffixes", "distribution"), *rows]) for i in range(3)]
    print(f"{'name':<{width[0]}}  {'suffixes':<{width[1]}}  {'distribution':<{width[2]}}", file=out)
    for (name, suffixes, distribution, status), options in zip(rows, described, strict=True):
        print(f"{name:<{width[0]}}  {suffixes:<{width[1]}}  {distribution:<{width[2]}}  {status}".rstrip(), file=out)
        if status:
            continue
        for line in [options] if isinstance(options, str) else _option_lines(options, option_width):
            print(line, file=out)
    return EXIT_OK


def _origin(rule: rules.Rule) -> str:
    """Where ``rule`` comes from, a ruleset under the working folder by its relative path (``rules/team.yaml``)."""
    origin = rules.origin(rule)
    if os.path.isabs(origin):
        try:
            relative = os.path.relpath(origin)
        except ValueError:  # another drive
            return escaped(origin)
        if not relative.startswith(os.pardir):
            return escaped(relative)
    return escaped(origin)


def _exporter_json(info: exporters.ExporterInfo) -> dict[str, object]:
    """One exporter for ``usager exporters --format json``: what the registry knows, and its options."""
    entry: dict[str, object] = {
        "name": info.name,
        "distribution": info.distribution or ("usager" if info.builtin else None),
        "error": info.error,
        "shadowed": info.shadowed,
    }
    if info.error is not None:
        return entry
    exporter = exporters.get(info.name)
    try:
        media_type = str(exporter.media_type)
    except Exception as exc:  # a plugin's property: what it declares is shown, or why not
        media_type = f"(cannot be read: {type(exc).__name__})"
    entry |= {"suffixes": list(exporter.suffixes), "media_type": media_type, "binary": exporter.binary}
    try:
        declared = exporters.describe_options(exporter)
    except UsagerError as exc:
        entry["options_error"] = str(exc)
        return entry
    entry["options"] = None if declared is None else [_option_json(option) for option in declared]
    return entry


def _option_json(option: exporters.Option) -> dict[str, object]:
    """One option for ``usager exporters --format json``: name, type, choices, default, meaning."""
    default = option.default
    return {
        "name": option.name,
        "type": option.type_name,
        "choices": list(option.kind) if isinstance(option.kind, tuple) else None,
        "default": default if default is None or isinstance(default, (bool, int, float, str)) else repr(default),
        "meaning": option.meaning,
    }


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List every rule: its code, severity, summary and origin (usager, or the distribution that adds it)."""
    rows = [(r.code, r.severity.value, _origin(r), r.summary) for r in _every_rule(args)]
    heading = ("code", "severity", "origin", "summary")
    width = [max(len(row[i]) for row in [heading, *rows]) for i in range(3)]
    for row in [heading, *rows]:
        print(f"{row[0]:<{width[0]}}  {row[1]:<{width[1]}}  {row[2]:<{width[2]}}  {row[3]}", file=out)
    return EXIT_OK


def cmd_rule(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print a rule's documentation, with its failing and passing examples."""
    code = args.code.strip().upper()
    found = {r.code: r for r in _every_rule(args)}
    rule = found.get(code)
    if rule is None:
        raise _Failure(f"no rule has the code {args.code!r}; the codes are {', '.join(found)} (see `usager rules`)")
    if rules.DECLARED_RULES.get(rule.code) is rule:  # a ruleset's rule has no examples to show
        text = f"## {rule.code}\n\n**{rule.severity.value}**: {rule.summary}.\n\n{rule.explanation}"
    else:
        text = document_rule(rule).strip()
    print(f"{text}\n\nOrigin: {_origin(rule)}", file=out)
    return EXIT_OK


def _every_rule(args: argparse.Namespace) -> list[rules.Rule]:
    """Every rule, in code order: usager's, the installed distributions', the configuration's rulesets'.

    The configuration is --config's, none with --isolated, else the one that applies to the working folder.
    """
    try:
        if args.isolated:
            declared: tuple[rules.Rule, ...] = ()
        elif args.config is not None:
            declared = _load_config(args.config).ruleset_rules()
        else:
            declared = Config.discover(Path.cwd()).ruleset_rules()
    except LoadError as exc:
        raise _Failure(str(exc)) from None
    return sorted((*rules.all_rules(), *declared), key=lambda r: r.code)


def _add_rules(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("rules", help="list every rule, with its origin", description=cmd_rules.__doc__)
    _add_config_options(p)
    p.set_defaults(run=cmd_rules)
    p = commands.add_parser("rule", help="print a rule's documentation", description=cmd_rule.__doc__)
    p.add_argument("code", metavar="CODE", help="the rule's code (U020, TEAM001...)")
    _add_config_options(p)
    p.set_defaults(run=cmd_rule)


def _add_config_options(p: argparse.ArgumentParser) -> None:
    """--config PATH and --isolated: the configuration whose rulesets add rules."""
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--config", metavar="PATH", help="the configuration file whose rulesets count (default: the working folder's)"
    )
    chosen.add_argument("--isolated", action="store_true", help="read no configuration file: no ruleset")


def _show_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, *_: object, **__: object
) -> None:
    """Say a rule's warning in one line; any other warning as Python does."""
    if issubclass(category, RuleWarning):
        _say(f"usager: warning: {message}")
    else:
        _PYTHON_SHOWWARNING(message, category, filename, lineno)


_PYTHON_SHOWWARNING = warnings.showwarning


def cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Say what changed between two versions of a canvas; exit 1 when they differ."""
    old, new = _read(args.old, args.input_format), _read(args.new, args.input_format)
    changes = diff(old, new)
    if args.format == "json":
        json.dump({"old": args.old, "new": args.new, **changes.to_dict()}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "markdown":
        out.write(changes.markdown())
    else:
        out.write(changes.text())
    return EXIT_FINDINGS if changes else EXIT_OK


def _add_diff(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``diff`` subcommand's parser."""
    p = commands.add_parser("diff", help="say what changed between two versions", description=cmd_diff.__doc__)
    p.add_argument("old", metavar="OLD", help="the earlier version (any readable format; - reads standard input)")
    p.add_argument("new", metavar="NEW", help="the later version")
    p.add_argument("--from", dest="input_format", metavar="NAME", help="the files' format (default: by suffix)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="how to print the changes")
    p.set_defaults(run=cmd_diff)


def cmd_mcp(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve usager's tools to an assistant: a Model Context Protocol server on stdin/stdout.

    Its tools (check, analyse, diff, list_elements, get_element, export) read only the files
    inside --root; export writes a file there only with --allow-write.
    """
    if not Path(args.root).is_dir():
        raise _Failure(f"--root: {escaped(args.root)} is not a folder: the root must be an existing folder")
    try:
        from usager import mcp_server  # the MCP SDK is imported for this command only
    except ModuleNotFoundError as exc:
        missing = (exc.name or "mcp").partition(".")[0]
        raise _Failure(f"usager mcp needs the MCP SDK ({missing} is missing): pip install 'usager[mcp]'") from None
    try:
        mcp_server.serve(args.root, allow_write=args.allow_write)
    except UsagerError as exc:
        raise _Failure(f"--root: {exc}") from None
    return EXIT_OK


def _add_mcp(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``mcp`` subcommand's parser."""
    p = commands.add_parser("mcp", help="serve usager's tools over MCP (stdin/stdout)", description=cmd_mcp.__doc__)
    p.add_argument("--root", metavar="DIR", default=".", help="the folder the tools work in (default: the working one)")
    p.add_argument("--allow-write", action="store_true", help="let the export tool write files inside --root")
    p.set_defaults(run=cmd_mcp)


def new_canvas(name: str, language: Language | LanguageName) -> Canvas:
    """A canvas with the six standard stages, their descriptions left for the team to write."""
    return Canvas.standard(name, language)


def starter_examples(language: Language | LanguageName) -> dict[str, tuple[Element, tuple[str, ...]]]:
    """One example element for each list of a new canvas but the stages, with the keys it shows.

    Each names no element but the standard stages, so that any of them, alone or with the
    others, makes a canvas without error findings.
    """
    lang = Language(language).value
    examples: list[tuple[Element, tuple[str, ...]]] = [
        (
            Persona(
                id="newcomer",
                name=tr(lang, "New in town"),
                goals=[tr(lang, "Find the right service quickly")],
                frustrations=[tr(lang, "Forms full of jargon")],
                digital_comfort="medium",
            ),
            ("goals", "frustrations", "digital_comfort"),
        ),
        (
            Usager(id="amina", name="Amina", stage="usage", needs=[tr(lang, "Help on Saturday mornings")]),
            ("relationship", "stage", "needs"),
        ),
        (
            Brake(id="opening_hours", label=tr(lang, "Opening hours clash with work"), stage="usage", kind="physical"),
            ("kind", "severity"),
        ),
        (
            Facilitator(
                id="late_opening", label=tr(lang, "Open late on Thursdays"), stages=["usage"], status="planned"
            ),
            ("stages", "status"),
        ),
        (
            Activity(id="welcome_desk", label=tr(lang, "Staff the welcome desk"), supports=["first_experience"]),
            ("phase", "supports"),
        ),
        (Resource(id="volunteers", label=tr(lang, "A team of volunteers"), kind="human"), ("kind",)),
        (Partner(id="town_hall", label=tr(lang, "The town hall")), ()),
        (
            Experience(
                id="first_visit",
                stage="first_experience",
                score=1,
                emotion=tr(lang, "reassured"),
                quote=tr(lang, "Someone took the time to explain."),
            ),
            ("emotion", "quote"),
        ),
        (
            Metric(id="sign_ups", label=tr(lang, "Sign-ups per month"), stage="purchase", target=50, current=32),
            ("direction", "target", "current"),
        ),
        (
            Contribution(id="saturday_workshop", title=tr(lang, "A repair workshop on Saturdays"), stages=["usage"]),
            ("stages", "status"),
        ),
    ]
    return {TYPE_OF[type(element)].list: (element, shown) for element, shown in examples}


#: The formats whose files hold comments: a new canvas in them teaches, with questions and examples.
_COMMENTED = ("yaml", "toml")


def starter_text(canvas: Canvas, format: str, file: str = "FILE") -> str:
    """``canvas``, a new one, in ``format`` (``yaml`` or ``toml``) with comments that teach.

    A header says how to go on; above each stage, the question it asks; for each other list,
    the question it answers and one example element, commented out: removing the ``# `` at the
    start of its lines makes it part of the canvas. The text loads to ``canvas`` itself.
    """
    lang = canvas.language.value
    examples = starter_examples(canvas.language)
    yaml = format == "yaml"
    lines = [line.rstrip() for line in _text_of(canvas, format).split("\n")]
    stages_at = lines.index("stages:" if yaml else "[[stages]]")
    # The canvas's own keys, then the stages, without the keys of empty lists: each list's key
    # comes with its example, and a stage's empty lists (tags...) are no question to answer.
    empty = {f"{name}: []" for name, _ in ELEMENT_LISTS}
    head = [line for line in lines[:stages_at] if line not in empty]
    while head and not head[-1]:
        head.pop()
    stages = [line for line in lines[stages_at:] if line and not line.endswith(": []" if yaml else " = []")]
    if yaml:
        stages = [line for line in stages if line.startswith(" ") or line == "stages:"]
    out: list[str] = []
    for sentence in (
        tr(lang, "A new canvas: the six stages of the cycle, and the other lists still empty."),
        tr(lang, "Under each list's question, an example: remove the '# ' in front of its lines, then make it yours."),
        tr(lang, "Elements name one another by id (a brake names its stage, a facilitator the brakes it addresses)."),
        tr(lang, "Then check it: usager check {file}", file=escaped(file)),
    ):  # fmt: skip
        out += _comment(sentence)
    out += ["", *head]
    before = [name for name, _ in ELEMENT_LISTS[: [n for n, _ in ELEMENT_LISTS].index("stages")]]
    for name in before:
        out += ["", *_example(canvas, name, examples[name], format)]
    out.append("")
    stage_number = 0
    for line in stages:
        if line.startswith("  - " if yaml else "[[stages]]"):
            question = canvas.stages[stage_number].kind.question(canvas.language)
            if not yaml and stage_number:
                out.append("")
            out += _comment(tr(lang, "{question} (answer it in the stage's description: key)", question=question),
                            "  " if yaml else "")  # fmt: skip
            stage_number += 1
        out.append(line)
    for name, _ in ELEMENT_LISTS:
        if name in examples and name not in before:
            out += ["", *_example(canvas, name, examples[name], format)]
    return "\n".join(out) + "\n"


def _text_of(canvas: Canvas, format: str) -> str:
    """``canvas`` in ``format``, a text format."""
    text = dumps(canvas, format)
    assert isinstance(text, str), format
    return text


def _comment(text: str, indent: str = "") -> list[str]:
    """``text`` as comment lines, wrapped at 100 characters."""
    return [f"{indent}# {line}" for line in textwrap.wrap(text, 100 - len(indent) - 2, break_on_hyphens=False)]


def _example(canvas: Canvas, name: str, example: tuple[Element, tuple[str, ...]], format: str) -> list[str]:
    """The question of the list ``name`` and its example element, commented out, in ``format``."""
    element, shown = example
    lang = canvas.language.value
    question = LIST_QUESTIONS[name][canvas.language]
    title = tr(lang, name)
    lines = _comment(tr(lang, "{list}: {question}", list=f"{title[:1].upper()}{title[1:]}", question=question))
    text = _text_of(canvas.add(element), format).split("\n")
    keep = {"id", *shown, *(f.name for f in attrs.fields(type(element)) if f.default is attrs.NOTHING)}
    if format == "yaml":
        start = text.index(f"{name}:")
        block = [text[start]]
        key = ""
        for line in text[start + 1 :]:
            if line and not line.startswith(" "):
                break
            if line.startswith("  - ") or (line.startswith("    ") and line[4:5] != " "):
                key = line[4:].split(":", 1)[0]
            if key in keep:
                block.append(line)
    else:
        start = text.index(f"[[{name}]]")
        block = [text[start]]
        for line in text[start + 1 :]:
            if not line or line.startswith("[["):
                break
            if line.split(" = ", 1)[0] in keep:
                block.append(line)
    return lines + [f"# {line}" for line in block]


def cmd_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write a new canvas: the six stages, and in YAML or TOML each question and an example to copy, as comments."""
    name = _new_format(args)
    if args.example:
        return _new_example(args, name, out, err)
    title = args.name or ("Mon service" if args.language == "fr" else "My service")
    canvas = _named(title, lambda: new_canvas(title, args.language))
    file = args.output or f"{'mon-service' if args.language == 'fr' else 'my-service'}{exporters.get(name).suffixes[0]}"
    text = starter_text(canvas, name, file) if name in _COMMENTED else dumps(canvas, name)
    exporter = exporters.get(name)
    if name == "yaml" and isinstance(exporter, exporters.Reformatting):
        # written as usager fmt writes it, so that fmt --check passes on a new file (TOML's examples
        # are tables whose place counts: there the starter stays as written)
        text = exporter.reformat(text, source=file)
    if args.output:
        _write_new(text, args.output, args.force)
        print(f"wrote {escaped(args.output)}", file=err)
    else:
        out.write(text if isinstance(text, str) else text.decode("utf-8"))
    print(_guide(canvas, commented=name in _COMMENTED), file=err)
    return EXIT_OK


def _new_format(args: argparse.Namespace) -> str:
    """The format ``new`` writes: ``--to``, or ``-o``'s suffix, else JSON; one usager reads back."""
    name = _export_format(args.to, args.output) if args.to or args.output else "json"
    if name not in exporters.readable():
        where = escaped(args.output) if args.output else f"--to {name}"
        what = "the example as a canvas" if args.example else "the new canvas in a format"
        raise _Failure(f"{where}: write {what} usager reads back: {_readable_suffixes()}")
    return name


def _new_example(args: argparse.Namespace, name: str, out: TextIO, err: TextIO) -> int:
    """Write the example canvas (``new --example``), in the format of ``--to`` or ``-o``'s suffix, else JSON."""
    canvas = repair_cafe(args.language)
    if args.name:
        canvas = _named(args.name, lambda: attrs.evolve(canvas, name=args.name))
    if not args.output:
        out.write(str(dumps(canvas, name)))
        return EXIT_OK
    _write_new(dumps(canvas, name), args.output, args.force)
    print(f"wrote {escaped(args.output)}", file=err)
    again = "Modifiez-le, puis vérifiez-le :" if canvas.language is Language.FR else "Edit it, then check it:"
    print(f"{again} usager check {escaped(args.output)}", file=err)
    return EXIT_OK


def _named(name: str, make: Callable[[], Canvas]) -> Canvas:
    """The canvas ``make`` builds with the ``name`` of ``--name``, which may be refused (blank, holding NUL)."""
    try:
        return make()
    except ElementError as exc:
        raise _Failure(f"--name {shown(name)}: {exc.reason}") from None


def _write_new(text: str | bytes, output: str, force: bool) -> None:
    """Write a new canvas's ``text`` to ``output`` (``-o``), atomically; never over a file unasked."""
    try:
        # First: a folder or a device is refused, --force or not.
        if writable_path(output).exists() and not force:
            raise _Failure(f"{escaped(output)} exists already; use --force to replace it")
        write_bytes(output, text.encode("utf-8") if isinstance(text, str) else text)
    except OutputPathError as exc:
        raise _Failure(str(exc)) from None
    except OSError as exc:
        raise _Failure(f"{escaped(output)}: cannot be written ({exc.strerror or exc})") from None


def _readable_suffixes() -> str:
    """``.json, .csv, .yaml...``: the suffixes of the formats usager reads back."""
    return ", ".join(s for name in exporters.readable() for s in exporters.get(name).suffixes)


def cmd_fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Rewrite canvas files canonically, in place (JSON, YAML, TOML, CSV); --check changes nothing.

    YAML and TOML files keep their comments, each at the key or element it stands above or at
    the end of, and leave out the keys that hold their default value.
    """
    changed: list[str] = []
    unreadable = 0
    for path in args.files:
        try:
            data = _formatted(path)
        except _Failure as exc:
            print(f"usager: error: {exc}", file=err)
            unreadable += 1
            continue
        if data is None:
            continue
        changed.append(path)
        if args.check:
            print(f"would reformat {escaped(path)}", file=out)
            continue
        try:
            write_bytes(path, data)  # a symbolic link is kept: the file it leads to is rewritten
        except OutputPathError as exc:
            print(f"usager: error: {exc}", file=err)
            unreadable += 1
            continue
        except OSError as exc:
            print(f"usager: error: {escaped(path)}: cannot be written ({exc.strerror or exc})", file=err)
            unreadable += 1
            continue
        print(f"reformatted {escaped(path)}", file=err)
    done = len(args.files) - unreadable
    verb = "would be reformatted" if args.check else "reformatted"
    summary = f"{_plural(len(changed), 'file')} {verb}, {done - len(changed)} already canonical"
    print(summary + (f"; {unreadable} could not be formatted" if unreadable else ""), file=err)
    if unreadable:
        return EXIT_INPUT
    return EXIT_FINDINGS if args.check and changed else EXIT_OK


def _formatted(path: str) -> bytes | None:
    """The canonical bytes of the canvas file at ``path``; None when the file has them already.

    A format that keeps comments (:class:`~usager.exporters.Reformatting`: YAML, TOML) rewrites
    the file with them; for another, a file with comments is refused rather than rewritten without.
    """
    try:
        name = format_of(path)
        if name not in exporters.readable():
            raise _Failure(f"{escaped(path)}: fmt rewrites the formats usager reads back ({_readable_suffixes()})")
        original = read_bytes(path)
        exporter = exporters.get(name)
        commented: tuple[int, ...] = ()
        if isinstance(exporter, exporters.Reformatting):
            output = exporter.reformat(original, source=path)
        else:
            output = dumps(loads(original, name, source=path), name)
            commented = comment_lines(name, original)
    except FileNotFoundError:
        raise _Failure(f"{escaped(path)}: no such file") from None
    except OSError as exc:
        raise _Failure(f"{escaped(path)}: cannot be read ({exc.strerror or exc})") from None
    except LoadError as exc:
        raise _Failure(str(exc)) from None
    except UsagerError as exc:
        raise _Failure(f"{escaped(path)}: {exc}") from None
    data = output.encode("utf-8") if isinstance(output, str) else output
    lines = _lost(commented, original, data)
    if lines:
        where = ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")
        raise _Failure(
            f"{escaped(path)}:{lines[0]}: the file has comments (line{'s' if len(lines) > 1 else ''} {where}), which a "
            "rewrite would drop; move what they say into the canvas's descriptions, or remove them"
        )
    return None if data == original else data


def _lost(commented: tuple[int, ...], original: bytes, output: bytes) -> list[int]:
    """The lines of ``commented`` whose text the rewrite would not keep (a comment it writes itself is kept)."""
    kept = set(output.decode("utf-8").split("\n"))
    lines = original.decode("utf-8-sig", "replace").split("\n")
    return [n for n in commented if n > len(lines) or lines[n - 1].rstrip("\r") not in kept]


def _guide(canvas: Canvas, commented: bool) -> str:
    """What to fill in next: each list of the canvas with the question it answers, when the file does not say."""
    lang = canvas.language.value
    if commented:
        return tr(lang, "Then answer the question above each stage, and fill in each list after its example.")
    lines = [tr(lang, "Then fill in:")]
    lines += [f"  {stage.id}: {stage.kind.question(canvas.language)}" for stage in canvas.stages]
    lines += [f"  {name}: {questions[canvas.language]}" for name, questions in LIST_QUESTIONS.items()]
    lines.append(
        tr(
            lang,
            "(In YAML or TOML, as -o canvas.yaml, these questions come in the file, with an example for each list.)",
        )
    )
    return "\n".join(lines)


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the JSON Schema of the document."""
    json.dump(json_schema(), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return EXIT_OK


def cmd_lsp(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run a Language Server Protocol server for canvas files on standard input and output."""
    try:
        from usager import _lsp
    except ImportError as exc:  # pygls is an extra: usager[lsp]
        raise _Failure(f"the language server needs pygls: pip install 'usager[lsp]' ({exc})") from None
    _lsp.serve()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the example canvas, check it and write every export into a folder."""
    folder = Path(args.folder)
    canvas = mediatheque()
    findings = check(canvas)
    print(f"{canvas.name}: {_plural(len(canvas), 'element')}, {_plural(len(findings), 'finding')}", file=out)
    for finding in findings:
        print(f"  {escaped(str(finding))}", file=out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _Failure(f"{escaped(str(folder))}: cannot create the folder ({exc.strerror or exc})") from None
    skipped: dict[str, str] = {}  # each reason, said in full once, with the first exporter it stopped
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", exporters.ExporterWarning)
        for name in exporters.available():
            try:
                exporter = exporters.get(name)
                path = dump(canvas, folder / f"mediatheque{exporter.suffixes[0]}", name)
            except (UsagerError, OSError) as exc:
                # Whole: the reason may end with what to do, on lines of its own (how to install Graphviz).
                reason = str(exc)
                if reason in skipped:
                    print(f"skipped {name}: for the same reason as {skipped[reason]}", file=out)
                else:
                    skipped[reason] = name
                    print(f"skipped {name}: {reason}", file=out)
                continue
            print(f"wrote {escaped(str(path))}", file=out)
    return EXIT_OK


#: Stands in a help text for the suffixes usager reads, found when the help is printed.
_READABLE = "<readable suffixes>"


class _Formatter(argparse.HelpFormatter):
    """Help that lists the readable suffixes (:data:`_READABLE`) from the registry, plugins' too.

    They are looked up only when the help is printed: building the parser loads no plugin.
    """

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        if text is None or _READABLE not in text:
            return text
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", exporters.ExporterWarning)
            return text.replace(_READABLE, _readable_suffixes())


#: What --lang says, on every command that reads canvases.
_LANG_HELP = (
    "the language of messages about files that say none in their 'language' key, or cannot be read "
    "far enough to tell: %(choices)s (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG, else en)"
)


def _language_option(parser: argparse.ArgumentParser, default: object = argparse.SUPPRESS) -> None:
    """Give ``parser`` the ``--lang`` option.

    A command's own has no default (SUPPRESS), so that ``usager --lang fr check`` keeps the main
    parser's value, which defaults to None.
    """
    parser.add_argument("--lang", choices=["en", *LANGUAGES], default=default, help=_LANG_HELP)


def _cli_language(lang: str | None, environ: Mapping[str, str]) -> str:
    """The language the command line speaks where a file says none: ``--lang``, the environment's, else English."""
    return lang or environment_language(environ) or "en"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="usager",
        description="Check, export and create user engagement canvases.",
        epilog="Exit codes: 0 clean, 1 error findings (and warnings with --strict), 2 unreadable input.",
    )
    parser.add_argument("--version", action="version", version=f"usager {__version__}")
    _language_option(parser, None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser(
        "check", help="check canvas files for consistency", description=cmd_check.__doc__, formatter_class=_Formatter
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="PATH",
        help=f"canvas files ({_READABLE}) and folders to walk for them; - reads standard input",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="check files on N worker processes (default: the machine's cores; 1: in this process)",
    )
    p.add_argument(
        "--from", dest="input_format", metavar="NAME", help="the files' format (default: by suffix; json for -)"
    )
    p.add_argument(
        "--format",
        choices=["text", "json", "sarif", "github", "junit", "gitlab"],
        default="text",
        help="how to print findings: text, json, sarif (SARIF 2.1.0, for code scanning), github "
        "(workflow annotations), junit (JUnit XML test report) or gitlab (GitLab Code Quality report)",
    )
    p.add_argument("--select", action="append", metavar="CODES", help="run only these rules (codes or prefixes)")
    p.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules (codes or prefixes)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--config",
        metavar="PATH",
        help="the configuration file (pyproject.toml or usager.toml; default: the nearest one up from each file)",
    )
    chosen.add_argument("--isolated", action="store_true", help="read no configuration file")
    p.add_argument(
        "--force-exclude",
        action="store_true",
        help="leave out the files the configuration's exclude matches even when named (for pre-commit)",
    )
    p.add_argument(
        "--suppressed",
        action="store_true",
        help="also list the findings elements suppress, marked (they never change the exit code)",
    )
    known = p.add_mutually_exclusive_group()
    known.add_argument(
        "--baseline",
        metavar="FILE",
        help="leave out the findings this baseline file lists (default: the configuration's baseline)",
    )
    known.add_argument(
        "--write-baseline", metavar="FILE", help="write today's findings to this baseline file, which then hides them"
    )
    _language_option(p)
    p.set_defaults(run=cmd_check)

    p = commands.add_parser(
        "export",
        help="export a canvas to another format",
        description=cmd_export.__doc__,
        epilog="Each exporter's options, with their types, defaults and meanings: 'usager exporters', or "
        "'usager export --to NAME -O help' for one exporter.",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="the canvas file; - reads standard input")
    p.add_argument("--from", dest="input_format", metavar="NAME", help="its format (default: by suffix; json for -)")
    p.add_argument(
        "--to",
        metavar="NAME",
        help="the exporter's name, any case (default: by the suffix of -o; see 'usager exporters')",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="file to write (default: standard output)")
    p.add_argument(
        "-O",
        dest="options",
        action="append",
        metavar="NAME=VALUE",
        help="an exporter option, typed as the exporter declares it (e.g. -O indent=4); repeatable; "
        "-O help lists the exporter's options and exits",
    )
    _language_option(p)
    p.set_defaults(run=cmd_export)

    p = commands.add_parser(
        "exporters", help="list the exporters found, with their options", description=cmd_exporters.__doc__
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="a table (text) or a JSON array (json)")
    p.set_defaults(run=cmd_exporters)

    p = commands.add_parser("new", help="write a new canvas with the six stages", description=cmd_new.__doc__)
    p.add_argument("--language", choices=[m.value for m in Language], default="en")
    p.add_argument("--name", help="the canvas's name")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="file to write, in the format of its suffix (default: standard output); .yaml or .toml "
        "for a file that holds each question and an example to copy, as comments",
    )
    p.add_argument(
        "--to", metavar="NAME", help="the format to write: yaml, toml, json, csv (default: by the suffix of -o; json)"
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument(
        "--example",
        action="store_true",
        help="a small complete canvas to copy from, in the format of -o's suffix (.yaml, .toml, .json...)",
    )
    p.set_defaults(run=cmd_new)

    p = commands.add_parser(
        "fmt",
        help="rewrite canvas files canonically, in place",
        description=cmd_fmt.__doc__,
        formatter_class=_Formatter,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=f"canvas files ({_READABLE})")
    p.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 and list the files that would be rewritten"
    )
    p.set_defaults(run=cmd_fmt)

    p = commands.add_parser("schema", help="print the JSON Schema of the file format", description=cmd_schema.__doc__)
    p.set_defaults(run=cmd_schema)

    p = commands.add_parser("lsp", help="run a language server for canvas files", description=cmd_lsp.__doc__)
    p.set_defaults(run=cmd_lsp)

    p = commands.add_parser("demo", help="build, check and export an example canvas", description=cmd_demo.__doc__)
    p.add_argument(
        "folder", nargs="?", default="usager-demo", metavar="DIR", help="where to write (default: %(default)s)"
    )
    p.set_defaults(run=cmd_demo)
    _add_diff(commands)
    _add_rules(commands)
    _add_serve(commands)
    _add_mcp(commands)
    return parser


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve a page that shows a canvas (a folder: an index of its canvases) and follows each save.

    The page shows the drawings, the findings at their positions and the report, and updates
    itself within a second of each save of the file, with no reload; a file that does not load
    shows its problems and the last drawing that did, greyed. Served on the loopback interface
    unless --host says otherwise, until Ctrl-C.
    """
    try:
        import watchfiles  # noqa: F401 - serve's own dependency, in the serve extra
    except ImportError:
        raise _Failure("usager serve needs the serve extra: pip install 'usager[serve]'") from None
    from usager._serve import serve

    if not os.path.exists(args.path):
        raise _Failure(f"{escaped(args.path)}: no such file or folder")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"usager: warning: serving on {escaped(args.host)}: other machines may see the canvas", file=err)

    def ready(server: Any) -> None:
        host, port = server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/"
        print(f"usager: serving {escaped(args.path)} at {url} (Ctrl-C stops)", file=err, flush=True)
        if not args.no_open:
            import webbrowser

            webbrowser.open(url)

    try:
        serve(args.path, args.host, args.port, config_of=None if not args.isolated else (lambda path: None),
              ready=ready)  # fmt: skip
    except OSError as exc:
        raise _Failure(f"cannot serve on {escaped(args.host)} port {args.port}: {exc.strerror or exc}") from None
    return EXIT_OK


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser(
        "serve", help="a page that shows a canvas and follows each save", description=cmd_serve.__doc__
    )
    p.add_argument("path", metavar="PATH", help="a canvas file, or a folder of canvases")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8000, help="the port (default: %(default)s; 0: any free port)")
    p.add_argument("--no-open", action="store_true", help="do not open the page in a browser")
    p.add_argument("--isolated", action="store_true", help="read no configuration file")
    p.set_defaults(run=cmd_serve)


class _Interrupted(KeyboardInterrupt):
    """Raised in the main thread when the process is sent SIGINT (Ctrl-C): a KeyboardInterrupt like any other.

    A subclass, because the interpreter marks a plain KeyboardInterrupt that passes through an
    ``exec()`` of source text (as the JSON reader's generated code is built) as never handled,
    and ends the process by SIGINT even once the command line has handled it.
    """


class _Terminated(BaseException):
    """Raised in the main thread when the process is sent SIGTERM, as Ctrl-C raises KeyboardInterrupt.

    Not an ``Exception``: what catches those (an exporter's failure becoming an
    ``ExporterError``) lets it through, and every ``finally`` and cleanup on the way runs: the
    temporary file of a write in progress is removed.
    """


def _on_signals() -> Callable[[], None]:
    """Make SIGINT raise :class:`_Interrupted` and SIGTERM :class:`_Terminated`; return what puts the handlers back.

    Only the first signal raises: those that follow while it unwinds are ignored, so that they
    cannot cut a cleanup short. A signal ignored already (a command started with ``nohup``) stays
    ignored; outside the main thread, nothing changes.
    """
    raised = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if raised:
            return
        raised = True
        raise _Interrupted() if signum == signal.SIGINT else _Terminated()

    previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread: signals are not this thread's to handle
            break

    def restore() -> None:
        for signum, old in previous.items():
            signal.signal(signum, old if old is not None else signal.SIG_DFL)

    return restore


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Ctrl-C exits with 130 and SIGTERM with 143, after removing any file half written; a
    standard output whose reader went away (``usager schema | head``) exits with 141, quietly.
    """
    restore = _on_signals()
    try:
        with warnings.catch_warnings():
            # A broken plugin is said where it matters, once: `usager exporters` lists it with
            # why, and a command that asks for it fails saying why; the others go on quietly.
            warnings.simplefilter("ignore", exporters.ExporterWarning)
            warnings.showwarning = _show_warning  # a rule of one's own that fails: one line each
            return _run(argv)
    except KeyboardInterrupt:
        _say("usager: interrupted")
        return EXIT_INTERRUPTED
    except _Terminated:
        _say("usager: terminated")
        return EXIT_TERMINATED
    finally:
        restore()


def _say(message: str) -> None:
    """Print ``message`` on standard error, if it can be written at all."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(message, file=sys.stderr)


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    out = sys.stdout if sys.stdout is not None else _closed_stdout()
    err = sys.stderr if sys.stderr is not None else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        with speaking(_cli_language(getattr(args, "lang", None), os.environ)):
            code = int(args.run(args, out, err))
        out.flush()
        return code
    except _Failure as exc:
        _say(f"usager: error: {exc}")
        return EXIT_INPUT
    except BrokenPipeError:  # the reader went away (usager schema | head): no message, as for SIGPIPE
        _silence_stdout(out)
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # standard output cannot be written (a full disk, /dev/full, closed)
        _silence_stdout(out)
        reason = "standard output is closed" if exc.errno == errno.EBADF else exc.strerror or exc
        _say(f"usager: error: cannot write the output: {reason}")
        return EXIT_INPUT


def _closed_stdout() -> TextIO:
    """Standard output for a process started with it closed: writing to it fails with EBADF.

    Descriptor 1 is given a read-only descriptor of the null device, so that nothing opened
    later (a temporary file) takes its number.
    """
    fd = os.open(os.devnull, os.O_RDONLY)
    if fd != 1:
        os.dup2(fd, 1)
        os.close(fd)
    return open(1, "w", encoding="utf-8", closefd=False)


def _silence_stdout(out: TextIO) -> None:
    """Point standard output at the null device, so that the interpreter's last flush cannot fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
