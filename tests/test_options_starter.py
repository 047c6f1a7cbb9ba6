"""Exporter options in sight (usager exporters, -O help) and the starter usager new writes, which teaches."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import usager
from usager import Canvas, Severity, StageKind, exporters
from usager._i18n import tr
from usager.canvas import ELEMENT_LISTS
from usager.cli import main, new_canvas, starter_examples
from usager.elements import LIST_QUESTIONS, Language
from usager.examples import complete, repair_cafe
from usager.exporters import Option, OptionHelp
from usager.testing import check_exporter

BUILTINS = ["csv", "dot", "html", "json", "markdown", "pdf", "png", "svg", "toml", "yaml"]
LISTS = [name for name, _ in ELEMENT_LISTS if name != "stages"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- the options, declared


def test_every_builtin_option_has_a_meaning_and_a_default() -> None:
    """Each built-in exporter's options all come with a one-line meaning and their default."""
    for name in BUILTINS:
        described = exporters.describe_options(exporters.get(name))
        assert described is not None, name
        for option in described:
            assert option.meaning, (name, option)
            assert "\n" not in option.meaning, (name, option)
            assert len(option.meaning) < 120, (name, option)
            assert option.default is not None, (name, option)
    assert [o.name for o in exporters.describe_options(exporters.get("dot")) or ()] == [
        "layout", "draft", "backstage", "people"]  # fmt: skip


@pytest.mark.parametrize("name", ["dot", "json", "html", "yaml", "toml"])
def test_each_declared_default_is_what_the_exporter_does_unasked(name: str) -> None:
    """Giving an option its declared default changes nothing: the defaults shown are the real ones."""
    canvas = complete()
    unasked = usager.dumps(canvas, name)
    for option in exporters.describe_options(exporters.get(name)) or ():
        assert usager.dumps(canvas, name, **{option.name: option.default}) == unasked, option.name
        assert isinstance(option.kind, tuple) or isinstance(option.default, option.kind)


def test_options_keep_their_old_declaration() -> None:
    """``options`` still maps names to types or choices: the help is a separate, optional declaration."""
    assert dict(exporters.get("dot").options) == {  # type: ignore[attr-defined]
        "layout": ("cycle", "lanes"), "draft": bool, "backstage": bool, "people": bool}  # fmt: skip
    assert isinstance(exporters.get("dot"), exporters.HasOptionHelp)
    assert not isinstance(exporters.get("csv"), exporters.HasOptionHelp)
    assert exporters.describe_options(exporters.get("csv")) == ()
    assert [o.name for o in exporters.describe_options(exporters.get("yaml")) or ()] == ["defaults", "layout"]


@attrs.frozen
class OldShape:
    """A third-party exporter as they were written before option_help: types only."""

    name: str = "old"
    suffixes: tuple[str, ...] = (".old",)
    media_type: str = "text/plain"
    binary: bool = False
    options: dict[str, Any] = attrs.field(factory=lambda: {"width": int, "style": ("plain", "fancy")})

    def export(self, canvas: Canvas, **options: Any) -> str:
        return canvas.name


@attrs.frozen
class Helped(OldShape):
    option_help: Any = attrs.field(
        factory=lambda: {"width": OptionHelp("the line width", 80), "style": "how it looks", "other": "ignored"}
    )


def test_an_old_shape_declaration_still_works_with_no_description() -> None:
    assert exporters.describe_options(OldShape()) == (  # type: ignore[arg-type]
        Option("width", int), Option("style", ("plain", "fancy")))  # fmt: skip
    [width, style] = exporters.describe_options(OldShape()) or ()  # type: ignore[arg-type]
    assert (width.value, width.type_name, width.default_text, width.meaning) == ("INTEGER", "integer", "-", None)
    assert (style.value, style.type_name) == ("plain|fancy", "choice")


def test_help_may_be_a_meaning_alone_or_an_option_help() -> None:
    described = exporters.describe_options(Helped())  # type: ignore[arg-type]
    assert described == (
        Option("width", int, 80, "the line width"),
        Option("style", ("plain", "fancy"), None, "how it looks"),
    )


@pytest.mark.parametrize(
    ("declared", "says"),
    [
        ({"options": 5}, "options is 5, not a mapping of names to types"),
        ({"options": {"w": list[int]}}, "option 'w' is declared as list[int], not a type or a tuple of strings"),
        ({"options": {"w": ("a", 1)}}, "not a type or a tuple of strings"),
        ({"option_help": ["w"]}, "option_help is ['w'], not a mapping"),
        ({"option_help": {"width": 3}}, "the help of option 'width' is 3, not a text or an OptionHelp"),
    ],
)
def test_a_declaration_that_cannot_be_read_is_an_exporter_error(declared: dict[str, Any], says: str) -> None:
    exporter = Helped(**declared)
    with pytest.raises(usager.ExporterError, match=re.escape(says)) as caught:
        exporters.describe_options(exporter)  # type: ignore[arg-type]
    assert str(caught.value).startswith("the options of the 'old' exporter (from 'usager') cannot be shown: ")


def test_the_conformance_kit_checks_the_declaration_of_options() -> None:
    """check_exporter refuses help for an option that is not declared, and a declaration that cannot be read."""
    with pytest.raises(AssertionError, match="option_help names 'other', which options does not declare"):
        check_exporter(Helped(), max_examples=1, processes=False)  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="options is 5, not a mapping of names to types"):
        check_exporter(Helped(options=5), max_examples=1, processes=False)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the command line


def test_exporters_lists_each_option_with_its_value_default_and_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exporters")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "suffixes", "distribution"]
    dot = lines.index(next(line for line in lines if line.startswith("dot ")))
    meaning = "the stages on a circle, as the canvas poster shows them (cycle), or a journey-map grid (lanes)"
    assert lines[dot + 1].split(None, 3) == ["-O", "layout=cycle|lanes", "default", f"cycle  {meaning}"]
    assert re.fullmatch(r"  -O draft=true\|false +default false +draw a canvas that has errors too: .*", lines[dot + 2])
    json_at = next(i for i, line in enumerate(lines) if line.startswith("json "))
    assert re.fullmatch(r"  -O indent=INTEGER +default 2 +spaces per level of nesting; .*", lines[json_at + 1])
    csv = next(i for i, line in enumerate(lines) if line.startswith("csv "))
    assert lines[csv + 1] == "  (no options)"
    # the options of every exporter line up, whichever exporter they belong to
    option_lines = [line for line in lines if line.startswith("  -O ")]
    assert len({line.index(" default ") for line in option_lines}) == 1
    assert len(option_lines) == 4 * 4 + 3 + 1 + 2 + 1  # dot, svg, png, pdf; html; json; yaml; toml


def test_exporters_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exporters", "--format", "json")
    assert code == 0
    found = {entry["name"]: entry for entry in json.loads(out)}
    assert sorted(found) == BUILTINS
    assert found["html"]["options"] == [
        {"name": "paper", "type": "choice", "choices": ["a4", "a3"], "default": "a4",
         "meaning": "the printed page: A4 portrait (a4) or A3 landscape (a3)"},
        {"name": "drawing", "type": "boolean", "choices": None, "default": True,
         "meaning": "embed the drawing of the canvas (rendered by Graphviz)"},
        {"name": "layout", "type": "choice", "choices": ["cycle", "lanes"], "default": "cycle",
         "meaning": "the drawing's layout, as for the dot exporter: cycle or lanes"},
    ]  # fmt: skip
    assert found["json"]["options"][0]["type"] == "integer"
    assert found["csv"] | {"options": []} == {
        "name": "csv", "distribution": "usager", "error": None, "shadowed": False, "suffixes": [".csv"],
        "media_type": "text/csv", "binary": False, "options": []}  # fmt: skip


@pytest.mark.parametrize("name", BUILTINS)
def test_export_o_help_prints_the_exporters_options(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """-O help needs no canvas file: it prints the options and exits 0, for any exporter."""
    code, out, err = run(capsys, "export", "--to", name, "-O", "help")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Options of the {name!r} exporter (usager export FILE --to {name} -O OPTION=VALUE):"
    described = exporters.describe_options(exporters.get(name)) or ()
    assert len(lines) == 1 + max(1, len(described))
    for option, line in zip(described, lines[1:], strict=False):
        assert line.startswith(f"  -O {option.name}={option.value}  ")
        assert line.endswith(f"  {option.meaning}")
        assert f" default {option.default_text} " in line


def test_export_o_help_goes_by_the_output_suffix_and_wins_over_other_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "export", "canvas.json", "-o", "poster.svg", "-O", "draft=true", "-O", "help")
    assert code == 0
    assert out.startswith("Options of the 'svg' exporter")
    assert "-O backstage=true|false" in out


def test_export_o_help_without_a_format_prints_every_exporters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "-O", "help")
    assert code == 0
    assert out.splitlines()[0].startswith("The options of each exporter")
    assert "  -O paper=a4|a3" in out
    assert "  -O indent=INTEGER" in out


def test_export_help_says_where_the_options_are(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "-O help lists the exporter's options" in out
    assert "'usager exporters'" in out
    assert "'usager export --to NAME -O help'" in out


def test_export_still_needs_a_file_to_export(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--to", "json")
    assert (code, out) == (2, "")
    assert err == "usager: error: export needs FILE, the canvas file to export (- reads standard input)\n"


@pytest.fixture
def canvas_file(tmp_path: Path) -> Path:
    return usager.dump(complete(), tmp_path / "canvas.json")


def test_an_unknown_option_lists_the_known_ones(capsys: pytest.CaptureFixture[str], canvas_file: Path) -> None:
    code, _, err = run(capsys, "export", str(canvas_file), "--to", "dot", "-O", "layot=lanes")
    assert code == 2
    assert err == (
        "usager: error: the 'dot' exporter has no option 'layot'; did you mean 'layout'?; its options are: "
        "layout=cycle|lanes, draft=true|false, backstage=true|false, people=true|false "
        "(usager export --to dot -O help says what each does)\n"
    )
    code, _, err = run(capsys, "export", str(canvas_file), "--to", "csv", "-O", "indent=4")
    assert err == "usager: error: the 'csv' exporter has no option 'indent'; it takes none\n"


def test_exporters_refuse_unknown_options_in_python_naming_what_they_take() -> None:
    with pytest.raises(usager.OptionError, match="its one option is indent"):
        usager.dumps(complete(), "json", width=3)
    with pytest.raises(usager.OptionError, match="takes no option 'indent'; it takes none"):
        usager.dumps(complete(), "csv", indent=3)
    with pytest.raises(usager.OptionError, match="takes no option 'indent'; it takes 'defaults'"):
        usager.dumps(complete(), "toml", indent=3)


@pytest.mark.usefixtures("with_mermaid")
def test_a_plugin_of_the_old_shape_shows_no_description(capsys: pytest.CaptureFixture[str]) -> None:
    """The example Mermaid plugin declares types only: its options are listed, each with "no description"."""
    code, out, _ = run(capsys, "export", "--to", "mermaid", "-O", "help")
    assert code == 0
    assert re.fullmatch(r"  -O layout=cycle\|lanes +default - +no description", out.splitlines()[1])
    assert re.fullmatch(r"  -O backstage=true\|false +default - +no description", out.splitlines()[2])
    listed = run(capsys, "exporters")[1].splitlines()
    mermaid = listed.index(next(line for line in listed if line.startswith("mermaid ")))
    assert listed[mermaid + 1].endswith("no description")


PLUGIN = """
from usager.exporters import OptionHelp


class Described:
    name = "described"
    suffixes = (".described",)
    media_type = "text/plain"
    binary = False
    options = {"width": int, "style": ("plain", "fancy")}
    option_help = {"width": OptionHelp("the line width", default=80), "style": "how it looks"}

    def export(self, canvas, **options):
        return f"{canvas.name} {sorted(options.items())}"


class Garbled(Described):
    name = "garbled"
    suffixes = (".garbled",)
    options = 5


class Loud(Described):
    name = "loud"
    suffixes = (".loud",)
    option_help = {"width": "\\x1b[2J" + "spam\\n" * 10_000}


class Undeclared:
    name = "undeclared"
    suffixes = (".undeclared",)
    media_type = "text/plain"
    binary = False

    def export(self, canvas, **options):
        return repr(sorted(options.items()))
"""


@pytest.fixture
def optioned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A distribution with exporters that declare their options in every way, found through its entry points."""
    site = tmp_path / "site"
    info = site / "usager_optioned-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "usager_optioned.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: usager-optioned\nVersion: 1.0\n", encoding="utf-8")
    names = ("described", "garbled", "loud", "undeclared")
    entry_points = "".join(f"{n} = usager_optioned:{n.title()}\n" for n in names)
    (info / "entry_points.txt").write_text(f"[usager.exporters]\n{entry_points}", encoding="utf-8")
    monkeypatch.setenv(exporters.DISABLE_PLUGINS_ENV, "0")
    monkeypatch.syspath_prepend(str(site))
    exporters.refresh()
    yield
    monkeypatch.undo()
    exporters.refresh()


@pytest.mark.usefixtures("optioned")
def test_plugins_options_are_listed_whatever_they_declare(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exporters")
    assert code == 0
    lines = out.splitlines()

    def after(name: str) -> list[str]:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{name} "))
        return lines[at + 1 : at + 3]

    assert re.fullmatch(r"  -O width=INTEGER +default 80 +the line width", after("described")[0])
    assert re.fullmatch(r"  -O style=plain\|fancy +default - +how it looks", after("described")[1])
    assert after("garbled")[0] == (
        "  (the options of the 'garbled' exporter (from 'usager-optioned') cannot be shown: "
        "options is 5, not a mapping of names to types)"
    )
    loud = after("loud")[0]
    assert re.match(r"  -O width=INTEGER +default - +\\x1b\[2Jspam\\nspam", loud)
    assert "\x1b" not in loud
    assert loud.endswith(" more characters)")
    assert len(loud) < 500
    assert after("undeclared")[0] == "  (options not declared: -O NAME=VALUE passes VALUE as text)"
    found = {entry["name"]: entry for entry in json.loads(run(capsys, "exporters", "--format", "json")[1])}
    assert found["described"]["distribution"] == "usager-optioned"
    assert found["described"]["options"][0] == {
        "name": "width", "type": "integer", "choices": None, "default": 80, "meaning": "the line width"}  # fmt: skip
    assert found["garbled"]["options_error"].endswith("options is 5, not a mapping of names to types")
    assert "options" not in found["garbled"]
    assert found["undeclared"]["options"] is None
    assert found["loud"]["options"][0]["meaning"].startswith("\x1b[2Jspam\n")


@pytest.mark.usefixtures("optioned")
def test_plugins_options_on_the_command_line(capsys: pytest.CaptureFixture[str], canvas_file: Path) -> None:
    code, out, _ = run(capsys, "export", str(canvas_file), "--to", "described", "-O", "width=3", "-O", "style=fancy")
    assert (code, out) == (0, f"{complete().name} [('style', 'fancy'), ('width', 3)]")
    code, out, err = run(capsys, "export", str(canvas_file), "--to", "garbled", "-O", "width=3")
    assert (code, out) == (2, "")
    assert err.startswith("usager: error: the options of the 'garbled' exporter (from 'usager-optioned') cannot be")
    assert len(err.splitlines()) == 1
    code, out, _ = run(capsys, "export", str(canvas_file), "--to", "undeclared", "-O", "anything=1")
    assert (code, out) == (0, "[('anything', '1')]")
    code, out, _ = run(capsys, "export", "--to", "garbled", "-O", "help")
    assert code == 2


# ---------------------------------------------------------------- usager new


def _uncommented(text: str, name: str, format: str) -> str:
    """``text`` with the example of the list ``name`` uncommented: the '# ' of its lines taken away."""
    lines = text.split("\n")
    start = lines.index(f"# {name}:" if format == "yaml" else f"# [[{name}]]")
    end = start + 1
    while end < len(lines) and lines[end].startswith("#   " if format == "yaml" else "# ") and lines[end] != "#":
        end += 1
    lines[start:end] = [line[2:] for line in lines[start:end]]
    return "\n".join(lines)


def _errors(canvas: Canvas) -> list[str]:
    return [str(f) for f in usager.check(canvas) if f.severity is Severity.ERROR]


@pytest.fixture(params=["yaml", "toml"])
def commented(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_starter_loads_to_the_bare_canvas_questions_as_comments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, commented: str, language: str
) -> None:
    target = tmp_path / f"new.{commented}"
    code, out, err = run(capsys, "new", "--language", language, "-o", str(target))
    assert (code, out) == (0, "")
    wrote, guide = err.split("\n", 1)
    assert wrote == f"wrote {target}"
    text = target.read_text(encoding="utf-8")
    canvas = usager.load(target)
    name = "Mon service" if language == "fr" else "My service"
    assert canvas == new_canvas(name, language) == Canvas.standard(name, language)
    questions = {k.question(language) for k in StageKind} | {q[Language(language)] for q in LIST_QUESTIONS.values()}
    assert not any(stage.description in questions for stage in canvas.stages)
    assert all(stage.description == "" for stage in canvas.stages)
    comments = " ".join(line.lstrip(" #") for line in text.split("\n") if line.lstrip().startswith("#"))
    for kind in StageKind.standard():
        assert kind.question(language) in comments
    for list_name in LISTS:
        assert LIST_QUESTIONS[list_name][Language(language)] in comments
    assert f"usager check {target}" in comments
    # the findings are those of the bare canvas: the comments add none
    assert usager.check(canvas) == usager.check(Canvas.standard(name, language))
    assert (
        guide
        == tr(language, "Then answer the question above each stage, and fill in each list after its example.") + "\n"
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", LISTS)
def test_each_example_uncommented_is_a_valid_canvas_with_it(
    capsys: pytest.CaptureFixture[str], commented: str, language: str, name: str
) -> None:
    code, text, _ = run(capsys, "new", "--language", language, "--to", commented)
    assert code == 0
    canvas = usager.loads(_uncommented(text, name, commented), commented)
    example, _ = starter_examples(language)[name]
    assert getattr(canvas, name) == (example,)
    assert len(canvas) == 7
    assert _errors(canvas) == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_example_uncommented_at_once_is_a_valid_canvas(
    capsys: pytest.CaptureFixture[str], commented: str, language: str
) -> None:
    text = run(capsys, "new", "--language", language, "--to", commented)[1]
    for name in LISTS:
        text = _uncommented(text, name, commented)
    canvas = usager.loads(text, commented)
    assert [len(getattr(canvas, name)) for name in LISTS] == [1] * len(LISTS)
    assert _errors(canvas) == []
    leftover = r"#   |# \w+:$" if commented == "yaml" else r"# \w+ = |# \[\["
    assert [line for line in text.split("\n") if re.match(leftover, line)] == []


def test_the_french_starter_speaks_french(capsys: pytest.CaptureFixture[str]) -> None:
    text = run(capsys, "new", "--language", "fr", "--to", "yaml")[1]
    assert text.startswith("# Un nouveau canevas : les six étapes du cycle, et les autres listes encore vides.\n")
    assert "# Freins : Qu'est-ce qui retient les usagers" in text
    assert "(répondez dans la clé description: de l’étape)" in text
    assert "#     label: Les horaires d’ouverture tombent pendant le travail" in text
    english = [tr("en", m) for m in ("Opening hours clash with work", "{list}: {question}")]
    assert not any(m in text for m in english[:1])
    assert starter_examples("fr")["brakes"][0].label == tr("fr", "Opening hours clash with work")  # type: ignore[union-attr]


def test_the_examples_name_nothing_but_the_standard_stages() -> None:
    """Each example stands alone: an uncommented one never names an element still commented out."""
    for language in ("en", "fr"):
        for name, (element, _) in starter_examples(language).items():
            alone = Canvas.standard("x", language).add(element)
            assert _errors(alone) == [], name


def test_json_keeps_no_question_in_the_canvas_and_the_guide_asks_them(capsys: pytest.CaptureFixture[str]) -> None:
    """JSON has no comments: the stage descriptions stay empty, and the guide on standard error asks the questions."""
    code, out, guide = run(capsys, "new", "--name", "Mine")
    assert code == 0
    canvas = usager.loads(out, "json")
    assert canvas == Canvas.standard("Mine")
    for kind in StageKind.standard():
        assert f"  {kind.value}: {kind.question('en')}" in guide
    assert f"  brakes: {LIST_QUESTIONS['brakes'][Language.EN]}" in guide


def test_new_example_is_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", "--example")
    assert code == 0
    assert usager.loads(out, "json") == repair_cafe()
    code, out, _ = run(capsys, "new", "--example", "--to", "yaml", "--language", "fr")
    assert usager.loads(out, "yaml") == repair_cafe("fr")


def test_new_refuses_a_format_it_cannot_read_back(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "new", "--to", "svg")
    assert (code, out) == (2, "")
    assert err.startswith("usager: error: --to svg: write the new canvas in a format usager reads back: ")
    code, _, err = run(capsys, "new", "--to", "json", "-o", str(tmp_path / "x.yaml"))
    assert code == 2
    assert "--to json writes .json files" in err
    assert not (tmp_path / "x.yaml").exists()


def test_a_name_with_line_breaks_survives_the_starter(capsys: pytest.CaptureFixture[str], commented: str) -> None:
    text = run(capsys, "new", "--name", "Two\n\nlines: []", "--to", commented)[1]
    assert usager.loads(text, commented).name == "Two\n\nlines: []"


def test_the_exporters_page_lists_every_builtin_option_with_its_default() -> None:
    """The options table of docs/exporters.md is the declarations' own: every option, its exporters and default."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "exporters.md").read_text(encoding="utf-8")
    table = page[page.index("| option | exporters |") :].split("\n\n")[0].splitlines()[2:]
    documented = set()
    for row in table:
        option, names, _, default, _ = (cell.strip() for cell in row.strip("|").split("|"))
        for name in re.findall(r"`(\w+)`", names):
            documented.add((name, option.strip("`"), default.strip("`")))
    declared = {
        (name, option.name, option.default_text)
        for name in BUILTINS
        for option in exporters.describe_options(exporters.get(name)) or ()
    }
    assert documented == declared
