from __future__ import annotations

import sys

import pytest

from usager import exporters


def test_the_json_exporter_is_found_through_the_entry_point_group() -> None:
    """The built-in json exporter is registered by usager's own distribution."""
    assert "json" in exporters.available()
    info = {i.name: i for i in exporters.infos()}["json"]
    assert info.distribution == "usager"
    assert info.builtin
    assert info.error is None


def test_get_returns_an_exporter_following_the_protocol() -> None:
    """The json exporter has the protocol's attributes and can load."""
    json_exporter = exporters.get("json")
    assert isinstance(json_exporter, exporters.Exporter)
    assert isinstance(json_exporter, exporters.Loader)
    assert (json_exporter.name, json_exporter.suffixes, json_exporter.media_type, json_exporter.binary) == (
        "json",
        (".json",),
        "application/json",
        False,
    )
    assert exporters.get("json") is json_exporter


def test_an_unknown_name_lists_the_available_ones() -> None:
    """Asking for a missing exporter says which exist."""
    with pytest.raises(exporters.UnknownExporterError, match=r"no exporter is called 'nope'; available: .*json"):
        exporters.get("nope")


def test_for_path_matches_suffixes_case_insensitively() -> None:
    """A file's suffix picks the exporter."""
    assert exporters.for_path("dir/Canvas.JSON").name == "json"
    with pytest.raises(exporters.UnknownExporterError, match="no exporter writes files named 'canvas'"):
        exporters.for_path("canvas")


def test_the_static_table_matches_the_exporters_and_the_entry_points() -> None:
    """What the registry knows without importing agrees with each built-in and with pyproject.toml."""
    from pathlib import Path

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    from usager.exporters._mapping import BUILTINS

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["usager.exporters"] == {n: b.target for n, b in BUILTINS.items()}
    for name, builtin in BUILTINS.items():
        exporter = exporters.get(name)
        assert (exporter.suffixes, exporter.media_type, exporter.binary) == (
            builtin.suffixes,
            builtin.media_type,
            builtin.binary,
        )
        assert isinstance(exporter, exporters.Loader) == builtin.readable


def test_looking_up_a_suffix_imports_no_exporter() -> None:
    """load('x.json') imports the json exporter only: no other built-in module is imported to learn suffixes."""
    import subprocess

    code = (
        "import sys, usager, tempfile, os\n"
        "path = os.path.join(tempfile.mkdtemp(), 'x.json')\n"
        'open(path, \'w\').write(\'{"format": "usager/1", "name": "x"}\')\n'
        "usager.load(path)\n"
        "assert usager.exporters.name_for_path('y.gv') == 'dot'\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('usager.exporters.'))\n"
        "assert loaded == ['usager.exporters._mapping', 'usager.exporters.json'], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"USAGER_DISABLE_PLUGINS": "1", "PATH": ""})
