"""The generated CSV row writers write exactly what the exporter's column-by-column loop wrote."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from usager import Brake, Canvas, Persona, Stage, dumps, load
from usager._fields import spec_of
from usager.examples import mediatheque
from usager.exporters._formats.csvfast import _quoted
from usager.exporters._formats.spreadsheet import may_protect, may_protect_any, protect

from .csv_reference import cell_by_cell as previous
from .strategies import canvases

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


@given(canvases())
def test_the_csv_output_is_what_the_column_loop_wrote(canvas: Canvas) -> None:
    """For any canvas, hostile text and formula-like cells included, the CSV text is unchanged."""
    assert dumps(canvas, "csv") == previous(canvas)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_csv_is_what_the_column_loop_wrote(path: Path) -> None:
    """Each example canvas is written to CSV as before."""
    canvas = load(path)
    assert dumps(canvas, "csv") == previous(canvas)


def test_the_built_in_example_csv_is_what_the_column_loop_wrote() -> None:
    """The library's own example is written to CSV as before."""
    assert dumps(mediatheque(), "csv") == previous(mediatheque())


#: Pieces of text a spreadsheet may rewrite, or nearly: digits, signs, spaces, boolean words
#: (in other cases, with a long s), month names (with accents, a Kelvin sign), dates, long numbers.
_VALUE_PIECES = (
    "0", "7", "007", "1.10", "1,5", "1e5", "-", "+", "=", "@", "'", "(", ")", "%", "$", "€", "£", "¥", ".", ",",
    ":", "/", "’", " ", "      ", "\t", "\t\t\t\t\t", "\r", "\n", "\xa0", "\u2003", "\x1f", "true", "TRUE", "Vrai",
    "falſe", "FALSCH", "verdadero", "vero", "Jan", "FÉV", "févr.", "Mär", "mai", "Juin", "juil", "AOÛ", "ſep",
    "O\u212aT", "dez", "Déc", "Décembre 2024", "mars 12, 2024", "Okt. 3", " 2024", "2024-01-02", "2-Jan-24", "3 févr.",
    "12:30", "1234567890123456", "x", "brake-12", "Accueil", "a",
)  # fmt: skip
#: Text of such pieces.
_ANY = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=3)  # what a text takes
hostile_values = st.lists(st.sampled_from(_VALUE_PIECES) | _ANY, max_size=6).map("".join)
#: A field of each kind whose cell is a text: a text, a label, an id, a reference, lists of texts and of ids.
TEXT_SPECS = [spec_of(f) for f in attrs.fields(Brake) if f.name in ("description", "label", "id", "stage")]
LIST_SPECS = [spec_of(f) for f in attrs.fields(Brake) if f.name in ("evidence", "personas")]


@pytest.mark.parametrize(
    "text",
    ["Décembre 2024", "Juillet 2024", "ſeptember 3, 2024", "   vrai", "true      ", "Falso\t\t\t\t\t", "FALSCH",
     "verdadero", "(12 345,50) €", "+33 1 23 45 67 89"],
)  # fmt: skip
def test_text_a_spreadsheet_would_rewrite_may_need_protecting(text: str) -> None:
    """Dates with a month's name first, boolean words (in spaces too), amounts: each may need protecting."""
    assert protect(text, TEXT_SPECS[0], text) != text
    assert may_protect(text)
    assert may_protect_any([text, "Accueil du public"]) == {text}


@given(hostile_values | st.sampled_from(_VALUE_PIECES))
def test_a_text_may_protect_says_no_of_is_its_own_cell(text: str) -> None:
    """Where may_protect says no, protect leaves the cell of every text, label, id, reference and list as it is."""
    if not may_protect(text):
        for spec in TEXT_SPECS + LIST_SPECS:
            assert protect(text, spec, text) == text


@given(st.lists(hostile_values | st.text(max_size=12), max_size=8))
def test_the_texts_a_column_may_protect_are_those_may_protect_names(texts: list[str]) -> None:
    """may_protect_any, the whole column's test, finds exactly the texts may_protect says yes of."""
    assert may_protect_any(texts) == {text for text in texts if may_protect(text)}


@given(st.lists(hostile_values.filter(lambda s: s.strip()), min_size=1, max_size=4))
def test_columns_of_value_like_text_are_written_cell_by_cell(values: list[str]) -> None:
    """Labels, descriptions, references and list items that look like values are written as the column loop did."""
    canvas = Canvas(
        name="x",
        personas=[Persona(id=f"p{i}", name=value, goals=values[i:]) for i, value in enumerate(values)],
        stages=[Stage(id=f"s{i}", kind="usage", label=value, description=value) for i, value in enumerate(values)],
        brakes=[Brake(id="b", label=values[0], stage="s0", personas=[f"p{i}" for i in range(len(values))])],
    )
    assert dumps(canvas, "csv") == previous(canvas)


@given(st.lists(hostile_values | st.sampled_from(['"', ",", "\r\n", '""x', "a,b", " "]), min_size=2, max_size=6))
def test_cells_are_quoted_as_the_standard_writer_quotes_them(cells: list[str]) -> None:
    """A row of the cells, quoted column by column, is what csv.writer writes for it."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    assert ",".join(cell for column in cells for cell in _quoted([column])) + "\r\n" == out.getvalue()
