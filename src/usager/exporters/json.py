"""The ``json`` exporter: the canonical ``usager/2`` document, lossless both ways."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import msgspec

from usager._document import (
    DuplicateKeys,
    ElementsReader,
    Locate,
    NonFinite,
    document_head,
    from_document,
    object_pairs,
)
from usager._fields import Kind, specs
from usager._generated import generate
from usager._i18n import say
from usager._text import decode_text
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import LoadError, OptionError, Problem
from usager.exporters import OptionHelp

__all__ = ["JsonExporter", "decode_text"]


_ENCODER = msgspec.json.Encoder()
#: The names of the element lists, the top-level keys whose items :meth:`JsonExporter.locator` finds fast.
_LISTS = frozenset(name for name, _ in ELEMENT_LISTS)


def _number(value: Any) -> Any:
    """A float as Python spells it (``1e+16``, where msgspec writes ``1e16``), so JSON is what json.dumps writes."""
    return msgspec.Raw(float.__repr__(value).encode("ascii")) if type(value) is float else value


def _writer(cls: type[Any]) -> Callable[[Iterable[Any]], list[msgspec.Struct]]:
    """A function turning elements of ``cls`` into Structs with their keys in document order.

    msgspec writes a Struct's fields in the order declared (an attrs instance's in the order of
    its slots, which CPython sorts) and encodes a Struct faster than a dict. Generated code, like
    attrs' own ``__init__``: a call with positional arguments per element is the cheapest way.
    """
    fields = specs(cls)
    struct = msgspec.defstruct(
        f"_{cls.__name__}Document",
        [(f.name, Any, msgspec.field(name=spec.key)) if spec.key else (f.name, Any) for f, spec in fields],
        gc=False,  # it holds texts, numbers, enum members, tuples of texts: no cycle can go through it
    )
    values = ", ".join(f"_number(e.{f.name})" if spec.kind is Kind.NUMBER else f"e.{f.name}" for f, spec in fields)
    namespace: dict[str, Any] = {"_number": _number, "_struct": struct}
    source = f"def write(items):\n    return [_struct({values}) for e in items]\n"
    return generate(source, "write", f"JSON write {cls.__name__}", namespace)  # type: ignore[no-any-return]


_WRITERS = {name: _writer(cls) for name, cls in ELEMENT_LISTS}


def _document(canvas: Canvas) -> dict[str, Any]:
    """The document as msgspec encodes it: the keys in order, each element a Struct."""
    document = document_head(canvas)
    for name, write in _WRITERS.items():
        document[name] = write(getattr(canvas, name))
    return document


#: Python converts integers of at most this many digits (``sys.get_int_max_str_digits``).
_MAX_DIGITS = 4300


def _integer(text: str) -> int | float:
    """An integer of the JSON text; one too long for Python to convert is infinite, as a too large number is."""
    return int(text) if len(text) <= _MAX_DIGITS else float("inf")


def _parse(text: str) -> Any:
    """The plain values of the JSON text ``text`` (``NaN`` kept to be reported, keys given twice noted).

    Integers are converted by the C decoder itself; only a text holding one of more digits than
    Python converts is read again, each integer through :func:`_integer` (a call per integer).
    """
    try:
        return json.loads(text, parse_constant=NonFinite, object_pairs_hook=object_pairs)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer of more digits than Python converts
        return json.loads(text, parse_constant=NonFinite, parse_int=_integer, object_pairs_hook=object_pairs)


class JsonExporter:
    """The canvas as a ``usager/2`` JSON document (``usager/1`` documents are read too).

    Canonical: every key is written, in the documented order, indented by two
    spaces, non-ASCII text kept readable, one final newline. The same canvas
    always gives the same text, and :meth:`load` gives the same canvas back.
    """

    name = "json"
    suffixes = (".json",)
    media_type = "application/json"
    binary = False
    #: The options :meth:`export` takes, and their types (see :class:`usager.exporters.Exporter`).
    options: Mapping[str, type | tuple[str, ...]] = MappingProxyType({"indent": int})
    #: What each option means, and its default.
    option_help: Mapping[str, OptionHelp] = MappingProxyType(
        {"indent": OptionHelp("spaces per level of nesting; 0 writes the whole document on one line", 2)}
    )

    def export(self, canvas: Canvas, **options: Any) -> str:
        """The canvas as JSON text. Options: ``indent`` (default 2; ``None`` for one line)."""
        indent = options.pop("indent", 2)
        if options:
            unknown = ", ".join(map(repr, options))
            raise OptionError(f"the json exporter takes no option {unknown}; its one option is indent")
        if indent is not None and (type(indent) is not int or indent < 0):
            raise OptionError(f"indent takes a whole number of spaces or None, not {indent!r}")
        # msgspec writes what json.dumps(ensure_ascii=False) writes, many times faster.
        # indent=0 is msgspec's one-line form with json.dumps' ", " and ": " separators.
        text = msgspec.json.format(_ENCODER.encode(_document(canvas)), indent=indent or 0).decode("utf-8")
        # Appending in place: CPython grows a string no one else holds without copying it (a
        # whole copy of the text otherwise, about a tenth of the dump's time).
        text += "\n"
        return text

    def load(self, data: str | bytes, *, source: str | None = None) -> Canvas:
        """Read a ``usager/2`` (or ``usager/1``) JSON document strictly; raise :class:`LoadError` naming where."""
        fast: ElementsReader | None = None
        if isinstance(data, (bytes, bytearray, memoryview, str)):
            raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
            from usager._fastjson import element_reader, fast_load

            canvas = fast_load(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
            if canvas is not None:
                return canvas
            fast = element_reader(raw)
        text = decode_text(data, source=source)
        if not text.strip():
            raise LoadError([Problem("$", say("the document is empty"), line=1, column=1)], source=source)
        try:
            document = _parse(text)
        except json.JSONDecodeError as exc:
            line, column, reason = exc.lineno, exc.colno, exc.msg
            from usager.exporters._formats import jsontext as _jsontext

            try:  # the slow scanner says what is wrong in words, where it is
                _jsontext.scan(text, quick=True)
            except _jsontext.JsonSyntaxError as found:
                line, column, reason = found.line, found.column, found.reason
            except RecursionError:
                pass
            problem = Problem("", say("not valid JSON: {reason}", reason=reason), line=line, column=column)
            raise LoadError([problem], source=source) from None
        except RecursionError:
            raise LoadError.at("$", say("the document is nested too deeply to be a canvas"), source=source) from None
        except ValueError as exc:  # e.g. an integer with more digits than Python converts
            raise LoadError.at("$", say("not a readable JSON document: {reason}", reason=exc), source=source) from None
        locate = _locator(text, unique=type(document) is not DuplicateKeys)
        return from_document(document, source=source, locate=locate, fast=fast)

    def locator(self, data: str | bytes) -> Locate:
        """Where each path stands in the JSON text ``data``, as :meth:`load` tells problems (None for a path not in it).

        The text is read the first time a position is asked for, and then only as deep as the
        paths asked for: the elements (``("brakes", 3)``: the ``{`` of the object) by a fast pass
        over the text, each element's own keys when one of them is asked for.
        """
        return _locator(decode_text(data))


def _locator(text: str, *, unique: bool = False) -> Locate:
    """Where a path stands in ``text``, a JSON text that the reader read: an index built as paths are asked for.

    ``unique``: the reader found no top-level key given twice. The index (and its module) is
    made the first time a position is asked for: a document that reads needs none.
    """
    index: list[Any] = []

    def locate(path: tuple[str | int, ...], key: bool) -> tuple[int, int] | None:
        if not index:
            from usager.exporters._formats import jsontext as _jsontext

            index.append(_jsontext.Index(text, _LISTS, unique=unique))
        return index[0].locate(path, key)  # type: ignore[no-any-return]

    return locate
