"""A baseline: the findings a project knows of and accepts for now, so that only new ones fail a check.

``usager check PATH... --write-baseline FILE`` writes today's findings to ``FILE``;
``--baseline FILE`` (or the configuration's ``baseline`` key) leaves out the findings it lists.
An entry names a finding by the checked file's path relative to the baseline's folder, the
rule's code and the ids of its subjects (sorted): never a line number nor a label, so that
reordering elements, adding others or relabelling them does not change which findings match.
The entries are a multiset: an entry listed twice hides two such findings.

The file is JSON, written sorted and indented::

    {
      "format": "usager-baseline/1",
      "findings": [
        {"file": "canvas.json", "code": "U002", "subjects": ["jargon"]},
        ...
      ]
    }
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from usager._io import _write_atomically, read_bytes, writable_path
from usager.errors import LoadError, Problem
from usager.findings import Finding

__all__ = ["FORMAT", "Baseline", "Key"]

#: The ``format`` a baseline file declares.
FORMAT = "usager-baseline/1"

#: What names a finding in a baseline: the file (relative to the baseline's folder, with
#: forward slashes), the code and the subjects' ids, sorted.
Key = tuple[str, str, tuple[str, ...]]


def _counter(entries: Iterable[Key]) -> Counter[Key]:
    return Counter(entries)


@attrs.frozen
class Baseline:
    """The findings a project accepts for now, each as a :data:`Key` (a multiset of them).

    ``folder`` is the folder the entries' file paths are relative to: the baseline file's
    (None: the working folder).
    """

    entries: Counter[Key] = attrs.field(factory=Counter, converter=_counter, hash=False)
    folder: Path | None = attrs.field(default=None, converter=attrs.converters.optional(Path))

    def file_key(self, path: str | os.PathLike[str]) -> str:
        """The name the checked file at ``path`` has in this baseline (``-`` stays ``-``)."""
        given = os.fspath(path)
        if given == "-":
            return given
        folder = os.path.abspath(self.folder if self.folder is not None else os.curdir)
        return Path(os.path.relpath(os.path.abspath(given), folder)).as_posix()

    def key(self, finding: Finding, path: str | os.PathLike[str]) -> Key:
        """The entry that lists ``finding`` of the file at ``path``."""
        return (self.file_key(path), finding.code, tuple(sorted(finding.subjects)))

    @classmethod
    def of(
        cls, checked: Iterable[tuple[str, Sequence[Finding]]], folder: str | os.PathLike[str] | None = None
    ) -> Baseline:
        """The baseline listing every finding that is not suppressed of each ``(path, findings)``."""
        baseline = cls(folder=folder)
        baseline.entries.update(
            baseline.key(f, path) for path, findings in checked for f in findings if not f.suppressed
        )
        return baseline

    def match(self, findings: Sequence[Finding], path: str | os.PathLike[str]) -> tuple[list[Finding], int, int]:
        """``(kept, hidden, stale)`` for the findings of the file at ``path``.

        ``kept`` are the findings this baseline does not list, ``hidden`` how many it hides and
        ``stale`` how many of its entries for that file match none of them.

        Suppressed findings are kept as they are (they never count).
        """
        name = self.file_key(path)
        left = Counter({key: n for key, n in self.entries.items() if key[0] == name})
        kept: list[Finding] = []
        for finding in findings:
            key = self.key(finding, path)
            if not finding.suppressed and left[key] > 0:
                left[key] -= 1
            else:
                kept.append(finding)
        return kept, len(findings) - len(kept), sum(left.values())

    def filter(self, findings: Sequence[Finding], path: str | os.PathLike[str]) -> list[Finding]:
        """The findings of the file at ``path`` this baseline does not list, in their order."""
        return self.match(findings, path)[0]

    def to_json(self) -> str:
        """The baseline file's text: sorted, indented, with a trailing newline."""
        items = [
            {"file": file, "code": code, "subjects": list(subjects)}
            for (file, code, subjects) in sorted(self.entries.elements())
        ]
        return json.dumps({"format": FORMAT, "findings": items}, ensure_ascii=False, indent=2) + "\n"

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the baseline to ``path`` atomically (see :func:`usager.dump`); returns ``path``."""
        target = Path(path)
        _write_atomically(writable_path(target), self.to_json().encode("utf-8"))
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read the baseline file at ``path``; its entries are relative to its folder.

        Raises :class:`~usager.errors.LoadError` (with the line and column where known) for a
        file that is not a baseline, and :class:`OSError` for one that cannot be opened.
        """
        source = os.fspath(path)
        data = read_bytes(source)
        try:
            document = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise LoadError.at("", f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source) from None
        except json.JSONDecodeError as exc:
            raise LoadError([Problem("", exc.msg, line=exc.lineno, column=exc.colno)], source=source) from None
        return cls(_entries(document, source), folder=Path(source).parent)


def _entries(document: Any, source: str) -> list[Key]:
    """The entries of a baseline document, or a :class:`LoadError` saying what is wrong and where."""
    if not isinstance(document, dict):
        raise LoadError([Problem.at((), "expected an object with 'format' and 'findings'")], source=source)
    if document.get("format") != FORMAT:
        found = json.dumps(document.get("format"), ensure_ascii=False)
        raise LoadError([Problem.at(("format",), f"expected {FORMAT!r}, found {found}")], source=source)
    unknown = sorted(set(document) - {"format", "findings"})
    if unknown:
        raise LoadError([Problem.at((unknown[0],), f"unknown key {unknown[0]!r}")], source=source)
    items = document.get("findings")
    if not isinstance(items, list):
        raise LoadError([Problem.at(("findings",), "expected a list of findings")], source=source)
    entries: list[Key] = []
    for index, item in enumerate(items):
        where: tuple[str | int, ...] = ("findings", index)
        if not isinstance(item, dict) or set(item) != {"file", "code", "subjects"}:
            message = "expected an object with exactly 'file', 'code' and 'subjects'"
            raise LoadError([Problem.at(where, message)], source=source)
        file, code, subjects = item["file"], item["code"], item["subjects"]
        for name, value in (("file", file), ("code", code)):
            if not isinstance(value, str) or not value:
                raise LoadError([Problem.at((*where, name), "expected a non-empty string")], source=source)
        if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
            raise LoadError([Problem.at((*where, "subjects"), "expected a list of ids")], source=source)
        entries.append((file, code, tuple(sorted(subjects))))
    return entries
