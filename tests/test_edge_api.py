"""Edges of the public API: the diff's JSON, the report's headline, suggestions, embedding, the facade."""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import attrs
import cattrs
import cattrs.v
import pytest

import usager
from usager import Brake, BrakeKind, Canvas
from usager.cli import main

from .test_docs import _python_blocks
from .test_imports import run
from .test_typing import _mypy

APP = Path(__file__).resolve().parent.parent / "examples" / "fastapi" / "app.py"


def test_the_json_diff_keeps_an_elements_type_and_its_own_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An added brake carries "type": "brake" and, beside it, its own kind ("privacy")."""
    old = Canvas.standard("Shop")
    new = old.add(Brake(id="tracked", label="Fears being tracked", stage="discovery", kind=BrakeKind.PRIVACY))
    before, after = usager.dump(old, tmp_path / "old.json"), usager.dump(new, tmp_path / "new.json")
    assert main(["diff", str(before), str(after), "--format", "json"]) == 1
    (added,) = json.loads(capsys.readouterr().out)["added"]
    assert added == {"type": "brake", **usager.to_dict(new)["brakes"][0]}
    assert (added["type"], added["kind"]) == ("brake", "privacy")
    assert main(["diff", str(after), str(before), "--format", "json"]) == 1
    (removed,) = json.loads(capsys.readouterr().out)["removed"]
    assert removed == added


def test_the_openapi_document_has_one_canvas_component_that_every_body_refers_to() -> None:
    """FastAPI's OpenAPI document holds the canvas schema once, as components.schemas.Canvas, and $refs it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx.*deprecated")
        from fastapi.testclient import TestClient

    spec = importlib.util.spec_from_file_location("usager_example_app_openapi", APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        served = TestClient(module.app).get("/openapi.json").json()
        openapi = module.app.openapi()
    finally:
        del sys.modules[spec.name]
    assert served == openapi
    schemas = openapi["components"]["schemas"]
    assert schemas["Canvas"]["required"] == ["format", "name"]
    ref = {"$ref": "#/components/schemas/Canvas"}
    canvases, canvas = openapi["paths"]["/canvases"], openapi["paths"]["/canvases/{canvas_id}"]
    assert canvases["post"]["requestBody"]["content"]["application/json"]["schema"] == ref
    assert canvas["get"]["responses"]["200"]["content"]["application/json"]["schema"] == ref
    assert schemas["Stored"]["properties"]["canvas"] == ref
    assert json.dumps(openapi).count(json.dumps(schemas["Canvas"]["properties"]["format"])) == 1  # written once


def test_the_facade_exports_every_public_exception_and_warning() -> None:
    """Each exception and warning of usager.errors is a name of usager, the very same class, in __all__."""
    from usager import errors

    public = {name for name in errors.__all__ if isinstance(getattr(errors, name), type)} - {"Problem"}
    expected = {
        "UnknownExporterError",
        "ExporterUnavailableError",
        "GraphvizNotFoundError",
        "RenderError",
        "ExporterWarning",
    }
    assert expected <= public
    for name in public:
        assert getattr(usager, name) is getattr(errors, name), name
        assert name in usager.__all__, name
    assert usager.UnknownExporterError is usager.exporters.UnknownExporterError


def _with_helmet() -> Canvas:
    return Canvas.standard("Shop").add(Brake(id="helmet", label="No helmet to borrow", stage="discovery"))


def test_get_suggests_the_id_most_likely_meant() -> None:
    """canvas.get("helmt") says "did you mean 'helmet'", with its label, as rule U002 does."""
    with pytest.raises(usager.UnknownIdError) as info:
        _with_helmet().get("helmt")
    assert str(info.value) == (
        "no element of canvas 'Shop' has the id 'helmt'; did you mean 'helmet' (No helmet to borrow)?"
    )


def test_get_suggests_an_element_of_the_kind_asked_for() -> None:
    """With a kind, the suggestion is of that kind; a stage is also found by its kind's name."""
    canvas = _with_helmet()
    with pytest.raises(usager.UnknownIdError, match="did you mean 'helmet'"):
        canvas.get("helmt", Brake)
    with pytest.raises(usager.UnknownIdError, match=r"did you mean 'purchase' \(Purchase\)\?$"):
        canvas.get("Achat", usager.Stage)
    with pytest.raises(usager.UnknownIdError) as info:
        canvas.get("helmt", usager.Stage)
    assert "did you mean" not in str(info.value)


def test_remove_and_rename_suggest_too() -> None:
    """remove() and rename() of an unknown id carry the same suggestion."""
    with pytest.raises(usager.UnknownIdError, match="did you mean 'helmet'"):
        _with_helmet().remove("Helmet ")
    with pytest.raises(usager.UnknownIdError, match="did you mean 'helmet'"):
        _with_helmet().rename("hemlet", "h")


def test_a_found_id_leaves_the_suggester_unimported() -> None:
    """get() imports the suggester only to suggest: import usager and a successful get stay light."""
    code = (
        "import sys, usager\n"
        "usager.Canvas.standard('x').get('discovery')\n"
        "assert 'usager._suggest' not in sys.modules and 'difflib' not in sys.modules\n"
        "try:\n"
        "    usager.Canvas.standard('x').get('discovry')\n"
        "except usager.UnknownIdError as exc:\n"
        "    assert \"did you mean 'discovery'\" in str(exc), exc\n"
        "assert 'usager._suggest' in sys.modules\n"
    )
    run(code)


def _half_answered() -> Canvas:
    """The bottleneck holds a brake answered in place (severity 3) and one answered only on paper (2)."""
    return Canvas.standard("Shop").add(
        Brake(id="far", label="The shop is far away", stage="discovery", severity=3),
        Brake(id="hours", label="Odd opening hours", stage="discovery", severity=2),
        usager.Facilitator(id="bus", label="A free shuttle", addresses=["far"]),
        usager.Facilitator(
            id="late", label="Late evenings", addresses=["hours"], status=usager.FacilitatorStatus.PLANNED
        ),
    )


@pytest.mark.parametrize("name", ["markdown", "html"])
def test_the_bottleneck_headline_names_only_the_brakes_without_an_answer_in_place(name: str) -> None:
    """The brake a facilitator in place answers is left out of the headline; the unanswered one is named."""
    text = usager.dumps(_half_answered(), name)
    assert isinstance(text, str)
    assert "where brakes of severity 2 have no answer in place (Odd opening hours)." in text
    assert "(The shop is far away; Odd opening hours)" not in text


@attrs.frozen
class Workshop:
    title: str
    canvas: Canvas
    brakes: list[Brake]


def _workshop_data() -> dict[str, Any]:
    canvas = Canvas.standard("Shop").add(Brake(id="far", label="Far away", stage="discovery", severity=3))
    return {"title": "Kick-off", "canvas": usager.to_dict(canvas), "brakes": [usager.to_dict(canvas)["brakes"][0]]}


def test_register_hooks_makes_an_apps_own_converter_as_strict_as_the_loaders() -> None:
    """After register_hooks, an app's converter refuses "3" for a severity, in a canvas and in a list of brakes."""
    converter = cattrs.Converter()
    assert usager.register_hooks(converter) is converter
    data = _workshop_data()
    workshop = converter.structure(data, Workshop)
    assert workshop.canvas.brakes[0].severity == 3
    assert converter.unstructure(workshop) == data
    data["canvas"]["brakes"][0]["severity"] = "3"
    data["brakes"][0]["severity"] = "3"
    with pytest.raises(cattrs.ClassValidationError) as info:
        converter.structure(data, Workshop)
    reason = "expected 1, 2 or 3 (3 = blocks the user), found the string '3'; write it without quotes: 3"
    assert cattrs.transform_error(info.value) == [
        f"unknown error ({reason}) @ $.canvas.brakes[0].severity",
        f"unknown error ({reason}) @ $.brakes[0].severity",
    ]


def test_register_hooks_takes_any_cattrs_converter_and_nothing_else() -> None:
    """A BaseConverter gets the hooks too; what is not a converter is a TypeError naming it."""
    converter = usager.register_hooks(cattrs.BaseConverter())
    with pytest.raises(cattrs.ClassValidationError):
        converter.structure({"id": "b", "label": "B", "stage": "s", "severity": "3"}, Brake)
    with pytest.raises(TypeError, match="register_hooks\\(\\) takes a cattrs converter, not dict"):
        usager.register_hooks({})  # type: ignore[type-var]


def test_transform_error_keeps_the_readers_reason() -> None:
    """transform_error shows why a value is refused, and a formatter of usager errors shows the reason alone."""
    data = _workshop_data()
    data["canvas"]["brakes"][0]["stage"] = None
    del data["brakes"][0]["label"]
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure(data, Workshop)
    assert cattrs.transform_error(info.value) == [
        "unknown error (expected an id (a string), found null) @ $.canvas.brakes[0].stage",
        "required field missing @ $.brakes[0].label",
    ]

    def reason(exc: BaseException, type_: type | None) -> str:
        return str(exc) if isinstance(exc, usager.UsagerError) else cattrs.v.format_exception(exc, type_)

    assert cattrs.transform_error(info.value, format_exception=reason) == [
        "expected an id (a string), found null @ $.canvas.brakes[0].stage",
        "missing required key 'label' @ $.brakes[0].label",
    ]


DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_embedding_page_runs_and_shows_what_its_code_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """Every Python block of docs/embedding.md runs in order; each printed list is the one the page shows."""
    page = (DOCS / "embedding.md").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    for block in _python_blocks(page):
        exec(compile(block, "docs/embedding.md", "exec", dont_inherit=True), namespace)
        shown = [line.removeprefix("#").strip() for line in block.splitlines() if line.startswith("# ")]
        printed = capsys.readouterr().out
        if shown:
            assert ast.literal_eval(printed) == ast.literal_eval(" ".join(shown))
    assert isinstance(namespace["converter"], cattrs.Converter)


def _exporter_example() -> str:
    (block,) = [b for b in _python_blocks((DOCS / "exporters.md").read_text(encoding="utf-8")) if "class Mermaid" in b]
    return block


def test_the_documented_exporter_passes_mypy_strict_as_an_exporter(tmp_path: Path) -> None:
    """The exporter class docs/exporters.md shows is typed: mypy --strict accepts it as an Exporter."""
    source = _exporter_example() + "\n\nexporter: usager.exporters.Exporter = MermaidExporter()\n"
    result = _mypy(tmp_path, "mermaid_plugin.py", source)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_exporter_works() -> None:
    """The documented exporter draws the stages by their labels and refuses an option it does not take."""
    namespace: dict[str, Any] = {}
    exec(compile(_exporter_example(), "docs/exporters.md", "exec", dont_inherit=True), namespace)
    exporter = namespace["MermaidExporter"]()
    assert isinstance(exporter, usager.exporters.Exporter)
    text = exporter.export(Canvas.standard("Shop", language="fr"))
    assert text.startswith('flowchart LR\n    0["Découverte"]\n')
    with pytest.raises(usager.OptionError, match="unknown option 'draft'"):
        exporter.export(Canvas.standard("Shop"), draft=True)


def test_the_exporters_page_names_the_format_the_json_exporter_writes() -> None:
    """The built-in table says the json exporter writes the format tag it writes."""
    written = usager.to_dict(Canvas.standard("x"))["format"]
    (row,) = [
        line for line in (DOCS / "exporters.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `json`")
    ]
    assert f"`{written}` document" in row


def test_the_concepts_page_says_how_a_stage_shows_its_label() -> None:
    """Where the stage labels are explained, Stage.display_label and Canvas.stage_label are named."""
    page = (DOCS / "concepts.md").read_text(encoding="utf-8")
    labels = page[page.index("| kind | English label") : page.index("## Usagers")]
    assert "`Stage.display_label(language)`" in labels
    assert "`canvas.stage_label(stage)`" in labels


def test_register_hooks_is_a_lazy_name_of_the_facade() -> None:
    """import usager leaves cattrs unimported; usager.register_hooks imports it on first use, typed."""
    code = (
        "import sys, usager\n"
        "assert 'cattrs' not in sys.modules and 'register_hooks' in usager.__all__\n"
        "from usager import register_hooks\n"
        "from usager._converter import register_hooks as defined\n"
        "assert register_hooks is defined and 'cattrs' in sys.modules\n"
    )
    run(code)


def test_register_hooks_returns_the_converter_it_is_given_to_mypy(tmp_path: Path) -> None:
    """mypy --strict sees register_hooks return the very type of converter it was given."""
    source = (
        "import cattrs\nfrom typing_extensions import assert_type\nimport usager\n\n"
        "assert_type(usager.register_hooks(cattrs.Converter()), cattrs.Converter)\n"
        "assert_type(usager.register_hooks(cattrs.BaseConverter()), cattrs.BaseConverter)\n"
    )
    result = _mypy(tmp_path, "hooks.py", source)
    assert result.returncode == 0, result.stdout + result.stderr
