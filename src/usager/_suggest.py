"""Suggestions for a value that is almost right: "did you mean ...?".

Two kinds of near miss are common in canvases written by hand: an enum value
written the way a person says it (``Digital skills``, ``FR``, ``first-experience``),
and a reference that names what a person sees (a stage's label, ``Utilisation``)
rather than its id. :func:`folded` makes the comparison key: case, accents, spaces,
hyphens and underscores do not count. :func:`closest` then tries an exact match of
the keys before a near one by edit distance (:mod:`difflib`), and :class:`Names`
holds the ids and labels of a canvas's elements, indexed once, to suggest an id for
a reference.

The cost stays bounded whatever the input: only values of at most
:data:`MAX_LENGTH` characters are compared by edit distance, with at most
:data:`MAX_CANDIDATES` candidates, and a :class:`Names` makes at most
:data:`MAX_COMPARISONS` comparisons in all (a check with thousands of dangling
references costs a few milliseconds more, not seconds).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["MAX_CANDIDATES", "MAX_COMPARISONS", "MAX_LENGTH", "Names", "closest", "did_you_mean", "folded", "keyed"]

#: Values longer than this get no suggestion by edit distance (an exact match of the keys still counts).
MAX_LENGTH = 40
#: At most this many candidates are compared by edit distance.
MAX_CANDIDATES = 500
#: At most this many names are compared by edit distance in one :class:`Names` (about 7 µs each).
MAX_COMPARISONS = 10_000
#: How close (difflib's ratio, 0 to 1) a candidate must be to be suggested.
_CUTOFF = 0.75
_IGNORED = str.maketrans("", "", " \t-_")


def folded(text: str) -> str:
    """The comparison key of ``text``: lower case, no accents, no spaces, hyphens or underscores.

    ```pycon
    >>> folded("Première expérience") == folded("PREMIERE-EXPERIENCE") == "premiereexperience"
    True

    ```
    """
    if not text.isascii():
        import unicodedata

        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.casefold().translate(_IGNORED)


def keyed(candidates: Iterable[str]) -> dict[str, str]:
    """The first :data:`MAX_CANDIDATES` candidates by their :func:`folded` key (the first one of each key)."""
    keys: dict[str, str] = {}
    for count, candidate in enumerate(candidates):
        if count >= MAX_CANDIDATES:
            break
        keys.setdefault(folded(candidate), candidate)
    keys.pop("", None)
    return keys


def _nearest(value: str, keys: dict[str, str]) -> str | None:
    """The candidate whose key is nearest ``value``'s by edit distance, when close enough and ``value`` is short."""
    if len(value) > MAX_LENGTH:
        return None
    import difflib  # only when a suggestion is looked for: importing usager stays light

    near = difflib.get_close_matches(folded(value), [k for k in keys if len(k) <= 2 * MAX_LENGTH], n=1, cutoff=_CUTOFF)
    return keys[near[0]] if near else None


def closest(value: str, candidates: Iterable[str] | dict[str, str]) -> str | None:
    """The candidate ``value`` most likely stands for, or ``None``.

    A candidate with the same :func:`folded` key wins (the first one, in the
    order given); otherwise the nearest by edit distance, when it is close
    enough and ``value`` is short. ``candidates`` may be given already
    :func:`keyed`, to fold them once for many values.
    """
    keys = candidates if isinstance(candidates, dict) else keyed(candidates)
    key = folded(value)
    if not key:
        return None
    return keys[key] if key in keys else _nearest(value, keys)


def did_you_mean(suggestion: str | None, note: str = "") -> str:
    """The clause a message ends with: ``; did you mean 'usage' (Utilisation)?``, or nothing."""
    if suggestion is None:
        return ""
    return f"; did you mean {suggestion!r}{f' ({note})' if note else ''}?"


class Names:
    """The ids and names of elements, indexed once, to suggest an id for a reference that names none.

    ``add`` records an element of a kind (``"stage"``) with its id and the names a
    person may call it by (its label, its kind's name...). :meth:`suggest` then
    looks up a reference: a name that folds to the same key as an element's name
    or id gives that element, and otherwise the nearest id by edit distance.
    """

    __slots__ = ("_budget", "_keys", "_labels", "_lookups", "_names")

    def __init__(self) -> None:
        self._names: dict[str, dict[str, str]] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._keys: dict[tuple[str, ...], dict[str, str]] = {}
        self._lookups: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self._budget = MAX_COMPARISONS

    def add(self, kind: str, element_id: str, label: str, *names: str) -> None:
        """Record the element ``element_id`` of ``kind``, shown as ``label``, also called ``names``."""
        index = self._names.setdefault(kind, {})
        for name in (element_id, label, *names):
            key = folded(name)
            if key:
                index.setdefault(key, element_id)
        self._labels.setdefault(kind, {}).setdefault(element_id, label)

    def suggest(self, name: str, kinds: Iterable[str]) -> tuple[str, str] | None:
        """The id and label of the element of one of ``kinds`` that ``name`` most likely means, or ``None``."""
        kinds = tuple(kinds)
        key = folded(name)
        found = next((self._names[k][key] for k in kinds if key in self._names.get(k, {})), None)
        if found is None and key:
            if kinds not in self._keys:
                self._keys[kinds] = keyed(i for k in kinds for i in self._labels.get(k, {}))
            keys = self._keys[kinds]
            if (name, kinds) in self._lookups:
                found = self._lookups[name, kinds]
            elif self._budget >= len(keys):
                self._budget -= len(keys)
                found = self._lookups[name, kinds] = _nearest(name, keys)
        if found is None:
            return None
        label = next(self._labels[k][found] for k in kinds if found in self._labels.get(k, {}))
        return found, label
