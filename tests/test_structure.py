"""The structure that makes a new element type cheap: one record per element list, read everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import usager
from usager import Brake, Canvas, Contribution, Experience, Persona, Stage
from usager._fields import Kind, specs
from usager.canvas import ELEMENT_LISTS, ELEMENT_TYPES, TYPE_NAMED, TYPE_OF

SRC = Path(usager.__file__).resolve().parent


def test_each_element_list_has_one_record_derived_from_the_canvas() -> None:
    lists = [(f.name, s.element) for f, s in specs(Canvas) if s.kind is Kind.ELEMENTS]
    assert [(t.list, t.cls) for t in ELEMENT_TYPES] == lists == list(ELEMENT_LISTS)
    assert TYPE_OF[Brake].name == "brake"
    assert TYPE_NAMED["contribution"].cls is Contribution
    assert (TYPE_OF[Persona].label, TYPE_OF[Brake].label, TYPE_OF[Contribution].label) == ("name", "label", "title")
    assert TYPE_OF[Experience].label is None
    assert {t.name: t.since for t in ELEMENT_TYPES if t.since > 1} == {"experience": 2, "metric": 2, "contribution": 2}


def test_of_kind_is_the_typed_list() -> None:
    canvas = Canvas.standard("x").add(Brake(id="b", label="B", stage="discovery"))
    assert canvas.of_kind(Brake) == canvas.brakes
    assert canvas.of_kind(Stage) == canvas.stages
    with pytest.raises(TypeError, match="of_kind\\(\\) takes an element class such as Brake"):
        canvas.of_kind(int)  # type: ignore[type-var]


def test_no_module_derives_an_element_type_name_itself() -> None:
    """The type name comes from the record alone: nowhere else is a class name lowered."""
    derived = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "lower"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "__name__"
            ):
                derived.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert len(derived) == 1, derived
    assert derived[0].startswith("canvas.py:"), derived


def test_the_exporter_hooks_are_declared_protocols() -> None:
    """Each built-in's optional members are found by isinstance on the declared protocols."""
    from usager import exporters

    hooks = {
        name: tuple(
            proto.__name__
            for proto in (
                exporters.HasOptions,
                exporters.Loader,
                exporters.Locating,
                exporters.Commenting,
                exporters.Reformatting,
            )
            if isinstance(exporters.get(name), proto)
        )
        for name in ("json", "csv", "yaml", "toml", "dot", "svg", "markdown", "html")
    }
    assert hooks == {
        "json": ("HasOptions", "Loader", "Locating"),
        "csv": ("HasOptions", "Loader", "Locating"),
        "yaml": ("HasOptions", "Loader", "Locating", "Commenting", "Reformatting"),
        "toml": ("HasOptions", "Loader", "Locating", "Commenting", "Reformatting"),
        "dot": ("HasOptions",),
        "svg": ("HasOptions",),
        "markdown": ("HasOptions",),
        "html": ("HasOptions",),
    }


def test_the_command_line_works_out_formats_only_through_io() -> None:
    """cli.py never reads a format from a suffix, nor an exporter's hook, by itself."""
    source = (SRC / "cli.py").read_text(encoding="utf-8")
    for forbidden in ("name_for_path", 'getattr(exporter, "options"', '"locator"', '"comments"'):
        assert forbidden not in source, forbidden


# ----------------------------------------------------------------- a new element type

#: What a maintainer writes to add an element type: the class (in elements.py, and in the Element union)...
NEW_CLASS = '''

@fields_repr
@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Channel:
    """A way the service reaches its users at a stage (a test of a new element type)."""

    id: str = attrs.field(metadata=ID)
    label: str = attrs.field(metadata=about("The channel's name.", LABEL))
    stage: str = attrs.field(metadata=about("The id of the stage it serves.", ref("stage", relation="reaches")))
    reach: int | None = attrs.field(default=None, metadata=about("How many.", integer(0, 10**9, optional=True)))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_TAGS)
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_SUPPRESS)

'''
#: ...its list on the canvas (in canvas.py), brought by a new version of the format...
NEW_LIST = """    channels: tuple[Channel, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        metadata=about("How it reaches users.", attrs.evolve(elements(Channel)["usager"], since=3).metadata()),
    )
"""
#: ...and the translations of its name.
NEW_TRANSLATIONS = '\nmsgid "channel"\nmsgstr "canal"\n\nmsgid "channels"\nmsgstr "canaux"\n'

NEW_TYPE_CHECK = """
import json
import jsonschema
import networkx
from hypothesis import HealthCheck, Phase, find, settings
import usager
from usager import Canvas, Stage
from usager.elements import Channel
from usager._fastjson import fast_load
from usager._schema import json_schema
from usager.strategies import any_canvases, canvases

channel = Channel(id="radio", label="Radio locale", stage="discovery", reach=1200)
canvas = Canvas.standard("x", "fr").add(channel)
assert canvas.of_kind(Channel) == (channel,)
text = usager.dumps(canvas, "json")
document = json.loads(text)
assert document["format"] == "usager/3", document["format"]
assert document["channels"] == [
    {"id": "radio", "label": "Radio locale", "stage": "discovery", "reach": 1200, "tags": [], "suppress": []}
], document["channels"]
assert usager.loads(text) == canvas
assert fast_load(text.encode()) == canvas, "the fast path"
for name in ("yaml", "toml", "csv"):
    written = usager.dumps(canvas, name)
    assert "Radio locale" in written, name
    assert usager.loads(written, name) == canvas, name
try:  # a usager/2 document may not hold the list usager/3 brought, by the fast path or the thorough one
    usager.loads(text.replace('"usager/3"', '"usager/2"'))
except usager.LoadError as exc:
    assert "la clé 'channels' demande le format 'usager/3'" in str(exc), exc  # a French canvas, told in French
else:
    raise AssertionError("a usager/2 document held channels")
schema = json_schema()
assert "Channel" in schema["$defs"], sorted(schema["$defs"])
jsonschema.validate(document, schema)
graph = usager.to_graph(canvas)
assert graph.nodes["radio"]["kind"] == "channel"
assert any(data.get("relation") == "reaches" for _, _, data in graph.edges(data=True)), list(graph.edges(data=True))
dangling = canvas.add(Channel(id="tv", label="TV", stage="discovry"))
assert [f.subjects for f in usager.check(dangling) if f.code == "U002"] == [("tv", "discovry")]
for layout in ("cycle", "lanes"):
    assert "Radio locale" in usager.dumps(canvas, "dot", layout=layout), layout
for report in ("markdown", "html"):
    shown = usager.dumps(canvas, report)
    assert "Radio locale" in shown, report
    assert "canaux" in shown.lower() or "canal" in shown.lower(), report
quick = settings(database=None, max_examples=2000, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
for strategy in (any_canvases(), canvases()):
    find(strategy, lambda c: len(c.channels) > 0, settings=quick)
print("the new element type works everywhere")
"""


@pytest.mark.slow
def test_a_new_element_type_needs_its_declaration_and_translations_alone(tmp_path: Path) -> None:
    """A class, its list on the canvas and its name's translations: JSON, YAML, TOML, CSV, the schema,
    the strategies, the graph, the rules, the drawing and the reports all know it.
    """
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "usager"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    touched = []

    elements = copy / "elements.py"
    source = elements.read_text(encoding="utf-8")
    anchor = "\n\n#: Any canvas element.\nElement = (\n"
    assert source.count(anchor) == 1
    source = source.replace(anchor, NEW_CLASS + anchor).replace("| Contribution\n)", "| Contribution | Channel\n)")
    assert "| Channel\n)" in source
    elements.write_text(source, encoding="utf-8")
    touched.append(elements)

    canvas = copy / "canvas.py"
    source = canvas.read_text(encoding="utf-8")
    anchor = "    contributions: tuple[Contribution, ...] = attrs.field("
    assert source.count(anchor) == 1
    source = source.replace(anchor, NEW_LIST + anchor).replace("    Brake,\n", "    Brake,\n    Channel,\n", 1)
    canvas.write_text(source, encoding="utf-8")
    touched.append(canvas)

    catalog = copy / "locale" / "fr" / "LC_MESSAGES" / "usager.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + NEW_TRANSLATIONS, encoding="utf-8")
    touched.append(catalog)

    result = subprocess.run(
        [sys.executable, "-c", NEW_TYPE_CHECK],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "", "USAGER_DISABLE_PLUGINS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the new element type works everywhere" in result.stdout
    assert len(touched) == 3


@pytest.mark.slow
def test_mypy_lists_every_place_a_new_kind_of_field_must_go(tmp_path: Path) -> None:
    """Each dispatch on Kind ends with assert_never: a new Kind is an error at each, not text read silently."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "usager"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    fields = copy / "_fields.py"
    source = fields.read_text(encoding="utf-8")
    anchor = '    ELEMENTS = "elements"\n'
    assert source.count(anchor) == 1
    fields.write_text(source.replace(anchor, anchor + '    DATE = "date"\n'), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.10", "usager"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    places = {line.split(":")[0] for line in result.stdout.splitlines() if "assert_never" in line}
    assert places >= {
        "usager/_fields.py",
        "usager/_schema.py",
        "usager/strategies.py",
        "usager/_fastjson.py",
        "usager/exporters/_formats/csvfast.py",
        "usager/exporters/csv.py",
    }, result.stdout
