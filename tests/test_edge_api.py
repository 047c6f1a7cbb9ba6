"""Edges of the public API: the diff's JSON, the report's headline, suggestions, embedding, the facade."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import usager
from usager import Brake, BrakeKind, Canvas
from usager.cli import main


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
