"""``usager lsp``, end to end: a real client (pygls's) drives ``python -m usager lsp`` over stdio."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import LanguageClient

import usager
from usager import Brake
from usager.examples import mediatheque

T = TypeVar("T")

#: How long a test waits for the server's diagnostics before it fails.
WAIT = 60.0


class Session:
    """A client talking to a server process: opens documents, edits them, waits for their diagnostics."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.diagnostics: dict[str, list[tuple[int | None, list[lsp.Diagnostic]]]] = {}
        self.arrived = asyncio.Event()
        self.versions: dict[str, int] = {}

    def received(self, params: lsp.PublishDiagnosticsParams) -> None:
        self.diagnostics.setdefault(params.uri, []).append((params.version, list(params.diagnostics)))
        self.arrived.set()

    async def wait(self, uri: str, version: int) -> list[lsp.Diagnostic]:
        """The diagnostics the server published for this version of the document."""

        async def published() -> list[lsp.Diagnostic]:
            while True:
                for got_version, diagnostics in reversed(self.diagnostics.get(uri, [])):
                    if got_version == version:
                        return diagnostics
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(published(), WAIT)

    async def next(self, uri: str) -> list[lsp.Diagnostic]:
        """The diagnostics the server publishes next for the document, whatever its version."""
        count = len(self.diagnostics.get(uri, []))

        async def published() -> list[lsp.Diagnostic]:
            while len(self.diagnostics.get(uri, [])) <= count:
                self.arrived.clear()
                await self.arrived.wait()
            return self.diagnostics[uri][count][1]

        return await asyncio.wait_for(published(), WAIT)

    async def open(self, path: Path, text: str | None = None) -> tuple[str, list[lsp.Diagnostic]]:
        """Open the file (its text, or ``text``): its URI and first diagnostics."""
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8") if text is None else text
        self.versions[uri] = 1
        language = {".json": "json", ".toml": "toml"}.get(path.suffix, "yaml")
        item = lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
        return uri, await self.wait(uri, 1)

    async def change(self, uri: str, text: str) -> list[lsp.Diagnostic]:
        """Replace the whole text of the document: the diagnostics of the new version."""
        self.versions[uri] += 1
        version = self.versions[uri]
        change = lsp.TextDocumentContentChangeWholeDocument(text=text)
        document = lsp.VersionedTextDocumentIdentifier(uri=uri, version=version)
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(text_document=document, content_changes=[change])
        )
        return await self.wait(uri, version)


def run(scenario: Callable[[Session], Awaitable[T]], encodings: list[str] | None = None, cwd: Path | None = None) -> T:
    """Start ``usager lsp``, initialise it, play ``scenario``, shut the server down; the scenario's result."""

    async def main() -> T:
        client = LanguageClient("usager-tests", "1")
        session = Session(client)
        client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(lambda params: session.received(params))
        await client.start_io(sys.executable, "-m", "usager", "lsp", cwd=str(cwd) if cwd else None)
        general = lsp.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
        capabilities = lsp.ClientCapabilities(general=general)
        result = await client.initialize_async(lsp.InitializeParams(capabilities=capabilities, process_id=None))
        session.encoding = result.capabilities.position_encoding  # type: ignore[attr-defined]
        client.initialized(lsp.InitializedParams())
        try:
            return await scenario(session)
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await asyncio.wait_for(client.stop(), WAIT)

    return asyncio.run(main())


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> lsp.Position:
    """The position of the start of ``needle`` in ``text`` (its ``occurrence``-th), in UTF-16 units, plus ``offset``."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return lsp.Position(line=line, character=len(text[start:at].encode("utf-16-le")) // 2)


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """``text`` with the edits made (UTF-16 positions), as an editor makes them."""
    lines = text.split("\n")

    def offset(position: lsp.Position) -> int:
        line = lines[position.line]
        units, column = 0, 0
        while units < position.character:
            units += len(line[column].encode("utf-16-le")) // 2
            column += 1
        return sum(len(x) + 1 for x in lines[: position.line]) + column

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.fixture
def canvas_yaml(tmp_path: Path) -> Path:
    """The library's example canvas, as YAML, in a folder of its own."""
    path = tmp_path / "canvas.yaml"
    usager.dump(mediatheque(), path)
    return path


def test_a_misspelt_reference_gets_a_diagnostic_at_its_range(canvas_yaml: Path) -> None:
    text = canvas_yaml.read_text(encoding="utf-8")
    broken = text.replace("stage: usage\n", "stage: usgae\n", 1)
    assert broken != text

    async def scenario(session: Session) -> tuple[list[lsp.Diagnostic], list[lsp.Diagnostic]]:
        uri, first = await session.open(canvas_yaml)
        return first, await session.change(uri, broken)

    clean, diagnostics = run(scenario)
    assert clean == []
    (diagnostic,) = [d for d in diagnostics if d.code == "U002"]
    assert diagnostic.source == "usager"
    assert diagnostic.severity == lsp.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href == "https://usager.readthedocs.io/en/latest/rules/#u002"
    start = position_of(broken, "stage: usgae", offset=len("stage: "))
    assert diagnostic.range.start == start
    assert diagnostic.range.end == lsp.Position(line=start.line, character=start.character + len("usgae"))
    assert "'usgae'" in diagnostic.message
    assert "'usage' (Utilisation)" in diagnostic.message


def test_a_broken_file_gets_a_load_diagnostic_and_the_server_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "canvas.json"
    usager.dump(mediatheque(), path)
    text = path.read_text(encoding="utf-8")
    half = text[: len(text) // 2]

    async def scenario(session: Session) -> tuple[list[lsp.Diagnostic], ...]:
        uri, _ = await session.open(path)
        half_written = await session.change(uri, half)
        binary = await session.change(uri, "\x00\x01\ufffd\x7f{[" * 100_000)  # a document claimed stays checked
        wrong = await session.change(uri, text.replace('"usage"', "42", 1))
        _, deleted = await session.open(tmp_path / "gone" / "canvas.yaml", "format: usager/2\nname: x\n")
        fixed = await session.change(uri, text)
        return half_written, binary, wrong, deleted, fixed

    half_written, binary, wrong, deleted, fixed = run(scenario)
    for diagnostics in (half_written, binary, wrong):
        assert diagnostics, diagnostics
        assert {d.code for d in diagnostics} == {"load"}
        assert all(d.severity == lsp.DiagnosticSeverity.Error and d.source == "usager" for d in diagnostics)
        assert diagnostics[0].code_description is not None
        assert diagnostics[0].code_description.href.endswith("/file-format/")
    (problem,) = wrong
    assert problem.range.start == position_of(text, '"usage"')  # where the number stands
    assert "trouvé le nombre 42" in problem.message  # a French canvas is told in French
    assert all(d.code != "load" for d in deleted)  # a file not on disk is checked as the editor holds it
    assert fixed == []


def test_a_file_of_another_tool_is_left_alone(tmp_path: Path) -> None:
    """A YAML or JSON file that never names the format (a CI workflow, a package.json) gets no diagnostic."""
    workflow = tmp_path / "ci.yaml"
    workflow.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n", encoding="utf-8")
    canvas = tmp_path / "canvas.yaml"
    usager.dump(mediatheque(), canvas)

    async def scenario(session: Session) -> dict[str, list[tuple[int | None, list[lsp.Diagnostic]]]]:
        await session.open(canvas)  # a canvas after it, so that the server has had time to answer the first
        item = lsp.TextDocumentItem(uri=workflow.as_uri(), language_id="yaml", version=1, text=workflow.read_text())
        session.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item))
        await session.open(tmp_path / "other.yaml", canvas.read_text(encoding="utf-8"))
        return session.diagnostics

    published = run(scenario)
    assert workflow.as_uri() not in published
    assert canvas.as_uri() in published


def test_completion_offers_the_ids_a_field_takes(canvas_yaml: Path) -> None:
    text = canvas_yaml.read_text(encoding="utf-8")
    typing = text.replace("stage: usage\n", "stage: us\n", 1)
    canvas = mediatheque()

    async def scenario(session: Session) -> tuple[lsp.CompletionList | None, ...]:
        uri, _ = await session.open(canvas_yaml)
        await session.change(uri, typing)
        document = lsp.TextDocumentIdentifier(uri=uri)
        stage = position_of(typing, "stage: us\n", offset=len("stage: us"))
        persona = position_of(typing, "personas:\n      - retraitee", offset=len("personas:\n      - retraitee"))
        kind = position_of(typing, "kind: ", 1, offset=len("kind: "))
        results = []
        for position in (stage, persona, kind):
            params = lsp.CompletionParams(text_document=document, position=position)
            results.append(await session.client.text_document_completion_async(params))
        return tuple(results)

    stage, persona, kind = run(scenario)
    assert isinstance(stage, lsp.CompletionList)
    assert [i.label for i in stage.items] == sorted(s.id for s in canvas.stages)
    usage = next(i for i in stage.items if i.label == "usage")
    assert usage.text_edit is not None
    assert usage.text_edit.new_text == "usage"
    assert isinstance(persona, lsp.CompletionList)
    assert [i.label for i in persona.items] == sorted(p.id for p in canvas.personas)
    assert isinstance(kind, lsp.CompletionList)
    assert {i.label for i in kind.items} == {k.value for k in type(canvas.stages[0].kind)}


def test_completion_in_json_and_toml_quotes_ids_and_offers_what_a_list_takes(tmp_path: Path) -> None:
    """An activity's supports takes stages and facilitators; suppress takes rule codes; an id comes quoted."""
    canvas = mediatheque()
    json_path, toml_path = tmp_path / "canvas.json", tmp_path / "canvas.toml"
    usager.dump(canvas, json_path)
    usager.dump(canvas, toml_path)
    json_text = json_path.read_text(encoding="utf-8").replace('"stage": "usage"', '"stage": "us"', 1)
    toml_text = toml_path.read_text(encoding="utf-8").replace('"ateliers"]', "]", 1)

    async def scenario(session: Session) -> tuple[lsp.CompletionList | None, ...]:
        json_uri, _ = await session.open(json_path, json_text)
        toml_uri, _ = await session.open(toml_path, toml_text)
        asked = [
            (json_uri, position_of(json_text, '"stage": "us"', offset=len('"stage": "us'))),
            (toml_uri, position_of(toml_text, '"usage", ]', offset=len('"usage", '))),
            (toml_uri, position_of(toml_text, "suppress = []", offset=len("suppress = ["))),
        ]
        results = []
        for uri, position in asked:
            params = lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
            results.append(await session.client.text_document_completion_async(params))
        return tuple(results)

    stage, supports, codes = run(scenario)
    assert isinstance(stage, lsp.CompletionList)
    assert [i.label for i in stage.items] == sorted(s.id for s in canvas.stages)
    usage = next(i for i in stage.items if i.label == "usage")
    assert usage.text_edit is not None
    assert usage.text_edit.new_text == "usage"  # inside the quotes typed already
    assert isinstance(supports, lsp.CompletionList)
    assert {i.label for i in supports.items} == {e.id for e in (*canvas.stages, *canvas.facilitators)}
    ateliers = next(i for i in supports.items if i.label == "ateliers")
    assert ateliers.text_edit is not None
    assert ateliers.text_edit.new_text == '"ateliers"'  # no quote typed: the id comes quoted
    assert ateliers.detail is not None
    assert ateliers.detail.startswith("facilitator: ")
    assert isinstance(codes, lsp.CompletionList)
    assert {"U001", "U002", "U020"} <= {i.label for i in codes.items}


def test_rename_changes_the_id_and_every_reference_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "canvas.json"
    usager.dump(mediatheque(), path)
    text = path.read_text(encoding="utf-8")
    expected = text.replace('"usage"', '"use"').replace('"kind": "use"', '"kind": "usage"')  # a kind is no id
    refs = text.count('"usage"') - text.count('"kind": "usage"')
    assert refs > 2

    async def scenario(session: Session) -> tuple[Any, ...]:
        uri, _ = await session.open(path)
        document = lsp.TextDocumentIdentifier(uri=uri)
        where = position_of(text, '"stage": "usage"', offset=len('"stage": "u'))
        prepared = await session.client.text_document_prepare_rename_async(
            lsp.PrepareRenameParams(text_document=document, position=where)
        )
        edit = await session.client.text_document_rename_async(
            lsp.RenameParams(text_document=document, position=where, new_name="use")
        )
        refused = []
        for name in ("not an id", "discovery"):
            try:
                await session.client.text_document_rename_async(
                    lsp.RenameParams(text_document=document, position=where, new_name=name)
                )
            except JsonRpcException as exc:
                refused.append(str(exc))
        return prepared, edit, refused

    prepared, edit, refused = run(scenario)
    assert isinstance(prepared, lsp.PrepareRenamePlaceholder)
    assert prepared.placeholder == "usage"
    assert isinstance(edit, lsp.WorkspaceEdit)
    assert edit.changes is not None
    (edits,) = edit.changes.values()
    assert len(edits) == refs
    renamed = apply(text, edits)
    assert renamed == expected  # the rest of the file as it was
    assert usager.loads(renamed, "json") == mediatheque().rename("usage", "use")
    assert len(refused) == 2
    assert "cannot be an id" in refused[0]
    assert "already taken" in refused[1]


def test_the_quickfix_adds_the_code_to_the_elements_suppress(tmp_path: Path) -> None:
    canvas = mediatheque()
    # a brake with no facilitator answering it: a finding on the brake
    lonely = Brake(id="lonely", label="Nobody answers this", stage="usage")
    canvas = attrs.evolve(canvas, brakes=[*canvas.brakes, lonely])
    findings = usager.check(canvas)
    finding = next(f for f in findings if f.subjects and f.subjects[0] == "lonely")
    results = {}
    for suffix in (".yaml", ".json", ".toml"):
        path = tmp_path / f"canvas{suffix}"
        usager.dump(canvas, path)
        text = path.read_text(encoding="utf-8")

        async def scenario(session: Session, path: Path = path) -> tuple[Any, ...]:
            uri, diagnostics = await session.open(path)
            mine = [d for d in diagnostics if d.code == finding.code and "lonely" in d.message]
            actions = await session.client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=mine[0].range,
                    context=lsp.CodeActionContext(diagnostics=mine),
                )
            )
            return mine, actions

        mine, actions = run(scenario)
        assert len(mine) == 1
        assert mine[0].range.start == position_of(text, "lonely")  # at the element's id
        (action,) = actions
        assert isinstance(action, lsp.CodeAction)
        assert action.kind == lsp.CodeActionKind.QuickFix
        assert action.edit is not None
        assert action.edit.changes is not None
        (edits,) = action.edit.changes.values()
        fixed = apply(text, edits)
        loaded = usager.loads(fixed, suffix[1:])
        assert loaded.get("lonely").suppress == (finding.code,)
        assert all(f.subjects[:1] != ("lonely",) or f.code != finding.code for f in usager.check(loaded))
        # the rest of the file as it was: only lines added or one line changed
        assert set(text.splitlines()) <= set(fixed.splitlines()) | {
            line for line in text.splitlines() if "lonely" in line or "suppress" in line
        }
        results[suffix] = fixed
    assert "suppress: [" in results[".yaml"]
    assert "suppress = [" in results[".toml"]


def test_hover_definition_and_references(canvas_yaml: Path) -> None:
    text = canvas_yaml.read_text(encoding="utf-8")
    text = text.replace("suppress: []", "suppress: [U020]", 1)
    canvas = usager.loads(text, "yaml")
    stage = canvas.get("usage")
    pointing = text.count(": usage\n") + text.count("- usage\n") - text.count("kind: usage\n")  # a kind is no id

    async def scenario(session: Session) -> tuple[Any, ...]:
        uri, _ = await session.open(canvas_yaml, text)
        document = lsp.TextDocumentIdentifier(uri=uri)
        reference = position_of(text, "stage: usage\n", offset=len("stage: us"))
        code = position_of(text, "U020", offset=1)
        client = session.client
        hover = await client.text_document_hover_async(lsp.HoverParams(text_document=document, position=reference))
        rule = await client.text_document_hover_async(lsp.HoverParams(text_document=document, position=code))
        definition = await client.text_document_definition_async(
            lsp.DefinitionParams(text_document=document, position=reference)
        )
        references = await client.text_document_references_async(
            lsp.ReferenceParams(
                text_document=document, position=reference, context=lsp.ReferenceContext(include_declaration=False)
            )
        )
        return hover, rule, definition, references

    hover, rule, definition, references = run(scenario)
    assert isinstance(hover, lsp.Hover)
    assert isinstance(hover.contents, lsp.MarkupContent)
    assert "**stage** `usage`" in hover.contents.value
    assert stage.label in hover.contents.value
    assert "kind: usage" in hover.contents.value
    assert isinstance(rule, lsp.Hover)
    assert isinstance(rule.contents, lsp.MarkupContent)
    assert rule.contents.value.startswith("**U020**")
    assert next(r for r in usager.rules.all_rules() if r.code == "U020").summary in rule.contents.value
    assert isinstance(definition, lsp.Location)
    assert definition.range.start == position_of(text, "id: usage", offset=len("id: "))
    assert references is not None
    assert len(references) == pointing - 1
    assert all(text.split("\n")[r.range.start.line].endswith("usage") for r in references)


def test_positions_count_utf16_units_or_what_the_client_chose(tmp_path: Path) -> None:
    """A reference after non-ASCII text (and an astral character) on its line is placed right in each encoding."""
    document = json.loads(usager.dumps(mediatheque(), "json"))
    document["brakes"][0]["stage"] = "usgae"
    brake = json.dumps(document["brakes"][0], ensure_ascii=False)
    brake = brake.replace('"label": "', '"label": "Écrans 😀 ', 1)
    text = usager.dumps(mediatheque(), "json")
    head, _, tail = text.partition('"brakes": [')
    first_end = tail.index("\n    },") + len("\n    }")
    text = head + '"brakes": [\n    ' + brake + tail[first_end:]
    path = tmp_path / "canvas.json"

    def diagnostic_of(encodings: list[str] | None) -> tuple[str, lsp.Diagnostic]:
        async def scenario(session: Session) -> tuple[str, lsp.Diagnostic]:
            _, diagnostics = await session.open(path, text)
            return session.encoding, next(d for d in diagnostics if d.code == "U002")  # type: ignore[attr-defined]

        return run(scenario, encodings)

    line = text.split("\n")[position_of(text, '"usgae"').line]
    before = line[: line.index('"usgae"') + 1]
    encoding, utf16 = diagnostic_of(None)
    assert encoding == "utf-16"
    assert utf16.range.start.character == len(before.encode("utf-16-le")) // 2
    encoding, utf8 = diagnostic_of(["utf-8", "utf-16"])
    assert encoding == "utf-8"
    assert utf8.range.start.character == len(before.encode("utf-8"))
    assert utf8.range.end.character - utf8.range.start.character == len("usgae")


def test_the_project_configuration_applies_and_is_read_again_when_saved(tmp_path: Path) -> None:
    """A rule the project's usager.toml ignores gives no diagnostic; saving the configuration checks again."""
    path = tmp_path / "canvas.yaml"
    usager.dump(mediatheque(), path)
    text = path.read_text(encoding="utf-8").replace("stage: usage\n", "stage: usgae\n", 1)
    config = tmp_path / "usager.toml"

    async def scenario(session: Session) -> tuple[list[lsp.Diagnostic], list[lsp.Diagnostic]]:
        uri, before = await session.open(path, text)
        config.write_text('ignore = ["U002"]\n', encoding="utf-8")
        document = lsp.TextDocumentIdentifier(uri=config.as_uri())
        session.client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=document))
        return before, await session.next(uri)

    before, after = run(scenario)
    assert any(d.code == "U002" for d in before)
    assert not any(d.code == "U002" for d in after)

    async def reopened(session: Session) -> list[lsp.Diagnostic]:
        _, diagnostics = await session.open(path, text)
        return diagnostics

    assert not any(d.code == "U002" for d in run(reopened))
    config.write_text('[severity]\nU002 = "warning"\n', encoding="utf-8")
    (diagnostic,) = [d for d in run(reopened) if d.code == "U002"]
    assert diagnostic.severity == lsp.DiagnosticSeverity.Warning


def test_a_yaml_canvas_read_piece_by_piece_is_the_canvas_loads_reads() -> None:
    """Element by element, across edits, the YAML reading gives what usager.loads gives, positions included."""
    from usager._config import Config
    from usager._lsp import Analysis, YamlPieces, split_lines

    text = usager.dumps(mediatheque(), "yaml")
    layouts = [
        text,
        # items at the start of their lines, comments, a block of text at the top level, a flow list
        text.replace("\n  - ", "\n- ").replace("\n    ", "\n  ") + "# the end\n",
        text.replace("description: Faire", "# what it is for\ndescription: >-\n  Faire", 1),
        text.replace("stage: usage\n", "stage: usgae  # a typo\n", 1),
    ]
    for layout in layouts:
        pieces = YamlPieces()
        read = pieces.load(split_lines(layout))
        assert read is not None, layout
        assert read[0] == usager.loads(layout, "yaml")
        whole = Analysis(layout, "yaml", None, Config())
        piecewise = Analysis(layout, "yaml", None, Config(), YamlPieces())
        assert piecewise.occurrences() == whole.occurrences()
        assert [piecewise.finding_span(f) for f in piecewise.findings] == [
            whole.finding_span(f) for f in whole.findings
        ]
    # an edit: the pieces read before are kept, and the result is still loads's
    pieces = YamlPieces()
    assert pieces.load(split_lines(text)) is not None
    edited = text.replace("label: Utilisation", "label: Usage", 1)
    read = pieces.load(split_lines(edited))
    assert read is not None
    assert read[0] == usager.loads(edited, "yaml")
    # a problem anywhere: the text is read whole, and the problem told as loads tells it
    broken = text.replace("stage: usage\n", "stage: [usage\n", 1)
    analysis = Analysis(broken, "yaml", None, Config(), pieces)
    with pytest.raises(usager.LoadError) as raised:
        usager.loads(broken, "yaml")
    assert analysis.error is not None
    assert [(p.line, p.message) for p in analysis.error.problems] == [
        (p.line, p.message) for p in raised.value.problems
    ]
