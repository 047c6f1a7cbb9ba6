"""Every exception and warning usager raises or issues, and :class:`Problem`.

Every exception the library raises on purpose derives from :class:`UsagerError`.
Each one also subclasses the built-in exception it refines, so code that already
catches :class:`ValueError` (or :class:`LookupError`, :class:`TypeError`...)
keeps working. This module imports nothing else of usager at run time: every
other module may import it.

User text repeated in a message is shown by :func:`shown`: quoted, with control
characters escaped, and cut when long, so that no value can forge a line of the
message, clear a terminal, or make a message megabytes long. Text that stands in a
message unquoted (a file name, a rule's message naming labels, what a plugin's
exception says) goes through :func:`escaped`, which escapes the same characters.

The few words of this module's messages about a document (``3 problems:``) are said
in the language spoken at the time, through the functions :func:`speak` is given
(by :mod:`usager._i18n`, which this module may not import); English until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # for annotations only: findings imports nothing of usager
    from usager.findings import Finding

__all__ = [
    "CannotLoadError",
    "CanvasError",
    "ElementError",
    "ExporterError",
    "ExporterUnavailableError",
    "ExporterWarning",
    "GraphvizNotFoundError",
    "LoadError",
    "OptionError",
    "OutputPathError",
    "Problem",
    "RenderError",
    "RuleWarning",
    "UnknownExporterError",
    "UnknownIdError",
    "UnknownRuleError",
    "UsagerError",
    "escaped",
    "render_path",
    "shown",
    "speak",
]

#: How many problems a :class:`LoadError` message spells out before summarising.
_SHOWN_PROBLEMS = 20
#: How many characters of a user's value a message repeats.
_SHOWN_CHARACTERS = 60


def _english(message: str) -> str:
    return message


def _english_count(singular: str, plural: str, count: int) -> str:
    return (singular if count == 1 else plural).format(n=count)


def _english_spoken() -> str:
    return "en"


_say: Callable[[str], str] = _english
_say_count: Callable[[str, str, int], str] = _english_count
_spoken: Callable[[], str] = _english_spoken


def speak(say: Callable[[str], str], say_count: Callable[[str, str, int], str], spoken: Callable[[], str]) -> None:
    """Have this module's messages said through ``say(message)`` and ``say_count(singular, plural, n)``.

    ``spoken()`` names the language they are said in (``"fr"``).
    """
    global _say, _say_count, _spoken
    _say, _say_count, _spoken = say, say_count, spoken


def shown(value: str, limit: int = _SHOWN_CHARACTERS) -> str:
    """``value`` quoted for a message: control characters escaped, cut after ``limit`` characters.

    ```pycon
    >>> shown("x" * 100)[-26:]
    "xxx'… (40 more characters)"

    ```
    """
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value) - limit} more characters)"


#: The Unicode categories :func:`escaped` escapes: controls (line feed, carriage return, ESC...),
#: format characters (the bidirectional overrides such as U+202E...), surrogates, and the line and
#: paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def escaped(text: str, limit: int | None = None) -> str:
    r"""``text`` for a message, unquoted: control and format characters escaped, cut after ``limit`` characters.

    Each character of a category a terminal or a CI log could act on (a line break, ESC, a
    bidirectional override) is written as :func:`repr` writes it (``\n``, ``\x1b``,
    ``\u202e``); the rest, letters of any script included, is kept as is.

    ```pycon
    >>> escaped("canvas\x1b[2J.json")
    'canvas\\x1b[2J.json'
    >>> escaped("x" * 100, 10)
    'xxxxxxxxxx… (90 more characters)'

    ```
    """
    cut = ""
    if limit is not None and len(text) > limit:
        cut = f"… ({len(text) - limit} more characters)"
        text = text[:limit]
    if not text.isprintable():  # printable text, the common case (checked in C), has nothing to escape
        import unicodedata  # only for text that needs it

        text = "".join(repr(c)[1:-1] if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in text)
    return text + cut


def render_path(path: Sequence[str | int]) -> str:
    """A JSON path from its steps: ``("brakes", 3, "stage")`` gives ``$.brakes[3].stage``.

    Keys that are not identifiers are written ``['...']`` with :func:`shown`'s escapes.
    """
    parts = ["$"]
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif step.isidentifier() and len(step) <= _SHOWN_CHARACTERS:
            parts.append(f".{step}")
        else:
            parts.append(f"[{shown(step)}]")
    return "".join(parts)


class UsagerError(Exception):
    """Root of every exception usager raises on purpose."""


class ElementError(UsagerError, ValueError):
    """An element or canvas was given a value its field cannot take.

    Raised at construction. ``field`` names the field (``"severity"``,
    ``"goals[2]"``) and ``owner`` the class (``"Brake"``), so that a loader can
    turn it into a path inside a document.
    """

    def __init__(self, owner: str, field: str, reason: str) -> None:
        self.owner = owner
        self.field = field
        self.reason = reason
        super().__init__(f"{owner}.{field}: {reason}")


@attrs.frozen
class Problem:
    """One thing wrong with a document, and where it is.

    ``where`` is the place as a person reads it: a JSON path such as
    ``$.brakes[3].stage``, a CSV position such as ``row 4, column 'stage' (F)``,
    or nothing for a problem of the text itself (a syntax error). ``path`` holds the
    steps of the JSON path as data (``("brakes", 3, "stage")``), and ``line``
    and ``column`` the 1-based position in the text when it is known (for CSV,
    the line its row starts on and the column's number). ``element`` names the element concerned
    when its id is known (``"brake 'jargon'"``).

    A problem in a JSON, YAML or TOML text is rendered with its position first,
    as compilers do: ``12:5: brake 'jargon', $.brakes[3].stage: ...``.
    """

    where: str
    message: str
    path: tuple[str | int, ...] = attrs.field(default=(), kw_only=True)
    line: int | None = attrs.field(default=None, kw_only=True)
    column: int | None = attrs.field(default=None, kw_only=True)
    element: str | None = attrs.field(default=None, kw_only=True)

    @classmethod
    def at(cls, path: Sequence[str | int], message: str) -> Problem:
        """The problem ``message`` at the JSON path whose steps are ``path``."""
        return cls(render_path(path), message, path=tuple(path))

    @property
    def position(self) -> str | None:
        """``line:column`` for a problem at a place in a text (a JSON path or none), else None."""
        if self.line is None or (self.where and not self.where.startswith("$")):
            return None  # a CSV place says its row and column in words
        return f"{self.line}:{self.column}" if self.column is not None else str(self.line)

    def __str__(self) -> str:
        where = f"{self.element}, {self.where}" if self.element and self.where else self.where
        text = f"{where}: {self.message}" if where else self.message
        position = self.position
        return f"{position}: {text}" if position else text


def _document_order(problem: Problem) -> tuple[bool, int, int]:
    """Sorts problems by line, then column (a whole line first), those without a line last."""
    return (problem.line is None, problem.line or 0, problem.column or 0)


class LoadError(UsagerError, ValueError):
    """A document could not be read as a canvas.

    This is the only exception a loader raises on bad input. ``problems`` lists
    the problems found (a loader collects them all before raising, keeping the
    first few hundred; ``more`` counts the others) in the order they stand in
    the document: by line and column where they have them (those without
    follow, in the order found); the message shows them, each with where it is.
    ``language`` is the language the problems are said in (``"fr"`` for a French
    canvas's), the one spoken when the error was made.
    """

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None, more: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=_document_order))
        self.source = source
        self.more = more
        self.language = _spoken()
        super().__init__(self._render())

    def _render(self) -> str:
        prefix = f"{escaped(self.source)}: " if self.source else ""
        total = len(self.problems) + self.more
        if total == 1:
            return self._line(self.problems[0])
        lines = [prefix + _say_count("{n} problem:", "{n} problems:", total)]
        lines += [f"  {self._line(p) if p.position else p}" for p in self.problems[:_SHOWN_PROBLEMS]]
        if total > _SHOWN_PROBLEMS:
            lines.append("  " + _say_count("... and {n} more", "... and {n} more", total - _SHOWN_PROBLEMS))
        return "\n".join(lines)

    def _line(self, problem: Problem) -> str:
        """``problem`` after the source: ``canvas.yaml:12:5: ...`` when it has a position in the text."""
        if not self.source:
            return str(problem)
        return f"{escaped(self.source)}{':' if problem.position else ': '}{problem}"

    @classmethod
    def at(cls, where: str, message: str, *, source: str | None = None) -> LoadError:
        """Build a ``LoadError`` holding a single problem."""
        return cls([Problem(where, message)], source=source)


class CanvasError(UsagerError, ValueError):
    """A canvas has error-level findings where a consistent one is needed.

    Raised by :func:`usager.validate` and by the exporters that draw the graph.
    ``findings`` holds every finding, errors first.
    """

    def __init__(self, findings: Sequence[Finding], *, action: str = "the canvas is inconsistent") -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        errors = [f for f in self.findings if f.severity.value == "error"]
        lines = [f"{action}: {len(errors)} error{'s' if len(errors) != 1 else ''}"]
        lines += [f"  {escaped(str(f))}" for f in errors[:_SHOWN_PROBLEMS]]
        if len(errors) > _SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(errors) - _SHOWN_PROBLEMS} more")
        super().__init__("\n".join(lines))


class UnknownIdError(UsagerError, KeyError):
    """No element of the canvas has the id that was asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownRuleError(UsagerError, ValueError):
    """A rule selector matches no rule code."""


class CannotLoadError(UsagerError, ValueError):
    """The format asked for can be written but not read."""


class OptionError(UsagerError, TypeError):
    """An exporter was given an option it does not take, or a value the option cannot take."""


class UnknownExporterError(UsagerError, LookupError):
    """No exporter has the name (or suffix) asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ExporterUnavailableError(UsagerError, RuntimeError):
    """An exporter was found but cannot be used (it failed to import, or is not an exporter)."""


class ExporterError(UsagerError, RuntimeError):
    """An exporter failed while exporting, or returned what it does not declare.

    The message names the exporter and the distribution it comes from;
    ``exporter`` and ``distribution`` hold them, and the exporter's own
    exception is the ``__cause__``.
    """

    def __init__(self, message: str, *, exporter: str, distribution: str | None) -> None:
        self.exporter = exporter
        self.distribution = distribution
        super().__init__(message)


class OutputPathError(UsagerError, OSError):
    """The path to write to is not a regular file: a folder, a device, a named pipe or a socket.

    Raised by :func:`usager.dump` before anything is exported, so nothing is written; ``path``
    holds the path as given (a symbolic link is followed: what it leads to must be a regular
    file, or nothing yet).
    """

    def __init__(self, message: str, *, path: str) -> None:
        self.path = path
        super().__init__(message)


class GraphvizNotFoundError(UsagerError, RuntimeError):
    """Graphviz's ``dot`` program is not installed (the message says how to install it)."""


class RenderError(UsagerError, RuntimeError):
    """Graphviz failed to render the drawing (the message holds what it said)."""


class ExporterWarning(UserWarning):
    """A third-party exporter could not be used; the others keep working."""


class RuleWarning(UserWarning):
    """A third-party rule could not be used, or failed during a check; the other rules keep working."""
