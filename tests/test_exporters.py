from __future__ import annotations

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
