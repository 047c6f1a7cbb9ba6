"""Refusing a document: what it costs, where its problems stand, and what it may raise."""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import signal
import tracemalloc
from collections.abc import Iterator
from typing import Any

import cattrs
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import usager
from usager import Brake, LoadError, Metric, Stage, StageKind, _document
from usager._ci import element_positions
from usager._fields import MAX_PROBLEMS
from usager.errors import ElementError
from usager.examples import complete
from usager.exporters import csv as csv_exporter
from usager.exporters._formats import jsontext as _jsontext

from .strategies import mutated_documents
from .test_fastjson import mutated_texts

BASE: dict[str, Any] = {"format": "usager/2", "name": "x"}
HUGE = 10**5000  # more digits than Python writes as text


def brake(**fields: Any) -> dict[str, Any]:
    return {"id": "b", "label": "B", "stage": "usage", **fields}


# ---------------------------------------------------------------- the dict form and the hooks


@pytest.mark.parametrize(
    ("document", "where", "found"),
    [
        ({1: "x"}, "$", "the number 1"),
        ({None: 1}, "$", "null"),
        ({("a",): 1}, "$", "a tuple"),
        ({**BASE, 2.5: 1}, "$", "the number 2.5"),
        ({**BASE, "brakes": [{**brake(), 3: 4}]}, "$.brakes[0]", "the number 3"),
    ],
)
def test_a_key_that_is_no_string_is_a_problem_at_its_object(document: dict[Any, Any], where: str, found: str) -> None:
    """A dict whose key is not text is refused with a LoadError naming the object, not a TypeError."""
    with pytest.raises(LoadError) as info:
        usager.from_dict(document)
    problems = [(p.where, p.message) for p in info.value.problems]
    assert (where, f"a key must be a string, found {found}") in problems


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({**BASE, "brakes": [brake(severity=HUGE)]}, "$.brakes[0].severity"),
        ({**BASE, "brakes": [brake(tags=[HUGE])]}, "$.brakes[0].tags[0]"),
        ({**BASE, "name": -HUGE}, "$.name"),
        ({**BASE, "metrics": [{"id": "m", "label": "M", "stage": "usage", "unit": "u", "current": HUGE}]},
         "$.metrics[0].current"),
        ({**BASE, "metrics": [{"id": "m", "label": "M", "stage": "usage", "unit": "u", "target": 10**400}]},
         "$.metrics[0].target"),
    ],
)  # fmt: skip
def test_a_huge_integer_is_shown_cut(document: dict[str, Any], where: str) -> None:
    """An integer of thousands of digits is refused with its first digits and their count, not a ValueError."""
    with pytest.raises(LoadError) as info:
        usager.from_dict(document)
    [problem] = info.value.problems
    assert problem.where == where
    assert "10000000000000000000… (" in problem.message
    assert len(str(info.value)) < 300


def test_a_number_field_refuses_an_integer_too_large_for_a_float() -> None:
    """A 401-digit integer is not a number a metric can hold, in every reader and at construction."""
    with pytest.raises(
        ElementError, match=r"expected a finite number or null, found the number 10000000000000000000… \(401 digits\)"
    ):
        Metric(id="m", label="M", stage="usage", unit="u", current=10**400)
    with pytest.raises(ElementError, match=r"found the number 10000000000000000000… \(5001 digits\)$"):
        Brake(id="b", label="B", stage="usage", severity=HUGE)
    canvas = usager.Canvas.standard("x").add(Metric(id="m", label="M", stage="usage", unit="u", current=3))
    big = str(10**400)
    for name, old, new in (("json", '"current": 3', f'"current": {big}'), ("yaml", "current: 3", f"current: {big}"),
                           ("toml", "current = 3", f"current = {big}"), ("csv", ",3,", f",{big},")):  # fmt: skip
        text = usager.dumps(canvas, name)
        assert text.count(old) == 1
        with pytest.raises(LoadError, match=r"10000000000000000000… \(401 digits\)"):
            usager.loads(text.replace(old, new), name)


@pytest.mark.parametrize(
    "document",
    [{1: "x"}, {None: 1}, {("a",): 1}, {**BASE, "brakes": [{**brake(severity=HUGE), 3: 4}]}],
)
def test_the_pydantic_hook_and_the_converter_raise_their_own_errors(document: dict[Any, Any]) -> None:
    """Through pydantic a ValidationError, through usager.converter a cattrs error: nothing else."""

    class Model(pydantic.BaseModel):
        canvas: usager.Canvas

    with pytest.raises(pydantic.ValidationError, match=r"a key must be a string|digits"):
        Model(canvas=document)
    with pytest.raises(cattrs.ClassValidationError) as info:
        usager.converter.structure(document, usager.Canvas)
    assert cattrs.transform_error(info.value)
    element = document.get("brakes", [document])[0]
    with pytest.raises(cattrs.ClassValidationError):
        usager.converter.structure(element, Brake)


def test_the_converter_refuses_a_huge_number_for_a_float() -> None:
    """A float field of an app's own class refuses an integer too large for a float: a cattrs error."""
    with pytest.raises(ValueError, match=r"expected a finite number, found the number 10000000000000000000…"):
        usager.converter.structure(HUGE, float)
    with pytest.raises(ValueError, match=r"expected a string, found the number 10000000000000000000…"):
        usager.converter.structure(HUGE, str)


# ---------------------------------------------------------------- CSV: bounded problems, physical lines


def test_a_csv_header_of_a_million_columns_keeps_a_bounded_number_of_problems() -> None:
    """Each unknown column is a problem, but only the first few hundred are kept: the others are counted."""
    text = ",".join(["a"] * 1_000_000) + "\r\n"
    with pytest.raises(LoadError) as info:
        usager.loads(text, "csv")
    error = info.value
    assert len(error.problems) == MAX_PROBLEMS
    assert len(error.problems) + error.more == 1_000_001  # the missing columns too
    assert error.problems[0].where == "row 1, column A"
    assert str(error).startswith("1000001 problems:\n")


def test_refusing_a_wide_csv_header_takes_memory_in_proportion_to_it() -> None:
    """A header of 400 KB of one-letter cells is refused within some tens of times its size in memory."""
    text = ",".join(["a"] * 200_000) + "\r\n"
    tracemalloc.start()
    try:
        with pytest.raises(LoadError):
            usager.loads(text, "csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(text)


def canvas_with_description(description: str) -> usager.Canvas:
    canvas = complete().add(Stage(id="extra", kind=StageKind.USAGE, label="Extra", description=description))
    return canvas.add(Brake(id="lost", label="Lost", stage="ghost"))


def row_number(text: str, start: str) -> int:
    """The 1-based number of the row of the CSV ``text`` whose first cells are ``start``."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    return next(n for n, row in enumerate(rows, start=1) if ",".join(row).startswith(start))


def physical_line(text: str, start: str, separator: str = "\n") -> int:
    """The 1-based number of the line of ``text`` (split at ``separator``) that starts with ``start``."""
    return next(n for n, line in enumerate(text.split(separator), start=1) if line.startswith(start))


@pytest.mark.parametrize("description", ["one\rtwo\rthree", "one\ntwo\nthree", "one\r\ntwo", "\r"])
def test_csv_rows_stand_at_the_lines_the_file_breaks(description: str) -> None:
    """A row after a text holding line breaks or lone carriage returns stands on its own line of the file.

    The file breaks its lines with CRLF: a lone carriage return inside a quoted text is text, and
    moves no later row down; a line feed does. The check's positions and a LoadError agree.
    """
    text = usager.dumps(canvas_with_description(description), "csv")
    line = physical_line(text, "brake,lost,")
    canvas = usager.loads(text, "csv")
    positions = element_positions(canvas, usager.exporters.get("csv").locator(text))  # type: ignore[attr-defined]
    assert positions["lost"] == (line, 1)
    with pytest.raises(LoadError) as info:
        usager.loads(text.replace("brake,lost,", "brake,lost x,"), "csv")
    [problem] = info.value.problems
    where = f"row {row_number(text, 'brake,lost,')}, column 'id' (B)"
    assert (problem.where, problem.line, problem.column) == (where, line, 2)


def test_csv_lines_of_a_file_broken_by_carriage_returns_are_counted_by_them() -> None:
    """A file whose lines end with a lone carriage return (old Mac files) counts them; a line feed in a text is text."""
    text = usager.dumps(canvas_with_description("one\ntwo"), "csv").replace("\r\n", "\r")
    line = physical_line(text, "brake,lost,", "\r")
    positions = element_positions(usager.loads(text, "csv"), usager.exporters.get("csv").locator(text))  # type: ignore[attr-defined]
    assert positions["lost"] == (line, 1)
    with pytest.raises(LoadError) as info:
        usager.loads(text.replace("brake,lost,", "brake,lost x,"), "csv")
    assert info.value.problems[0].line == line


def test_a_csv_text_not_in_utf8_stands_at_its_rows_line() -> None:
    """A byte that is not UTF-8 is placed on the line its row starts on."""
    text = usager.dumps(canvas_with_description("one\ntwo"), "csv")
    line = physical_line(text, "brake,lost,")
    assert text.count(",Lost,") == 1
    data = text.replace(",Lost,", ",Lost\xe9,").encode("utf-8").replace(b"Lost\xc3\xa9", b"Lost\xe9")
    with pytest.raises(LoadError) as info:
        usager.loads(data, "csv")
    [problem] = info.value.problems
    assert problem.where.startswith(f"row {row_number(text, 'brake,lost,')}, column 'label'")
    assert problem.line == line


# ---------------------------------------------------------------- what refusing costs


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block runs longer than ``seconds`` (what took minutes takes well under one)."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def large_document(elements: int = 20_000) -> dict[str, Any]:
    """A document of ``elements`` partners, each with a dozen short texts (some MB of JSON, many strings)."""
    partners = [{"id": f"p{i}", "label": f"Partner number {i}", "tags": list("abcdefghij")} for i in range(elements)]
    return {**BASE, "partners": partners}


def test_a_bad_value_at_the_end_of_a_large_one_line_document_is_placed_without_rereading_the_text() -> None:
    """One bad value at the end of 3 MB of JSON on one line: refused at once (the old scanner took minutes)."""
    document = large_document(60_000)
    document["partners"][-1]["label"] = 3
    text = json.dumps(document, separators=(",", ":"))
    with deadline(10), pytest.raises(LoadError) as info:
        usager.loads(text, "json")
    [problem] = info.value.problems
    assert (problem.where, problem.line) == (f"$.partners[{len(document['partners']) - 1}].label", 1)
    assert problem.column == text.rindex('"label":3') + len('"label":') + 1


def test_a_syntax_error_at_the_end_of_a_large_one_line_document_is_explained_at_once() -> None:
    """A missing comma after 3 MB of JSON on one line is explained in words (the old scanner took minutes)."""
    text = json.dumps(large_document(60_000), separators=(",", ":"))
    text = text[: text.rindex(',"tags"')] + text[text.rindex(',"tags"') + 1 :]
    with deadline(10), pytest.raises(LoadError) as info:
        usager.loads(text, "json")
    [problem] = info.value.problems
    assert problem.message == "not valid JSON: missing comma: items are separated by ','"
    assert (problem.line, problem.column) == (1, text.rindex('"tags"') + 1)


def test_the_lines_of_a_few_hundred_problems_cost_about_one_count_of_the_text() -> None:
    """Each problem's line is counted on from the nearest place already known, not from the start of the text."""
    document = large_document(5_000)
    for partner in document["partners"][::10]:
        partner["label"] = 3
    text = json.dumps(document, indent=2)
    counted: list[int] = []
    line_column = _jsontext.Positions.line_column

    def counting(self: _jsontext.Positions, index: int) -> tuple[int, int]:
        found = line_column(self, index)
        counted.append(self._counted)
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_jsontext.Positions, "line_column", counting)
        with pytest.raises(LoadError) as info:
            usager.loads(text, "json")
    assert len(info.value.problems) == MAX_PROBLEMS
    assert 0 < max(counted) <= len(text)
    assert [p.line for p in info.value.problems] == [text.count("\n", 0, text.index(f'"p{i}"')) + 2
                                                      for i in range(0, 2_000, 10)]  # fmt: skip


def test_only_the_kept_problems_look_for_a_suggestion() -> None:
    """30,000 partners with two misspelt keys each: "did you mean" is looked for only for the problems kept."""
    document = {**BASE, "partners": [{f"idd{i}": f"p{i}", f"lable{i}": "P"} for i in range(30_000)]}
    calls: list[str] = []
    get_close_matches = difflib.get_close_matches

    def counting(word: str, *args: Any, **kwargs: Any) -> list[str]:
        calls.append(word)
        return get_close_matches(word, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(difflib, "get_close_matches", counting)
        for read in (usager.from_dict, lambda d: usager.loads(json.dumps(d), "json")):
            calls.clear()
            with deadline(30), pytest.raises(LoadError) as info:
                read(document)
            assert len(info.value.problems) == MAX_PROBLEMS
            assert 2 * 30_000 <= len(info.value.problems) + info.value.more <= 2 * 30_000 + MAX_PROBLEMS
            assert len(calls) <= MAX_PROBLEMS


def test_unknown_top_level_keys_past_the_limit_look_for_no_suggestion() -> None:
    """A hundred thousand unknown keys: suggestions for the first two hundred only, and no key missed."""
    document = {**BASE, **{f"k{i}": 1 for i in range(100_000)}}
    calls: list[str] = []
    get_close_matches = difflib.get_close_matches

    def counting(word: str, *args: Any, **kwargs: Any) -> list[str]:
        calls.append(word)
        return get_close_matches(word, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(difflib, "get_close_matches", counting)
        with pytest.raises(LoadError) as info:
            usager.loads(json.dumps(document), "json")
    assert (len(info.value.problems), info.value.more) == (MAX_PROBLEMS, 100_000 - MAX_PROBLEMS)
    assert len(calls) <= MAX_PROBLEMS
    assert info.value.problems[-1].where == f"$.k{MAX_PROBLEMS - 1}"


def test_a_document_refused_for_one_bad_element_reads_the_others_fast() -> None:
    """Of 20,000 elements, the thorough reader reads only the few dozen around the bad one; the message is the same."""
    document = large_document()
    document["partners"][12_345]["label"] = 3
    text = json.dumps(document, indent=2)
    read: list[tuple[str | int, ...]] = []
    element = _document._element

    def counting(shape: Any, obj: Any, path: tuple[str | int, ...], *args: Any) -> Any:
        read.append(path)
        return element(shape, obj, path, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_document, "_element", counting)
        with pytest.raises(LoadError) as info:
            usager.loads(text, "json")
    assert ("partners", 12_345) in read
    assert len(read) <= 64
    with pytest.raises(LoadError) as thorough:
        usager.from_dict(json.loads(text))
    line = text.count("\n", 0, text.index('"p12345"')) + 2
    assert str(info.value) == f"{line}:16: {thorough.value}"


def test_the_comments_of_a_long_file_are_found_in_one_pass() -> None:
    """Two hundred thousand comment lines: each one's line is counted on from the last, not from the start."""
    toml = 'format = "usager/2"\nname = "x"\n' + "# a note\n" * 200_000
    yaml = "format: usager/2\nname: x\n" + "# a note\n" * 200_000
    with deadline(10):
        assert usager.exporters.get("toml").comments(toml) == tuple(range(3, 200_003))  # type: ignore[attr-defined]
        assert usager.exporters.get("yaml").comments(yaml) == tuple(range(3, 200_003))  # type: ignore[attr-defined]


def test_a_csv_file_refused_for_one_bad_cell_reads_the_other_rows_fast() -> None:
    """Of some thousand rows, the thorough reader reads only the bad one; the message is the one it gives alone."""
    canvas = usager.Canvas.standard("x")
    for i in range(1_000):
        canvas = canvas.add(Brake(id=f"b{i}", label=f"B {i}", stage="usage", severity=2))
    text = usager.dumps(canvas, "csv")
    bad = text.replace("brake,b500,", "brake,b500 x,")
    read: list[int] = []
    plain = csv_exporter._Reader.plain

    def counting(self: Any, number: int, *args: Any) -> Any:
        read.append(number)
        return plain(self, number, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_exporter._Reader, "plain", counting)
        with pytest.raises(LoadError) as info:
            usager.loads(bad, "csv")
    assert read == [2, row_number(bad, "brake,b500 x,")]  # the canvas row, and the bad one alone
    [problem] = info.value.problems
    assert problem.where == f"row {read[1]}, column 'id' (B)"


# ---------------------------------------------------------------- the fast ways agree with the slow ones


def slow_verdict(raw: bytes) -> Any:
    """What the thorough reader alone makes of ``raw``: the canvas, or each problem with its place in the text."""
    text = raw.decode("utf-8", "surrogatepass")
    try:
        document = json.loads(text, parse_constant=_document.NonFinite, object_pairs_hook=_document.object_pairs)
    except ValueError:
        return None  # not JSON: no element is read
    try:
        positions = _jsontext.scan(text)
    except (_jsontext.JsonSyntaxError, RecursionError):  # pragma: no cover - the text is JSON
        return None
    try:
        return _document.from_document(document, locate=positions.locate)
    except LoadError as exc:
        return [(p.where, p.message, p.line, p.column) for p in exc.problems], exc.more


def verdict(raw: bytes) -> Any:
    """What the JSON reader makes of ``raw``."""
    try:
        return usager.loads(raw, "json")
    except LoadError as exc:
        return [(p.where, p.message, p.line, p.column) for p in exc.problems], exc.more


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_texts())
def test_the_json_reader_gives_the_thorough_readers_problems_at_the_full_scans_places(raw: bytes) -> None:
    """Reading the plainly valid elements fast and placing problems by the index change no message nor place."""
    slow = slow_verdict(raw)
    if slow is not None:
        assert verdict(raw) == slow


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents(), st.booleans(), st.sampled_from([2, None]))
def test_the_json_reader_agrees_on_mutated_documents(
    document: dict[str, Any], ascii_only: bool, indent: int | None
) -> None:
    """Any value of the example replaced by any JSON value: the same canvas, or the same problems at the same places."""
    raw = json.dumps(document, ensure_ascii=ascii_only, indent=indent).encode("utf-8")
    assert verdict(raw) == slow_verdict(raw)
