"""usager.examples: the family of example canvases that the demo, the tests and the docs start from."""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest

import usager
from usager import Experience, Severity, check
from usager.canvas import ELEMENT_LISTS
from usager.examples import complete, repair_cafe
from usager.rules import Rule, all_rules

ROOT = Path(__file__).resolve().parent.parent


def _ids(canvas: usager.Canvas) -> list[str]:
    return [e.id for e in canvas.elements()]


def test_the_complete_canvas_trips_no_rule() -> None:
    """complete() has no finding at all, suppressed ones included."""
    assert check(complete(), suppressed=True) == []


def test_the_complete_canvas_is_the_repair_cafe_with_its_emotion_curve_filled() -> None:
    """complete() keeps every element of the English café and adds one experience per stage it left bare."""
    cafe, full = repair_cafe("en"), complete()
    assert (full.name, full.language, full.description) == (cafe.name, cafe.language, cafe.description)
    kept = set(full.elements())
    assert all(element in kept for element in cafe.elements())
    added = [e for e in full.elements() if e.id not in set(_ids(cafe))]
    assert added
    assert all(isinstance(e, Experience) for e in added)
    bare = {f.subjects[0] for f in check(cafe)}
    assert {f.code for f in check(cafe)} == {"U060"}
    assert {e.stage for e in added if isinstance(e, Experience)} == bare


def test_the_repair_cafe_has_the_same_ids_in_english_and_french() -> None:
    """The two languages differ in their texts only: the same ids, in the same lists and order."""
    english, french = repair_cafe("en"), repair_cafe("fr")
    assert (english.language.value, french.language.value) == ("en", "fr")
    for list_name, _ in ELEMENT_LISTS:
        assert [e.id for e in getattr(english, list_name)] == [e.id for e in getattr(french, list_name)], list_name
    assert [(f.code, f.subjects) for f in check(english)] == [(f.code, f.subjects) for f in check(french)]
    assert english != french


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_each_failing_example_breaks_nothing_else(rule: Rule) -> None:
    """A rule's failing example changes the complete canvas without tripping another rule's error."""
    others = [f for f in check(rule.bad()) if f.code != rule.code and f.severity is Severity.ERROR]
    assert others == []
    assert check(rule.good()) == []
    assert rule.bad().name == complete().name


def test_the_module_is_public_and_documented() -> None:
    """Each name of usager.examples has a docstring and a place in the API page; the private modules are gone."""
    module = importlib.import_module("usager.examples")
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert module.__doc__
    assert sorted(module.__all__) == ["complete", "mediatheque", "repair_cafe"]
    for name in module.__all__:
        assert getattr(module, name).__doc__
        assert f"::: usager.examples.{name}\n" in api
    for gone in ("usager._example", "usager._starter", "usager.rules._base"):
        assert importlib.util.find_spec(gone) is None


@pytest.mark.parametrize("page", ["docs/api.md", "docs/testing.md"])
def test_the_docs_examples_that_start_from_it_run(page: str) -> None:
    """Every Python block of the page that imports usager.examples runs, and so do the tests it defines."""
    markdown = (ROOT / page).read_text(encoding="utf-8")
    blocks = [textwrap.dedent(b) for b in re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)]
    blocks = [b for b in blocks if "usager.examples" in b]
    assert blocks
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, page, "exec"), namespace)
        for name, value in namespace.items():
            if name.startswith("test_") and callable(value):
                value()
