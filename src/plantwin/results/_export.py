"""Writing results to files, atomically: a failed write leaves an old file intact; the tables
of the Parquet and CSV exports, shaped for a planner's tools.

Every file is written to a temporary file beside its target and moved over it with
``os.replace``, so a reader never sees half a file and a crash never leaves one.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tempfile
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pyarrow and the exports' modules are imported by the functions that use them
    import pandas as pd
    import pyarrow as pa

    from plantwin.results._stored import StoredRun
    from plantwin.scenario import Plant
    from plantwin.sim import RunResult

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "atomic_write",
    "export_run",
    "replications_table",
    "run_tables",
    "write_events_csv",
    "write_replications",
]

ExportFormat = Literal["parquet", "csv", "ocel", "ocel-sqlite"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("parquet", "csv", "ocel", "ocel-sqlite")


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` on a fresh temporary file beside ``path``, then move it onto ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        Path(tmp).unlink()  # writers that refuse an existing file (SQLite) get a fresh name
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _for_csv(table: pa.Table) -> pa.Table:
    """The table as CSV can hold it: dictionary-encoded columns as plain ones, and timestamps
    of a zone as ISO 8601 text with that zone's offset at each moment (to the second):
    ``2025-07-01T06:00:00-04:00``; CSV writers would otherwise write them in UTC."""
    import pyarrow as pa

    for i, f in enumerate(table.schema):
        if pa.types.is_dictionary(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(f.type.value_type))
        elif pa.types.is_timestamp(f.type) and f.type.tz is not None:
            text = [
                None if t is None else t.isoformat(timespec="seconds")
                for t in table.column(i).to_pylist()
            ]
            table = table.set_column(i, f.name, pa.array(text, pa.string()))
    return table


def _write_table(table: pa.Table, path: Path, fmt: Literal["parquet", "csv"]) -> Path:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "csv":
        return atomic_write(path, lambda tmp: pacsv.write_csv(_for_csv(table), tmp))
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def write_events_csv(result: RunResult, path: str | Path) -> int:
    """Write the run's event log as CSV, with the columns of the export's ``events`` table;
    returns the number of rows."""
    table = _events_table(result.events(), _Clock.of(result.scenario.plant))
    _write_table(table, Path(path), "csv")
    return int(table.num_rows)


def write_replications(table: pd.DataFrame, path: str | Path) -> int:
    """Write an experiment's replications (``ResultSet.table``) as the export's
    ``replications`` table, CSV or Parquet by the file's suffix; returns the number of rows."""
    target = Path(path)
    rows = replications_table(table)
    _write_table(rows, target, "csv" if target.suffix.lower() == ".csv" else "parquet")
    return int(rows.num_rows)


_BIN_HOURS = 24.0  # the output table's bins: one a day


@functools.cache
def _counted() -> frozenset[str]:
    """Events whose ``quantity`` is a count (units; for a test's verdict the defectives found in
    the sample, which may be 0); the log writes 0 for every other event, which the export makes
    null. (plantwin.sim is imported here, not above: ``atomic_write`` must not load the engine.)"""
    from plantwin.sim import Event

    return frozenset(
        {
            Event.LOT_STARTED,
            Event.COMPONENT_CONSUMED,
            Event.LOT_PRODUCED,
            Event.PROCESS_STARTED,
            Event.LOT_PROCESSED,
            Event.LOT_ACCEPTED,
            Event.LOT_REJECTED,
            Event.LOT_SCRAPPED,
            Event.LOT_STORED,
            Event.ORDER_RELEASED,
            Event.SHIPPED,
            Event.ORDER_COMPLETED,
        }
    )


@dataclass(frozen=True)
class _Clock:
    """Plant hours as absolute timestamps: aware, in the plant's zone (Arrow keeps its name)."""

    start: date
    tz: tzinfo
    zone: str

    @classmethod
    def of(cls, plant: Plant) -> _Clock:
        """The clock of a scenario's plant."""
        return cls(plant.start, plant.tzinfo, plant.timezone)

    def stamps(self, hours: pa.ChunkedArray) -> pa.Array:
        import pyarrow as pa

        from plantwin.results._ocel import plant_datetime

        moments = [
            None if h is None else plant_datetime(h, self.start, self.tz) for h in hours.to_pylist()
        ]
        return pa.array(moments, pa.timestamp("us", tz=self.zone))


def _timed(table: pa.Table, clock: _Clock, columns: dict[str, str]) -> pa.Table:
    """Each hours column ``old`` of ``columns`` renamed to its new name, followed by the moment
    it stands for, named ``timestamp`` for ``time_h`` and ``X_at`` for any other ``X_h``."""
    for old, new in columns.items():
        i = table.column_names.index(old)
        hours = table.column(old)
        stamp = "timestamp" if new == "time_h" else new.removesuffix("_h") + "_at"
        table = table.set_column(i, new, hours).add_column(i + 1, stamp, clock.stamps(hours))
    return table


def _counts(table: pa.Table, columns: list[str]) -> pa.Table:
    """The float ``columns`` whose every value is whole as int64 (nulls stay null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in columns:
        col = table.column(name)
        if not pa.types.is_floating(col.type):
            continue
        finite = pc.is_finite(col)  # null where the value is null
        whole = pc.equal(col, pc.floor(col))
        if pc.all(pc.and_kleene(finite, whole)).as_py() is not False:
            i = table.column_names.index(name)
            table = table.set_column(i, name, col.cast(pa.int64()))
    return table


def _no_empty(table: pa.Table, columns: list[str]) -> pa.Table:
    """Empty strings in ``columns`` (no product, no lot) as nulls, dictionary encoding kept."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in columns:
        col = table.column(name)
        text = col.cast(pa.string())
        cleaned = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        if pa.types.is_dictionary(col.type):
            cleaned = cleaned.dictionary_encode()
        table = table.set_column(table.column_names.index(name), name, cleaned)
    return table


def _events_table(events: pa.Table, clock: _Clock) -> pa.Table:
    import pyarrow as pa
    import pyarrow.compute as pc

    counted = pc.is_in(events["event"].cast(pa.string()), value_set=pa.array(sorted(_counted())))
    quantity = pc.if_else(counted, events["quantity"], pa.scalar(None, pa.float64()))
    table = events.set_column(events.column_names.index("quantity"), "quantity", quantity)
    table = _no_empty(_counts(table, ["quantity"]), ["product", "lot", "related"])
    return _timed(table, clock, {"time": "time_h"})


def _output_table(events: pa.Table, horizon: float, clock: _Clock) -> pa.Table:
    import numpy as np
    import pyarrow as pa

    from plantwin.results._timeseries import output_over_time

    table = output_over_time(events, horizon, _BIN_HOURS)
    end = table.column("time").to_numpy()
    start = (np.ceil(end / _BIN_HOURS) - 1) * _BIN_HOURS  # a bin's end: the horizon, or k bins
    # "stored", as the KPIs say: units put into storage, defectives in passed lots included
    names = {"time": "end", "units_good": "units_stored", "cumulative_good": "cumulative_stored"}
    table = table.rename_columns(names).add_column(0, "start", pa.array(start))
    table = _timed(table, clock, {"start": "start_h", "end": "end_h"})
    return _counts(table, ["units_made", "units_stored", "cumulative_made", "cumulative_stored"])


def _orders_table(stored: StoredRun, events: pa.Table, clock: _Clock) -> pa.Table:
    import pyarrow.compute as pc

    from plantwin.results._timeseries import order_status

    table = order_status(events, stored.scenario, stored.horizon_hours)
    remaining = pc.subtract(table["ordered"], table["shipped"])
    completed, due = table["completed"], table["due"]
    # late: completed after its due time, or open at the horizon when it was already due
    late = pc.if_else(
        pc.is_null(completed),
        pc.less_equal(due, stored.horizon_hours),
        pc.greater(completed, due),
    )
    table = table.add_column(
        table.column_names.index("shipped_on_time") + 1, "remaining", remaining
    )
    table = table.append_column("late", late)
    table = _counts(table, ["ordered", "shipped", "shipped_on_time", "remaining"])
    return _timed(
        table, clock, {"released": "released_h", "due": "due_h", "completed": "completed_h"}
    )


def _int_kpi(name: str) -> bool:
    """Whether the flat KPI ``name`` (``lines.L1.failures``) is an int field of plantwin.kpis."""
    from plantwin.kpis import RunKpis

    kind: Any = RunKpis
    for part in name.split("."):
        kind = _required(kind)
        if dataclasses.is_dataclass(kind):
            kind = typing.get_type_hints(kind).get(part) if part in _fields(kind) else None
        elif typing.get_origin(kind) is dict:
            kind = typing.get_args(kind)[1]  # ``part`` is a key: a station, a product, a month
        else:
            return False
    return _required(kind) is int


def _fields(model: Any) -> set[str]:
    return {f.name for f in dataclasses.fields(model)}


def _required(kind: Any) -> Any:
    """``X`` of ``X | None``; any other type as it is."""
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    return args[0] if isinstance(kind, types.UnionType) and len(args) == 1 else kind


def replications_table(table: pd.DataFrame) -> pa.Table:
    """An experiment's replications as Arrow: counts (the int fields of the KPI models) as
    int64 where every value is whole, and null where a replication has no value."""
    import pyarrow as pa

    # from pandas, a NaN (a KPI a replication has no value for) becomes a null
    rows = pa.Table.from_pandas(table, preserve_index=False)
    return _counts(rows, [c for c in rows.column_names if _int_kpi(c)])


def _experiment_tables(stored: StoredRun) -> dict[str, pa.Table]:
    import pyarrow as pa

    assert stored.table is not None
    rs = stored.resultset()
    return {
        "replications": replications_table(stored.table),
        "summary": pa.Table.from_pandas(rs.summary(), preserve_index=False),
        "compare": pa.Table.from_pandas(rs.compare(), preserve_index=False),
    }


def run_tables(stored: StoredRun) -> dict[str, pa.Table]:
    """The tables an export writes: the event log and its time series, or an experiment's.

    Hours since the start are columns named ``X_h`` beside ``X_at`` (``timestamp`` beside
    ``time_h``), the moment in the plant's time zone; counts are int64; no value is null.
    """
    from plantwin.results._timeseries import line_state_intervals, storage_level

    if stored.kind == "experiment":
        return _experiment_tables(stored)
    events = _events(stored)
    plant = stored.scenario.plant
    clock = _Clock.of(plant)
    horizon = stored.horizon_hours
    states = _no_empty(line_state_intervals(events, horizon), ["product"])
    return {
        "events": _events_table(events, clock),
        "output": _output_table(events, horizon, clock),
        "storage": _counts(
            _timed(storage_level(events), clock, {"time": "time_h"}), ["change", "level", "total"]
        ),
        "line_states": _timed(states, clock, {"start": "start_h", "end": "end_h"}),
        "orders": _orders_table(stored, events, clock),
    }


def _events(stored: StoredRun) -> pa.Table:
    if stored.events is None:
        which = f"run {stored.id}" if stored.id is not None else "this run"
        raise ValueError(f"{which} kept no event log, so there is nothing to export")
    return stored.events


def export_run(stored: StoredRun, fmt: ExportFormat, path: str | Path) -> list[Path]:
    """Export a stored run or experiment; returns the files written.

    ``parquet`` and ``csv`` write one file per table of :func:`run_tables` into the folder
    ``path`` (for a run: events, output, storage, line_states, orders; for an experiment:
    replications, summary, compare), the same columns in both; ``ocel`` writes OCEL 2.0 JSON
    and ``ocel-sqlite`` an OCEL 2.0 SQLite file at ``path``. Raises ValueError for an export
    the stored data cannot give.
    """
    if fmt in ("parquet", "csv"):
        folder = Path(path)
        return [
            _write_table(table, folder / f"{name}.{fmt}", fmt)
            for name, table in run_tables(stored).items()
        ]
    if fmt not in ("ocel", "ocel-sqlite"):
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if stored.kind != "run":
        raise ValueError(
            "OCEL needs an event log, and an experiment keeps none; use parquet or csv"
        )
    from plantwin.results._ocel import ocel_log, write_ocel_json, write_ocel_sqlite
    from plantwin.scenario import Network
    from plantwin.sim import lane_names

    s = stored.scenario
    lanes = lane_names(s) if isinstance(s, Network) else None
    log = ocel_log(_events(stored), s.plant.start, s.plant.tzinfo, lanes=lanes)
    writer = write_ocel_json if fmt == "ocel" else write_ocel_sqlite
    return [atomic_write(path, lambda tmp: writer(log, tmp))]
