"""How spreadsheets read and save CSV: separators, encodings, and the cells they would rewrite.

A spreadsheet runs a cell that starts a formula, rewrites text that looks like a value
(``007`` becomes ``7``, ``1.10`` becomes ``1.1``, ``TRUE`` a boolean, ``Jan 2`` a date) and
keeps 15 significant digits of a number. :func:`protect` puts a ``'`` in front of each such
cell, which :func:`unprotect` removes; the real LibreOffice Calc keeps that quote as part of
the cell's text, so a canvas opened and saved again loads back equal. Files come back with
``,``, ``;`` or tab separators (:func:`delimiter` reads them from the header row) and in the
encoding the spreadsheet chose (:func:`decode`).
"""

from __future__ import annotations

import csv
import io
import operator
import re
from collections.abc import Callable, Container, Iterable, Iterator
from itertools import compress
from typing import Any

from usager._fields import Spec, kinds_shaped
from usager._i18n import say, speaking
from usager._text import decode_text
from usager.errors import LoadError, Problem, shown

__all__ = [
    "DELIMITERS",
    "canvas_language",
    "column_letter",
    "decode",
    "delimiter",
    "file_lines",
    "may_protect",
    "may_protect_any",
    "protect",
    "rows_with_lines",
    "unprotect",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_FORMULA_AFTER_SPACE = ("=", "+", "-", "@")
#: Text a spreadsheet may read as a number, a percentage, an amount, a date or a time, in some locale.
#: Matched against the stripped cell; no two repeats can match the same characters, so it runs in linear time.
_VALUE_LIKE = re.compile(r"[(+\-]?\s*[$€£¥]?\s*[.,]?[0-9][0-9\s.,:/'’+\-eEtTzZ]*(?:[%)]\s*)?[$€£¥]?")
#: A date with a month's name (``Jan 2``, ``2-Jan-24``, ``3 févr.``), in English, French or German.
_MONTHS = "jan|feb|f[ée]v|mar|m[äa]r|apr|avr|may|mai|jun|juin|jul|juil|aug|ao[uû]|sep|oct|okt|nov|dec|d[ée]c|dez"
_DATE_LIKE = re.compile(
    rf"(?:[0-9]{{1,4}}[\s./,-]*)?(?:{_MONTHS})[^\s./,-]*[\s./,-]*[0-9]{{1,4}}[\s./,-]*(?:[0-9]{{1,4}}\s*)?", re.I
)
_DATE_LIKE_FIRST_DAY = re.compile(rf"[0-9]{{1,4}}[\s./,-]*(?:{_MONTHS})[^\s./,-]*[\s./,-]*(?:[0-9]{{1,4}}\s*)?", re.I)
#: Words a spreadsheet may read as a boolean, in some language (compared without regard to case).
_BOOLEAN_WORDS = frozenset({"true", "false", "vrai", "faux", "wahr", "falsch", "verdadero", "falso", "vero"})
#: Kinds whose cells usager writes itself as numbers or words (a spreadsheet may keep them as values).
_VALUE_KINDS = kinds_shaped("number", "boolean", "choice", "codes")
#: A spreadsheet keeps 15 significant digits of a number.
_DIGITS = 15


#: The longest of the boolean words; casefolding never shortens a text, so a longer one is none of them.
_LONGEST_WORD = max(map(len, _BOOLEAN_WORDS))
#: How a text cell that :func:`protect` may change starts, when it is longer than a boolean word and
#: has no white space at its end: with white space or a formula's sign, with what a value starts with
#: (a sign, a bracket, a currency, a decimal point, a digit) or with a month's name (a date). It
#: reads at most the first :data:`_START` characters, one for one even ignoring case.
_MAY_PROTECT = re.compile(rf"[\s=+\-@'(.,$€£¥0-9]|(?:{_MONTHS})", re.I).match
#: The longest month's name in :data:`_MONTHS` (``juin``), a bracket counting as one character.
_START = max(len(re.sub(r"\[[^]]*\]", "x", month)) for month in _MONTHS.split("|"))
_FIRST = operator.itemgetter(slice(0, _START))
_LAST = operator.itemgetter(slice(-1, None))


def may_protect(text: str) -> bool:
    """Whether :func:`protect` may change the cell of a text field holding ``text``.

    False means ``protect(text, spec, text) == text`` for a text, label, id or reference field
    (and for a list cell, a text too), which spares the full test to most cells: ids such as
    ``brake-12`` and sentences need none (a property test checks it on any text).
    """
    return len(text) <= _LONGEST_WORD or _MAY_PROTECT(text) is not None or text[-1:].isspace()


def may_protect_any(texts: Iterable[str]) -> set[str]:
    """The texts in ``texts`` that :func:`may_protect` says yes of, found in passes that run in C.

    A column of a large canvas holds tens of thousands of cells and protects few of them, if any:
    one call of :func:`may_protect` per cell would cost as much as writing the cells. Texts that
    repeat (references, tags) are looked at once, and so are the starts that repeat (the regex
    runs on each distinct start, a few hundred in a column of ids or sentences).
    """
    distinct = list(set(texts))
    found = set(compress(distinct, map(_LONGEST_WORD.__ge__, map(len, distinct))))
    starts = list(map(_FIRST, distinct))
    suspect = set(filter(_MAY_PROTECT, set(starts)))
    if suspect:
        found.update(compress(distinct, map(suspect.__contains__, starts)))
    found.update(compress(distinct, map(str.isspace, map(_LAST, distinct))))
    return found


def protect(cell: str, spec: Spec | None = None, value: Any = None) -> str:
    """The cell with a ``'`` in front when a spreadsheet would run it or rewrite it.

    A spreadsheet runs a cell that starts a formula, rewrites text that looks like a
    value (``007`` becomes ``7``, ``1.10`` becomes ``1.1``, ``TRUE`` a boolean), keeps
    only 15 significant digits of a number and writes a number in exponent notation
    its own way (``1e-05`` comes back as ``1,00E-05`` from a French one); each such
    cell gets the quote, which the reader removes.
    """
    if cell.startswith(_FORMULA_START) or (cell[:1].isspace() and cell.lstrip().startswith(_FORMULA_AFTER_SPACE)):
        return "'" + cell
    if spec is None:
        return cell
    if spec.kind in _VALUE_KINDS:
        if type(value) is float and ("e" in cell or float(f"{value:.{_DIGITS}g}") != value):
            return "'" + cell  # rounded, or rewritten in the spreadsheet's locale (1,00E-05)
        if type(value) is int and abs(value) >= 10**_DIGITS:
            return "'" + cell
        return cell
    stripped = cell.strip()
    if _VALUE_LIKE.fullmatch(stripped) or stripped.casefold() in _BOOLEAN_WORDS or _date_like(stripped):
        return "'" + cell
    return cell


def unprotect(cell: str) -> str:
    """The cell without the one ``'`` that :func:`protect` may have put in front."""
    return cell[1:] if cell.startswith("'") else cell


def _date_like(cell: str) -> bool:
    """Whether ``cell`` is a date with a month's name, which a spreadsheet may turn into a date."""
    return len(cell) <= 30 and bool(_DATE_LIKE.fullmatch(cell) or _DATE_LIKE_FIRST_DAY.fullmatch(cell))


def column_letter(index: int) -> str:
    """The spreadsheet's name of the column at 0-based ``index``: ``A``, ..., ``Z``, ``AA``..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


#: The separators a spreadsheet saves CSV with: ``,`` (English), ``;`` (French, German...), a tab.
DELIMITERS = (",", ";", "\t")


def delimiter(text: str, known: Container[str]) -> str:
    """The separator of ``text``'s header row: the one that splits it into the most ``known`` column names."""
    first = text[: text.find("\n") + 1 or len(text)]

    def score(separator: str) -> int:
        header = next(csv.reader(io.StringIO(first, newline=""), delimiter=separator), [])
        return sum(map(known.__contains__, header))

    return max(DELIMITERS, key=score)  # the first of the best: ',' when none helps


def decode(data: str | bytes, source: str | None, known: Container[str]) -> str:
    """The text of a CSV file: UTF-8 (with or without a mark), or UTF-16 with its mark.

    A file in another encoding (Windows-1252, Latin-1: what spreadsheets save as plain
    "CSV" on many systems) is refused with the row and column of the first character
    that is not UTF-8, and what to do about it.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return decode_text(data, source=source)
    raw = bytes(data)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" as some spreadsheets save it
        try:
            return raw.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _not_utf8(raw, exc.start, source, known) from None


#: Where the csv module ends a line: at a carriage return, a line feed, or both.
_LINE_END = re.compile(r"\r\n?|\n")


def file_lines(text: str) -> Callable[[int], int]:
    r"""The file's own line number of each line the csv module counts in ``text``.

    The csv module ends a line at ``\r``, ``\n`` and ``\r\n`` alike. A file's lines end the way
    its first one does: with a line feed (``\n`` or ``\r\n``, as usager writes), or with a lone
    carriage return (old Mac files), and lines are counted by that break only, as the JSON and
    TOML readers count line feeds: a lone ``\r`` inside a quoted text of a CRLF file is text, and
    moves no later row down.
    """
    first = _LINE_END.search(text)
    own = "\r" if first is not None and first.group() == "\r" else "\n"
    stray = re.compile("\n" if own == "\r" else "\r(?!\n)")
    if stray.search(text) is None:
        return lambda line: line  # every line end the csv module counts is one of the file's
    lines = [1, 1]  # by the csv module's line number (from 1)
    line = 1
    for end in _LINE_END.finditer(text):
        if own in end.group():
            line += 1
        lines.append(line)
    return lines.__getitem__


def rows_with_lines(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of ``text`` with the line it starts on (see :func:`file_lines`), as ``csv.reader`` reads them."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    file_line = file_lines(text)
    start = 1
    for row in reader:
        yield file_line(start), row
        start = reader.line_num + 1


_MARK = "\U000f0000"  # stands for the first byte that is not UTF-8, to find its cell


def _not_utf8(raw: bytes, start: int, source: str | None, known: Container[str]) -> LoadError:
    text = raw[:start].decode("utf-8").removeprefix("\ufeff") + _MARK + raw[start + 1 :].decode("cp1252", "replace")
    where, line, column = "row 1", 1, None
    language = None
    try:
        header: list[str] = []
        rows = list(rows_with_lines(text, delimiter(text, known)))
        language = canvas_language([row for _, row in rows])
        for number, (first_line, row) in enumerate(rows, start=1):
            header = header or row
            index = next((i for i, cell in enumerate(row) if _MARK in cell), None)
            if index is not None:
                letter = column_letter(index)
                if number > 1 and index < len(header):
                    letter = f"{shown(header[index])} ({letter})"
                where, line, column = f"row {number}, column {letter}", first_line, index + 1
                break
    except csv.Error:
        pass
    character = raw[start : start + 1].decode("cp1252", "replace")
    with speaking(language):  # said in the canvas row's language
        message = say(
            "the file is not UTF-8 text: {character} here is written in another encoding (Windows-1252 or "
            'Latin-1, as spreadsheets save plain "CSV"); save it again as "CSV UTF-8" (LibreOffice: Save As, '
            "Text CSV, character set Unicode (UTF-8); Excel: Save As, CSV UTF-8)",
            character=repr(character),
        )
        return LoadError([Problem(where, message, line=line, column=column)], source=source)


def canvas_language(rows: list[list[str]]) -> str | None:
    """The ``language`` cell of the canvas row, when the header names both columns; else None."""
    header = rows[0] if rows else []
    if "type" not in header or "language" not in header:
        return None
    kind, language = header.index("type"), header.index("language")
    for row in rows[1:]:
        if len(row) > max(kind, language) and row[kind] == "canvas":
            return row[language]
    return None
