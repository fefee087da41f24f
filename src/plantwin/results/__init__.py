"""Results that last: the SQL results store, exports (Parquet, CSV, OCEL 2.0) and time series."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin._lazy import lazy_attributes

if TYPE_CHECKING:
    from plantwin.results._export import (
        EXPORT_FORMATS,
        atomic_write,
        export_run,
        replications_table,
        run_tables,
        write_events_csv,
        write_replications,
    )
    from plantwin.results._ocel import (
        OcelLog,
        ocel_json,
        ocel_log,
        plant_datetime,
        write_ocel_json,
        write_ocel_sqlite,
    )
    from plantwin.results._store import (
        DEFAULT_DB,
        JobEndedError,
        JobNotFoundError,
        RunNotFoundError,
        ScenarioNotFoundError,
        Store,
        StoreError,
        StoreNotFoundError,
        open_store,
        resolve_url,
        schema_head,
    )
    from plantwin.results._stored import (
        ACTIVE_STATUSES,
        Job,
        JobStatus,
        Overrides,
        SavedScenario,
        StoredRun,
        StoredRunInfo,
    )
    from plantwin.results._timeseries import (
        backorders_by_day,
        daily_state_hours,
        failure_repairs,
        inspection_spells,
        line_state_intervals,
        order_fill,
        order_status,
        output_over_time,
        range_by_day,
        storage_by_day,
        storage_level,
    )

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULT_DB",
    "EXPORT_FORMATS",
    "Job",
    "JobEndedError",
    "JobNotFoundError",
    "JobStatus",
    "OcelLog",
    "Overrides",
    "RunNotFoundError",
    "SavedScenario",
    "ScenarioNotFoundError",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoredRun",
    "StoredRunInfo",
    "atomic_write",
    "backorders_by_day",
    "daily_state_hours",
    "export_run",
    "failure_repairs",
    "inspection_spells",
    "line_state_intervals",
    "ocel_json",
    "ocel_log",
    "open_store",
    "order_fill",
    "order_status",
    "output_over_time",
    "plant_datetime",
    "range_by_day",
    "replications_table",
    "resolve_url",
    "run_tables",
    "schema_head",
    "storage_by_day",
    "storage_level",
    "write_events_csv",
    "write_ocel_json",
    "write_ocel_sqlite",
    "write_replications",
]

# imported on first use: the store needs SQLAlchemy, exports and time series need pyarrow
__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        **dict.fromkeys(
            [
                "EXPORT_FORMATS",
                "atomic_write",
                "export_run",
                "replications_table",
                "run_tables",
                "write_events_csv",
                "write_replications",
            ],
            "plantwin.results._export",
        ),
        **dict.fromkeys(
            [
                "OcelLog",
                "ocel_json",
                "ocel_log",
                "plant_datetime",
                "write_ocel_json",
                "write_ocel_sqlite",
            ],
            "plantwin.results._ocel",
        ),
        **dict.fromkeys(
            [
                "DEFAULT_DB",
                "JobEndedError",
                "JobNotFoundError",
                "RunNotFoundError",
                "ScenarioNotFoundError",
                "Store",
                "StoreError",
                "StoreNotFoundError",
                "open_store",
                "resolve_url",
                "schema_head",
            ],
            "plantwin.results._store",
        ),
        **dict.fromkeys(
            [
                "ACTIVE_STATUSES",
                "Job",
                "JobStatus",
                "Overrides",
                "SavedScenario",
                "StoredRun",
                "StoredRunInfo",
            ],
            "plantwin.results._stored",
        ),
        **dict.fromkeys(
            [
                "backorders_by_day",
                "daily_state_hours",
                "failure_repairs",
                "inspection_spells",
                "line_state_intervals",
                "order_fill",
                "order_status",
                "output_over_time",
                "range_by_day",
                "storage_by_day",
                "storage_level",
            ],
            "plantwin.results._timeseries",
        ),
    },
)
