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
    """Columnar event records; ``add`` is the engine's hot path, so it only appends."""

    __slots__ = ("_cols", "add")

    def __init__(self) -> None:
        self._cols: tuple[list[Any], ...] = tuple([] for _ in EventRecord._fields)
        appends = [c.append for c in self._cols]
        t, ot, oid, ev, prod, lot, qty, rel = appends

        def add(
            time: float,
            object_type: str,
            object_id: str,
            event: str,
            product: str = "",
            lot_id: str = "",
            quantity: float = 0.0,
            related: str = "",
        ) -> None:
            t(time)
            ot(object_type)
            oid(object_id)
            ev(event)
            prod(product)
            lot(lot_id)
            qty(quantity)
            rel(related)

        self.add = add

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


class _NoLog:
    """Stand-in when the log is off: ``add`` does nothing."""

    __slots__ = ()

    @staticmethod
    def add(*_: Any) -> None:
        return None

    def __len__(self) -> int:
        return 0
