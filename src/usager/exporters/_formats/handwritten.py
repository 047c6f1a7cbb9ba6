"""What a person writes by hand in a YAML or TOML canvas, kept through a canonical rewrite (``usager fmt``).

:func:`defaults` gives the value each key takes when it is left out, which a writer may
leave out too. The rest of the module keeps comments.

A comment belongs to what it stands beside. A comment on a line of its own belongs to
the next line that starts a key or a list item; a comment at the end of a line, to
what that line starts. Where a line starts several things, the comment belongs to the
outermost one, so that it goes where that goes (a list of ids, not its first id),
except that the end of a line starting an element (``- label: Late  # c``) speaks of
the key it holds. Comments that open the file, a blank line apart from its first key,
stay at its top, and those after everything at its end. What it belongs to is named by its path in the document, each
element by its id rather than its place in its list (``("brakes", ("late", 0),
"label")``): the rewrite puts the keys in canonical order, and a comment follows
its key.

The writer of a format notes the lines where it writes each path (:class:`Lines`);
:func:`placed` then puts each comment above, or at the end of, the line of its path,
or of the nearest path holding it when the text has no line of its own (a key the
rewrite leaves out): no comment is ever dropped. Comments after everything stay at
the end.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from usager._document import TOP_KEYS
from usager._fields import specs
from usager.canvas import ELEMENT_LISTS, Canvas
from usager.errors import LoadError, OptionError, Problem

__all__ = [
    "Comment",
    "Kept",
    "Lines",
    "check_kept",
    "choices",
    "comment_at",
    "defaults",
    "element_keys",
    "is_default",
    "kept",
    "keyer",
    "placed",
]

Path = tuple[str | int, ...]
#: A path with each element's place in its list replaced by its id and which of that id it is
#: (``("brakes", ("late", 0), "label")``): the same element in the text read and in the text written.
Key = tuple[Any, ...]


def _defaults(cls: type[Any]) -> dict[str, Any]:
    found = {}
    for field, spec in specs(cls):
        default: Any = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is not attrs.NOTHING:
            found[spec.key or field.name] = spec.to_plain(default)
    return found


@functools.cache
def defaults(list_name: str = "") -> dict[str, Any]:
    """The value each key of an element of ``list_name`` takes when left out, as a document holds it.

    ``""`` gives the canvas's own keys' (``""`` for ``description``, ``[]`` for each list...).
    Worked out on the first call for each list, from the fields' descriptions.
    """
    if not list_name:
        return {k: v for k, v in _defaults(Canvas).items() if k in TOP_KEYS}
    return _defaults(dict(ELEMENT_LISTS)[list_name])


def is_default(value: Any, default: Any) -> bool:
    """Whether ``value`` is the ``default`` (of the same type: ``0`` is no ``False``)."""
    return type(value) is type(default) and value == default


class Comment(NamedTuple):
    """A comment of a text: its line (from 1), its text from ``#`` on, and whether it ends a line of other things."""

    line: int
    text: str
    trailing: bool


def comment_at(text: str, index: int, line: int) -> Comment:
    """The comment that starts at ``index`` of ``text``, on ``line``; it runs to the line's end."""
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    start = text.rfind("\n", 0, index) + 1
    return Comment(line, text[index:end].rstrip(" \t\r"), bool(text[start:index].strip(" \t")))


class _Notes:
    """The comments of one path: those above it and those after it, each with its line in the text read."""

    __slots__ = ("above", "after")

    def __init__(self) -> None:
        self.above: list[tuple[int, str]] = []
        self.after: list[tuple[int, str]] = []


class Kept:
    """Each path's comments, and those after everything; read from a text by :func:`kept`."""

    __slots__ = ("end", "head", "holders", "notes")

    def __init__(self) -> None:
        self.notes: dict[Key, _Notes] = {}
        #: The comments that open the file, apart from its first key by a blank line.
        self.head: list[tuple[int, str]] = []
        #: The comments after everything.
        self.end: list[tuple[int, str]] = []
        #: Every path that holds a path with comments (``("brakes",)`` when a brake's label has one).
        self.holders: set[Key] = set()

    def has(self, key: Key) -> bool:
        """Whether the path ``key`` has comments of its own (then its key is written, even when left out else)."""
        return key in self.notes

    def inside(self, key: Key) -> bool:
        """Whether a path inside ``key`` has comments (then ``key`` is written in block style, a line per item)."""
        return key in self.holders


def element_keys(ids: Sequence[str]) -> list[tuple[str, int]]:
    """Each element of a list by its id and which of that id it is (0 but where ids repeat)."""
    seen: dict[str, int] = {}
    keys = []
    for id_ in ids:
        n = seen.get(id_, 0)
        seen[id_] = n + 1
        keys.append((id_, n))
    return keys


def keyer(ids: Mapping[str, Sequence[str]]) -> Callable[[Path], Key]:
    """The function naming a path by its elements' ids, from the ids of each list of the document."""
    named = {name: element_keys(list_ids) for name, list_ids in ids.items()}

    def key(path: Path) -> Key:
        if len(path) >= 2 and type(path[1]) is int and path[0] in named:
            elements = named[str(path[0])]
            if path[1] < len(elements):
                return (path[0], elements[path[1]], *path[2:])
        return path

    return key


def kept(
    comments: Iterable[Comment],
    starts: Iterable[tuple[int, int, Path]],
    key: Callable[[Path], Key],
    text: str,
    ends: Iterable[tuple[int, Path]] = (),
) -> Kept:
    """Each comment of ``text`` by the path it belongs to, from the ``(line, column, path)`` of each key and item.

    The comments that open the file and stand apart from its first key, a blank line between,
    are the file's own (:attr:`Kept.head`). ``ends`` gives the ``(line, path)`` where a
    collection written over several lines ends: a comment at the end of a line that starts
    nothing (``]  # c``) belongs to the outermost collection ending there.
    """
    first: dict[int, tuple[int, int, Path]] = {}  # each line's outermost start, the first of those
    #: Each line's first key of an element, where the element starts with it (``- id: a``, not ``- {id: a}``).
    keys: dict[int, tuple[int, Path]] = {}
    for line, column, path in starts:
        known = first.get(line)
        if known is None or (len(path), column) < known[:2]:
            first[line] = (len(path), column, path)
        if len(path) == 3 and type(path[1]) is int and (line not in keys or column < keys[line][0]):
            keys[line] = (column, path)
    closed: dict[int, Path] = {}  # each line's outermost collection ending there, where no key or item starts
    for line, path in ends:
        if line not in first and (line not in closed or len(path) < len(closed[line])):
            closed[line] = path
    lines = sorted(first)
    result = Kept()
    comments = list(comments)
    if lines:
        opening = [c for c in comments if c.line < lines[0]]
        if opening and not opening[0].trailing:
            rows = text.split("\n", lines[0])
            blank = [n for n in range(opening[0].line, lines[0]) if not rows[n - 1].strip(" \t\r")]
            if blank:
                result.head = [(c.line, c.text) for c in opening if c.line < blank[-1]]
                comments = comments[len(result.head) :]
    for comment in comments:
        found: int | None = None
        if comment.trailing and comment.line in closed:
            _note(result, key(closed[comment.line]), comment, trailing=True)
            continue
        if comment.trailing:
            at = bisect.bisect_right(lines, comment.line) - 1
            found = lines[at] if at >= 0 else None
        trailing = comment.trailing and found is not None
        if not trailing:
            at = bisect.bisect_right(lines, comment.line)
            found = lines[at] if at < len(lines) else None
        if found is None:
            result.end.append((comment.line, comment.text))
            continue
        path = first[found][2]
        if trailing and found in keys and keys[found][1][:2] == path and keys[found][0] == first[found][1]:
            path = keys[found][1]  # the end of ``- label: Late  # c`` says something of the label
        _note(result, key(path), comment, trailing=trailing)
    return result


def _note(kept: Kept, target: Key, comment: Comment, *, trailing: bool) -> None:
    """Note ``comment`` as one of ``target``'s, above it or at the end of its line."""
    notes = kept.notes.setdefault(target, _Notes())
    (notes.after if trailing else notes.above).append((comment.line, comment.text))
    for n in range(len(target)):
        kept.holders.add(target[:n])


class Lines:
    """The lines a writer writes, and where it writes each path: its first line, and the line that may end in a comment.

    (The last line of a multi-line value in TOML; the line of its key in YAML.)
    """

    __slots__ = ("at", "lines")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.at: dict[Key, tuple[int, int]] = {}

    def mark(self, key: Key, first: int, last: int | None = None) -> None:
        """Note that ``key`` is written from line ``first`` (an index of :attr:`lines`), ending at ``last``."""
        if key not in self.at:
            self.at[key] = (first, first if last is None else last)


def placed(written: Lines, comments: Kept) -> list[str]:
    """The lines of ``written`` with each comment put at the path it belongs to, or at the nearest one holding it."""
    lines = written.lines
    above: dict[int, list[tuple[int, str]]] = {}
    after: dict[int, list[tuple[int, str]]] = {}
    for key, notes in comments.notes.items():
        holder = key
        while holder not in written.at and holder:
            holder = holder[:-1]
        if holder in written.at:
            first, last = written.at[holder]
        else:
            first, last = 0, -1  # before everything
        if holder == key and last >= 0:
            above.setdefault(first, []).extend(notes.above)
            after.setdefault(last, []).extend(notes.after)
        else:  # a path the text does not hold: each of its comments on a line of its own, above what holds it
            above.setdefault(first, []).extend(sorted(notes.above + notes.after))
    starts: dict[int, int] = {}  # the first line of the values that end on each line, when it is asked
    for last, texts in after.items():
        texts.sort()
        if len(texts) > 1:  # one comment ends the line; the others go above the value it ends
            if not starts:
                for first, end in sorted(written.at.values(), reverse=True):
                    starts[end] = first
            above.setdefault(starts.get(last, last), []).extend(texts[1:])
            del texts[1:]
    out: list[str] = []
    start = min((first for first, _ in written.at.values()), default=0)  # the head goes above the first key
    for n, written_line in enumerate(lines):
        if n == start and comments.head:
            out += [text for _, text in comments.head] + [""]
        if n in above:
            pad = " " * (len(written_line) - len(written_line.lstrip(" ")))
            out += [pad + text for _, text in sorted(above[n])]
        ending = after.get(n)
        out.append(f"{written_line}  {ending[0][1]}" if ending else written_line)
    if not lines and 0 in above:
        out += [text for _, text in sorted(above[0])]
    if comments.end and out and out[-1]:
        out.append("")  # the comments after everything apart from the last element
    out += [text for _, text in comments.end]
    return out


def choices(exporter: str, allowed: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, str]:
    """The value of each option of ``allowed`` (a tuple of choices, the first the default) from ``given``.

    Raises :class:`~usager.errors.OptionError` for an option the exporter does not take, or a
    value it does not allow.
    """
    unknown = [name for name in given if name not in allowed]
    if unknown:
        raise OptionError(
            f"the {exporter} exporter takes no option {', '.join(map(repr, unknown))}; "
            f"it takes {', '.join(map(repr, allowed))}"
        )
    chosen = {}
    for name, values in allowed.items():
        value = given.get(name, values[0])
        if value not in values:
            raise OptionError(f"option {name!r} takes one of {', '.join(map(repr, values))}, not {value!r}")
        chosen[name] = value
    return chosen


def check_kept(
    comments: Sequence[Comment],
    output: str,
    load: Callable[[str], Canvas],
    canvas: Canvas,
    comments_of: Callable[[str], Sequence[Comment]],
    source: str | None,
) -> None:
    """Make sure the rewrite ``output`` reads back to ``canvas`` and holds every one of ``comments``.

    The rules above place every comment; this makes sure of it. Raises
    :class:`~usager.errors.LoadError` naming the line of a comment the rewrite lost, or saying
    that the rewrite does not read back (either is a defect of usager, never written to a file).
    """
    try:
        same = load(output) == canvas
    except LoadError as exc:
        same = False
        detail = f" ({exc.problems[0].message})"
    else:
        detail = ""
    if not same:
        raise LoadError(
            [Problem("", f"the file's rewrite would not read back to the same canvas{detail}; it is left as it is")],
            source=source,
        )
    left = Counter(comment.text for comment in comments_of(output))
    for comment in comments:
        if left[comment.text] > 0:
            left[comment.text] -= 1
            continue
        message = "this comment could not be kept in the rewrite; the file is left as it is"
        raise LoadError([Problem("", message, line=comment.line, column=1)], source=source)
