from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import slugify
from usager._text import ID_MAX_LENGTH, id_problem, text_problem


@pytest.mark.parametrize("good", ["a", "A9", "_x", "9lives", "first_experience", "v1.2-beta", "x" * ID_MAX_LENGTH])
def test_valid_ids_are_accepted(good: str) -> None:
    """Letters, digits, underscore, then also hyphen and dot, up to the length limit."""
    assert id_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("", "empty"),
        ("x" * (ID_MAX_LENGTH + 1), "at most 128"),
        ("a b", "' '"),
        ("-start", "'-'"),
        (".start", "'.'"),
        ("a,b", "','"),
        ('a"b', "'\"'"),
        ("a:b", "':'"),
        ("café", "'é'"),
        ("a\tb", "'\\t'"),
        ("=1", "'='"),
    ],
)
def test_invalid_ids_are_refused_naming_the_character(bad: str, says: str) -> None:
    """The problem names the offending character or the limit."""
    problem = id_problem(bad)
    assert problem is not None
    assert says in problem


def test_text_refuses_nul_and_lone_surrogates_and_keeps_the_rest() -> None:
    """NUL and lone surrogates are refused, control characters and emoji are fine."""
    assert "NUL" in (text_problem("a\x00b") or "")
    assert "U+D800" in (text_problem("a\ud800") or "")
    assert text_problem("tab\there\nnew\x01line 😀 \u202e") is None


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Première expérience", "premiere-experience"),
        ("  Utilisation étendue!  ", "utilisation-etendue"),
        ("Œuvre d'art", "oeuvre-d-art"),
        ("Straße", "strasse"),
        ("Fear of paying online", "fear-of-paying-online"),
        ("ﬁne", "fine"),
    ],
)
def test_slugify_folds_accents_and_punctuation(label: str, slug: str) -> None:
    """Accents are folded, punctuation and spaces become single hyphens."""
    assert slugify(label) == slug


def test_slugify_gives_a_stable_id_to_labels_without_latin_letters() -> None:
    """A label of another script gets a stable hashed id."""
    first = slugify("データ")
    assert first.startswith("id-")
    assert first == slugify("データ")
    assert first != slugify("مرحبا")


def test_slugify_avoids_taken_ids() -> None:
    """A suffix makes the id unique among those taken."""
    assert slugify("Achat", taken={"achat", "achat-2"}) == "achat-3"
    long = "x" * 200
    assert len(slugify(long, taken={"x" * ID_MAX_LENGTH})) == ID_MAX_LENGTH


@given(st.text())
def test_slugify_always_gives_a_valid_id(label: str) -> None:
    """Whatever the label, the slug is a valid id."""
    assert id_problem(slugify(label)) is None
