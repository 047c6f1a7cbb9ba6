"""``usager lsp``: a Language Server Protocol server for canvas files, on standard input and output.

An editor that speaks the protocol (VS Code through a generic client, Neovim, Helix...) gets,
for each open ``.json``, ``.yaml``, ``.yml`` or ``.toml`` canvas:

- diagnostics: what makes the file unreadable (code ``load``), else the findings of the
  project's configuration, each at the value it is about (a misspelt reference at the reference);
- completion of ids in reference fields (only the kinds the field takes), of enum values and of
  rule codes in ``suppress``;
- hover on a reference (the element's kind, label and stage) and on a rule code;
- go to definition, find references and rename of an id (text edits at each occurrence, the
  rest of the file left as it is);
- a ``quickfix`` that adds a finding's code to its element's ``suppress``.

Each version of a document is read once (:class:`Analysis`), a YAML one element by element
(:class:`YamlPieces`: an edit reads again only the element it changed); what the requests need
beyond the diagnostics (where every id and reference stands) is worked out on the first request
that needs it. Positions are 1-based lines and columns of code points inside usager, 0-based lines and
characters in the negotiated encoding (UTF-16 unless the client offers UTF-8 or UTF-32) on the
wire. Whatever the text holds, the server answers: an exception while checking a document
becomes a diagnostic of it.
"""

from __future__ import annotations

import bisect
import re
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from usager._check import check
from usager._ci import LOAD, rule_url
from usager._config import Config
from usager._document import FORMAT, REQUIRED_TOP_KEYS, from_document
from usager._fields import Kind, Spec, specs
from usager._io import MAX_BYTES, loads, locator_of
from usager._text import id_problem
from usager._version import __version__
from usager.canvas import ELEMENT_TYPES, TYPE_OF, Canvas, ElementType, element_label
from usager.elements import Stage
from usager.errors import LoadError, UsagerError
from usager.findings import Finding, Severity
from usager.rules import Rule, all_rules, origin

__all__ = ["FORMATS", "Analysis", "Occurrence", "serve", "server"]

#: The format of each suffix the server reads, and of each language id editors give them.
FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}
_LANGUAGES = {"json": "json", "jsonc": "json", "yaml": "yaml", "toml": "toml"}
#: A place in a text: a 0-based line and a 0-based column in code points.
Place = tuple[int, int]
#: A span of a text, from a place to another.
Span = tuple[Place, Place]

_SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
#: What every canvas holds (its ``format: usager/N``): a document that never held it is left alone.
_MARK = "usager/"
#: The files a configuration is read from.
_CONFIG_NAMES = ("usager.toml", "pyproject.toml")
_LINES = re.compile(r"\r\n|\r|\n")
#: A token of a value: an id or a rule code, with nothing of the syntax around it.
_TOKEN = re.compile(r"[^\s\"',\]\[{}#:=]*")
_WORD = re.compile(r"[A-Za-z0-9_.\-]*$")


def _key(field: attrs.Attribute[Any], spec: Spec) -> str:
    return spec.key or field.name


#: Each element type's described fields by document key.
_FIELDS: dict[str, dict[str, Spec]] = {t.list: {_key(f, s): s for f, s in specs(t.cls)} for t in ELEMENT_TYPES}
#: The specs of a key in any element type, for a place whose element is not known.
_ANY_FIELD: dict[str, list[Spec]] = {
    name: [fields[name] for fields in _FIELDS.values() if name in fields]
    for name in dict.fromkeys(name for fields in _FIELDS.values() for name in fields)
}


@attrs.frozen
class Occurrence:
    """One id in the text: an element's own (``kind`` ID), a reference (REF, REFS) or a rule code (CODES)."""

    value: str
    kind: Kind
    span: Span
    #: The element it stands in: its list and index.
    list: str
    index: int
    #: The kinds of element a reference takes (``("stage",)``).
    targets: tuple[str, ...] = ()


def format_of_document(uri: str, language: str | None = None) -> str | None:
    """The format of the document at ``uri`` (by its suffix, else its language id), None when it is no canvas."""
    suffix = Path(urllib.parse.urlparse(uri).path).suffix.lower()
    return FORMATS.get(suffix) or _LANGUAGES.get((language or "").lower())


def path_of(uri: str) -> Path | None:
    """The file a ``file:`` URI names, None for another scheme (an unsaved buffer)."""
    parsed = urllib.parse.urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(urllib.request.url2pathname(parsed.path))


def split_lines(text: str) -> list[str]:
    r"""The lines of ``text`` as the protocol counts them (``\n``, ``\r\n`` or ``\r`` ends one)."""
    return _LINES.split(text)


#: A key of the top level of a YAML text, at the start of its line, and what follows it.
_TOP_KEY = re.compile(r"([A-Za-z_$][\w$]*):(?:[ \t]+(.*))?$")
_LIST_NAMES = frozenset(t.list for t in ELEMENT_TYPES)


class YamlPieces:
    """The YAML text of a canvas read element by element, each element's text read once across versions.

    PyYAML takes most of the time of a YAML canvas's check; an edit changes one element. A text
    laid out as usager writes it (and as people do: the canvas's keys at the start of their lines,
    each element list a block of ``- `` items) is cut into the top-level lines and one piece per
    element; a piece read for a version before is not read again, nor is its element built again.
    Whatever does not fit that layout, and any text with a problem, is read whole
    (:meth:`load` returns None), so that the problems are told as :func:`~usager.loads` tells them.
    """

    def __init__(self) -> None:
        self.elements: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.heads: dict[str, tuple[Any, dict[str, Any], Canvas]] = {}

    def load(self, lines: Sequence[str]) -> tuple[Canvas, Any] | None:
        """The canvas of the text and its locator; None when the text is to be read whole."""
        cut = self._cut(lines)
        if cut is None:
            return None
        head_lines, pieces = cut
        head_text = "\n".join(lines[i] for i in head_lines)
        head = self.heads.get(head_text) or self._head(head_text, {name for name, _, _ in pieces})
        if head is None:
            return None
        head_reader, head_document, shell = head
        minimal = {k: head_document[k] for k in REQUIRED_TOP_KEYS}
        built: dict[str, Any] = {}
        placed: dict[str, list[tuple[int, Any]]] = {}
        used: dict[tuple[str, str], tuple[Any, Any]] = {}
        for name, start, end in pieces:
            text = "\n".join(lines[start:end])
            known = self.elements.get((name, text)) or self._element(name, text, minimal)
            if known is None:
                return None
            used[(name, text)] = known
            built.setdefault(name, []).append(known[1])
            placed.setdefault(name, []).append((start, known[0]))
        canvas = attrs.evolve(shell, **built)
        self.elements = used  # the pieces of this version: those of older ones are let go
        self.heads = {head_text: head}

        def locate(path: tuple[str | int, ...], key: bool) -> tuple[int, int] | None:
            if len(path) >= 2 and path[0] in placed and type(path[1]) is int:
                items = placed[str(path[0])]
                if path[1] >= len(items):
                    return None
                start, reader = items[path[1]]
                found = reader.locate((0, *path[2:]), key)
                return None if found is None else (found[0] + start, found[1])
            found = head_reader.locate(path, key)
            return None if found is None else (head_lines[found[0] - 1] + 1, found[1])

        return canvas, locate

    @staticmethod
    def _cut(lines: Sequence[str]) -> tuple[list[int], list[tuple[str, int, int]]] | None:
        """The top-level lines, and each element's list and lines; None for a layout of another kind."""
        head: list[int] = []
        pieces: list[tuple[str, int, int]] = []
        current: str | None = None  # the element list whose items the lines are
        indent: int | None = None  # the indentation of its items' dashes
        start: int | None = None  # the first line of the item being read
        seen: set[str] = set()
        deeper = None  # the indentation of an item's own lines: most lines, passed over at once
        for i, line in enumerate(lines):
            if deeper is not None and line.startswith(deeper):
                continue
            stripped = line.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                if start is None:
                    head.append(i)
                continue
            at = len(line) - len(stripped)
            if current is not None:
                dash = stripped.startswith("- ") or stripped == "-"
                if indent is None and dash:
                    indent = at
                    deeper = " " * (at + 1)
                if indent is not None and at == indent and dash:
                    if start is not None:
                        pieces.append((current, start, i))
                    start = i
                    continue
                if indent is not None and at > indent:
                    continue
                if start is not None:
                    pieces.append((current, start, i))
                current, indent, start, deeper = None, None, None, None
            if at > 0:
                head.append(i)  # a top-level value going on (a block of text)
                continue
            match = _TOP_KEY.match(line)
            if match is None or match.group(1) in seen:
                return None
            seen.add(match.group(1))
            head.append(i)
            rest = (match.group(2) or "").strip()
            if match.group(1) in _LIST_NAMES and (rest == "" or rest.startswith("#")):
                current = match.group(1)
        if current is not None and start is not None:
            pieces.append((current, start, len(lines)))
        return head, pieces

    def _head(self, text: str, lists: set[str]) -> tuple[Any, dict[str, Any], Canvas] | None:
        from usager.exporters.yaml import _read as read_yaml

        reader, document = read_yaml(text)
        if type(document) is not dict or document.get("format") != FORMAT:
            return None
        if any(document.get(name) is not None for name in lists) or not all(k in document for k in REQUIRED_TOP_KEYS):
            return None
        document = {**document, **{name: [] for name in lists}}
        return reader, document, from_document(document)

    def _element(self, name: str, text: str, minimal: dict[str, Any]) -> tuple[Any, Any] | None:
        from usager.exporters.yaml import _read as read_yaml

        reader, items = read_yaml(text)
        if type(items) is not list or len(items) != 1:
            return None
        element = getattr(from_document({**minimal, name: items}), name)[0]
        return reader, element


class Analysis:
    """One version of a document, read once: its canvas or why it does not read, and its findings.

    Where the ids stand (:meth:`occurrences`) is worked out on first use.
    """

    def __init__(
        self, text: str, format: str, path: Path | None, config: Config | None, pieces: YamlPieces | None = None
    ) -> None:
        self.text = text
        self.pieces = pieces
        self.format = format
        self.path = path
        self.lines = split_lines(text)
        self.canvas: Canvas | None = None
        self.error: LoadError | None = None
        self.failure: str | None = None
        self.findings: list[Finding] = []
        self.config = config or Config()
        self._occurrences: list[Occurrence] | None = None
        self._starts: list[tuple[Place, str, int]] | None = None
        self._where: dict[str, tuple[str, int]] = {}
        self._locate: Any = None
        self._rules: dict[str, Rule] | None = None
        self._occurrence_starts: list[Place] = []
        try:
            self._read()
        except Exception as exc:  # the server stays up whatever the text: say it, as a diagnostic
            self.canvas, self.findings = None, []
            self.failure = f"usager could not check this file: {type(exc).__name__}: {exc}"

    def _read(self) -> None:
        if len(self.text) > MAX_BYTES:
            self.failure = f"the file is too large to check ({len(self.text)} characters; at most {MAX_BYTES})"
            return
        try:
            self.canvas = self._load()
        except LoadError as exc:
            self.error = exc
            return
        except UsagerError as exc:
            self.failure = str(exc)
            return
        self.findings = check(self.canvas, config=self.config, path=self.path)
        for element_type in ELEMENT_TYPES:
            for index, element in enumerate(getattr(self.canvas, element_type.list)):
                self._where.setdefault(element.id, (element_type.list, index))

    def _load(self) -> Canvas:
        """The canvas of the text; for YAML, the positions too, from the same single parse.

        PyYAML builds the values slowly (most of the time of a YAML canvas's check): the YAML
        format's reader notes where each value stands as it goes, so that the diagnostics'
        positions cost no second parse. Anything unusual goes the ordinary way, :func:`loads`.
        """
        if self.format == "yaml" and self.pieces is not None and not self.text.startswith("\ufeff"):
            try:
                read = self.pieces.load(self.lines)
            except Exception:  # a problem: the whole text is read, to tell it as loads does
                read = None
            if read is not None:
                self._locate = read[1]
                return read[0]
        if self.format == "yaml":
            from usager.exporters.yaml import _read as read_yaml

            text = self.text[1:] if self.text.startswith("\ufeff") else self.text
            try:
                reader, document = read_yaml(text)
            except Exception:  # a syntax error...: loads says what, as a LoadError
                document = None
            if type(document) is dict:
                canvas = from_document(document, locate=reader.locate)
                if text is self.text:
                    self._locate = reader.locate
                return canvas
        return loads(self.text, self.format, source=None)

    def carry_over(self, before: Analysis) -> None:
        """Take the element positions ``before`` (the previous version) worked out, where they still hold.

        An edit that adds or removes no line, in a canvas with as many elements in each list,
        leaves every element where it started: completion needs no new scan of the text.
        """
        if (
            before._starts is not None
            and self.canvas is not None
            and before.canvas is not None
            and len(before.lines) == len(self.lines)
            and all(len(getattr(self.canvas, t.list)) == len(getattr(before.canvas, t.list)) for t in ELEMENT_TYPES)
        ):
            self._starts = before._starts

    # ------------------------------------------------------------ where things stand

    def locate(self, path: tuple[str | int, ...], key: bool = False) -> Place | None:
        """The 0-based place of ``path`` (of its key when ``key``), None when it is not in the text."""
        if self._locate is None:
            self._locate = locator_of(self.format, self.text) or (lambda path, key: None)
        found = self._locate(path, key)
        return None if found is None else (found[0] - 1, found[1] - 1)

    def token(self, place: Place) -> Span:
        """The span of the value starting at ``place``: inside its quotes, up to the syntax after it."""
        line, column = place
        text = self.lines[line] if line < len(self.lines) else ""
        if column < len(text) and text[column] in "\"'":
            column += 1
        match = _TOKEN.match(text, column)
        end = match.end() if match else column
        return (line, column), (line, end)

    def element_occurrences(self, list_name: str, index: int) -> list[Occurrence]:
        """The ids, references and rule codes of one element, where they stand."""
        assert self.canvas is not None
        element = getattr(self.canvas, list_name)[index]
        found: list[Occurrence] = []
        for field, spec in specs(type(element)):
            kind = spec.kind
            if kind not in (Kind.ID, Kind.REF, Kind.REFS, Kind.CODES):
                continue
            value = getattr(element, field.name)
            path: tuple[str | int, ...] = (list_name, index, _key(field, spec))
            values = [(path, value)] if kind in (Kind.ID, Kind.REF) else [((*path, i), v) for i, v in enumerate(value)]
            for at, item in values:
                if not isinstance(item, str):
                    continue
                place = self.locate(at)
                if place is None:
                    continue
                span = self.token(place)
                if self.lines[span[0][0]][span[0][1] : span[1][1]] == item:
                    found.append(Occurrence(item, kind, span, list_name, index, spec.targets))
        return found

    def occurrences(self) -> list[Occurrence]:
        """Every id, reference and rule code of the canvas that the text shows, in document order."""
        if self._occurrences is None:
            found: list[Occurrence] = []
            if self.canvas is not None:
                for element_type in ELEMENT_TYPES:
                    for index in range(len(getattr(self.canvas, element_type.list))):
                        found.extend(self.element_occurrences(element_type.list, index))
            found.sort(key=lambda o: o.span)
            self._occurrences = found
            self._occurrence_starts = [o.span[0] for o in found]
        return self._occurrences

    def at(self, place: Place) -> Occurrence | None:
        """The occurrence under ``place`` (its end included, where a cursor stands after typing it)."""
        occurrences = self.occurrences()
        i = bisect.bisect_right(self._occurrence_starts, place)
        for occurrence in occurrences[max(0, i - 1) : i + 1]:
            start, end = occurrence.span
            if start <= place <= end:
                return occurrence
        return None

    def element_at(self, place: Place) -> tuple[str, int] | None:
        """The list and index of the element whose text ``place`` stands in (the last to start before it)."""
        if self.canvas is None:
            return None
        if self._starts is None:
            starts = []
            for element_type in ELEMENT_TYPES:
                for index in range(len(getattr(self.canvas, element_type.list))):
                    start = self.locate((element_type.list, index))
                    if start is not None:
                        starts.append((start, element_type.list, index))
            starts.sort()
            self._starts = starts
        i = bisect.bisect_right(self._starts, (place, "\uffff", sys.maxsize)) - 1
        return None if i < 0 else (self._starts[i][1], self._starts[i][2])

    def element_of(self, element_id: str) -> tuple[str, int] | None:
        """The list and index of the element with this id (the first, when two share it)."""
        return self._where.get(element_id)

    def definition(self, element_id: str) -> Occurrence | None:
        """Where the element ``element_id`` has its id in the text."""
        where = self.element_of(element_id)
        if where is None:
            return None
        return next((o for o in self.element_occurrences(*where) if o.kind is Kind.ID), None)

    def element_span(self, list_name: str, index: int) -> Span:
        """Where an element's id stands (else where the element starts, to the end of that line)."""
        own = next((o for o in self.element_occurrences(list_name, index) if o.kind is Kind.ID), None)
        if own is not None:
            return own.span
        start = self.locate((list_name, index)) or (0, 0)
        return start, (start[0], len(self.lines[start[0]]) if start[0] < len(self.lines) else 0)

    def finding_span(self, finding: Finding) -> Span:
        """Where a finding is shown: the reference or code it is about, else its element's id, else the top."""
        where = next((self.element_of(s) for s in finding.subjects if self.element_of(s) is not None), None)
        if where is None:
            return (0, 0), (0, len(self.lines[0]) if self.lines else 0)
        occurrences = self.element_occurrences(*where)
        others = set(finding.subjects[1:])
        for occurrence in occurrences:
            if occurrence.kind in (Kind.REF, Kind.REFS) and occurrence.value in others:
                return occurrence.span
            if occurrence.kind is Kind.CODES and repr(occurrence.value) in finding.message:
                return occurrence.span
        return self.element_span(*where)

    def problem_span(self, line: int | None, column: int | None) -> Span:
        """Where a load problem at a 1-based line and column is shown: the value there, else the line."""
        if line is None or line < 1 or line > len(self.lines):
            return (0, 0), (0, len(self.lines[0]) if self.lines else 0)
        text = self.lines[line - 1]
        start = min(max((column or 1) - 1, 0), len(text))
        token = self.token((line - 1, start))
        if token[1][1] > start:
            return (line - 1, start), token[1]
        return (line - 1, start), (line - 1, max(len(text), start))

    # ------------------------------------------------------------ what the server sends

    def rule_list(self) -> list[Rule]:
        """Every rule, in code order: usager's, the plugins', the configuration's rulesets'."""
        if self._rules is None:
            self._rules = {
                r.code: r for r in sorted((*all_rules(), *self.config.ruleset_rules()), key=lambda r: r.code)
            }
        return list(self._rules.values())

    def rule(self, code: str) -> Rule | None:
        """The rule with this code: usager's, a plugin's or one of the configuration's rulesets."""
        self.rule_list()
        assert self._rules is not None
        return self._rules.get(code)

    def problems(self) -> Iterator[tuple[Span, str, str, lsp.DiagnosticSeverity]]:
        """Each diagnostic: its span, code, message and severity."""
        if self.failure is not None:
            yield self.problem_span(None, None), LOAD, self.failure, lsp.DiagnosticSeverity.Error
            return
        if self.error is not None:
            for problem in self.error.problems:
                where = f"{problem.where}: " if problem.where else ""
                message = f"{where}{problem.message}"
                yield self.problem_span(problem.line, problem.column), LOAD, message, lsp.DiagnosticSeverity.Error
            if self.error.more:
                message = f"and {self.error.more} more problems"
                yield self.problem_span(None, None), LOAD, message, lsp.DiagnosticSeverity.Error
            return
        for finding in self.findings:
            yield self.finding_span(finding), finding.code, finding.message, _SEVERITIES[finding.severity]


# ---------------------------------------------------------------- positions on the wire


def _units(text: str, encoding: str) -> int:
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _to_client(lines: Sequence[str], place: Place, encoding: str) -> lsp.Position:
    line, column = place
    text = lines[line] if line < len(lines) else ""
    return lsp.Position(line=line, character=_units(text[:column], encoding))


def _from_client(lines: Sequence[str], position: lsp.Position, encoding: str) -> Place:
    if position.line >= len(lines):
        return len(lines) - 1, len(lines[-1]) if lines else 0
    text = lines[position.line]
    units = 0
    for column, char in enumerate(text):
        if units >= position.character:
            return position.line, column
        units += _units(char, encoding)
    return position.line, len(text)


def _range(lines: Sequence[str], span: Span, encoding: str) -> lsp.Range:
    return lsp.Range(start=_to_client(lines, span[0], encoding), end=_to_client(lines, span[1], encoding))


# ---------------------------------------------------------------- completion's context


_KEY_PATTERNS = {
    "yaml": re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:(?:\s|$)"""),
    "json": re.compile(r""""([A-Za-z_$][\w$]*)"\s*:"""),
    "toml": re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*="""),
}
_ITEM_LINE = re.compile(r"""^\s*(-\s+)?["']?[\w.\-]*["']?\s*,?\s*$""")


def key_at(lines: Sequence[str], place: Place, format: str) -> str | None:
    """The key whose value ``place`` stands in (``stage`` in ``stage: us|``, ``personas`` in a list item)."""
    line, column = place
    pattern = _KEY_PATTERNS[format]
    before = lines[line][:column]
    keys = list(pattern.finditer(before))
    if keys:
        return keys[-1].group(1)
    if format == "yaml" and not before.lstrip().startswith("-"):
        return None
    for above in range(line - 1, max(-1, line - 200), -1):
        text = lines[above]
        if _ITEM_LINE.match(text) and not pattern.search(text):
            continue
        keys = list(pattern.finditer(text))
        if not keys:
            return None
        rest = text[keys[-1].end() :].strip()
        opens = rest == "" if format == "yaml" else rest.startswith("[") and "]" not in rest
        return keys[-1].group(1) if opens else None
    return None


def _enum_values(choices: type[Enum]) -> list[str]:
    return [str(member.value) for member in choices]


# ---------------------------------------------------------------- the server


class CanvasServer(LanguageServer):
    """The language server, with the analysis of each open document's latest version."""

    def __init__(self) -> None:
        super().__init__("usager", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, tuple[int | None, Analysis]] = {}
        self.last_read: dict[str, Analysis] = {}
        self.configs: dict[Path | None, Config] = {}
        self.config_problems: dict[Path | None, str] = {}
        #: The documents taken as canvases: those whose text named the format once, whatever it holds since.
        self.claimed: set[str] = set()
        #: The elements of each YAML document read so far, by the text of each.
        self.pieces: dict[str, YamlPieces] = {}

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client."""
        return str(self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16)

    def config_for(self, path: Path | None) -> Config:
        """The configuration that applies to ``path`` (kept until a file is saved)."""
        if path not in self.configs:
            try:
                self.configs[path] = Config.discover(path.parent if path is not None else Path.cwd())
            except (LoadError, OSError) as exc:
                self.configs[path] = Config()
                self.config_problems[path] = f"the configuration cannot be read, every rule runs as is: {exc}"
        return self.configs[path]

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version, made once per version; None for no canvas."""
        try:
            document = self.workspace.get_text_document(uri)
        except Exception:
            return None
        format = format_of_document(uri, document.language_id)
        if format is None:
            return None
        known = self.analyses.get(uri)
        if known is not None and known[0] == document.version and known[0] is not None:
            return known[1]
        path = path_of(uri)
        try:
            text = document.source
        except (OSError, UnicodeDecodeError) as exc:  # a document the client did not send, unreadable
            text = ""
            analysis = Analysis(text, format, path, None)
            analysis.failure = f"the file cannot be read: {exc}"
        else:
            if uri not in self.claimed:
                if _MARK not in text:  # a YAML or JSON file of another tool: none of usager's business
                    return None
                self.claimed.add(uri)
            pieces = self.pieces.setdefault(uri, YamlPieces()) if format == "yaml" else None
            analysis = Analysis(text, format, path, self.config_for(path), pieces)
        previous = self.last_read.get(uri)
        if previous is not None:
            analysis.carry_over(previous)
        self.analyses[uri] = (document.version, analysis)
        if analysis.canvas is not None:
            self.last_read[uri] = analysis
        return analysis

    def publish(self, uri: str) -> None:
        """Send the diagnostics of the document's current version."""
        analysis = self.analysis(uri)
        if analysis is None:
            return
        diagnostics = []
        encoding = self.encoding
        try:
            problems = list(analysis.problems())
        except Exception as exc:  # the server stays up whatever the text: say it, as a diagnostic
            message = f"usager could not check this file: {type(exc).__name__}: {exc}"
            problems = [(analysis.problem_span(None, None), LOAD, message, lsp.DiagnosticSeverity.Error)]
        for span, code, message, severity in problems:
            described = None
            if code == LOAD or ((rule := analysis.rule(code)) is not None and origin(rule) == "usager"):
                described = lsp.CodeDescription(href=rule_url(code))
            diagnostics.append(
                lsp.Diagnostic(
                    range=_range(analysis.lines, span, encoding),
                    message=message,
                    severity=severity,
                    code=code,
                    code_description=described,
                    source="usager",
                )
            )
        problem = self.config_problems.get(analysis.path)
        if problem is not None:
            diagnostics.append(
                lsp.Diagnostic(
                    range=_range(analysis.lines, analysis.problem_span(None, None), encoding),
                    message=problem,
                    severity=lsp.DiagnosticSeverity.Warning,
                    code=LOAD,
                    source="usager",
                )
            )
        version = self.analyses[uri][0]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def place(self, analysis: Analysis, position: lsp.Position) -> Place:
        """``position``, from the client's units, as a place of the analysis's text."""
        return _from_client(analysis.lines, position, self.encoding)

    def range(self, analysis: Analysis, span: Span) -> lsp.Range:
        """``span`` in the client's units."""
        return _range(analysis.lines, span, self.encoding)


def server() -> CanvasServer:
    """A new server, its features registered."""
    ls = CanvasServer()

    @ls.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CanvasServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CanvasServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CanvasServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.configs.clear()  # a configuration file may have been the one saved
        ls.config_problems.clear()
        saved = path_of(uri)
        again = sorted(ls.claimed) if saved is not None and saved.name in _CONFIG_NAMES else [uri]
        for each in again:  # a configuration saved: every canvas is checked again under it
            ls.analyses.pop(each, None)
            ls.publish(each)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CanvasServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.analyses.pop(uri, None)
        ls.last_read.pop(uri, None)
        ls.claimed.discard(uri)
        ls.pieces.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @ls.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=['"', "'", " ", "[", ","]))
    def completion(ls: CanvasServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        analysis = ls.analysis(params.text_document.uri)
        if analysis is None:
            return None
        place = ls.place(analysis, params.position)
        return _complete(analysis, ls.last_read.get(params.text_document.uri), place, ls.range)

    @ls.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: CanvasServer, params: lsp.HoverParams) -> lsp.Hover | None:
        analysis = ls.analysis(params.text_document.uri)
        if analysis is None or analysis.canvas is None:
            return None
        occurrence = analysis.at(ls.place(analysis, params.position))
        if occurrence is None:
            return None
        text = _describe_rule(analysis, occurrence.value) if occurrence.kind is Kind.CODES else None
        if occurrence.kind is not Kind.CODES:
            text = _describe_element(analysis, occurrence.value)
        if text is None:
            return None
        content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text)
        return lsp.Hover(contents=content, range=ls.range(analysis, occurrence.span))

    @ls.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: CanvasServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        analysis = ls.analysis(params.text_document.uri)
        if analysis is None or analysis.canvas is None:
            return None
        occurrence = analysis.at(ls.place(analysis, params.position))
        if occurrence is None or occurrence.kind is Kind.CODES:
            return None
        target = analysis.definition(occurrence.value)
        if target is None:
            return None
        return lsp.Location(uri=params.text_document.uri, range=ls.range(analysis, target.span))

    @ls.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: CanvasServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        analysis = ls.analysis(params.text_document.uri)
        if analysis is None or analysis.canvas is None:
            return None
        occurrence = analysis.at(ls.place(analysis, params.position))
        if occurrence is None or occurrence.kind is Kind.CODES:
            return None
        kinds = (Kind.REF, Kind.REFS, Kind.ID) if params.context.include_declaration else (Kind.REF, Kind.REFS)
        return [
            lsp.Location(uri=params.text_document.uri, range=ls.range(analysis, o.span))
            for o in analysis.occurrences()
            if o.value == occurrence.value and o.kind in kinds
        ]

    @ls.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: CanvasServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
        analysis = ls.analysis(params.text_document.uri)
        if analysis is None or analysis.canvas is None:
            return None
        occurrence = analysis.at(ls.place(analysis, params.position))
        if occurrence is None or occurrence.kind is Kind.CODES or occurrence.value not in analysis.canvas:
            return None
        return lsp.PrepareRenamePlaceholder(range=ls.range(analysis, occurrence.span), placeholder=occurrence.value)

    @ls.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    def rename(ls: CanvasServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        uri = params.text_document.uri
        analysis = ls.analysis(uri)
        if analysis is None:
            return None
        if analysis.canvas is None:
            raise JsonRpcInvalidParams("the canvas does not read as it stands: fix the file's problems first")
        occurrence = analysis.at(ls.place(analysis, params.position))
        if occurrence is None or occurrence.kind is Kind.CODES:
            raise JsonRpcInvalidParams("no id here: rename an element's id or a reference to it")
        old, new = occurrence.value, params.new_name
        if old not in analysis.canvas:
            raise JsonRpcInvalidParams(f"no element has the id {old!r}")
        problem = id_problem(new)
        if problem is not None:
            raise JsonRpcInvalidParams(f"{new!r} cannot be an id: {problem}")
        if new != old and new in analysis.canvas:
            raise JsonRpcInvalidParams(f"the id {new!r} is already taken")
        edits = [
            lsp.TextEdit(range=ls.range(analysis, o.span), new_text=new)
            for o in analysis.occurrences()
            if o.value == old and o.kind is not Kind.CODES
        ]
        return lsp.WorkspaceEdit(changes={uri: edits})

    @ls.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: CanvasServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        analysis = ls.analysis(uri)
        if analysis is None or analysis.canvas is None:
            return None
        actions = []
        for diagnostic in params.context.diagnostics:
            code = diagnostic.code
            if diagnostic.source != "usager" or not isinstance(code, str) or code == LOAD:
                continue
            finding = next(
                (
                    f
                    for f in analysis.findings
                    if f.code == code and f.message == diagnostic.message and f.subjects
                    if analysis.element_of(f.subjects[0]) is not None
                ),
                None,
            )
            if finding is None:
                continue
            where = analysis.element_of(finding.subjects[0])
            assert where is not None
            edit = suppress_edit(analysis, where[0], where[1], code)
            if edit is None:
                continue
            span, text = edit
            actions.append(
                lsp.CodeAction(
                    title=f"Suppress {code} on {finding.subjects[0]}",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=lsp.WorkspaceEdit(
                        changes={uri: [lsp.TextEdit(range=ls.range(analysis, span), new_text=text)]}
                    ),
                )
            )
        return actions

    return ls


def _quoted(value: str, format: str) -> str:
    return value if format == "yaml" else f'"{value}"'


def suppress_edit(analysis: Analysis, list_name: str, index: int, code: str) -> tuple[Span, str] | None:
    """The text edit adding ``code`` to the ``suppress`` of an element, in the file's own style.

    An existing list gets the code after its last one (a line of its own in a YAML block list,
    ``, "U020"`` otherwise; ``[]`` becomes ``["U020"]``); an element without the key gets it
    after its id, on a line of its own indented as the id is (or inline, in an element written
    on one line).
    """
    assert analysis.canvas is not None
    element = getattr(analysis.canvas, list_name)[index]
    format, lines = analysis.format, analysis.lines
    quoted = _quoted(code, format)
    path: tuple[str | int, ...] = (list_name, index, "suppress")
    if element.suppress:
        last = analysis.locate((*path, len(element.suppress) - 1))
        if last is None:
            return None
        end = analysis.token(last)[1]
        if end[1] < len(lines[end[0]]) and lines[end[0]][end[1]] in "\"'":
            end = (end[0], end[1] + 1)
        start = analysis.locate(path)
        if format == "yaml" and start is not None and lines[start[0]][start[1] :].startswith("-"):
            indent = lines[last[0]][: last[1]]
            line_end = (last[0], len(lines[last[0]]))
            return (line_end, line_end), "\n" + re.sub(r"[^\s-]", " ", indent) + quoted
        return (end, end), ", " + quoted
    value = analysis.locate(path)
    if value is not None:  # an empty list: [] becomes [code]
        text = lines[value[0]]
        close = text.find("]", value[1])
        if text[value[1] : value[1] + 1] == "[" and close != -1:
            return ((value[0], value[1]), (value[0], close + 1)), f"[{quoted}]"
        return None
    key = analysis.locate((list_name, index, "id"), True)
    id_value = analysis.locate((list_name, index, "id"))
    if key is None or id_value is None:
        return None
    end = analysis.token(id_value)[1]
    text = lines[end[0]]
    if end[1] < len(text) and text[end[1]] in "\"'":
        end = (end[0], end[1] + 1)
    entry = {"yaml": f"suppress: [{quoted}]", "json": f'"suppress": [{quoted}]', "toml": f"suppress = [{quoted}]"}
    on_own_line = lines[key[0]][: key[1]].strip() in ("", "-")
    if not on_own_line:
        return (end, end), ", " + entry[format]
    indent = " " * key[1] if lines[key[0]][: key[1]].strip() == "-" else lines[key[0]][: key[1]]
    return (end, end), ("," if format == "json" else "") + "\n" + indent + entry[format]


def _describe_element(analysis: Analysis, element_id: str) -> str | None:
    """The hover text of an element: its kind and id, its label, its stage."""
    assert analysis.canvas is not None
    if element_id not in analysis.canvas:
        return f"`{element_id}`: no element has this id"
    canvas = analysis.canvas
    element = canvas.get(element_id)
    element_type: ElementType[Any] = TYPE_OF[type(element)]
    lines = [f"**{element_type.name}** `{element_id}`", element_label(element, canvas.language)]
    stage = getattr(element, "stage", None) if element_type.name != "stage" else None
    if isinstance(stage, str):
        named = element_label(canvas.get(stage), canvas.language) if stage in canvas else None
        lines.append(f"stage: `{stage}`" + (f" ({named})" if named else ""))
    elif isinstance(element, Stage):
        lines.append(f"kind: {element.kind.value}")
    return "\n\n".join(lines)


def _describe_rule(analysis: Analysis, code: str) -> str | None:
    """The hover text of a rule code: its summary, severity and explanation."""
    rule = analysis.rule(code)
    if rule is None:
        return f"`{code}` is no rule's code"
    text = f"**{rule.code}** ({rule.severity.value}): {rule.summary}\n\n{rule.explanation}"
    if origin(rule) == "usager":
        text += f"\n\n[{rule.code}]({rule_url(rule.code)})"
    return text


def _complete(analysis: Analysis, last_read: Analysis | None, place: Place, range_of: Any) -> lsp.CompletionList | None:
    """The completions at ``place``: ids a reference takes, an enum's values, rule codes."""
    lines = analysis.lines
    if place[0] >= len(lines):
        return None
    key = key_at(lines, place, analysis.format)
    if key is None:
        return None
    known = analysis if analysis.canvas is not None else last_read
    where = known.element_at(place) if known is not None else None
    field = _FIELDS[where[0]].get(key) if where is not None else None
    candidates = [field] if field is not None else _ANY_FIELD.get(key, [])
    if not candidates:
        return None
    word = _WORD.search(lines[place[0]][: place[1]])
    start = place[1] - (len(word.group(0)) if word else 0)
    span: Span = ((place[0], start), place)
    before = lines[place[0]][:start]
    quote = analysis.format != "yaml" and not before.rstrip().endswith(("'", '"'))
    items: dict[str, lsp.CompletionItem] = {}

    def add(label: str, detail: str, kind: lsp.CompletionItemKind) -> None:
        text = f'"{label}"' if quote else label
        edit = lsp.TextEdit(range=range_of(analysis, span), new_text=text)
        items.setdefault(label, lsp.CompletionItem(label=label, detail=detail, kind=kind, text_edit=edit))

    for spec in candidates:
        if spec.kind in (Kind.REF, Kind.REFS) and known is not None and known.canvas is not None:
            for element_type in ELEMENT_TYPES:
                if element_type.name not in spec.targets:
                    continue
                for element in getattr(known.canvas, element_type.list):
                    detail = f"{element_type.name}: {element_label(element, known.canvas.language)}"
                    add(element.id, detail, lsp.CompletionItemKind.Reference)
        elif spec.kind is Kind.CHOICE and spec.choices is not None:
            for value in _enum_values(spec.choices):
                add(value, spec.choices.__name__, lsp.CompletionItemKind.EnumMember)
        elif spec.kind is Kind.CODES:
            for rule in (known or analysis).rule_list():
                add(rule.code, rule.summary, lsp.CompletionItemKind.Value)
    return lsp.CompletionList(is_incomplete=False, items=sorted(items.values(), key=lambda i: i.label))


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """Run the server on standard input and output (or the streams given) until the client ends it."""
    server().start_io(stdin, stdout)
