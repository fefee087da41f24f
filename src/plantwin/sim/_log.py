"""The event log's columns in memory, filled by the engine's hot path: every record it keeps.

Two implementations of one log: this module, which the interpreted engine runs (eight lists),
and ``_log.pyx``, which the compiled engine runs (C blocks of times and of references to the
other values: appending to eight Python lists made CPython reallocate and copy them every
eighth of their length or so, a twentieth of a compiled run). Both give the same columns;
what is read of them is made in ``_records``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plantwin.sim._records import column_index, rows_of, table_of

if TYPE_CHECKING:
    import pyarrow as pa

    from plantwin.sim._records import EventRecord

__all__ = ["EventLog"]


class EventLog:
    """Columnar event records (time, object_type, object_id, event, product, lot, quantity,
    related); ``add`` only appends references: strings are shared, not copied."""

    __slots__ = ("_cols",)

    def __init__(self) -> None:
        self._cols: tuple[list[Any], ...] = tuple([] for _ in range(8))

    def add(
        self,
        time: float,
        object_type: str,
        object_id: str,
        event: str,
        product: str = "",
        lot_id: str = "",
        quantity: float = 0.0,
        related: str = "",
    ) -> None:
        """Append one record."""
        c = self._cols
        c[0].append(time)
        c[1].append(object_type)
        c[2].append(object_id)
        c[3].append(event)
        c[4].append(product)
        c[5].append(lot_id)
        c[6].append(float(quantity))  # a double, as the compiled log keeps it
        c[7].append(related)

    def __len__(self) -> int:
        return len(self._cols[0])

    def columns(self) -> tuple[list[Any], ...]:
        """The eight columns as lists, in record order."""
        return self._cols

    def column(self, name: str) -> list[Any]:
        """One column as a list."""
        return self.columns()[column_index(name)]

    def rows(self) -> list[EventRecord]:
        """All records as named tuples (for tests and small logs)."""
        return rows_of(self.columns())

    def to_arrow(self) -> pa.Table:
        """The log as an Arrow table (strings dictionary-encoded)."""
        return table_of(self.columns())
