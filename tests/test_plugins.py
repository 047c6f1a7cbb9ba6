from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import usager
from usager import exporters
from usager.examples import mediatheque

pytestmark = pytest.mark.filterwarnings("default")


@pytest.mark.usefixtures("with_mermaid")
def test_an_installed_plugin_is_discovered_with_its_distribution() -> None:
    """The example Mermaid plugin, installed by pip, is listed and attributed to its distribution."""
    assert "mermaid" in exporters.available()
    info = {i.name: i for i in exporters.infos()}["mermaid"]
    assert (info.distribution, info.target, info.builtin, info.error) == (
        "usager-mermaid",
        "usager_mermaid:MermaidExporter",
        False,
        None,
    )


@pytest.mark.usefixtures("with_mermaid")
def test_an_installed_plugin_is_used_end_to_end(tmp_path: Path) -> None:
    """dumps and dump (by suffix) go through the plugin's exporter."""
    canvas = mediatheque()
    text = usager.dumps(canvas, "mermaid")
    assert text.startswith('---\ntitle: "Médiathèque municipale"\n---\nflowchart TB\n')
    assert '(["Découverte"]):::stage' in text
    assert "Peur de ne pas savoir utiliser le portail en ligne" in text
    target = tmp_path / "canvas.mmd"
    usager.dump(canvas, target)
    assert target.read_text(encoding="utf-8") == text


@pytest.mark.usefixtures("with_mermaid")
def test_plugin_labels_cannot_break_the_chart() -> None:
    """Quotes, brackets and arrows in labels become entity codes; the title is a YAML string."""
    canvas = usager.Canvas(name='x"]; click', stages=[usager.Stage(id="s", kind="custom", label='a"]-->b{{')])
    text = usager.dumps(canvas, "mermaid")
    assert '  n0(["a#34;#93;--#62;b#123;#123;"]):::stage\n' in text
    assert '\ntitle: "x\\"]; click"\n' in text


@pytest.mark.usefixtures("with_mermaid")
def test_plugins_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """USAGER_DISABLE_PLUGINS=1 leaves only the built-in exporters."""
    monkeypatch.setenv(exporters.DISABLE_PLUGINS_ENV, "1")
    exporters.refresh()
    assert exporters.available() == ["csv", "dot", "html", "json", "markdown", "pdf", "png", "svg", "toml", "yaml"]
    monkeypatch.setenv(exporters.DISABLE_PLUGINS_ENV, "0")
    exporters.refresh()
    assert "mermaid" in exporters.available()


def _messages(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, exporters.ExporterWarning)]


@pytest.mark.usefixtures("with_broken")
def test_clashing_names_are_reported_and_resolved_deterministically() -> None:
    """Built-ins win a clash; between plugins the first distribution by name wins; losers are reported."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        names = exporters.available()
    messages = _messages(caught)
    assert any(
        "'json = usager_broken:FakeJson' from distribution 'usager-broken' was ignored: the name 'json' is "
        "already taken by 'usager.exporters.json:JsonExporter'" in m
        for m in messages
    ), messages
    assert any("'mermaid = usager_mermaid:MermaidExporter' from distribution 'usager-mermaid'" in m for m in messages)
    assert exporters.get("json").export(mediatheque()).startswith("{")
    assert exporters.get("mermaid").export(mediatheque()) == "fake mermaid"
    assert names == sorted(names)


@pytest.mark.usefixtures("with_broken")
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("crashing", "failed to load: RuntimeError: this plugin is broken on purpose"),
        ("missing", "failed to load: ModuleNotFoundError"),
        ("notanexporter", "is not an exporter (it lacks name, suffixes, media_type, binary, export)"),
        ("misnamed", "gives an exporter named 'not-misnamed' under the entry-point name 'misnamed'"),
        ("exiting", "failed to load: SystemExit: 3"),
    ],
)
def test_a_broken_plugin_gives_one_warning_and_an_error_only_for_itself(name: str, says: str) -> None:
    """Using a broken exporter warns once, naming entry point and distribution; the others keep working."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporters.available()
        with pytest.raises(exporters.ExporterUnavailableError, match=f"the '{name}' exporter cannot be used"):
            exporters.get(name)
        with pytest.raises(exporters.ExporterUnavailableError):
            exporters.get(name)
    about = [m for m in _messages(caught) if f"'{name} = " in m]
    assert len(about) == 1
    assert "from distribution 'usager-broken'" in about[0]
    assert says in about[0]
    assert name not in exporters.available()
    assert exporters.get("upper").export(mediatheque()) == "MÉDIATHÈQUE MUNICIPALE"
    assert exporters.get("lower").export(mediatheque()) == "médiathèque municipale"  # an instance entry point
    assert usager.loads(usager.dumps(mediatheque(), "csv"), "csv") == mediatheque()


@pytest.mark.usefixtures("with_broken")
def test_infos_reports_every_broken_plugin_with_its_reason() -> None:
    """infos() loads everything and reports what is broken, without raising."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        infos = {i.name: i for i in exporters.infos()}
    broken = {n for n, i in infos.items() if i.error and not i.shadowed}
    assert broken == {"crashing", "missing", "notanexporter", "misnamed", "exiting"}
    assert infos["upper"].error is None
    assert infos["upper"].distribution == "usager-broken"


@pytest.mark.usefixtures("with_broken")
def test_choosing_by_suffix_skips_broken_plugins() -> None:
    """A file suffix finds a working exporter even when broken ones are installed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert exporters.for_path("x.upper").name == "upper"
        assert exporters.for_path("x.json").name == "json"


@pytest.mark.usefixtures("with_broken")
@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("boom", "the 'boom' exporter (from 'usager-broken') failed: ZeroDivisionError: boom inside the plugin"),
        ("liar", "the 'liar' exporter (from 'usager-broken') declares binary=True but returned str, not bytes"),
        ("quitter", "the 'quitter' exporter (from 'usager-broken') failed: SystemExit: quitting from the plugin"),
    ],
)
def test_an_exporter_failing_inside_export_gives_an_exporter_error(name: str, says: str, tmp_path: Path) -> None:
    """dumps and dump turn a plugin's failure into one ExporterError naming it; nothing is written."""
    with pytest.raises(usager.ExporterError) as info:
        usager.dumps(mediatheque(), name)
    assert str(info.value) == says
    assert (info.value.exporter, info.value.distribution) == (name, "usager-broken")
    assert info.value.__cause__ is not None or name == "liar"
    with pytest.raises(usager.ExporterError):
        usager.dump(mediatheque(), tmp_path / f"canvas.{name}")
    assert not list(tmp_path.iterdir())


@pytest.mark.usefixtures("with_broken")
def test_clashing_plugins_are_listed_by_infos() -> None:
    """An entry point that lost a clash of names is listed after the winner, shadowed, with the reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        infos = exporters.infos()
    shadowed = [(i.name, i.distribution) for i in infos if i.shadowed]
    assert shadowed == [("json", "usager-broken"), ("mermaid", "usager-mermaid")]
    json_infos = [i for i in infos if i.name == "json"]
    assert [i.builtin for i in json_infos] == [True, False]
    assert "already taken by 'usager.exporters.json:JsonExporter'" in (json_infos[1].error or "")
