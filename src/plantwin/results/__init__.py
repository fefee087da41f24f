"""Results that last: the SQL results store, exports (Parquet, CSV, OCEL 2.0) and time series."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin._lazy import lazy_attributes

if TYPE_CHECKING:
    from plantwin.results._export import (
        EXPORT_FORMATS,
        atomic_write,
        export_run,
        run_tables,
        write_events_csv,
    )
    from plantwin.results._ocel import (
        OcelLog,
        ocel_json,
        ocel_log,
        write_ocel_json,
        write_ocel_sqlite,
    )
    from plantwin.results._store import (
        DEFAULT_DB,
        RunNotFoundError,
        Store,
        StoreError,
        StoreNotFoundError,
        open_store,
        resolve_url,
        schema_head,
    )
    from plantwin.results._stored import StoredRun, StoredRunInfo
    from plantwin.results._timeseries import (
        line_state_intervals,
        order_fill,
        output_over_time,
        storage_level,
    )

__all__ = [
    "DEFAULT_DB",
    "EXPORT_FORMATS",
    "OcelLog",
    "RunNotFoundError",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoredRun",
    "StoredRunInfo",
    "atomic_write",
    "export_run",
    "line_state_intervals",
    "ocel_json",
    "ocel_log",
    "open_store",
    "order_fill",
    "output_over_time",
    "resolve_url",
    "run_tables",
    "schema_head",
    "storage_level",
    "write_events_csv",
    "write_ocel_json",
    "write_ocel_sqlite",
]

# imported on first use: the store needs SQLAlchemy, exports and time series need pyarrow
__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        **dict.fromkeys(
            ["EXPORT_FORMATS", "atomic_write", "export_run", "run_tables", "write_events_csv"],
            "plantwin.results._export",
        ),
        **dict.fromkeys(
            ["OcelLog", "ocel_json", "ocel_log", "write_ocel_json", "write_ocel_sqlite"],
            "plantwin.results._ocel",
        ),
        **dict.fromkeys(
            [
                "DEFAULT_DB",
                "RunNotFoundError",
                "Store",
                "StoreError",
                "StoreNotFoundError",
                "open_store",
                "resolve_url",
                "schema_head",
            ],
            "plantwin.results._store",
        ),
        **dict.fromkeys(["StoredRun", "StoredRunInfo"], "plantwin.results._stored"),
        **dict.fromkeys(
            ["line_state_intervals", "order_fill", "output_over_time", "storage_level"],
            "plantwin.results._timeseries",
        ),
    },
)
