"""Writing results to files, atomically: a failed write leaves an old file intact.

Every file is written to a temporary file beside its target and moved over it with
``os.replace``, so a reader never sees half a file and a crash never leaves one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pyarrow and the exports' modules are imported by the functions that use them
    import pyarrow as pa

    from plantwin.results._stored import StoredRun
    from plantwin.sim import RunResult

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "atomic_write",
    "export_run",
    "run_tables",
    "write_events_csv",
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


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary-encoded columns as plain ones (CSV has no dictionaries)."""
    import pyarrow as pa

    return table.cast(
        pa.schema(
            [
                pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
                for f in table.schema
            ]
        )
    )


def _write_table(table: pa.Table, path: Path, fmt: Literal["parquet", "csv"]) -> Path:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if fmt == "csv":
        return atomic_write(path, lambda tmp: pacsv.write_csv(_plain(table), tmp))
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def write_events_csv(result: RunResult, path: str | Path) -> int:
    """Write the run's event log as CSV (one row per record); returns the number of rows."""
    table = result.events()
    _write_table(table, Path(path), "csv")
    return int(table.num_rows)


def _with_timestamp(table: pa.Table, start: date, column: str = "time") -> pa.Table:
    """Add ``timestamp``: plant time of the hours in ``column`` (hour 0 is the start at 00:00)."""
    import numpy as np
    import pyarrow as pa

    base = np.datetime64(datetime(start.year, start.month, start.day), "us")
    hours = table.column(column).to_numpy(zero_copy_only=False)
    stamps = base + np.rint(hours * 3.6e9).astype("timedelta64[us]")
    return table.append_column("timestamp", pa.array(stamps, pa.timestamp("us")))


def run_tables(stored: StoredRun) -> dict[str, pa.Table]:
    """The tables an export writes: the event log and its time series, or an experiment's."""
    import pyarrow as pa

    from plantwin.results._timeseries import (
        line_state_intervals,
        order_fill,
        output_over_time,
        storage_level,
    )

    if stored.kind == "experiment":
        assert stored.table is not None
        rs = stored.resultset()
        return {
            "replications": pa.Table.from_pandas(stored.table, preserve_index=False),
            "summary": pa.Table.from_pandas(rs.summary(), preserve_index=False),
            "compare": pa.Table.from_pandas(rs.compare(), preserve_index=False),
        }
    events = _events(stored)
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    return {
        "events": _with_timestamp(events, start),
        "output": _with_timestamp(output_over_time(events, horizon), start),
        "storage": _with_timestamp(storage_level(events), start),
        "line_states": _with_timestamp(line_state_intervals(events, horizon), start, "start"),
        "orders": _with_timestamp(order_fill(events), start, "released"),
    }


def _events(stored: StoredRun) -> pa.Table:
    if stored.events is None:
        which = f"run {stored.id}" if stored.id is not None else "this run"
        raise ValueError(f"{which} kept no event log, so there is nothing to export")
    return stored.events


def export_run(stored: StoredRun, fmt: ExportFormat, path: str | Path) -> list[Path]:
    """Export a stored run or experiment; returns the files written.

    ``parquet`` and ``csv`` write one file per table into the folder ``path`` (for a run:
    events, output, storage, line_states, orders; for an experiment: replications, summary,
    compare); ``ocel`` writes OCEL 2.0 JSON and ``ocel-sqlite`` an OCEL 2.0 SQLite file at
    ``path``. Raises ValueError for an export the stored data cannot give.
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
