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

__all__ = ["EVENT_SCHEMA", "EventRecord", "column_index", "rows_of", "table_of"]


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
def schema() -> pa.Schema:
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
        return schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def column_index(name: str) -> int:
    """The position of column ``name`` in a record."""
    return EventRecord._fields.index(name)


def rows_of(columns: tuple[list[Any], ...]) -> list[EventRecord]:
    """The records of an event log's columns as named tuples."""
    return [EventRecord(*r) for r in zip(*columns, strict=True)]


def table_of(columns: tuple[list[Any], ...]) -> pa.Table:
    """An event log's columns as an Arrow table (strings dictionary-encoded)."""
    import pyarrow as pa

    arrays = [
        pa.array(col, type=field.type.value_type).dictionary_encode()
        if pa.types.is_dictionary(field.type)
        else pa.array(col, type=field.type)
        for col, field in zip(columns, schema(), strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema())
