"""``usager mcp``: the MCP server, driven by the SDK's own client over stdio, as an assistant drives it.

Each test starts ``python -m usager mcp`` as a subprocess in a root folder of its own and talks
to it with ``mcp.ClientSession`` over the real stdio transport.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent, Tool

import usager
from tests.graphviz_tools import require_dot

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOOLS = {"check", "analyse", "diff", "list_elements", "get_element", "export"}

# A canvas with findings, written by hand: the brake names a stage that is not there (U002, an
# error) and nothing addresses it (U020); its item starts at line 10, column 5.
SHOP = """\
format: usager/2
name: Bike shop
language: en
stages:
  - id: discovery
    kind: discovery
  - id: first_use
    kind: first_experience
brakes:
  - id: jargon
    label: Jargon on the website
    stage: discovry
    kind: thought
    severity: 3
"""


class Served:
    """A ``usager mcp`` server started in a root folder, and the SDK's client session with it.

    The session lives on an event loop of its own (an anyio blocking portal), so that the tests
    of this module share two servers rather than start one each.
    """

    def __init__(self, root: Path, *options: str) -> None:
        self.root = root
        self.errors = root.parent / f"{root.name}-server-stderr.txt"
        self._stack = contextlib.ExitStack()
        self.portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal())
        errlog = self._stack.enter_context(self.errors.open("w", encoding="utf-8"))
        params = StdioServerParameters(
            command=sys.executable, args=["-m", "usager", "mcp", *options], cwd=str(root), env=dict(os.environ)
        )
        read, write = self._stack.enter_context(
            self.portal.wrap_async_context_manager(stdio_client(params, errlog=errlog))
        )
        self.session = self._stack.enter_context(self.portal.wrap_async_context_manager(ClientSession(read, write)))
        self.portal.call(self.session.initialize)

    def call(self, name: str, **arguments: Any) -> CallToolResult:
        """Call the tool ``name`` with ``arguments``."""
        return self.portal.call(self.session.call_tool, name, arguments)

    def tools(self) -> list[Tool]:
        """The tools the server lists."""
        return self.portal.call(self.session.list_tools).tools

    def close(self) -> str:
        """Close the session, which ends the server; what the server wrote on its standard error."""
        self._stack.close()
        return self.errors.read_text(encoding="utf-8")


def _root(folder: Path) -> Path:
    """``folder``, made, with the hand-written canvas and the example library's canvas in it."""
    folder.mkdir()
    (folder / "shop.yaml").write_text(SHOP, encoding="utf-8")
    (folder / "mediatheque.json").write_bytes((EXAMPLES / "mediatheque.json").read_bytes())
    return folder


def _serve(folder: Path, *options: str) -> Iterator[Served]:
    served = Served(_root(folder), *options)
    try:
        yield served
    finally:
        logged = served.close()
    assert "Traceback" not in logged, logged


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The server as it starts by default: read-only, in its root folder."""
    yield from _serve(tmp_path_factory.mktemp("reader") / "root")


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The server started with --allow-write."""
    yield from _serve(tmp_path_factory.mktemp("writer") / "root", "--allow-write")


def text(result: CallToolResult) -> str:
    """The text a tool answered with (its first content block)."""
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def data(result: CallToolResult) -> dict[str, Any]:
    """The structured result of a tool that succeeded, the same as the JSON text it sent along."""
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    assert json.loads(text(result)) == result.structured_content
    return result.structured_content


def refused(result: CallToolResult, *words: str) -> str:
    """The message of a tool error, which must say each of ``words``."""
    assert result.is_error, result
    message = text(result)
    for word in words:
        assert word in message, message
    return message


def test_the_server_lists_its_six_tools_with_typed_schemas(reader: Served) -> None:
    tools = {tool.name: tool for tool in reader.tools()}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description, tool.name
        assert tool.description == tool.description.strip(), tool.name
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema is not None, tool.name
    check = tools["check"].input_schema
    assert check["required"] == ["path"]
    assert check["properties"]["path"]["type"] == "string"
    assert {"type": "array", "items": {"type": "string"}} in check["properties"]["select"]["anyOf"]
    assert tools["diff"].input_schema["required"] == ["old", "new"]
    assert tools["get_element"].input_schema["required"] == ["path", "id"]
    assert tools["export"].input_schema["required"] == ["path", "to"]
    analyses = tools["analyse"].input_schema["properties"]["analyses"]["anyOf"][0]["items"]["enum"]
    assert analyses == ["transitions", "bottleneck", "persona_exposure", "partner_dependency", "priorities"]
    assert tools["check"].output_schema is not None
    finding = tools["check"].output_schema["$defs"]["FindingData"]["properties"]
    assert set(finding) == {"code", "severity", "message", "subjects", "line", "column", "suppressed"}
    # read-only by default, export included
    assert all(tool.annotations is not None and tool.annotations.read_only_hint for tool in tools.values())


def test_export_may_write_when_the_server_allows_it(writer: Served) -> None:
    [export] = [tool for tool in writer.tools() if tool.name == "export"]
    assert export.annotations is not None
    assert export.annotations.read_only_hint is False


def test_check_gives_the_findings_as_the_command_line_does_with_the_configuration(reader: Served) -> None:
    folder = reader.root / "configured"
    folder.mkdir()
    (folder / "usager.toml").write_text('ignore = ["U034"]\n', encoding="utf-8")
    (folder / "shop.yaml").write_text(SHOP, encoding="utf-8")
    found = data(reader.call("check", path="configured/shop.yaml"))
    cli = subprocess.run(
        [sys.executable, "-m", "usager", "check", "--format", "json", "shop.yaml"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    expected = [{k: v for k, v in f.items() if k != "file"} for f in json.loads(cli.stdout)["findings"]]
    assert found["path"] == "configured/shop.yaml"
    assert found["findings"] == expected
    codes = [f["code"] for f in found["findings"]]
    assert "U034" not in codes  # the configuration's ignore
    assert "U034" in [f["code"] for f in data(reader.call("check", path="shop.yaml"))["findings"]]
    [dangling] = [f for f in found["findings"] if f["code"] == "U002"]
    assert dangling["severity"] == "error"
    assert dangling["subjects"] == ["jargon", "discovry"]
    assert (dangling["line"], dangling["column"]) == (10, 5)
    assert "did you mean 'discovery'" in dangling["message"]
    assert found["errors"] == 1
    assert found["warnings"] == codes.count("U011") + codes.count("U020") + codes.count("U030") > 0
    assert data(reader.call("check", path="configured/shop.yaml", select=["U002"]))["findings"] == [dangling]
    clean = data(reader.call("check", path="mediatheque.json"))
    assert clean == {"path": "mediatheque.json", "findings": [], "errors": 0, "warnings": 0, "infos": 0}


def test_check_leaves_out_what_the_configurations_baseline_lists(reader: Served) -> None:
    folder = reader.root / "baselined"
    folder.mkdir()
    (folder / "shop.yaml").write_text(SHOP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "usager", "check", "shop.yaml", "--isolated", "--write-baseline", "baseline.json"],
        cwd=folder, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert data(reader.call("check", path="baselined/shop.yaml"))["findings"]  # no configuration names it yet
    (folder / "usager.toml").write_text('baseline = "baseline.json"\n', encoding="utf-8")
    assert data(reader.call("check", path="baselined/shop.yaml"))["findings"] == []


def test_analyse_gives_the_analyses_of_the_library(reader: Served) -> None:
    canvas = usager.load(reader.root / "mediatheque.json")
    result = data(reader.call("analyse", path="mediatheque.json"))
    assert list(result) == [
        "path",
        "transitions",
        "bottleneck",
        "persona_exposure",
        "partner_dependency",
        "priorities",
    ]
    expected = usager.analysis.bottleneck(canvas)
    assert expected is not None
    assert result["bottleneck"]["stage"] == expected.stage == "discovery"
    assert result["bottleneck"]["brakes"] == list(expected.brakes)
    assert [t["stage"] for t in result["transitions"]] == [t.stage for t in usager.analysis.transitions(canvas)]
    assert [p["id"] for p in result["priorities"]] == [p.id for p in usager.analysis.priorities(canvas)]
    assert [e["persona"] for e in result["persona_exposure"]] == ["retraitee", "parent"]
    one = data(reader.call("analyse", path="mediatheque.json", analyses=["bottleneck"]))
    assert one == {"path": "mediatheque.json", "bottleneck": result["bottleneck"]}


def test_diff_says_what_changed_as_the_command_line_does(reader: Served) -> None:
    (reader.root / "fixed.yaml").write_text(SHOP.replace("discovry", "discovery"), encoding="utf-8")
    result = data(reader.call("diff", old="shop.yaml", new="fixed.yaml"))
    cli = subprocess.run(
        [sys.executable, "-m", "usager", "diff", "--format", "json", "shop.yaml", "fixed.yaml"],
        cwd=reader.root,
        capture_output=True,
        text=True,
    )
    assert result == json.loads(cli.stdout)
    assert result["equal"] is False
    assert result["changed"] == [
        {"id": "jargon", "kind": "brake", "fields": [{"name": "stage", "old": "discovry", "new": "discovery"}]}
    ]
    assert [f["code"] for f in result["findings_resolved"]] == ["U002"]
    assert data(reader.call("diff", old="shop.yaml", new="shop.yaml"))["equal"] is True


def test_list_and_get_elements(reader: Served) -> None:
    assert data(reader.call("list_elements", path="shop.yaml")) == {
        "path": "shop.yaml",
        "name": "Bike shop",
        "language": "en",
        "elements": [
            {"type": "stage", "id": "discovery", "label": "Discovery"},
            {"type": "stage", "id": "first_use", "label": "First experience"},
            {"type": "brake", "id": "jargon", "label": "Jargon on the website"},
        ],
    }
    brakes = data(reader.call("list_elements", path="shop.yaml", type="brake"))
    assert brakes["elements"] == [{"type": "brake", "id": "jargon", "label": "Jargon on the website"}]
    element = data(reader.call("get_element", path="shop.yaml", id="jargon"))
    assert element["type"] == "brake"
    document = usager.to_dict(usager.load(reader.root / "shop.yaml"))
    assert element["element"] == document["brakes"][0]
    assert element["element"]["stage"] == "discovry"
    assert [f["code"] for f in element["findings"]] == ["U002", "U020"]
    refused(reader.call("get_element", path="shop.yaml", id="jargn"), "'jargn'", "did you mean 'jargon'")
    refused(reader.call("list_elements", path="shop.yaml", type="brakes"), "'brakes'", "did you mean 'brake'")


def test_export_returns_the_content_and_writes_no_file_unless_allowed(reader: Served) -> None:
    require_dot()
    canvas = usager.load(reader.root / "mediatheque.json")
    report = data(reader.call("export", path="mediatheque.json", to="Markdown"))
    assert report["format"] == "markdown"
    assert report["encoding"] == "utf-8"
    assert report["content"] == usager.dumps(canvas, "markdown")
    assert report["written"] is None
    image = data(reader.call("export", path="mediatheque.json", to="png"))
    assert image["binary"] is True
    assert image["media_type"] == "image/png"
    assert image["encoding"] == "base64"
    raw = base64.b64decode(image["content"])
    assert raw.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(raw) == image["size"]
    to_file = reader.call("export", path="mediatheque.json", to="json", output="copy.json")
    refused(to_file, "does not write files", "--allow-write")
    assert not (reader.root / "copy.json").exists()
    refused(reader.call("export", path="mediatheque.json", to="markdwn"), "'markdwn'", "did you mean 'markdown'")
    spiral = reader.call("export", path="mediatheque.json", to="dot", options={"layout": "spiral"})
    refused(spiral, "'layout'", "'cycle'", "'lanes'", "'spiral'")
    refused(reader.call("export", path="shop.yaml", to="svg"), "U002", '"draft": true')


def test_export_writes_inside_the_root_only(writer: Served, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (writer.root / "out").mkdir()
    (writer.root / "escape").symlink_to(outside, target_is_directory=True)
    (writer.root / "link.json").symlink_to(outside / "victim.json")
    canvas = usager.load(writer.root / "mediatheque.json")

    def export(output: str, **more: Any) -> CallToolResult:
        return writer.call("export", path="mediatheque.json", to="json", output=output, **more)

    result = data(export("out/copy.json"))
    assert result["written"] == "out/copy.json"
    assert result["content"] is None
    copy = writer.root / "out" / "copy.json"
    assert copy.read_text(encoding="utf-8") == usager.dumps(canvas, "json")
    assert result["size"] == copy.stat().st_size
    copy.write_text("{}", encoding="utf-8")
    refused(export("out/copy.json"), "out/copy.json exists already", "overwrite")
    assert copy.read_text(encoding="utf-8") == "{}"
    assert data(export("out/copy.json", overwrite=True))["written"] == "out/copy.json"
    assert copy.read_text(encoding="utf-8") == usager.dumps(canvas, "json")
    for escaping in ("../escaped.json", "escape/escaped.json", "link.json", str(outside / "escaped.json")):
        refused(export(escaping), "outside the root folder")
    assert list(outside.iterdir()) == []
    assert not (writer.root.parent / "escaped.json").exists()
    refused(export("missing/copy.json"), "missing/copy.json", "folder does not exist")
    draft = writer.call("export", path="shop.yaml", to="dot", output="shop.dot", options={"draft": True})
    assert data(draft)["written"] == "shop.dot"
    assert "discovry" in (writer.root / "shop.dot").read_text(encoding="utf-8")


def test_a_path_leading_outside_the_root_is_refused_for_reading(reader: Served, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_bytes((EXAMPLES / "mediatheque.json").read_bytes())
    (reader.root / "inside.json").symlink_to(secret)
    relative = os.path.relpath(secret, reader.root)
    for result in [
        reader.call("check", path=relative),
        reader.call("check", path=str(secret)),
        reader.call("list_elements", path="inside.json"),
        reader.call("diff", old="mediatheque.json", new=relative),
        reader.call("get_element", path="sub/../" + relative, id="discovery"),
        reader.call("export", path="inside.json", to="json"),
    ]:
        message = refused(result, "leads outside the root folder")
        assert "Médiathèque" not in message
    inside = data(reader.call("check", path=str(reader.root / "mediatheque.json")))  # absolute, but inside
    assert inside["path"] == "mediatheque.json"


def test_an_unreadable_canvas_gives_its_problems_and_the_server_goes_on(reader: Served) -> None:
    (reader.root / "broken.yaml").write_text(SHOP.replace("kind: thought", "kind: understanding"), encoding="utf-8")
    (reader.root / "notes.txt").write_text("hello\n", encoding="utf-8")
    refused(reader.call("check", path="broken.yaml"), "broken.yaml:13:11", "$.brakes[0].kind", "'understanding'")
    refused(reader.call("analyse", path="missing.json"), "missing.json: no such file")
    refused(reader.call("check", path="notes.txt"), "notes.txt", "cannot tell the format")
    refused(reader.call("check", path="."), "is a folder, not a canvas file")
    refused(reader.call("check"), "path")  # a required argument left out
    refused(reader.call("check", path="shop.yaml", select="U002"), "select")  # not a list
    refused(reader.call("check", path="shop.yaml", select=["U999"]), "U999")
    refused(reader.call("export", path="shop.yaml", to="json", options={"indent": "four"}), "'indent'", "'four'")
    refused(reader.call("no_such_tool"), "no_such_tool")
    assert data(reader.call("check", path="shop.yaml"))["errors"] == 1


def test_the_command_refuses_a_root_that_is_no_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "usager", "mcp", "--root", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usager: error: --root: ")
    assert "is not a folder" in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_the_server_ends_quietly_when_its_input_closes(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "usager", "mcp"], cwd=tmp_path, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_command_line_and_the_library_do_not_import_the_sdk() -> None:
    code = (
        "import sys, usager, usager.cli\n"
        "usager.cli._parser()\n"
        "loaded = [m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'usager.mcp_server'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_without_the_sdk_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    code = "import sys; sys.modules['mcp'] = None\nfrom usager.cli import main\nraise SystemExit(main(['mcp']))\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == "usager: error: usager mcp needs the MCP SDK (mcp is missing): pip install 'usager[mcp]'\n"
