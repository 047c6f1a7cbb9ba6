"""Generated CSV row writers: one function per element class, built from the CSV exporter's own pieces.

The CSV exporter writes one row of :data:`~usager.exporters.csv.COLUMNS` cells per element.
Going column by column, with a dict per row, costs several Python calls per cell, empty cells
included (most of them: an element fills a fifth of the columns). :class:`RowWriters`
generates, for each element class, one function that builds the row list directly: the empty
cells are constants, and each field's cell goes through the exporter's own function for a
field's cell, so the output stays exactly what the exporter defines. It knows
nothing of CSV itself: the exporter hands it its columns, fields and cell functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from usager._fields import Spec

__all__ = ["RowWriters"]

Row = list[str]


class RowWriters:
    """Row writers for each element class, from ``columns``, each class's ``fields`` and the cell function.

    ``fields`` maps an element class to its ``(column, field name, spec, ...)`` tuples; ``written``
    turns a field's value into its cell, made safe to open in a spreadsheet, from the field's spec.
    """

    def __init__(
        self,
        columns: Sequence[str],
        fields: Mapping[type[Any], Iterable[Sequence[Any]]],
        written: Callable[[Spec, Any], str],
    ) -> None:
        self._writers = {cls: self._writer(cls, columns, own, written) for cls, own in fields.items()}

    @staticmethod
    def _writer(
        cls: type[Any],
        columns: Sequence[str],
        fields: Iterable[Sequence[Any]],
        written: Callable[[Spec, Any], str],
    ) -> Callable[[Any], Row]:
        by_column = {column: (name, spec) for column, name, spec, *_ in fields}
        assert by_column.keys() <= set(columns), cls
        namespace: dict[str, Any] = {"_written": written}
        items = []
        for i, column in enumerate(columns):
            if column in by_column:
                name, spec = by_column[column]
                namespace[f"_s{i}"] = spec
                if spec.is_list:  # an empty list is always the same cell
                    namespace[f"_c{i}"] = written(spec, ())
                    items.append(f"(_written(_s{i}, e.{name}) if e.{name} else _c{i})")
                else:
                    items.append(f"_written(_s{i}, e.{name})")
            else:
                namespace[f"_c{i}"] = cls.__name__.lower() if column == "type" else ""
                items.append(f"_c{i}")
        exec(f"def row(e):\n    return [{', '.join(items)}]\n", namespace)  # from attrs field names only
        return namespace["row"]  # type: ignore[no-any-return]

    def rows(self, elements: Iterable[Any]) -> Iterator[Row]:
        """The row of each element, in order."""
        writers = self._writers
        return (writers[type(e)](e) for e in elements)
