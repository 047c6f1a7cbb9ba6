"""Rules for text and ids, and :func:`slugify`."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from usager.errors import LoadError, shown

__all__ = [
    "ID_MAX_LENGTH",
    "ID_PATTERN",
    "Say",
    "all_ids",
    "decode_text",
    "english",
    "id_problem",
    "is_blank",
    "slugify",
    "text_problem",
]

#: Longest id allowed, in characters.
ID_MAX_LENGTH = 128

#: The id rule: ASCII letters, digits and ``_``, then also ``-`` and ``.``.
#: Nothing that a CSV cell, a spreadsheet formula or a DOT id would need to escape.
ID_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


#: Says a message, its ``{name}`` fields filled: in English by :func:`english`, in the language
#: spoken by :func:`usager._i18n.say`, which callers above this module pass.
Say = Callable[..., str]


def english(message: str, /, **fields: object) -> str:
    """``message`` as written, its ``{name}`` fields filled."""
    return message.format(**fields) if fields else message


def text_problem(value: str, *, say: Say = english) -> str | None:
    """Say what makes ``value`` unacceptable as text, or return ``None``.

    Any Unicode text is accepted except NUL and lone surrogates (which no
    UTF-8 file can hold). ``say`` says the message (in English unless given).
    """
    if "\x00" in value:
        return say("text may not contain NUL (found at index {index})", index=value.index(chr(0)))
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return say(
                "text may not contain a lone surrogate (U+{code} at index {index})",
                code=f"{ord(value[exc.start]):04X}",
                index=exc.start,
            )
    return None


def is_blank(value: str) -> bool:
    """Whether ``value`` holds nothing but white space, as :meth:`str.isspace` defines it.

    This is the one definition of blank: a name or label may not be blank, and
    the JSON Schema spells out the same set of characters.
    """
    return not value or value.isspace()


#: The characters of an id, and the line feed that joins ids in :func:`all_ids`.
_ID_CHARACTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-\n"


def all_ids(ids: list[str], *, lengths: bool = True) -> bool:
    """Whether every string in ``ids`` is an id (:data:`ID_PATTERN`, at most :data:`ID_MAX_LENGTH` characters).

    Checked over all of them joined by line feeds, in C, for the fast readers: only id
    characters and the joins (an id holding a line feed itself would add one); of the id
    characters, only ``-`` and ``.`` sort before ``0``, so the smallest id is empty or starts
    with one of them exactly when some id does. ``lengths=False`` leaves the length out, for a
    caller that has checked it already.
    """
    if not ids:
        return True
    joined = "\n".join(ids)
    return (
        joined.isascii()
        and not joined.encode("ascii").translate(None, _ID_CHARACTERS)
        and joined.count("\n") == len(ids) - 1
        and min(ids) >= "0"
        and (not lengths or max(map(len, ids)) <= ID_MAX_LENGTH)
    )


def id_problem(value: str, *, reference: bool = False, say: Say = english) -> str | None:
    """Say what makes ``value`` unacceptable as an id, or return ``None``.

    The message ends with an id made from ``value`` (:func:`slugify`), or, for a
    ``reference`` to another element, a reminder that references name ids. ``say``
    says the message (in English unless given).
    """
    if not value:
        return say("an id may not be empty")
    if len(value) > ID_MAX_LENGTH:
        return say("an id is at most {most} characters, this one has {count}", most=ID_MAX_LENGTH, count=len(value))
    if ID_PATTERN.fullmatch(value) is None:
        bad = next(
            (c for i, c in enumerate(value) if ID_PATTERN.fullmatch(("a" if i else "") + c) is None),
            value[0],
        )
        rule = say(
            "{value} is not a valid id: it contains {bad}; an id starts with an ASCII letter, "
            "digit or '_', and goes on with those or '-' and '.'",
            value=shown(value),
            bad=repr(bad),
        )
        if reference:
            return rule + say("; a reference names an element by its id, not its label")
        return rule + say(", such as {id}", id=repr(slugify(value)))
    return None


# Letters that NFKD does not decompose into ASCII ones.
_LETTERS = str.maketrans(
    {
        "Œ": "OE",
        "œ": "oe",
        "Æ": "AE",
        "æ": "ae",
        "ß": "ss",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ł": "L",
        "ł": "l",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
    }
)


def slugify(label: str, *, taken: Collection[str] = ()) -> str:
    """Turn any label into a valid id.

    Accents are folded (``"Première expérience"`` → ``"premiere-experience"``),
    everything else that is not an ASCII letter or digit becomes ``-``, and the
    result is lower case and at most :data:`ID_MAX_LENGTH` characters. A label
    with no Latin letter or digit at all gets a stable id derived from its
    text (``"id-"`` and 10 hex digits). When the result is in ``taken``, a
    suffix ``-2``, ``-3``... makes it unique.

    ```pycon
    >>> slugify("Première expérience")
    'premiere-experience'
    >>> slugify("Achat", taken={"achat"})
    'achat-2'

    ```
    """
    import hashlib
    import unicodedata

    folded = unicodedata.normalize("NFKD", label.translate(_LETTERS))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:ID_MAX_LENGTH].rstrip("-")
    if not slug:
        digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        slug = f"id-{digest}"
    if slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: ID_MAX_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def decode_text(data: str | bytes | bytearray | memoryview, *, source: str | None = None) -> str:
    """Text from ``data``: bytes are read as UTF-8, and a leading byte order mark is dropped."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LoadError.at(
                f"byte {exc.start}",
                f"the document is not UTF-8 text (byte 0x{raw[exc.start]:02X} {exc.reason})",
                source=source,
            ) from None
    elif isinstance(data, str):
        text = data
    else:
        raise LoadError.at("$", f"expected text or bytes to read, found {type(data).__name__}", source=source)
    return text[1:] if text.startswith("\ufeff") else text
