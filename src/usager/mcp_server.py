"""``usager mcp``: usager's tools for an assistant, as a Model Context Protocol server on stdin/stdout.

The server is built on the official MCP Python SDK (the ``mcp`` distribution, installed with
``pip install 'usager[mcp]'``); this module imports it, so only the ``mcp`` command imports
this module. It offers six tools:

- ``check``: a canvas file's findings (code, severity, message, subjects, line and column), the
  rules run as the project's configuration says;
- ``analyse``: the analyses of :mod:`usager.analysis` (transitions, bottleneck, personas'
  exposure, partners' dependency, priorities);
- ``diff``: what changed between two versions of a canvas, as :meth:`usager.CanvasDiff.to_dict`;
- ``list_elements`` and ``get_element``: the elements of a canvas, an element as its document object;
- ``export``: a canvas in any exporter's format, returned (text, or base64 for a binary format),
  or written to a file when the server allows writing.

Every path a tool takes is resolved inside the server's root folder (symbolic links followed):
a path that leads outside it is refused, for reading as for writing. The server writes only
when started with ``allow_write`` (``usager mcp --allow-write``), and only with ``export``.
A tool that cannot do what it is asked (an unreadable canvas, an unknown id, an unknown
exporter) answers with a tool error that says why, and the server goes on serving.
"""

from __future__ import annotations

import base64
import inspect
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field
from typing_extensions import TypedDict

from usager import analysis, exporters
from usager._baseline import Baseline
from usager._check import check as check_canvas
from usager._ci import in_file_order, position_of, positions_in
from usager._config import Config
from usager._diff import diff as diff_canvases
from usager._diff import element_data
from usager._io import dump, dumps, format_of, loads, options_of, read_bytes, writable_path
from usager._suggest import closest
from usager._version import __version__
from usager.canvas import TYPE_NAMED, Canvas, element_kind, element_label
from usager.errors import CanvasError, LoadError, OutputPathError, UnknownRuleError, UsagerError
from usager.findings import Finding, Severity

__all__ = ["ANALYSES", "TOOLS", "Server", "serve", "server"]

#: The names of the tools, in the order the server lists them.
TOOLS = ("check", "analyse", "diff", "list_elements", "get_element", "export")
#: The analyses the ``analyse`` tool runs, by the name of their key in its result.
ANALYSES = ("transitions", "bottleneck", "persona_exposure", "partner_dependency", "priorities")

AnalysisName = Literal["transitions", "bottleneck", "persona_exposure", "partner_dependency", "priorities"]
OptionValue = bool | int | float | str

_PATH = "a canvas file (.json, .yaml, .toml, .csv...), relative to the server's root folder"
CanvasPath = Annotated[str, Field(description=_PATH, min_length=1)]


class FindingData(TypedDict):
    """A finding of ``check``: what it says and where its first placed subject stands in the file."""

    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    subjects: list[str]
    line: int | None
    column: int | None
    suppressed: bool


class CheckResult(TypedDict):
    """What ``check`` found in one file, and how many findings of each severity (suppressed ones left out)."""

    path: str
    findings: list[FindingData]
    errors: int
    warnings: int
    infos: int


class ElementEntry(TypedDict):
    """An element as ``list_elements`` names it: its type, id and label."""

    type: str
    id: str
    label: str


class ElementList(TypedDict):
    """The canvas ``list_elements`` read, and its elements in document order."""

    path: str
    name: str
    language: str
    elements: list[ElementEntry]


class ElementResult(TypedDict):
    """An element as ``get_element`` gives it: its type, its document object and the findings about it."""

    path: str
    type: str
    element: dict[str, Any]
    findings: list[FindingData]


class ExportResult(TypedDict):
    """What ``export`` made: the content (without ``output``), or the file written."""

    format: str
    media_type: str
    binary: bool
    encoding: Literal["utf-8", "base64"] | None
    content: str | None
    written: str | None
    size: int


def _resolved(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute, symbolic links followed."""
    return Path(path).resolve()


@attrs.frozen
class Server:
    """The tools' side of the server: the root folder they work in, and whether ``export`` may write there.

    Each method is one tool; a problem the caller can fix raises :class:`ToolError` with the reason.
    """

    root: Path = attrs.field(converter=_resolved)
    allow_write: bool = False

    # -- paths and canvases ------------------------------------------------------------------

    def inside(self, path: str, what: str = "path") -> Path:
        """``path`` (relative to the root, or absolute) resolved, symbolic links followed; refused outside the root."""
        if not path or "\0" in path:
            raise ToolError(f"{what} {path!r} is not a file path")
        resolved = (self.root / os.path.expanduser(path)).resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise ToolError(
                f"{what} {path!r} leads outside the root folder {str(self.root)!r}: "
                "this server reads and writes only inside it"
            )
        return resolved

    def shown(self, path: Path) -> str:
        """``path`` as the tools show it: relative to the root, with forward slashes."""
        return path.relative_to(self.root).as_posix() if path != self.root else "."

    def read(self, path: str) -> tuple[Canvas, Path, bytes, str]:
        """The canvas in the file at ``path``, the file, its bytes and its format; a :class:`ToolError` says why not."""
        file = self.inside(path)
        name = self.shown(file)
        if file.is_dir():
            raise ToolError(f"{name}: is a folder, not a canvas file; give a canvas file ({_suffixes()})")
        try:
            data = read_bytes(file)
            fmt = format_of(file)
            if fmt not in exporters.readable():
                raise ToolError(f"{name}: usager does not read {fmt} files back; give a canvas file ({_suffixes()})")
            return loads(data, fmt, source=name), file, data, fmt
        except FileNotFoundError:
            raise ToolError(f"{name}: no such file") from None
        except OSError as exc:
            raise ToolError(f"{name}: cannot be read ({exc.strerror or exc})") from None
        except LoadError as exc:  # its message lists every problem, each at its line and column
            raise ToolError(_unreadable(exc, name)) from None
        except exporters.UnknownExporterError:
            raise ToolError(
                f"{name}: cannot tell the format from the file name; give a canvas file ({_suffixes()})"
            ) from None
        except UsagerError as exc:
            raise ToolError(f"{name}: {exc}") from None

    def findings(
        self,
        canvas: Canvas,
        file: Path,
        data: bytes,
        fmt: str,
        *,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        suppressed: bool = False,
    ) -> list[FindingData]:
        """The findings of ``canvas``, read from ``file``, as the configuration that applies to it says.

        The findings its baseline lists are left out, as ``usager check`` leaves them out.
        """
        name = self.shown(file)
        try:
            config = Config.discover(file)
            found = check_canvas(
                canvas, select=select, ignore=ignore, suppressed=suppressed, config=config, path=str(file)
            )
            if config.baseline is not None:  # the findings the project's baseline knows are left out
                found = Baseline.load(config.baseline).filter(found, file)
        except UnknownRuleError as exc:
            raise ToolError(str(exc)) from None
        except LoadError as exc:  # the configuration or one of its rulesets
            raise ToolError(f"{name}: the configuration that applies to it cannot be used: {exc}") from None
        except OSError as exc:
            raise ToolError(f"{name}: its configuration cannot be read ({exc.strerror or exc})") from None
        positions = positions_in(canvas, data, fmt) if any(f.subjects for f in found) else {}
        in_file_order(found, positions)
        return [_finding(f, position_of(f, positions)) for f in found]

    # -- the tools -----------------------------------------------------------------------------

    def check(
        self,
        path: CanvasPath,
        select: Annotated[
            list[str] | None, Field(description="run only these rules: codes or prefixes (U02, U020, TEAM)")
        ] = None,
        ignore: Annotated[list[str] | None, Field(description="skip these rules: codes or prefixes")] = None,
        suppressed: Annotated[
            bool, Field(description="also list the findings the elements suppress, marked suppressed")
        ] = False,
    ) -> CheckResult:
        """Check a canvas file for consistency, as `usager check` does.

        The rules run as the project's configuration says ([tool.usager] in pyproject.toml, or
        usager.toml, the nearest one up from the file); select replaces its choice of rules and
        ignore adds to it. Each finding has its rule code, severity (error, warning, info),
        message, subjects (the ids of the elements concerned, first the one it is about) and the
        line and column where its first subject stands in the file (null when it is about the
        whole canvas). An unreadable file is a tool error listing its problems, each at its line
        and column.
        """
        canvas, file, data, fmt = self.read(path)
        found = self.findings(canvas, file, data, fmt, select=select, ignore=ignore, suppressed=suppressed)
        counted = [f["severity"] for f in found if not f["suppressed"]]
        return {
            "path": self.shown(file),
            "findings": found,
            "errors": counted.count("error"),
            "warnings": counted.count("warning"),
            "infos": counted.count("info"),
        }

    def analyse(
        self,
        path: CanvasPath,
        analyses: Annotated[
            list[AnalysisName] | None, Field(description="the analyses to run (default: all of them)")
        ] = None,
    ) -> dict[str, Any]:
        """Analyse a canvas: where users are lost, who is exposed, what depends on whom, what to build first.

        transitions: one per stage in cycle order, with its brakes, their total severity, the
        severity nothing in place answers (unaddressed), the facilitators and the mean experience
        score. bottleneck: the transition with the largest unaddressed severity (null when every
        brake is answered). persona_exposure: per persona, the brakes it meets and those
        unaddressed. partner_dependency: per partner, its activities and resources and the stages
        that would lose all support without it. priorities: the facilitators and contributions not
        yet built, best first, with their score. Elements are named by id.
        """
        canvas = self.read(path)[0]
        chosen = dict.fromkeys(analyses or ANALYSES)
        result: dict[str, Any] = {"path": self.shown(self.inside(path))}
        for name in ANALYSES:
            if name not in chosen:
                continue
            if name == "bottleneck":
                found = analysis.bottleneck(canvas)
                result[name] = None if found is None else _plain(found)
            else:
                result[name] = [_plain(value) for value in getattr(analysis, name)(canvas)]
        return result

    def diff(
        self,
        old: Annotated[str, Field(description="the earlier version: " + _PATH, min_length=1)],
        new: Annotated[str, Field(description="the later version: " + _PATH, min_length=1)],
    ) -> dict[str, Any]:
        """Say what changed between two versions of a canvas, as `usager diff --format json` does.

        equal is true when nothing changed; canvas lists changes of the name, description and
        language; added and removed hold elements (each its document object after a type key);
        changed holds one entry per id in both versions and different, with each field's old and
        new value; stage_order the old and new cycle order when it changed; findings_added and
        findings_resolved the findings one version has and the other lacks.
        """
        before = self.read(old)[0]
        after = self.read(new)[0]
        return {
            "old": self.shown(self.inside(old)),
            "new": self.shown(self.inside(new)),
            **diff_canvases(before, after).to_dict(),
        }

    def list_elements(
        self,
        path: CanvasPath,
        type: Annotated[
            str | None,
            Field(description="only the elements of this type: " + ", ".join(TYPE_NAMED)),
        ] = None,
    ) -> ElementList:
        """List the elements of a canvas, in document order: each one's type, id and label.

        get_element gives an element in full.
        """
        canvas, file, _, _ = self.read(path)
        if type is not None and type not in TYPE_NAMED:
            near = closest(type, list(TYPE_NAMED))
            hint = f"did you mean {near!r}? " if near is not None else ""
            raise ToolError(f"no element type is called {type!r}; {hint}the types are {', '.join(TYPE_NAMED)}")
        return {
            "path": self.shown(file),
            "name": canvas.name,
            "language": canvas.language.value,
            "elements": [
                {"type": element_kind(e), "id": e.id, "label": element_label(e, canvas.language)}
                for e in canvas.elements()
                if type is None or element_kind(e) == type
            ],
        }

    def get_element(
        self,
        path: CanvasPath,
        id: Annotated[str, Field(description="the element's id", min_length=1)],
    ) -> ElementResult:
        """Give one element of a canvas: its type, its document object (the keys of the JSON format) and its findings.

        The findings are those whose subjects name the element. An id that no element has is a
        tool error that suggests the ids most likely meant.
        """
        canvas, file, data, fmt = self.read(path)
        element = canvas._ids().get(id)
        if element is None:
            raise ToolError(_unknown_id(canvas, id))
        findings = [f for f in self.findings(canvas, file, data, fmt) if id in f["subjects"]]
        return {
            "path": self.shown(file),
            "type": element_kind(element),
            "element": element_data(element),
            "findings": findings,
        }

    def export(
        self,
        path: CanvasPath,
        to: Annotated[
            str, Field(description="the exporter's name, any case (json, yaml, csv, dot, svg, markdown, html...)")
        ],
        output: Annotated[
            str | None,
            Field(
                description="a file to write, relative to the root folder (only when the server allows writing); "
                "left out, the content is returned"
            ),
        ] = None,
        options: Annotated[
            dict[str, OptionValue] | None,
            Field(description='the exporter\'s options, e.g. {"layout": "lanes", "draft": true} for a drawing'),
        ] = None,
        overwrite: Annotated[bool, Field(description="replace the output file when it exists already")] = False,
    ) -> ExportResult:
        """Export a canvas to another format, as `usager export` does.

        Without output, the content is returned: text as it is, a binary format (png, pdf...) in
        base64. With output, the file is written, atomically, inside the root folder; the server
        writes only when it was started with --allow-write, and replaces an existing file only
        with overwrite. A drawing of a canvas with errors is refused unless options has
        "draft": true.
        """
        exporter = _exporter(to)
        given = _options(exporter, options or {})
        canvas = self.read(path)[0]
        if output is None:
            try:
                content = dumps(canvas, exporter.name, **given)
            except CanvasError as exc:
                raise ToolError(_refused(exc, exporter, given)) from None
            except UsagerError as exc:
                raise ToolError(str(exc)) from None
            binary = isinstance(content, bytes)
            raw = content if isinstance(content, bytes) else content.encode("utf-8")
            return {
                "format": exporter.name,
                "media_type": exporter.media_type,
                "binary": binary,
                "encoding": "base64" if binary else "utf-8",
                "content": base64.b64encode(raw).decode("ascii") if isinstance(content, bytes) else content,
                "written": None,
                "size": len(raw),
            }
        if not self.allow_write:
            raise ToolError(
                "this server does not write files: it was started read-only; leave out output to have the "
                "content returned, or start the server with --allow-write"
            )
        target = self.inside(output, "output")
        name = self.shown(target)
        try:
            if writable_path(target).exists() and not overwrite:
                raise ToolError(f"{name} exists already; set overwrite to replace it")
            written = dump(canvas, target, exporter.name, **given)
        except CanvasError as exc:
            raise ToolError(_refused(exc, exporter, given)) from None
        except OutputPathError as exc:
            raise ToolError(f"{name}: {exc.args[0] if exc.args else exc}") from None
        except FileNotFoundError:
            raise ToolError(f"{name}: cannot be written: its folder does not exist") from None
        except OSError as exc:
            raise ToolError(f"{name}: cannot be written ({exc.strerror or exc})") from None
        except UsagerError as exc:
            raise ToolError(str(exc)) from None
        return {
            "format": exporter.name,
            "media_type": exporter.media_type,
            "binary": exporter.binary,
            "encoding": None,
            "content": None,
            "written": self.shown(written.resolve()),
            "size": written.stat().st_size,
        }


def _unreadable(error: LoadError, name: str) -> str:
    """The message of an unreadable canvas: ``name: N problems:`` and each at its line and column."""
    text = str(error)
    return text if text.startswith(name) else f"{name}: {text}"


def _suffixes() -> str:
    return ", ".join(s for n in exporters.readable() for s in exporters.get(n).suffixes)


def _finding(finding: Finding, position: tuple[int, int] | None) -> FindingData:
    line, column = position or (None, None)
    severity: Literal["error", "warning", "info"] = (
        "error" if finding.severity is Severity.ERROR else "warning" if finding.severity is Severity.WARNING else "info"
    )
    return {
        "code": finding.code,
        "severity": severity,
        "message": finding.message,
        "subjects": list(finding.subjects),
        "line": line,
        "column": column,
        "suppressed": finding.suppressed,
    }


def _plain(value: Any) -> Any:
    """An analysis value (attrs) as JSON-ready data: tuples become lists."""
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _unknown_id(canvas: Canvas, wanted: str) -> str:
    """No element has the id ``wanted``: the message, with the ids most likely meant."""
    ids = list(canvas._ids())
    near = [i for i in [closest(wanted, ids)] if i is not None]
    key = wanted.casefold()
    near += [i for i in ids if i not in near and (key in i.casefold() or i.casefold() in key)]
    if not near:
        labels = {element_label(e, canvas.language): e.id for e in canvas.elements()}
        by_label = closest(wanted, labels)
        near = [labels[by_label]] if by_label is not None else []
    hint = f"; did you mean {', '.join(map(repr, near[:5]))}?" if near else "; list_elements lists the ids"
    return f"no element of canvas {canvas.name!r} has the id {wanted!r}{hint}"


def _exporter(name: str) -> exporters.Exporter:
    """The exporter called ``name``, whatever its case; a :class:`ToolError` naming those there are.

    A broken plugin's warning is left to the caller's filters (``usager mcp`` silences them, as
    every command does): the tools run on worker threads, where changing the filters is unsafe.
    """
    names = exporters.available()
    matches = [n for n in names if n.lower() == name.strip().lower()]
    if len(matches) != 1:
        near = closest(name, names)
        hint = f"did you mean {near!r}? " if near is not None else ""
        raise ToolError(f"no exporter is called {name!r}; {hint}available: {', '.join(names)}")
    try:
        return exporters.get(matches[0])
    except UsagerError as exc:
        raise ToolError(str(exc)) from None


def _options(exporter: exporters.Exporter, given: Mapping[str, OptionValue]) -> dict[str, object]:
    """``given``, checked against the options ``exporter`` declares (as they are, when it declares none)."""
    declared = options_of(exporter)
    if declared is None:
        return dict(given)
    options: dict[str, object] = {}
    for name, value in given.items():
        if name not in declared:
            takes = f"its options are: {', '.join(declared)}" if declared else "it takes none"
            raise ToolError(f"the {exporter.name!r} exporter has no option {name!r}; {takes}")
        kind = declared[name]
        what = f"the {exporter.name!r} exporter's option {name!r}"
        if kind is bool and not isinstance(value, bool):
            raise ToolError(f"{what} takes true or false, not {value!r}")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ToolError(f"{what} takes a whole number, not {value!r}")
        if kind is float and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ToolError(f"{what} takes a number, not {value!r}")
        if isinstance(kind, tuple) and value not in kind:
            raise ToolError(f"{what} takes one of {', '.join(map(repr, kind))}, not {value!r}")
        if kind is str and not isinstance(value, str):
            raise ToolError(f"{what} takes a text, not {value!r}")
        options[name] = float(value) if kind is float else value
    return options


def _refused(error: CanvasError, exporter: exporters.Exporter, options: Mapping[str, object]) -> str:
    """A drawing refused for the canvas's errors: the message, saying how to draw it anyway when the exporter can."""
    first, _, rest = str(error).partition("\n")
    declared = options_of(exporter)
    if declared is not None and declared.get("draft") is bool and not options.get("draft"):
        first += '; to draw it anyway, as a draft that lists them, add "draft": true to options'
    return f"{first}\n{rest}" if rest else first


_INSTRUCTIONS = (
    "usager checks, analyses and exports user engagement canvases (a service's usagers, personas, the cycle's "
    "stages, the brakes that hold users back and the facilitators that answer them). Paths are relative to the "
    "server's root folder ({root}); nothing outside it can be read{write}. Start with check or list_elements on a "
    "canvas file; get_element gives one element in full."
)


def server(root: str | os.PathLike[str] = ".", *, allow_write: bool = False) -> MCPServer[Any]:
    """The MCP server of usager's tools, working in the folder ``root``; ``export`` writes there when ``allow_write``.

    Raises :class:`~usager.errors.UsagerError` when ``root`` is not a folder.
    """
    folder = Path(root)
    if not folder.is_dir():
        raise UsagerError(f"{str(folder)!r} is not a folder: the root must be an existing folder")
    tools = Server(folder, allow_write)
    mcp = MCPServer(
        "usager",
        title="usager",
        version=__version__,
        instructions=_INSTRUCTIONS.format(
            root=tools.root,
            write=", and export writes files there" if allow_write else "; the server writes nothing",
        ),
        log_level="WARNING",
    )
    reading = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
    _add(mcp, tools.check, "Check a canvas", reading)
    _add(mcp, tools.analyse, "Analyse a canvas", reading)
    _add(mcp, tools.diff, "Compare two versions of a canvas", reading)
    _add(mcp, tools.list_elements, "List a canvas's elements", reading)
    _add(mcp, tools.get_element, "Give one element", reading)
    writing = ToolAnnotations(
        read_only_hint=not allow_write, destructive_hint=allow_write, idempotent_hint=True, open_world_hint=False
    )
    _add(mcp, tools.export, "Export a canvas", writing)
    return mcp


def _add(mcp: MCPServer[Any], tool: Any, title: str, annotations: ToolAnnotations) -> None:
    """Offer ``tool`` (a method of :class:`Server`) under its own name, described by its docstring."""
    mcp.add_tool(
        tool, name=tool.__name__, title=title, description=inspect.cleandoc(tool.__doc__), annotations=annotations
    )


def serve(root: str | os.PathLike[str] = ".", *, allow_write: bool = False) -> None:
    """Serve usager's tools over MCP on standard input and output until the client closes them."""
    server(root, allow_write=allow_write).run("stdio")
