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

:func:`tr` translates a message and fills its ``{name}`` fields; :func:`trn`
translates a message about a count, in the singular or plural form the
catalog's ``Plural-Forms`` header picks (in French, 0 and 1 are singular);
:func:`N_` marks a message kept as data, to be translated where it is shown.
A test checks that every message the code uses has a translation in every
catalog, with the same fields.

Messages about a document (what is wrong with it, the command line's summary
lines) are said in the language *spoken* at the time: :func:`speaking` sets it
for a block of code (a loader speaks the document's ``language`` while it reads
it), :func:`say` and :func:`say_n` translate into it. :func:`language_of_text`
finds the ``language`` key of a text that cannot be read through, and
:func:`environment_language` the one the environment asks for (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from usager import errors

if TYPE_CHECKING:
    import gettext

__all__ = [
    "LANGUAGES",
    "N_",
    "WORDS",
    "catalog_path",
    "environment_language",
    "known_language",
    "language_of_text",
    "read_po",
    "say",
    "say_n",
    "speaking",
    "spoken",
    "tr",
    "translation",
    "trn",
    "word",
    "word_values",
]

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


#: What joins the singular and plural forms of a message about a count, as in a compiled ``.mo``
#: catalog: ``"{n} brake\x00{n} brakes"`` is the key of the translations ``"{n} frein\x00{n} freins"``.
PLURAL_SEPARATOR = "\x00"
_INDEXED = re.compile(r"msgstr\[([0-9])\] ")


def read_po(text: str, source: str = "<po>") -> dict[str, str]:
    """The translations of a PO catalog: ``msgid`` to ``msgstr``, fuzzy and empty ones left out.

    An entry about a count (``msgid``, ``msgid_plural``, then ``msgstr[0]``, ``msgstr[1]``...)
    is kept as a compiled catalog keeps it: its two English forms joined by
    :data:`PLURAL_SEPARATOR`, giving its forms joined the same way. Raises ``ValueError``
    naming the line for a form the reader does not know.
    """
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    plural: list[str] | None = None
    msgstr: list[str] | None = None
    forms: dict[int, list[str]] = {}
    current: list[str] | None = None
    fuzzy = next_fuzzy = False

    def finish() -> None:
        if msgid is None or fuzzy:
            return
        key = "".join(msgid)
        if plural is not None:
            values = ["".join(forms[i]) for i in sorted(forms)]
            if key and values and all(values) and sorted(forms) == list(range(len(forms))):
                entries[key + PLURAL_SEPARATOR + "".join(plural)] = PLURAL_SEPARATOR.join(values)
        elif msgstr is not None:
            value = "".join(msgstr)
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
        indexed = _INDEXED.match(stripped)
        if stripped.startswith("msgid "):
            finish()
            msgid, msgstr, fuzzy, next_fuzzy = [_unquote(stripped[6:], where)], None, next_fuzzy, False
            plural, forms = None, {}
            current = msgid
        elif stripped.startswith("msgid_plural "):
            if msgid is None or msgstr is not None or forms:
                raise ValueError(f"{where}: msgid_plural must follow a msgid")
            plural = [_unquote(stripped[13:], where)]
            current = plural
        elif stripped.startswith("msgstr "):
            if msgid is None:
                raise ValueError(f"{where}: msgstr without msgid")
            if plural is not None:
                raise ValueError(f"{where}: a message with msgid_plural takes msgstr[0], msgstr[1]...")
            msgstr = [_unquote(stripped[7:], where)]
            current = msgstr
        elif indexed is not None:
            if plural is None:
                raise ValueError(f"{where}: msgstr[{indexed[1]}] without msgid_plural")
            current = forms[int(indexed[1])] = [_unquote(stripped[indexed.end() :], where)]
        elif stripped.startswith('"') and current is not None:
            current.append(_unquote(stripped, where))
        else:
            raise ValueError(f"{where}: not a form this reader knows: {stripped[:40]!r}")
    finish()
    return entries


#: The plural rule in a catalog's header: ``"Plural-Forms: nplurals=2; plural=(n > 1);\n"``.
_PLURAL_FORMS = re.compile(r'"Plural-Forms:[^"\n]*?plural=([^;"\\\n]*)')


def plural_rule(text: str) -> Callable[[int], int]:
    """Which form of a message about ``n`` things the catalog ``text`` uses, from its ``Plural-Forms`` header.

    The header's C expression (``(n > 1)`` in French) is read by :mod:`gettext`'s own reader;
    without a header, English's rule: the first form for 1, the second otherwise.
    """
    import gettext

    found = _PLURAL_FORMS.search(text)
    if found is None:
        return lambda n: int(n != 1)
    return gettext.c2py(found[1].strip())


@functools.cache
def translation(language: str) -> gettext.NullTranslations:
    """The gettext translation for ``language``: its catalog, or the messages as written (English).

    :mod:`gettext` is imported here, on first use, so that ``import usager`` does not pay for it.
    """
    import gettext

    class Catalog(gettext.NullTranslations):
        """A gettext translation served from the messages of a PO catalog."""

        def __init__(self, messages: dict[str, str], plural: Callable[[int], int]) -> None:
            super().__init__()
            self.messages = messages
            self.plural = plural

        def gettext(self, message: str) -> str:
            """The translation of ``message``, or ``message`` itself when the catalog has none."""
            return self.messages.get(message, message)

        def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
            """The form of the translation for ``n`` things, or the English form when the catalog has none."""
            forms = self.messages.get(msgid1 + PLURAL_SEPARATOR + msgid2)
            if forms is not None:
                chosen = forms.split(PLURAL_SEPARATOR)
                index = self.plural(n)
                if 0 <= index < len(chosen):
                    return chosen[index]
            return msgid1 if n == 1 else msgid2

    code = str(getattr(language, "value", language))
    if code not in LANGUAGES:
        return gettext.NullTranslations()
    path = catalog_path(code)
    text = path.read_text(encoding="utf-8")
    return Catalog(read_po(text, source=path.name), plural_rule(text))


def tr(language: str, message: str, /, **fields: object) -> str:
    """``message`` in ``language``, with its ``{name}`` fields filled from ``fields``."""
    text = translation(language).gettext(message)
    return text.format(**fields) if fields else text


def trn(language: str, singular: str, plural: str, n: int, /, **fields: object) -> str:
    """The message about ``n`` things in ``language``, in the form ``n`` takes, its fields (``{n}`` too) filled.

    ```pycon
    >>> trn("fr", "{n} error", "{n} errors", 1), trn("fr", "{n} error", "{n} errors", 0)
    ('1 erreur', '0 erreur')
    >>> trn("en", "{n} error", "{n} errors", 0)
    '0 errors'

    ```
    """
    return translation(language).ngettext(singular, plural, n).format(n=n, **fields)


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


@functools.cache
def _word_values() -> dict[str, str]:
    words: dict[str, str] = {}
    for language in LANGUAGES:
        for value, message in WORDS.items():
            words.setdefault(tr(language, message), value)
    return words


def word_values() -> Mapping[str, str]:
    """Each value of :data:`WORDS` by its word in every catalog's language (``physique``: ``physical``).

    A value written in the words of a canvas's language is suggested as the value itself.
    """
    return _word_values()


# ---------------------------------------------------------------- the language spoken

#: The language messages about documents are said in, for the code running now.
_SPOKEN: contextvars.ContextVar[str] = contextvars.ContextVar("usager_spoken", default="en")


def known_language(language: object) -> str | None:
    """``language`` as a language messages can be said in (``en``, ``fr``), or None.

    Case does not count, and a region or encoding is dropped: ``fr_CA.UTF-8`` is ``fr``.
    """
    if not isinstance(language, str):
        language = getattr(language, "value", None)
        if not isinstance(language, str):
            return None
    code = re.split(r"[_.@-]", language.strip(), maxsplit=1)[0].casefold()
    return code if code == "en" or code in LANGUAGES else None


def spoken() -> str:
    """The language messages about documents are said in now (``en`` unless :func:`speaking` says otherwise)."""
    return _SPOKEN.get()


@contextlib.contextmanager
def speaking(language: object) -> Iterator[str]:
    """Say messages in ``language`` inside the block: ``"en"`` or a catalog's (``"fr"``), exactly.

    Any other value (``None``, ``"FR"``, a language without a catalog) leaves the language as
    it is. Yields the language spoken inside the block.
    """
    code = str(getattr(language, "value", language))
    if code != "en" and code not in LANGUAGES:
        yield spoken()
        return
    token = _SPOKEN.set(code)
    try:
        yield code
    finally:
        _SPOKEN.reset(token)


def say(message: str, /, **fields: object) -> str:
    """``message`` in the language spoken now, its ``{name}`` fields filled."""
    return tr(spoken(), message, **fields)


def say_n(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """The message about ``n`` things in the language spoken now (see :func:`trn`)."""
    return trn(spoken(), singular, plural, n, **fields)


def environment_language(environ: Mapping[str, str]) -> str | None:
    """The language the environment asks messages in, as gettext reads it, or None.

    The first of ``LANGUAGE`` (a list such as ``fr:en``), ``LC_ALL``, ``LC_MESSAGES`` and
    ``LANG`` that is set decides: its first language usager speaks, English for one it does
    not (``de_DE``) and for ``C`` or ``POSIX``.
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        if name == "LANGUAGE":
            known = [known_language(item) for item in value.split(":")]
            chosen = next((k for k in known if k is not None), None)
            if chosen is not None:
                return chosen
            continue
        return known_language(value) or "en"
    return None


#: The ``language`` key of a canvas, as JSON (``"language": "fr"``), YAML (``language: fr``) and
#: TOML (``language = "fr"``) write it at the top level, and a CSV file's canvas row cannot be
#: found without reading it: it is not looked for.
_LANGUAGE_KEY = re.compile(
    r"""(?:"language"\s*:\s*"([A-Za-z_-]{2,12})")"""
    r"""|(?:^language\s*[:=][ \t]*["']?([A-Za-z_-]{2,12})["']?[ \t]*(?:\#.*)?$)""",
    re.M,
)


def language_of_text(text: str | bytes) -> str | None:
    """The canvas language a text names in its ``language`` key, for a text that cannot be read through.

    Used when a document cannot be read far enough to know its language (a syntax error):
    the first ``language`` key found names it, when it is a language usager speaks.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = bytes(text).decode("utf-8", "replace")
    found = _LANGUAGE_KEY.search(text)
    if found is None:
        return None
    value = found[1] or found[2]
    return value if value == "en" or value in LANGUAGES else None


def _count_words(singular: str, plural: str, count: int) -> str:
    """A message of :mod:`usager.errors` about ``count`` things, in the language spoken."""
    return say_n(singular, plural, count)


def _words(message: str) -> str:
    """A message of :mod:`usager.errors`, in the language spoken."""
    return say(message)


# errors imports nothing of usager: its messages about documents are said through these.
errors.speak(_words, _count_words, spoken)
