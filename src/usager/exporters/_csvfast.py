"""Generated CSV row writers: one function per element class, built from the CSV exporter's own pieces.

The CSV exporter writes one row of :data:`~usager.exporters.csv.COLUMNS` cells per element.
Going column by column, with a dict per row, costs several Python calls per cell, empty cells
included (most of them: an element fills a fifth of the columns). :class:`RowWriters`
generates, for each element class, one function that builds the row list directly: the empty
cells are constants, and each field's cell goes through the exporter's own ``cell`` and
``protect`` functions, so the output stays exactly what the exporter defines. It knows
nothing of CSV itself: the exporter hands it its columns, fields and cell functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from usager._fields import Kind

__all__ = ["RowWriters"]

#: Fields that always hold a string.
_TEXTS = (Kind.ID, Kind.TEXT, Kind.LABEL)

Row = list[str]


class RowWriters:
    """Row writers for each element class, from ``columns``, each class's ``fields`` and the cell functions.

    ``fields`` maps an element class to its ``(column, field name, spec, ...)`` tuples; ``cell`` turns
    a field's value into text, ``protect`` makes a cell safe to open in a spreadsheet.
    """

    def __init__(
        self,
        columns: Sequence[str],
        fields: Mapping[type[Any], Iterable[Sequence[Any]]],
        cell: Callable[[Any], str],
        protect: Callable[[str], str],
    ) -> None:
        self._writers = {cls: self._writer(cls, columns, own, cell, protect) for cls, own in fields.items()}

    @staticmethod
    def _writer(
        cls: type[Any],
        columns: Sequence[str],
        fields: Iterable[Sequence[Any]],
        cell: Callable[[Any], str],
        protect: Callable[[str], str],
    ) -> Callable[[Any], Row]:
        by_column = {column: (name, spec) for column, name, spec, *_ in fields}
        assert by_column.keys() <= set(columns), cls
        namespace: dict[str, Any] = {"_cell": cell, "_protect": protect}
        # Shortcuts, each checked against the cell function rather than assumed: a text is its own
        # cell, and an empty list is always the same cell.
        text_is_cell = all(cell(t) == t for t in ("", "x", "=1", " 'a\n", "é"))
        items = []
        for i, column in enumerate(columns):
            if column in by_column:
                name, spec = by_column[column]
                if spec.is_list:
                    namespace[f"_c{i}"] = protect(cell(()))
                    items.append(f"(_protect(_cell(e.{name})) if e.{name} else _c{i})")
                elif text_is_cell and spec.kind in _TEXTS and not spec.optional:
                    items.append(f"_protect(e.{name})")
                else:
                    items.append(f"_protect(_cell(e.{name}))")
                continue
            if column == "type":
                namespace[f"_c{i}"] = protect(cls.__name__.lower())
            else:
                namespace[f"_c{i}"] = protect("")
            items.append(f"_c{i}")
        exec(f"def row(e):\n    return [{', '.join(items)}]\n", namespace)  # from attrs field names only
        return namespace["row"]  # type: ignore[no-any-return]

    def rows(self, elements: Iterable[Any]) -> Iterator[Row]:
        """The row of each element, in order."""
        writers = self._writers
        return (writers[type(e)](e) for e in elements)
