from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from usager import _i18n
from usager.canvas import ELEMENT_TYPES
from usager.rules import all_rules

SRC = Path(_i18n.__file__).resolve().parent


def _messages() -> dict[str, str]:
    """Every message the code translates (each literal message given to tr or N_), with where it is."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            # trn(language, singular, plural, n) and say_n(singular, plural, n): a message about a count,
            # kept in a catalog as its two forms joined by a NUL, as a compiled catalog keeps it
            plural = {"trn": 1, "say_n": 0, "_say_count": 0}.get(name or "")
            if plural is not None and len(node.args) > plural + 1:
                forms = node.args[plural : plural + 2]
                if all(isinstance(f, ast.Constant) and isinstance(f.value, str) for f in forms):
                    key = _i18n.PLURAL_SEPARATOR.join(f.value for f in forms)  # type: ignore[attr-defined]
                    found.setdefault(key, f"{path.relative_to(SRC)}:{node.lineno}")
                continue
            if isinstance(node.func, ast.Name):  # tr(language, message), N_(message), say(message)
                position = {"tr": 1, "N_": 0, "say": 0}.get(node.func.id)
            else:  # a builder's own tr(message)
                position = 0 if getattr(node.func, "attr", None) == "tr" else None
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.setdefault(argument.value, f"{path.relative_to(SRC)}:{node.lineno}")
    for rule in all_rules():
        found.setdefault(rule.summary, f"rule {rule.code}")
    for element_type in ELEMENT_TYPES:  # each element type's name, as messages and reports name it
        found.setdefault(element_type.name, f"element type {element_type.cls.__name__}")
        # and its list's, the title of the drawing's and the report's generic parts
        found.setdefault(element_type.list, f"element list {element_type.list}")
    return found


MESSAGES = _messages()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_translates_messages() -> None:
    """The scan finds the messages of the rules, the reports and the diff (it would find nothing if broken)."""
    assert len(MESSAGES) > 100


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_every_message_has_a_translation(language: str) -> None:
    """Every message the code uses (English) has a translation in each catalog."""
    catalog = _i18n.read_po(_i18n.catalog_path(language).read_text(encoding="utf-8"))
    missing = [f"{where}: {message!r}" for message, where in MESSAGES.items() if message not in catalog]
    assert missing == []


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_every_translation_keeps_the_fields_of_its_message(language: str) -> None:
    """A translation has exactly the {fields} of its English message, so filling it never fails."""
    catalog = _i18n.read_po(_i18n.catalog_path(language).read_text(encoding="utf-8"))
    wrong = [m for m, t in catalog.items() if _fields(m) != _fields(t)]
    assert wrong == []


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_no_catalog_entry_is_stale(language: str) -> None:
    """Every entry of a catalog is a message the code still uses."""
    catalog = _i18n.read_po(_i18n.catalog_path(language).read_text(encoding="utf-8"))
    assert sorted(set(catalog) - set(MESSAGES)) == []


@pytest.mark.parametrize("language", _i18n.LANGUAGES)
def test_no_message_is_defined_twice(language: str) -> None:
    """A catalog names each message once (a second entry would silently win)."""
    text = _i18n.catalog_path(language).read_text(encoding="utf-8")
    ids = re.findall(r'^msgid (".*")$', text, flags=re.M)
    assert len(ids) == len(set(ids))


def test_english_is_the_message_itself() -> None:
    """Without a catalog (English), a message is returned as written, its fields filled."""
    assert _i18n.tr("en", "stage order changed: {old} → {new}", old="a", new="b") == "stage order changed: a → b"


def test_french_comes_from_the_catalog() -> None:
    """In French, the catalog's translation is used and filled."""
    assert _i18n.tr("fr", "stage order changed: {old} → {new}", old="a", new="b") == "ordre des étapes changé : a → b"


def test_the_po_reader_joins_continued_strings_and_skips_fuzzy() -> None:
    """Continued strings are joined and escapes read; fuzzy and untranslated entries are left out."""
    text = (
        'msgid ""\nmsgstr "header"\n\nmsgid "a"\n"b\\n"\nmsgstr "c\\"d"\n\n'
        '#, fuzzy\nmsgid "x"\nmsgstr "y"\n\nmsgid "z"\nmsgstr ""\n'
    )
    assert _i18n.read_po(text) == {"ab\n": 'c"d'}


def test_the_po_reader_names_the_line_of_a_form_it_does_not_know() -> None:
    """An unknown line is an error naming its line."""
    with pytest.raises(ValueError, match="line 2"):
        _i18n.read_po('msgid "a"\nmsgstr[0] "b"\n', source="x.po")
    with pytest.raises(ValueError, match="line 3"):
        _i18n.read_po('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', source="x.po")


def test_a_french_canvas_gets_french_findings() -> None:
    """The findings of a French canvas are in French, naming the element's kind in French."""
    from usager import Brake, Canvas, check

    canvas = Canvas.standard("Médiathèque", language="fr").add(Brake(id="b", label="Peur", stage="usage"))
    assert "frein 'b' (Peur) n’est traité par aucun facilitateur" in [f.message for f in check(canvas, select="U020")]


def test_an_english_canvas_gets_english_findings() -> None:
    """The same canvas in English gives the English message."""
    from usager import Brake, Canvas, check

    canvas = Canvas.standard("Library").add(Brake(id="b", label="Fear", stage="usage"))
    assert [f.message for f in check(canvas, select="U020")] == ["brake 'b' (Fear) has no facilitator addressing it"]


def test_rule_summaries_come_in_both_languages() -> None:
    """Every rule's summary has a French translation that differs from the English one."""
    assert all(r.summary_in("fr") != r.summary_in("en") for r in all_rules())
