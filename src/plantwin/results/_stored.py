"""A run or an experiment as the results store keeps it, and the blobs its tables become.

Large tables (the event log of a run, the per-replication table of an experiment) are stored as
one Arrow IPC stream each, zstd-compressed, in a binary column. A plant-year is about 8,000
records: as rows that would be 8,000 inserts per run and a table nobody queries row by row (every
reader wants the whole log: exports, reports); as one blob it is ~50 kB, written and read in
milliseconds, and the Arrow schema (dictionary-encoded strings included) comes back exactly.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from plantwin.scenario import Network, Scenario, duration_hours
from plantwin.sim import RunResult

if TYPE_CHECKING:  # pyarrow is imported where tables are (de)serialised
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "ACTIVE_STATUSES",
    "HEADLINE_KPIS",
    "Job",
    "JobStatus",
    "Kind",
    "Overrides",
    "ResultSetLike",
    "SavedScenario",
    "StoredRun",
    "StoredRunInfo",
    "clean_json",
    "scenario_sha256",
    "table_from_bytes",
    "table_to_bytes",
]

Kind = Literal["run", "experiment"]

JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
"""Where a job is: waiting for a worker, running, or ended (saved, failed, cancelled by a user
or the server's stop, or interrupted by a server that stopped without a word)."""

ACTIVE_STATUSES: tuple[JobStatus, ...] = ("queued", "running")
"""The statuses of a job that has not ended."""

Overrides = dict[str, list[str]]
"""What a request changed of its scenario, as typed: ``{"set": ["PATH=VALUE", ...], "sweep":
["PATH=V1,V2", ...]}``, an option present only when it was given."""

HEADLINE_KPIS = {
    "units_good": "output.units_stored",  # the column keeps its old name
    "attainment": "output.attainment",
    "fill_rate": "orders.fill_rate",
}
"""The KPIs a listing shows, by column name of the ``runs`` table: dotted flat-KPI names."""


class ResultSetLike(Protocol):
    """What the store needs of an experiment's results (``plantwin.experiment.ResultSet``)."""

    @property
    def scenario(self) -> Scenario | Network: ...
    @property
    def variants(self) -> dict[str, dict[str, Any]]: ...
    @property
    def seed(self) -> int: ...
    @property
    def replications(self) -> int: ...
    @property
    def table(self) -> pd.DataFrame: ...
    def summary(self, kpis: Sequence[str] | None = None) -> pd.DataFrame: ...
    def compare(self, kpis: Sequence[str] | None = None) -> pd.DataFrame: ...


def table_to_bytes(table: pa.Table) -> bytes:
    """An Arrow table as one compressed IPC stream."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    codec = "zstd" if pa.Codec.is_available("zstd") else None
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema, options=ipc.IpcWriteOptions(compression=codec)) as w:
        w.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def table_from_bytes(data: bytes) -> pa.Table:
    """The Arrow table written by :func:`table_to_bytes`."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    with ipc.open_stream(pa.py_buffer(data)) as reader:
        return reader.read_all()


def scenario_sha256(scenario_json: str) -> str:
    """The SHA-256 of a scenario's JSON text: equal scenarios, equal hashes."""
    return hashlib.sha256(scenario_json.encode("utf-8")).hexdigest()


def _utc(moment: datetime | None, default: datetime) -> datetime:
    if moment is None:
        return default
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _version() -> str:
    from plantwin import __version__

    return __version__


def clean_json(value: Any) -> Any:
    """JSON-safe: NaN and infinities (a standard deviation of one replication) become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


@dataclass(frozen=True)
class StoredRunInfo:
    """One line of the store's listing: what was run, when, and its headline KPIs."""

    id: int
    kind: Kind
    scenario_name: str
    scenario_sha256: str
    seed: int
    replications: int | None
    horizon_hours: float
    plantwin_version: str
    started_at: datetime
    finished_at: datetime
    units_stored: float | None  # the store's column keeps its old name, units_good
    attainment: float | None
    fill_rate: float | None
    label: str | None = None
    overrides: Overrides | None = None
    replication: int | None = None


@dataclass(frozen=True)
class SavedScenario:
    """A scenario a user saved in the store, by name (its TOML text is read apart)."""

    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Job:
    """A run or an experiment started in the background (by the web app), as the store keeps it.

    ``request`` is what was asked (scenario, seed, horizon, overrides...), ``done`` of ``total``
    its progress (percent of the horizon for a run, replications for an experiment),
    ``message`` why it failed or stopped, ``result_id`` the id of its saved result.
    """

    id: int
    kind: Kind
    status: JobStatus
    request: dict[str, Any]
    done: int
    total: int
    message: str | None
    result_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def active(self) -> bool:
        """True while the job is queued or running."""
        return self.status in ACTIVE_STATUSES


@dataclass(frozen=True)
class StoredRun:
    """A run or an experiment with everything needed to show, export or report it again.

    For a run, ``kpis`` are its KPIs and ``events`` its event log (None when it kept none).
    For an experiment, ``table`` has one row per (variant, replication) and one column per flat
    KPI, ``variants`` the overrides of each variant (the first is the base), and ``kpis`` the
    per-variant summary (``{"summary": {variant: {kpi: {n, mean, ...}}}, "compare": ...,
    "horizon": ..., "first_year_threshold": ...}``, the horizon being the experiment's
    override, if any, the threshold ``--first-year``'s).
    ``label`` is the user's name for it (``--label``), ``overrides`` the ``--set`` and
    ``--sweep`` options it ran with.
    """

    kind: Kind
    scenario: Scenario | Network
    seed: int
    kpis: dict[str, Any]
    horizon_hours: float
    started_at: datetime
    finished_at: datetime
    id: int | None = None
    source_text: str | None = None
    plantwin_version: str = field(default_factory=_version)
    replication: int | None = None
    replications: int | None = None
    events: pa.Table | None = None
    variants: dict[str, dict[str, Any]] | None = None
    table: pd.DataFrame | None = None
    label: str | None = None
    overrides: Overrides | None = None

    @property
    def scenario_json(self) -> str:
        """The scenario as JSON text (aliases as in scenario files): what the store keeps."""
        return self.scenario.model_dump_json(by_alias=True)

    @property
    def scenario_sha256(self) -> str:
        """SHA-256 of :attr:`scenario_json`, to find runs of the same scenario."""
        return scenario_sha256(self.scenario_json)

    @classmethod
    def from_result(
        cls,
        result: RunResult,
        *,
        source_text: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        label: str | None = None,
        overrides: Overrides | None = None,
    ) -> StoredRun:
        """A run's result as the store keeps it (wall-clock times default to now)."""
        now = datetime.now(UTC)
        end = _utc(finished_at, now)
        return cls(
            kind="run",
            scenario=result.scenario,
            seed=result.seed,
            kpis=result.kpis,
            horizon_hours=result.horizon_hours,
            started_at=_utc(started_at, end),
            finished_at=end,
            source_text=source_text,
            replication=result.replication,
            events=result.events() if result.event_log is not None else None,
            label=label,
            overrides=overrides or None,
        )

    @classmethod
    def from_resultset(
        cls,
        resultset: ResultSetLike,
        *,
        source_text: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        label: str | None = None,
        overrides: Overrides | None = None,
        first_year: float | None = None,
    ) -> StoredRun:
        """An experiment's results as the store keeps them (its summary and comparisons too;
        ``first_year``: the X of P(first-year output >= X) asked for, kept in ``kpis``)."""
        now = datetime.now(UTC)
        end = _utc(finished_at, now)
        table = resultset.table.reset_index(drop=True)
        scenario = resultset.scenario
        if "horizon_hours" in table.columns and len(table):
            horizon = float(table["horizon_hours"].iloc[0])
        else:
            horizon = duration_hours(scenario.plant.horizon, scenario.plant.start)
        return cls(
            kind="experiment",
            scenario=scenario,
            seed=resultset.seed,
            kpis={
                **_experiment_kpis(resultset.summary(), resultset.compare()),
                "horizon": getattr(resultset, "horizon", None),  # the experiment's override
                "first_year_threshold": first_year,
            },
            horizon_hours=horizon,
            started_at=_utc(started_at, end),
            finished_at=end,
            source_text=source_text,
            replications=resultset.replications,
            variants={k: dict(v) for k, v in resultset.variants.items()},
            table=table,
            label=label,
            overrides=overrides or None,
        )

    def kpi(self, name: str) -> float | None:
        """A numeric KPI by its dotted name: the run's, or the base variant's mean (None when
        there is none, or it is not a number)."""
        value: Any
        if self.kind == "run":
            value = self.kpis
            for part in name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        else:
            base = next(iter(self.variants or {}), None)
            value = self.kpis.get("summary", {}).get(base, {}).get(name, {}).get("mean")
        return (
            float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        )

    def headline(self) -> dict[str, float | None]:
        """Units good, attainment and fill rate: of the run, or the base variant's means."""
        out = {column: self.kpi(name) for column, name in HEADLINE_KPIS.items()}
        return clean_json(out)  # type: ignore[no-any-return]

    def resultset(self) -> ResultSetLike:
        """An experiment as a :class:`plantwin.experiment.ResultSet` again (for its statistics)."""
        if self.kind != "experiment" or self.table is None or self.variants is None:
            raise ValueError("only a stored experiment has a result set")
        from plantwin.experiment import ResultSet

        rebuilt: ResultSetLike = ResultSet(
            scenario=self.scenario,
            variants=self.variants,
            seed=self.seed,
            replications=int(self.replications or 0),
            table=self.table,
            horizon=self.kpis.get("horizon"),
        )
        return rebuilt


def _experiment_kpis(summary: pd.DataFrame, compare: pd.DataFrame) -> dict[str, Any]:
    """Summary and comparison frames as nested JSON-ready dicts: {variant: {kpi: {stat: x}}}."""
    out: dict[str, Any] = {"summary": {}, "compare": {}}
    for name, frame in (("summary", summary), ("compare", compare)):
        for record in frame.to_dict(orient="records"):
            variant, kpi = str(record.pop("variant")), str(record.pop("kpi"))
            out[name].setdefault(variant, {})[kpi] = {
                k: (int(v) if k == "n" and v == v else float(v)) for k, v in record.items()
            }
    return clean_json(out)  # type: ignore[no-any-return]
