"""Messages in the canvas language, through standard gettext catalogs.

The messages are written in English in the code, as gettext ``msgid`` s; each
other language has a catalog ``locale/<lang>/LC_MESSAGES/usager.po`` beside
this module. The ``.po`` file is the catalog itself: it is read here, when a
message in that language is first needed, by a reader of the few PO forms the
catalogs use (comments, ``#, fuzzy`` flags, ``msgid``/``msgstr`` with
continued strings), and served as a :class:`gettext.NullTranslations`. No
compiled ``.mo`` file is built or shipped, so the catalog read is always the
one that was edited and reviewed; reading the French catalog takes about a
millisecond, once per process.

:func:`tr` translates a message and fills its ``{name}`` fields;
:func:`N_` marks a message kept as data, to be translated where it is shown.
A test checks that every message the code uses has a translation in every
catalog, with the same fields.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

__all__ = ["LANGUAGES", "N_", "WORDS", "catalog_path", "read_po", "tr", "translation", "word"]

#: The languages that have a catalog (English is the language of the messages themselves).
LANGUAGES = ("fr",)

_LOCALE = Path(__file__).resolve().parent / "locale"


def catalog_path(language: str) -> Path:
    """Where the catalog of ``language`` is kept."""
    return _LOCALE / language / "LC_MESSAGES" / "usager.po"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _unquote(piece: str, where: str) -> str:
    r"""The text of one quoted PO string, its C escapes (``\n``, ``\t``, ``\"``, ``\\``) read."""
    piece = piece.strip()
    if not _QUOTED.fullmatch(piece):
        raise ValueError(f"{where}: expected a quoted string, found {piece!r}")

    def unescape(match: re.Match[str]) -> str:
        if match[1] not in _ESCAPES:
            raise ValueError(f"{where}: unknown escape \\{match[1]}")
        return _ESCAPES[match[1]]

    return _ESCAPE.sub(unescape, piece[1:-1])


def read_po(text: str, source: str = "<po>") -> dict[str, str]:
    """The translations of a PO catalog: ``msgid`` to ``msgstr``, fuzzy and empty ones left out.

    Raises ``ValueError`` naming the line for a form the reader does not know.
    """
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None
    fuzzy = next_fuzzy = False

    def finish() -> None:
        if msgid is not None and msgstr is not None and not fuzzy:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                entries[key] = value

    for number, line in enumerate(text.splitlines(), 1):
        where = f"{source}, line {number}"
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if stripped.startswith("#,") and "fuzzy" in stripped:
                next_fuzzy = True
            continue
        if stripped.startswith("msgid "):
            finish()
            msgid, msgstr, fuzzy, next_fuzzy = [_unquote(stripped[6:], where)], None, next_fuzzy, False
            current = msgid
        elif stripped.startswith("msgstr "):
            if msgid is None:
                raise ValueError(f"{where}: msgstr without msgid")
            msgstr = [_unquote(stripped[7:], where)]
            current = msgstr
        elif stripped.startswith('"') and current is not None:
            current.append(_unquote(stripped, where))
        else:
            raise ValueError(f"{where}: not a form this reader knows: {stripped[:40]!r}")
    finish()
    return entries


@functools.cache
def translation(language: str) -> gettext.NullTranslations:
    """The gettext translation for ``language``: its catalog, or the messages as written (English).

    :mod:`gettext` is imported here, on first use, so that ``import usager`` does not pay for it.
    """
    import gettext

    class Catalog(gettext.NullTranslations):
        """A gettext translation served from the messages of a PO catalog."""

        def __init__(self, messages: dict[str, str]) -> None:
            super().__init__()
            self.messages = messages

        def gettext(self, message: str) -> str:
            """The translation of ``message``, or ``message`` itself when the catalog has none."""
            return self.messages.get(message, message)

    code = str(getattr(language, "value", language))
    if code not in LANGUAGES:
        return gettext.NullTranslations()
    path = catalog_path(code)
    return Catalog(read_po(path.read_text(encoding="utf-8"), source=path.name))


def tr(language: str, message: str, /, **fields: object) -> str:
    """``message`` in ``language``, with its ``{name}`` fields filled from ``fields``."""
    text = translation(language).gettext(message)
    return text.format(**fields) if fields else text


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (it is translated where shown)."""
    return message


#: Values shown as words (statuses, severities, phases, resource kinds), by value.
WORDS = {
    "idea": N_("idea"),
    "planned": N_("planned"),
    "in_place": N_("in place"),
    "retired": N_("retired"),
    "proposed": N_("proposed"),
    "under_review": N_("under review"),
    "accepted": N_("accepted"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "declined": N_("declined"),
    "duplicate": N_("duplicate"),
    "withdrawn": N_("withdrawn"),
    "error": N_("error"),
    "warning": N_("warning"),
    "info": N_("info"),
    "run": N_("run"),
    "launch": N_("launch"),
    "human": N_("human"),
    "physical": N_("physical"),
    "intellectual": N_("intellectual"),
    "financial": N_("financial"),
    "data": N_("data"),
    "channel": N_("channel"),
    "other": N_("other"),
}


def word(language: str, value: str) -> str:
    """A status, severity, phase or resource kind as a word in ``language`` (``in_place``: ``en place``)."""
    return tr(language, WORDS[value]) if value in WORDS else value
