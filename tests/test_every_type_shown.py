"""Every element type shows in the drawing and in the reports, or is declared not to, with the reason.

Each layout and the report declare, as data, how they show each element type (a part of their
own, or not at all and why); any other element type, a new one, is shown by a generic part: a
panel of boxes in the drawing, a table in the report, titled by the type's name.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest

import usager
from usager import Canvas, Stage
from usager._fields import Kind, specs
from usager._graph import resolve
from usager._i18n import tr
from usager.canvas import ELEMENT_TYPES, ElementType, element_label
from usager.exporters._drawing import cycle as cycle_layout
from usager.exporters._drawing import lanes as lanes_layout
from usager.exporters._drawing.dottext import wrap
from usager.exporters._drawing.parts import Showing, Subject, capital
from usager.exporters._drawing.scene import STYLE, source
from usager.exporters._reporting import content
from usager.exporters._reporting.blocks import Curve, Heading, Items, Paragraph, Quote, Section, Strong, Table
from usager.exporters.dot import to_dot

from .graphviz_tools import parse, require_dot, structure

SRC = Path(usager.__file__).resolve().parent
SHOWING = {"cycle": cycle_layout.SHOWING, "lanes": lanes_layout.SHOWING}
LAYOUT = {"cycle": cycle_layout.cycle, "lanes": lanes_layout.lanes}
TYPES = [pytest.param(t, id=t.name) for t in ELEMENT_TYPES]
#: A word no canvas text holds: where it shows, the element shows.
MARK = "Zephyrine"


def _element(element_type: ElementType[Any], stage: str) -> Any:
    """An element of ``element_type``: the simplest value each field's description allows.

    Its label is ``MARK`` and its type's name; each reference that may name a stage names ``stage``.
    """
    values: dict[str, Any] = {}
    for field, spec in specs(element_type.cls):
        required = field.default is attrs.NOTHING
        if spec.kind is Kind.ID:
            values[field.name] = f"the-{element_type.name}"
        elif spec.kind is Kind.LABEL and field.name == element_type.label:
            values[field.name] = f"{MARK} {element_type.name}"
        elif spec.kind is Kind.REF and "stage" in spec.targets:
            values[field.name] = stage
        elif spec.kind is Kind.REFS and "stage" in spec.targets:
            values[field.name] = [stage]
        elif required and spec.kind is Kind.CHOICE:
            assert spec.choices is not None
            values[field.name] = next(iter(spec.choices))
        elif required and spec.kind is Kind.INTEGER:
            values[field.name] = spec.low
        elif required and spec.kind in (Kind.TEXT, Kind.LABEL):
            values[field.name] = f"{MARK} text"
    return element_type.cls(**values)


def _one(element_type: ElementType[Any]) -> tuple[Canvas, Any]:
    """A canvas holding one element of ``element_type`` (and the stages it needs), and that element."""
    if element_type.cls is Stage:
        element = _element(element_type, "the-stage")
        return Canvas(name="Shop", stages=[element]), element
    canvas = Canvas.standard("Shop")
    element = _element(element_type, canvas.stages[0].id)
    return canvas.add(element), element


# ---------------------------------------------------------------- the drawing

_NODE = re.compile(r"^  (\w+) \[(.*)\];$", re.M)
_QUOTED = r'"((?:[^"\\]|\\.)*)"'


def _nodes(dot: str) -> list[tuple[str, str, list[str]]]:
    """Each node statement of the DOT source: its name, its label's text (lines joined by spaces), its tooltip's lines.

    A node stated twice (two boxes for one element) is listed twice.
    """
    nodes = []
    for name, attributes in _NODE.findall(dot):
        label = re.search(rf"\blabel={_QUOTED}", attributes)
        tooltip = re.search(rf"\btooltip={_QUOTED}", attributes)
        text = re.sub(r"\\[nl]", " ", label[1]) if label else ""
        nodes.append((name, text, tooltip[1].split("\\n") if tooltip else []))
    return nodes


def _carriers(dot: str, element_id: str) -> list[str]:
    """The label of each node standing for the element ``element_id`` (its tooltip names it)."""
    return [text for _, text, tooltip in _nodes(dot) if any(line.startswith(f"{element_id}: ") for line in tooltip)]


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
@pytest.mark.parametrize("element_type", TYPES)
def test_every_element_type_is_drawn_once_or_said_why(element_type: ElementType[Any], layout: str) -> None:
    """Each element is drawn by exactly one box showing its label, or its type is declared not drawn, with why.

    Drawn twice would mean both a part of its own and the generic panel draw it (its
    declaration lost); drawn by none, that its part or the generic panel is gone.
    """
    canvas, element = _one(element_type)
    showing = SHOWING[layout]
    dot = usager.dumps(canvas, "dot", layout=layout)
    carriers = _carriers(dot, element.id)
    reason = showing.not_shown.get(element_type.cls)
    if reason is not None:
        assert reason.strip()
        assert carriers == []
        return
    label = element_label(element, canvas.language)
    assert len(carriers) == 1, carriers
    assert label in carriers[0]


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
@pytest.mark.parametrize("element_type", TYPES)
def test_what_graphviz_reads_shows_every_element_type(element_type: ElementType[Any], layout: str) -> None:
    """The same, as Graphviz itself parses the source: the node standing for the element shows its label."""
    require_dot()
    canvas, element = _one(element_type)
    if element_type.cls in SHOWING[layout].not_shown:
        return
    graph = parse(usager.dumps(canvas, "dot", layout=layout))
    label = element_label(element, canvas.language)
    shown = [
        o["name"]
        for o in graph["objects"]
        if any(line.startswith(f"{element.id}: ") for line in o.get("tooltip", "").split("\\n"))
        and label in o.get("label", "").replace("\\n", " ")
    ]
    assert len(shown) == 1, shown


def _panel(dot: str, title: str) -> list[str]:
    """The labels of the boxes in the generic style (the panel titled ``title`` and its legend sample)."""
    nodes = _nodes(dot)
    assert title in [text for _, text, _ in nodes], f"no panel titled {title!r}"
    styled = {name for name, attributes in _NODE.findall(dot) if attributes.endswith(STYLE["element"])}
    return [text for name, text, _ in nodes if name in styled]


@pytest.mark.parametrize(
    ("layout", "element_type"),
    [
        pytest.param(layout, t, id=f"{layout}-{t.name}")
        for layout, showing in SHOWING.items()
        for t in ELEMENT_TYPES
        if t.cls in showing.not_shown
    ],
)
def test_a_type_no_part_draws_is_drawn_in_a_panel_of_its_own(element_type: ElementType[Any], layout: str) -> None:
    """Left out of a layout's declaration, an element type is drawn by the generic panel, titled by its name."""
    canvas, element = _one(element_type)
    declared = SHOWING[layout]
    showing = Showing(declared.own, {c: r for c, r in declared.not_shown.items() if c is not element_type.cls})
    subject = Subject(canvas, resolve(canvas), backstage=True, people=True, findings=None)
    dot = source([canvas.name], LAYOUT[layout](subject, showing))
    assert dot != to_dot(canvas, layout=layout)
    label = element_label(element, canvas.language)
    title = capital(tr(canvas.language, element_type.list))
    assert sorted(_panel(dot, title)) == sorted([label, capital(tr(canvas.language, element_type.name))])
    assert _carriers(dot, element.id) == [label]


# ---------------------------------------------------------------- the reports


def _texts(section: Section) -> str:
    """Every text of a section, one piece a line."""
    pieces: list[str] = [section.title]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            pieces += [p.text if isinstance(p, Strong) else p for p in block.parts]
        elif isinstance(block, Items):
            pieces += [p.text if isinstance(p, Strong) else p for item in block.items for p in item]
        elif isinstance(block, Table):
            pieces += [*block.headers, *(cell for row in block.rows for cell in row)]
        elif isinstance(block, Curve):
            pieces += [*block.stages, *(name for name, _ in block.series), block.caption]
        elif isinstance(block, Heading):
            pieces.append(block.text)
        elif isinstance(block, Quote):
            pieces += [block.text, block.cite]
    return "\n".join(pieces)


#: The sections that sum the canvas up (the findings' messages may name any element); the others list elements.
_SUMMARIES = ("glance", "findings")


@pytest.mark.parametrize("element_type", TYPES)
def test_every_element_type_is_reported_or_said_why(element_type: ElementType[Any]) -> None:
    """Each element is named by its section, in the markdown and the HTML, or its type is declared not listed.

    A generic section lists an element no other section names: were the declaration of a
    type's own section lost, the generic one would list it a second time.
    """
    canvas, element = _one(element_type)
    report = content.build(canvas)
    sections = {s.anchor: _texts(s) for s in report.sections}
    generic = {a: t for a, t in sections.items() if a.startswith("list-")}
    label = element_label(element, canvas.language)
    for anchor in generic:
        assert not any(label in other for a, other in sections.items() if a not in (anchor, *_SUMMARIES)), anchor
    reason = content.SHOWING.not_shown.get(element_type.cls)
    if reason is not None:
        assert reason.strip()
        assert generic == {}
        return
    anchor = content.SHOWING.own.get(element_type.cls, f"list-{element_type.list}")
    assert label in sections[anchor]
    assert label in usager.dumps(canvas, "markdown")
    assert label in usager.dumps(canvas, "html", drawing=False)


@pytest.mark.parametrize("showing", [*SHOWING.values(), content.SHOWING], ids=[*SHOWING, "report"])
def test_each_declaration_names_each_element_type_at_most_once_with_a_reason(showing: Any) -> None:
    known = {t.cls for t in ELEMENT_TYPES}
    assert set(showing.own) <= known
    assert set(showing.not_shown) <= known
    assert not set(showing.own) & set(showing.not_shown)
    assert all(where.strip() for where in showing.own.values())
    assert all(reason.strip() for reason in showing.not_shown.values())


def test_the_report_declares_sections_it_has() -> None:
    anchors = {s.anchor for s in content.build(Canvas.standard("Shop")).sections}
    assert set(content.SHOWING.own.values()) <= anchors


@pytest.mark.parametrize("element_type", TYPES)
def test_a_type_no_section_lists_gets_a_table_of_its_own(element_type: ElementType[Any]) -> None:
    """Left out of the report's declaration, an element type gets a generic section: label, id, stage.

    Then come the other fields its elements fill (an experience's score, for one).
    """
    canvas, element = _one(element_type)
    declared = content.SHOWING
    own = {c: a for c, a in declared.own.items() if c is not element_type.cls}
    showing = content.Showing(own, {c: r for c, r in declared.not_shown.items() if c is not element_type.cls})
    report = content.build(canvas, showing=showing)
    [section] = [s for s in report.sections if s.anchor == f"list-{element_type.list}"]
    assert section.title == capital(tr(canvas.language, element_type.list))
    [table] = section.blocks
    assert isinstance(table, Table)
    staged = any(f.name == "stage" and spec.kind is Kind.REF for f, spec in specs(element_type.cls))
    stage = canvas.stages[0].label if element_type.cls is not Stage else "–"
    head, row = (
        (capital(element_type.name), "Id", "Stage"),
        (element_label(element, canvas.language), element.id, stage),
    )
    width = 3 if staged else 2
    assert (table.headers[:width], table.rows[0][:width]) == (head[:width], row[:width])
    filled = [f.name for f, _ in specs(element_type.cls) if getattr(element, f.name) != f.default]
    extra = [f for f in filled if f not in ("id", "stage", element_type.label)]
    assert [h.lower() for h in table.headers[width:]] == [f.replace("_", " ") for f in extra]


# ---------------------------------------------------------------- a new element type

TOUCHPOINT = '''@attrs.frozen(kw_only=True, field_transformer=described, repr=False)
class Touchpoint:
    """Where the service meets its users: a desk, a website, a phone line."""

    id: str = attrs.field(metadata=ID)
    name: str = attrs.field(metadata=about("What the users meet.", LABEL))
    stage: str | None = attrs.field(
        default=None, metadata=about("The id of the stage it serves.", ref("stage", relation="serves", optional=True))
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_TAGS)
    suppress: tuple[str, ...] = attrs.field(default=(), converter=_strings, metadata=_SUPPRESS)


'''
TOUCHPOINTS = """    touchpoints: tuple[Touchpoint, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=about("Where the service meets its users.", elements(Touchpoint))
    )
"""
TRANSLATIONS = '\nmsgid "touchpoint"\nmsgstr "point de contact"\n\nmsgid "touchpoints"\nmsgstr "points de contact"\n'
HOSTILE = 'Site "web" <b>&amp; \\l\\N} -> n0 [label=x]; {'
NEW_TYPE_RUN = textwrap.dedent(
    f"""
    import json, pathlib, sys
    import usager
    from usager import Canvas
    from usager.elements import Touchpoint
    assert pathlib.Path(usager.__file__).is_relative_to(sys.argv[1]), usager.__file__

    def canvas(label):
        return Canvas.standard("Médiathèque", "fr").add(
            Touchpoint(id="desk", name="Accueil", stage="discovery"),
            Touchpoint(id="web", name=label),
            Touchpoint(id="phone", name="Ligne téléphonique du lundi au vendredi de 9 h à 18 h", stage="usage"),
        )

    out = {{}}
    for layout in ("cycle", "lanes"):
        out[layout] = usager.dumps(canvas("Site web"), "dot", layout=layout)
        out[layout + "-hostile"] = usager.dumps(canvas({HOSTILE!r}), "dot", layout=layout)
    out["markdown"] = usager.dumps(canvas("Site web"), "markdown")
    out["html"] = usager.dumps(canvas("Site web"), "html", drawing=False)
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def new_type(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the package with one element type added (its class, its list, its names in French), and what it makes.

    The drawing and report code of the copy is left as it is.
    """
    root = tmp_path_factory.mktemp("new-type")
    copy = root / "usager"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    elements = copy / "elements.py"
    text = elements.read_text(encoding="utf-8")
    assert text.count("\nElement = (\n") == 1
    elements.write_text(text.replace("\nElement = (\n", "\n" + TOUCHPOINT + "Element = (\n"), encoding="utf-8")
    canvas = copy / "canvas.py"
    text = canvas.read_text(encoding="utf-8")
    anchor = "    schema: str | None = attrs.field("
    assert text.count(anchor) == 1
    assert text.count("from usager.elements import (\n") == 1
    text = text.replace(anchor, TOUCHPOINTS + anchor).replace(
        "from usager.elements import (\n", "from usager.elements import (\n    Touchpoint,\n"
    )
    canvas.write_text(text, encoding="utf-8")
    catalog = copy / "locale" / "fr" / "LC_MESSAGES" / "usager.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + TRANSLATIONS, encoding="utf-8")
    for family in ("exporters/_drawing", "exporters/_reporting"):
        for path in (SRC / family).glob("*.py"):
            assert (copy / family / path.name).read_bytes() == path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-c", NEW_TYPE_RUN, str(root)],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "", "USAGER_DISABLE_PLUGINS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root, json.loads(result.stdout)


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_a_new_element_type_is_drawn_in_a_panel_of_its_own(new_type: tuple[Path, dict[str, str]], layout: str) -> None:
    """A type no drawing code names: a panel titled by its French plural, a box per element, a legend sample."""
    _, out = new_type
    dot = out[layout]
    boxes = _panel(dot, "Points de contact")
    assert sorted(boxes) == sorted(
        ["Accueil", "Site web", "Ligne téléphonique du lundi au vendredi de 9 h à 18 h", "Point de contact"]
    )
    assert '"desk: Accueil"' in dot


def _unescaped(label: str) -> str:
    r"""The text Graphviz shows for a label it read: its ``\n`` line breaks, ``\\`` and ``&amp;`` undone."""
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], label).replace("&amp;", "&")


@pytest.mark.parametrize("layout", ["cycle", "lanes"])
def test_no_label_of_a_new_element_type_changes_the_graph(new_type: tuple[Path, dict[str, str]], layout: str) -> None:
    """A hostile label is quoted like any other: Graphviz reads the same nodes and edges, and the label as it is."""
    _, out = new_type
    assert structure(out[f"{layout}-hostile"]) == structure(out[layout])
    read = [_unescaped(o.get("label", "")) for o in parse(out[f"{layout}-hostile"])["objects"]]
    assert [label for label in read if "-> n0" in label] == ["\n".join(wrap(HOSTILE, width=22, max_lines=3))]


def test_a_new_element_type_draws_to_png(new_type: tuple[Path, dict[str, str]]) -> None:
    """Graphviz draws the panel (docs: look at the picture to see it reads well)."""
    dot = require_dot()
    root, out = new_type
    for layout in ("cycle", "lanes"):
        target = root / f"{layout}.png"
        subprocess.run([dot, "-Tpng", "-o", str(target)], input=out[layout].encode("utf-8"), check=True)
        assert target.read_bytes().startswith(b"\x89PNG")


def test_a_new_element_type_has_a_section_in_both_reports(new_type: tuple[Path, dict[str, str]]) -> None:
    """A type no report code names: a table of its elements (label, id, stage) under its French plural."""
    _, out = new_type
    markdown, page = out["markdown"], out["html"]
    table = [
        "## Points de contact",
        "",
        "| Point de contact | Identifiant | Étape |",
        "|---|---|---|",
        "| Accueil | desk | Découverte |",
        "| Site web | web | – |",
        "| Ligne téléphonique du lundi au vendredi de 9 h à 18 h | phone | Utilisation |",
        "",
    ]
    assert "\n".join(table) in markdown
    assert markdown.index("## Points de contact") < markdown.index("## Priorités")
    section = page[page.index('<section id="list-touchpoints">') :]
    assert section.startswith('<section id="list-touchpoints"><h2><bdi>Points de contact</bdi></h2><table>')
    row = "<tr><td><bdi>Accueil</bdi></td><td><bdi>desk</bdi></td><td><bdi>Découverte</bdi></td></tr>"
    assert row in section[: section.index("</section>")]
