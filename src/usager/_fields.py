"""One description of each field: a :class:`Spec` in the attrs field's metadata.

Every field of every element (and of the canvas) says once what it holds: an id,
a reference to other elements, text, a choice among an enum's members, a bounded
integer... Everything else is derived from that description: the validator that
runs at construction (added by :func:`described`), the document reader
(:meth:`Spec.read`), the JSON fast path, the JSON Schema, the CSV cells, the
journey graph's references and the Hypothesis strategies.

A class opts in with ``@attrs.frozen(kw_only=True, field_transformer=described)``
and gives each field ``metadata=`` one of :data:`ID`, :data:`LABEL`,
:data:`TEXT`, :data:`TEXTS`, :func:`ref`, :func:`refs`, :func:`choice`,
:func:`integer`, :data:`BOOLEAN`, :data:`NUMBER` or :func:`elements`.
Converters stay in the class (``converter=``) because they also tell type
checkers what ``__init__`` accepts.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any, Literal, NoReturn, TypeVar

import attrs

from usager._i18n import say, word_values
from usager._repr import fields_repr
from usager._text import id_problem, is_blank, text_problem
from usager.errors import ElementError, LoadError, Problem, shown

__all__ = [
    "BOOLEAN",
    "CODES",
    "ID",
    "LABEL",
    "MAX_PROBLEMS",
    "NUMBER",
    "RULE_CODE",
    "SPEC",
    "TEXT",
    "TEXTS",
    "Checked",
    "Kind",
    "NonFinite",
    "Problems",
    "Spec",
    "about",
    "assert_never",
    "choice",
    "describe",
    "described",
    "elements",
    "integer",
    "is_finite",
    "kinds_shaped",
    "long_number",
    "ref",
    "refs",
    "shape_of",
    "since",
    "spec_of",
    "specs",
    "suggested",
    "to_enum",
    "to_tuple",
    "v2",
]

E = TypeVar("E", bound=Enum)

#: What a rule code looks like.
RULE_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}[0-9]{3}")

#: How many problems a reader keeps; past that it counts them.
MAX_PROBLEMS = 200

#: The metadata key under which a field keeps its :class:`Spec`.
SPEC = "usager"


class Kind(str, Enum):
    """What sort of value a field holds."""

    ID = "id"
    """The element's own id."""
    REF = "ref"
    """The id of another element (``None`` allowed when the spec is optional)."""
    REFS = "refs"
    """A list of ids of other elements."""
    TEXT = "text"
    """Any text (no NUL, no lone surrogate)."""
    LABEL = "label"
    """Text that may not be blank."""
    TEXTS = "texts"
    """A list of texts."""
    CHOICE = "choice"
    """A member of an enum, written as its value."""
    INTEGER = "integer"
    """A whole number within bounds."""
    BOOLEAN = "boolean"
    """``True`` or ``False``."""
    NUMBER = "number"
    """A finite number."""
    CODES = "codes"
    """A list of rule codes (``"U020"``)."""
    ELEMENTS = "elements"
    """A list of elements of one class (the canvas's lists)."""


def assert_never(value: NoReturn) -> NoReturn:
    """End a dispatch on :class:`Kind` (or any enum): mypy refuses the call while a member is unhandled.

    Each ``if kind is Kind.X ... elif ...`` ladder ends with ``else: assert_never(kind)``, so a new
    :class:`Kind` makes ``mypy --strict`` list every place that must learn it. (``typing.assert_never``
    is Python 3.11's; this is the same for 3.10.)
    """
    raise AssertionError(f"unhandled: {value!r}")


#: What one value of a field of a kind is, in a document (see :func:`shape_of`).
Shape = Literal["text", "number", "boolean", "choice", "texts", "codes", "elements"]


def shape_of(kind: Kind) -> Shape:
    """What one value of a field of ``kind`` is, in a document: text, a number, a boolean, a choice, a list...

    The groups of kinds the formats treat alike (the cells written as text, the values YAML
    reads as numbers...) are made from this, so that a new :class:`Kind` is placed here once,
    where ``mypy`` asks for it, and nowhere does it read silently as text.
    """
    if kind is Kind.ID or kind is Kind.REF or kind is Kind.TEXT or kind is Kind.LABEL:
        return "text"
    elif kind is Kind.INTEGER or kind is Kind.NUMBER:
        return "number"
    elif kind is Kind.BOOLEAN:
        return "boolean"
    elif kind is Kind.CHOICE:
        return "choice"
    elif kind is Kind.REFS or kind is Kind.TEXTS:
        return "texts"
    elif kind is Kind.CODES:
        return "codes"
    elif kind is Kind.ELEMENTS:
        return "elements"
    else:
        assert_never(kind)


def kinds_shaped(*shapes: Shape) -> frozenset[Kind]:
    """The kinds whose values have one of ``shapes`` (``kinds_shaped("number", "boolean")``)."""
    return frozenset(kind for kind in Kind if shape_of(kind) in shapes)


class NonFinite:
    """Stands in for ``NaN``/``Infinity`` read by a lenient parser, so the reader can say where it was."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __repr__(self) -> str:
        return self.token


#: A message writes an integer of more digits than this cut (:func:`long_number`).
_SHOWN_DIGITS = 40
#: Past this many bits, an integer's digits are only estimated (counting them exactly costs too much).
_COUNTED_BITS = 1 << 20


def long_number(value: int) -> str | None:
    """An integer of more than 40 digits as a message shows it, ``12345…(5001 digits)``; None for a shorter one.

    Python refuses to write an integer of more than a few thousand digits as text, and a
    message repeats no value whole: the leading digits are shown, and how many there are.
    """
    if -(10**_SHOWN_DIGITS) < value < 10**_SHOWN_DIGITS:
        return None
    magnitude = abs(value)
    sign = "-" if value < 0 else ""
    bits = magnitude.bit_length()
    digits = int(bits * 0.30102999566398120)  # log10(2): the count is this or one more
    if bits > _COUNTED_BITS:
        return sign + say("an integer of about {digits} digits", digits=digits)
    while 10**digits <= magnitude:
        digits += 1
    leading = magnitude // 10 ** (digits - 20)
    return sign + say("{leading}… ({digits} digits)", leading=leading, digits=digits)


def is_finite(value: int | float) -> bool:
    """Whether ``value`` is a finite number a float can hold (an integer too large for one is not)."""
    if type(value) is float:
        return math.isfinite(value)
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond the largest float
        return False


def describe(value: object) -> str:
    """Describe a value for a message, as a document would hold it: ``null``, ``the string 'x'``, ``an array``...

    Every message about a value says it this way, whether the value was read from a
    document or given in Python (``True`` is ``the boolean true``, ``None`` is ``null``).
    """
    if value is None:
        return "null"
    if value is True or value is False:
        return say("the boolean {value}", value="true" if value else "false")
    if isinstance(value, Enum):  # a member of another enum than the field's
        return say("the string {value}", value=shown(str(value.value), 40))
    if isinstance(value, str):
        return say("the string {value}", value=shown(value, 40))
    if isinstance(value, int):
        return say("the number {value}", value=long_number(value) or value)
    if isinstance(value, float):
        if math.isnan(value):
            return say("NaN, which is no number")
        return (
            say("the number {value}", value=repr(value))
            if math.isfinite(value)
            else say("a number too large to represent")
        )
    if isinstance(value, NonFinite):
        return say("{token}, which JSON does not allow", token=value.token)
    if isinstance(value, list):
        return say("an array")
    if isinstance(value, dict):
        return say("an object")
    return say("a {type}", type=type(value).__name__)


def to_enum(cls: type[E], value: object) -> E | Any:
    """Return the member of ``cls`` that ``value`` is or names, else ``value`` itself."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            return value
    return value


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...] | Any:
    """Return ``value`` as a tuple; a string or a non-iterable is passed through."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes)):
        return value
    try:
        return tuple(value)
    except TypeError:
        return value


@functools.cache
def _numeral() -> re.Pattern[str]:
    """What a number written as text looks like (compiled on first use: only messages need it)."""
    return re.compile(r"\s*[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\s*")


def _unquoted(raw: object) -> str:
    """What to write instead of a number given as text: ``; write it without quotes: 3``."""
    if type(raw) is str and len(raw) <= 40 and _numeral().fullmatch(raw):
        return say("; write it without quotes: {number}", number=raw.strip())
    return ""


class Problems:
    """The problems a reader finds, in order: the first :data:`MAX_PROBLEMS` kept, the others counted.

    Refusing a document must cost about what reading it costs: past the limit
    nothing more is rendered, only counted (``more``).
    """

    __slots__ = ("at_keys", "items", "limit", "more")

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self.limit = limit
        #: The indexes in ``items`` of problems about a key itself (unknown, given twice), not its value.
        self.at_keys: set[int] = set()

    @property
    def full(self) -> bool:
        """Whether no more problem will be kept (each further one is only counted)."""
        return len(self.items) >= self.limit

    def add(self, path: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        """Record ``message`` at the JSON path ``path``; ``key`` when it concerns the key, not its value."""
        if len(self.items) >= self.limit:
            self.more += 1
        else:
            if key:
                self.at_keys.add(len(self.items))
            self.items.append(Problem.at(path, message))

    def __len__(self) -> int:
        return len(self.items) + self.more

    def error(self, source: str | None = None) -> LoadError:
        """The :class:`~usager.errors.LoadError` holding these problems."""
        return LoadError(self.items, source=source, more=self.more)


#: A range of at most this many values and one is written out in messages (``1, 2 or 3``).
_WRITTEN_OUT = 6
#: A string of at most this many characters given for a list is shown as the list it likely meant.
_SHOWN_LIST = 200


def suggested(value: str | None) -> str:
    """The clause a message ends with, in the language spoken: ``; did you mean 'physical'?``, or nothing."""
    return "" if value is None else say("; did you mean {value}?", value=repr(value))


#: What :meth:`Spec.check` yields: the list index concerned (or None) and why.
Issue = tuple[int | None, str]
#: The kinds of field that hold a list.
_LIST_KINDS = kinds_shaped("texts", "codes", "elements")


@fields_repr
@attrs.frozen(repr=False)
class Spec:
    """The description of one field.

    ``optional`` fields also take ``None``. ``choices`` is the enum of a
    :attr:`Kind.CHOICE` field; ``low`` and ``high`` bound an
    :attr:`Kind.INTEGER`; ``element`` is the class an :attr:`Kind.ELEMENTS`
    list holds. A reference (:attr:`Kind.REF`, :attr:`Kind.REFS`) names
    elements of the kinds in ``targets`` (``"stage"``, ``"facilitator"``...),
    and is an edge of the journey graph with ``relation``, running from the
    named element to this one when ``reverse``. ``key`` is the document key
    when it differs from the field's name. ``since`` is the version of the
    format that brought the key (``2`` for ``usager/2``): a document of an
    older format may not use it. ``doc`` says in a sentence what the field
    holds, for people: the JSON Schema's descriptions (an editor's help on
    hover) come from it.
    """

    kind: Kind
    optional: bool = False
    choices: type[Enum] | None = None
    low: int | None = None
    high: int | None = None
    targets: tuple[str, ...] = ()
    relation: str = ""
    reverse: bool = False
    element: type[Any] | None = None
    key: str | None = None
    since: int = 1
    doc: str = ""
    #: What the values of an integer field mean, for messages (a message to translate: ``3 = blocks the user``).
    meaning: str = ""
    #: Whether the field holds a list (stored as a tuple): set from ``kind``, read on every value.
    is_list: bool = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "is_list", self.kind in _LIST_KINDS)

    def metadata(self) -> dict[str, Spec]:
        """The field metadata carrying this spec."""
        return {SPEC: self}

    # ------------------------------------------------------------ values

    def allowed(self) -> str:
        """The values a choice takes, for messages: ``'low', 'medium', 'high' or null``."""
        assert self.choices is not None
        values = ", ".join(repr(m.value) for m in self.choices)
        return values + (say(" or null") if self.optional else "")

    def not_a_choice(self, value: object, *, suggest: bool = True) -> str:
        """Why ``value`` is none of the choice's values, with the value it most likely stands for.

        ``'Digital skills'`` gets ``...; did you mean 'digital_skills'?``: the value
        is still refused, and the message says what to write. ``suggest=False`` leaves the
        suggestion out (a reader past its limit of problems only counts them).
        """
        assert self.choices is not None
        hint = ""
        if suggest and isinstance(value, str):
            from usager._suggest import MAX_LENGTH  # only for a message: importing usager stays light

            if len(value) <= MAX_LENGTH:  # no enum value is longer
                hint = suggested(_closest_member(self.choices, value))
        return say("expected one of {allowed}, found {found}", allowed=self.allowed(), found=describe(value)) + hint

    def _scalar(self, value: Any, name: str | None = None) -> str | None:
        """Why ``value``, already of the right type, is not acceptable; None when it is.

        ``name`` is the field's key, when known, for the messages that name it (``the name is empty``).
        """
        kind = self.kind
        if kind is Kind.ID or kind is Kind.REF or kind is Kind.REFS:
            return id_problem(value, reference=kind is not Kind.ID, say=say)
        elif kind is Kind.LABEL:
            problem = text_problem(value, say=say)
            if problem or not is_blank(value):
                return problem
            if name is None:
                return say("is empty: write some text")
            return say("the {name} is empty: write some text", name=name)
        elif kind is Kind.TEXT or kind is Kind.TEXTS:
            return text_problem(value, say=say)
        elif kind is Kind.CODES:
            if RULE_CODE.fullmatch(value) is None:
                return say("expected a rule code such as 'U020' or 'TEAM001', found {found}", found=describe(value))
            return None
        elif kind is Kind.INTEGER:
            low, high = self.low, self.high
            if (low is not None and value < low) or (high is not None and value > high):
                return say("expected {expected}, found {found}", expected=self._expected(), found=describe(value))
            return None
        elif kind is Kind.NUMBER:
            if is_finite(value):
                return None
            return say("expected {expected}, found {found}", expected=self._expected(), found=describe(value))
        elif kind is Kind.CHOICE or kind is Kind.BOOLEAN or kind is Kind.ELEMENTS:
            return None
        else:
            assert_never(kind)

    def _typed(self, value: object) -> bool:
        """Whether ``value`` is of the type a single item of this field holds."""
        kind = self.kind
        if kind is Kind.ID or kind is Kind.REF or kind is Kind.TEXT or kind is Kind.LABEL:
            return type(value) is str
        elif kind is Kind.CHOICE:
            assert self.choices is not None
            return isinstance(value, self.choices)
        elif kind is Kind.REFS or kind is Kind.TEXTS or kind is Kind.CODES:
            return type(value) is str
        elif kind is Kind.INTEGER:
            return type(value) is int
        elif kind is Kind.BOOLEAN:
            return type(value) is bool
        elif kind is Kind.NUMBER:
            return type(value) is int or type(value) is float
        elif kind is Kind.ELEMENTS:
            return type(value) is self.element
        else:
            assert_never(kind)

    def _expected(self) -> str:
        """What a single value (or item) of this field is, for messages: ``an integer from 1 to 3 or null``."""
        kind = self.kind
        or_null = say(" or null") if self.optional else ""
        if kind is Kind.CHOICE:
            return say("one of {allowed}", allowed=self.allowed())
        elif kind is Kind.INTEGER:
            return self._whole_numbers() + or_null
        elif kind is Kind.BOOLEAN:
            return say("true or false")
        elif kind is Kind.NUMBER:
            return say("a finite number") + or_null
        elif kind is Kind.ID or kind is Kind.REF or kind is Kind.REFS:
            return say("an id (a string)") + or_null
        elif kind is Kind.ELEMENTS:
            assert self.element is not None
            return say("a {type}", type=self.element.__name__)
        elif kind in (Kind.TEXT, Kind.LABEL, Kind.TEXTS, Kind.CODES):
            return say("a string") + or_null
        else:
            assert_never(kind)

    def _whole_numbers(self) -> str:
        """The whole numbers an integer field takes, in plain words: ``1, 2 or 3 (3 = blocks the user)``.

        A short range is written out, with what its values mean when the spec says (``meaning``);
        a longer one is ``an integer from 0 to 150``.
        """
        low, high = self.low, self.high
        if low is None or high is None or high - low > _WRITTEN_OUT:
            text = say("an integer from {low} to {high}", low=low, high=high)
        else:
            values = [str(n) for n in range(low, high + 1)]
            text = (
                say("{values} or {last}", values=", ".join(values[:-1]), last=values[-1])
                if len(values) > 1
                else values[0]
            )
        return text + (f" ({say(self.meaning)})" if self.meaning else "")

    def _items(self) -> str:
        """What a list of this field holds, for messages: ``ids``, ``strings``, ``rule codes``, ``Brake``."""
        if self.kind is Kind.ELEMENTS:
            assert self.element is not None
            return self.element.__name__
        if self.kind is Kind.REFS:
            return say("ids")
        return say("rule codes") if self.kind is Kind.CODES else say("strings")

    def _not_a_list(self, value: object) -> str:
        """Why ``value`` is not this field's list: a string is shown as the list it likely meant.

        ``'tourist, senior'`` for a list of ids gets ``expected a list like [tourist, senior]``,
        written with the user's own values.
        """
        found = describe(value)
        if type(value) is str and self.kind is not Kind.ELEMENTS and len(value) <= _SHOWN_LIST:
            items = [item.strip() for item in value.split(",")] if self.kind is not Kind.TEXTS else [value.strip()]
            items = [item for item in items if item]
            if items and all(item.isprintable() for item in items):
                like = "[" + ", ".join(items) + "]"
                return say("expected a list like {like}, found {found}", like=like, found=found)
        return say("expected a list of {items}, found {found}", items=self._items(), found=found)

    def issues(
        self, value: Any, sequence: type[Any] = tuple, *, suggest: bool = True, name: str | None = None
    ) -> Iterator[Issue]:
        """Yield what is wrong with ``value`` for this field: its one validator, whoever reads the value.

        Construction gives the value its converter made (a list as a tuple, a choice as its
        member); every reader gives the plain value it read (``sequence=list``, a choice as
        its text), so a bad value has the same message whatever it came from: ``Brake(severity=True)``
        and ``"severity": true`` in JSON, YAML, TOML or a CSV cell all say
        ``expected 1, 2 or 3 (3 = blocks the user), found the boolean true``, in the language
        spoken (:func:`~usager._i18n.speaking`). Each issue is the list index concerned (None
        for the value itself) and why. ``name``, the field's key, lets a message name it
        (``the name is empty``).
        """
        if value is None and self.optional:
            return
        if self.is_list:
            if type(value) is not sequence:
                yield None, self._not_a_list(value)
                return
            for i, item in enumerate(value):
                if not self._typed(item):
                    yield i, say("expected {expected}, found {found}", expected=self._expected(), found=describe(item))
                else:
                    problem = self._scalar(item)
                    if problem:
                        yield i, problem
            return
        if not self._typed(value):
            if self.kind is Kind.CHOICE:
                yield None, self.not_a_choice(value, suggest=suggest)
            elif self.kind is Kind.INTEGER or self.kind is Kind.NUMBER:
                expected = say("expected {expected}, found {found}", expected=self._expected(), found=describe(value))
                yield None, expected + _unquoted(value)
            else:
                yield None, say("expected {expected}, found {found}", expected=self._expected(), found=describe(value))
            return
        problem = self._scalar(value, name)
        if problem:
            yield None, problem

    def check(self, value: object, name: str | None = None) -> Iterator[Issue]:
        """Yield what is wrong with ``value``, a Python value of this field (after its converter), named ``name``."""
        return self.issues(value, name=name)

    # ------------------------------------------------------------ documents

    def read(self, raw: Any, path: tuple[str | int, ...], problems: Problems) -> Any:
        """The Python value of ``raw``, a plain document value (JSON's types) found at ``path``.

        Each thing wrong is added to ``problems`` with its path, by :meth:`issues`, the
        validator construction uses too; the value returned is meaningful only when none was.
        Types are strict: ``null`` is not a string, ``"3"`` and ``2.9`` are not integers,
        ``true`` is not a number.
        """
        if raw is None and self.optional:
            return None
        value = raw
        if self.kind is Kind.CHOICE and type(raw) is str:
            assert self.choices is not None
            value = to_enum(self.choices, raw)
        # The common cases, a right value, are told by the validator's own checks without a generator.
        if self.is_list:
            if type(raw) is list:
                scalar = self._scalar
                if all(type(item) is str and scalar(item) is None for item in raw):
                    return tuple(raw)
        elif self._typed(value) and self._scalar(value) is None:
            return value
        key = next((step for step in reversed(path) if type(step) is str), None)
        for index, reason in self.issues(value, list, suggest=not problems.full, name=key):
            problems.add(path if index is None else (*path, index), reason)
        return tuple(raw) if type(raw) is list and self.is_list else value

    def to_plain(self, value: Any) -> Any:
        """``value`` as a plain document value: enum members as their value, tuples as lists."""
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, tuple):
            return list(value)
        return value


@functools.lru_cache(maxsize=1024)
def _closest_member(choices: type[Enum], value: str) -> str | None:
    """The value of the member of ``choices`` that ``value`` most likely stands for (cached: misses repeat)."""
    from usager._suggest import closest

    return closest(value, _member_keys(choices))


@functools.cache
def _member_keys(choices: type[Enum]) -> dict[str, str]:
    """Each member's value by the :func:`~usager._suggest.folded` key of the value and of its aliases.

    An enum may name its members in other words with a class method ``aliases()``
    returning ``{alias: member}`` (a stage kind's label in each language); a value that
    has a word in a catalog (:func:`~usager._i18n.word_values`) is known by that word too.
    """
    from usager._suggest import folded, keyed

    keys = keyed(str(m.value) for m in choices)
    aliases = getattr(choices, "aliases", None)
    if callable(aliases):
        for alias, member in aliases().items():
            keys.setdefault(folded(alias), str(member.value))
    values = {str(m.value) for m in choices}
    for said, value in word_values().items():  # a value in the words of a catalog: "physique"
        if value in values:
            keys.setdefault(folded(said), value)
    return keys


# ---------------------------------------------------------------- the descriptions


def _spec(kind: Kind, **details: Any) -> dict[str, Spec]:
    return Spec(kind, **details).metadata()


#: The element's own id.
ID = _spec(Kind.ID, doc="The element's id, unique across the canvas: references name the element by it.")
#: Any text.
TEXT = _spec(Kind.TEXT)
#: Non-blank text: a name or a label.
LABEL = _spec(Kind.LABEL)
#: A list of texts.
TEXTS = _spec(Kind.TEXTS)
#: True or false.
BOOLEAN = _spec(Kind.BOOLEAN)
#: A finite number, or null.
NUMBER = _spec(Kind.NUMBER, optional=True)


#: A list of rule codes (``suppress``).
CODES = _spec(Kind.CODES)


def about(doc: str, metadata: dict[str, Spec]) -> dict[str, Spec]:
    """The same description, with ``doc``: what the field holds, in a sentence for people."""
    return attrs.evolve(metadata[SPEC], doc=doc).metadata()


def since(version: int, metadata: dict[str, Spec]) -> dict[str, Spec]:
    """The same description, for a key (a field, or a list of the canvas) that format ``usager/{version}`` brought.

    A document of an older format may not use it, and the format usager writes is the
    newest any field or list was brought by.
    """
    return attrs.evolve(metadata[SPEC], since=version).metadata()


def v2(metadata: dict[str, Spec]) -> dict[str, Spec]:
    """The same description, for a key that format ``usager/2`` brought (``since(2, ...)``)."""
    return since(2, metadata)


def ref(*targets: str, relation: str, optional: bool = False, reverse: bool = False) -> dict[str, Spec]:
    """A reference to one element of the kinds ``targets``: the graph edge ``relation``."""
    return _spec(Kind.REF, targets=targets, relation=relation, optional=optional, reverse=reverse)


def refs(*targets: str, relation: str) -> dict[str, Spec]:
    """A list of references to elements of the kinds ``targets``: graph edges ``relation``."""
    return _spec(Kind.REFS, targets=targets, relation=relation)


def choice(cls: type[Enum], *, optional: bool = False) -> dict[str, Spec]:
    """A member of ``cls`` (or ``None`` when ``optional``)."""
    return _spec(Kind.CHOICE, choices=cls, optional=optional)


def integer(low: int, high: int, *, optional: bool = False, meaning: str = "") -> dict[str, Spec]:
    """A whole number from ``low`` to ``high`` (or ``None`` when ``optional``).

    ``meaning`` says what the values mean, for messages (``N_("3 = blocks the user")``).
    """
    return _spec(Kind.INTEGER, low=low, high=high, optional=optional, meaning=meaning)


def elements(cls: type[Any]) -> dict[str, Spec]:
    """A list of ``cls`` instances."""
    return _spec(Kind.ELEMENTS, element=cls)


def spec_of(field: attrs.Attribute[Any]) -> Spec:
    """The :class:`Spec` of an attrs field of a described class."""
    spec = field.metadata.get(SPEC)
    if not isinstance(spec, Spec):
        raise TypeError(f"the field {field.name!r} has no usager description (metadata={field.metadata!r})")
    return spec


def specs(cls: type[Any]) -> tuple[tuple[attrs.Attribute[Any], Spec], ...]:
    """Each initialisable field of the described class ``cls`` with its :class:`Spec`, in order."""
    return tuple((f, spec_of(f)) for f in attrs.fields(cls) if f.init)


class Checked:
    """The one attrs validator of a described class: it checks each of the class's fields, in order.

    attrs writes a line of ``__init__`` for each field's validator and compiles it
    with the class; one validator for the class keeps ``__init__`` short (and
    ``import usager`` quicker). It sits on the class's last field, so it runs once
    every field is set, and raises :class:`~usager.errors.ElementError` for the
    first problem of the first field that has one, as a validator per field did.
    """

    __slots__ = ("fields",)

    def __init__(self, fields: tuple[tuple[str, Spec], ...]) -> None:
        self.fields = fields

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        """Raise :class:`~usager.errors.ElementError` for the first problem of ``instance``'s fields."""
        for name, spec in self.fields:
            for index, reason in spec.check(getattr(instance, name), name):
                raise ElementError(type(instance).__name__, name if index is None else f"{name}[{index}]", reason)

    def __repr__(self) -> str:
        return f"<usager validator of {', '.join(name for name, _ in self.fields)}>"


def described(cls: type[Any], fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: the class's fields are validated as their :class:`Spec` says.

    A field given a validator of its own, or no description, or a description
    without its ``doc`` (see :func:`about`), is refused when the class is made,
    so that no field escapes the one description. The fields are checked by one
    :class:`Checked`, the validator of the last of them.
    """
    checked = []
    for field in fields:
        if not field.init:
            continue
        spec = spec_of(field)
        if field.validator is not None:
            raise TypeError(f"{cls.__name__}.{field.name}: the validator comes from the description; give none")
        if not spec.doc:
            raise TypeError(f"{cls.__name__}.{field.name}: say what the field holds, with about('...', ...)")
        checked.append((field.name, spec))
    if not checked:
        return fields
    last = max(i for i, field in enumerate(fields) if field.init)
    result = list(fields)
    result[last] = fields[last].evolve(validator=Checked(tuple(checked)))
    return result
