"""The event log: every state change and lot movement, kept column by column in memory.

A record is (time, object_type, object_id, event, product, lot, quantity, related): ``related``
names the other object involved (the line that made a lot, the lane that tests it, the order a
shipment fills), which is what process-mining exports need.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa

    EVENT_SCHEMA: pa.Schema

__all__ = ["EVENT_SCHEMA", "EventLog", "EventRecord"]


class EventRecord(NamedTuple):
    """One row of the event log."""

    time: float
    object_type: str
    object_id: str
    event: str
    product: str
    lot: str
    quantity: float
    related: str


@functools.cache
def _schema() -> pa.Schema:
    """The Arrow schema of the event log."""
    import pyarrow as pa

    return pa.schema(
        [
            ("time", pa.float64()),
            ("object_type", pa.dictionary(pa.int32(), pa.string())),
            ("object_id", pa.dictionary(pa.int32(), pa.string())),
            ("event", pa.dictionary(pa.int32(), pa.string())),
            ("product", pa.dictionary(pa.int32(), pa.string())),
            ("lot", pa.string()),
            ("quantity", pa.float64()),
            ("related", pa.dictionary(pa.int32(), pa.string())),
        ]
    )


def __getattr__(name: str) -> Any:
    """``EVENT_SCHEMA`` is built on first use: a run that makes no table needs no pyarrow."""
    if name == "EVENT_SCHEMA":
        return _schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class EventLog:
    """Columnar event records; ``add`` is the engine's hot path, so it only appends (compiled,
    eight appends to lists of references: strings are shared, not copied)."""

    def __init__(self) -> None:
        self._time: list[float] = []
        self._object_type: list[str] = []
        self._object_id: list[str] = []
        self._event: list[str] = []
        self._product: list[str] = []
        self._lot: list[str] = []
        self._quantity: list[float] = []
        self._related: list[str] = []
        self._cols: tuple[list[Any], ...] = (
            self._time,
            self._object_type,
            self._object_id,
            self._event,
            self._product,
            self._lot,
            self._quantity,
            self._related,
        )

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
        self._time.append(time)
        self._object_type.append(object_type)
        self._object_id.append(object_id)
        self._event.append(event)
        self._product.append(product)
        self._lot.append(lot_id)
        self._quantity.append(quantity)
        self._related.append(related)

    def __len__(self) -> int:
        return len(self._cols[0])

    def column(self, name: str) -> list[Any]:
        """One column as a list."""
        return self._cols[EventRecord._fields.index(name)]

    def rows(self) -> list[EventRecord]:
        """All records as named tuples (for tests and small logs)."""
        return [EventRecord(*r) for r in zip(*self._cols, strict=True)]

    def to_arrow(self) -> pa.Table:
        """The log as an Arrow table (strings dictionary-encoded)."""
        import pyarrow as pa

        arrays = [
            pa.array(col, type=field.type.value_type).dictionary_encode()
            if pa.types.is_dictionary(field.type)
            else pa.array(col, type=field.type)
            for col, field in zip(self._cols, _schema(), strict=True)
        ]
        return pa.Table.from_arrays(arrays, schema=_schema())
