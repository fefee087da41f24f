"""The results store: runs and experiments saved in SQL (SQLite by default, or PostgreSQL).

Opening a store brings its schema to the newest version with the Alembic migrations shipped in
the package. Every save is one transaction (the run's row and its data tables together), so a
crash, a kill or Ctrl-C leaves either the whole run or nothing, and never touches earlier runs;
SQLite runs in WAL mode with transactions begun by plantwin itself (``BEGIN IMMEDIATE`` for
writes), so migrations are transactional there too, and several processes (a web server and its
job workers) can write at once: a writer waits for the others (up to 30 s), readers never do.

The store also keeps the scenarios a user saved by name and the background jobs of the web app.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from plantwin.kpis import upgrade_kpi_name, upgrade_kpis
from plantwin.results._schema import (
    SCHEMA_HEAD,
    VERSION_TABLE,
    jobs,
    run_data,
    runs,
    scenarios,
    version_table,
)
from plantwin.results._stored import (
    Job,
    JobStatus,
    Kind,
    Overrides,
    ResultSetLike,
    SavedScenario,
    StoredRun,
    StoredRunInfo,
    clean_json,
    table_from_bytes,
    table_to_bytes,
)
from plantwin.scenario import Network, Scenario, read_stored
from plantwin.sim import RunResult

__all__ = [
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
]

DEFAULT_DB = "sqlite:///plantwin.db"
"""Where runs go unless ``--db`` or the environment variable ``PLANTWIN_DB`` says otherwise."""

_MIGRATIONS = Path(__file__).parent / "migrations"
_IPC = "arrow-ipc"
_PG_LOCK = 0x706C_616E_7477  # any fixed number: serialises concurrent migrations on PostgreSQL


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says why."""


class StoreNotFoundError(StoreError):
    """A SQLite store file that does not exist (opened with ``create=False``)."""


class RunNotFoundError(StoreError, LookupError):
    """No stored run or experiment has that id."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        super().__init__(f"no stored run with id {run_id} (plantwin runs lists them)")


class ScenarioNotFoundError(StoreError, KeyError):
    """No scenario is saved under that name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no saved scenario named {name!r}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class JobNotFoundError(StoreError, KeyError):
    """No job has that id."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        super().__init__(f"no job with id {job_id}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class JobEndedError(StoreError):
    """A job's result came after the job ended (it was cancelled): the result was not saved."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        super().__init__(f"job {job_id} is no longer running; its result was not saved")


MAX_SCENARIO_NAME = 200
"""Characters of a saved scenario's name (the column's width)."""

_JOB_FIELDS = frozenset(
    {"status", "done", "total", "message", "result_id", "started_at", "finished_at"}
)
_JOB_STATUSES: frozenset[str] = frozenset(JobStatus.__args__)  # type: ignore[attr-defined]


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL of a store: ``url``, else ``$PLANTWIN_DB``, else ``./plantwin.db``.

    A plain file path means SQLite; ``postgresql://`` and ``postgres://`` mean psycopg 3.
    """
    raw = (url or os.environ.get("PLANTWIN_DB") or DEFAULT_DB).strip()
    if "://" not in raw:
        raw = f"sqlite:///{raw}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            raw = "postgresql+psycopg://" + raw.removeprefix(prefix)
    return raw


def schema_head() -> str:
    """The newest schema revision the shipped migrations know."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def _revision(conn: Connection) -> str | None:
    """The revision a database is at, read without Alembic (None: no schema yet)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(select(version_table.c.version_num)).scalar_one_or_none()


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime | time):  # TOML values in experiment overrides
        return value.isoformat()
    return str(value)


def _dumps(value: object) -> str:
    """JSON for the KPI and variant columns: NaN and infinities become null (PostgreSQL's
    ``json`` refuses them), dates become ISO text."""
    return json.dumps(clean_json(value), default=_json_default)


def _sqlite_events(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and transactions that plantwin begins itself."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver must not begin transactions itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("plantwin_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open (and, with ``create``, create) the store at ``url`` and migrate it to the newest schema.

    Raises :class:`StoreError` with a readable message when the URL is bad, the driver is
    missing or the database cannot be reached; :class:`StoreNotFoundError` when ``create`` is
    false and a SQLite file does not exist.
    """
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise StoreError(f"not a database URL: {resolved!r} (try sqlite:///plantwin.db)") from None
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {"json_serializer": _dumps}
    if backend == "sqlite":
        database = parsed.database or ""
        if _in_memory(parsed):
            kwargs["poolclass"] = StaticPool  # one connection, or each would see its own database
        elif not create and not Path(database).exists():
            raise StoreNotFoundError(f"no results store at {database} yet")
    elif backend != "postgresql":
        raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")
    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError:
        raise StoreError(f"unsupported database URL {resolved!r}") from None
    except ImportError as exc:
        hint = " (pip install 'plantwin[postgres]')" if backend == "postgresql" else ""
        raise StoreError(f"the driver for {backend} is not installed: {exc}{hint}") from None
    if backend == "sqlite":
        _sqlite_events(engine)
    store = Store(engine)
    try:
        store._migrate()
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the results store {store.url}: {_reason(exc)}") from None
    return store


def _in_memory(url: URL) -> bool:
    """An in-memory SQLite database (``sqlite://``, ``:memory:``, a ``mode=memory`` URI)."""
    if url.get_backend_name() != "sqlite":
        return False
    return (url.database or "") in ("", ":memory:") or url.query.get("mode") == "memory"


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).strip().splitlines()[0]


class Store:
    """A results store: save, list, load and delete runs and experiments by id."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def in_memory(self) -> bool:
        """True for an in-memory SQLite database, which ends with the process that opened it."""
        return _in_memory(self._engine.url)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def _write(self) -> Connection:
        return self._engine.connect().execution_options(plantwin_write=True)

    def _migrate(self) -> None:
        with self._write() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            if _revision(conn) == SCHEMA_HEAD:
                return  # the common case, without importing Alembic
            from alembic import command

            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def schema_revision(self) -> str | None:
        """The schema revision the database is at (the head once opened)."""
        with self._engine.connect() as conn:
            return _revision(conn)

    # --- writing -------------------------------------------------------------------------------

    def save(self, stored: StoredRun, *, job_id: int | None = None) -> int:
        """Save a run or an experiment in one transaction; returns its new id.

        With ``job_id``, the same transaction ends that job as done with this result, and
        saves nothing (JobEndedError) when the job is no longer running: a job cancelled while
        its result was being saved has either its whole result or none."""
        headline = stored.headline()
        row = {
            "kind": stored.kind,
            "scenario_name": stored.scenario.plant.name[:200],
            "scenario_json": stored.scenario_json,
            "scenario_sha256": stored.scenario_sha256,
            "source_text": stored.source_text,
            "seed": stored.seed,
            "replication": stored.replication,
            "replications": stored.replications,
            "horizon_hours": stored.horizon_hours,
            "plantwin_version": stored.plantwin_version,
            "started_at": stored.started_at,
            "finished_at": stored.finished_at,
            "saved_at": datetime.now(UTC),
            "kpis": stored.kpis,
            "variants": stored.variants,
            "label": stored.label,
            "overrides": stored.overrides,
            **headline,
        }
        blobs = []  # serialised before the transaction, to keep it short
        if stored.events is not None:
            blobs.append(("events", stored.events.num_rows, table_to_bytes(stored.events)))
        if stored.table is not None:
            import pyarrow as pa

            table = pa.Table.from_pandas(stored.table, preserve_index=False)
            blobs.append(("replications", table.num_rows, table_to_bytes(table)))
        try:
            with self._write() as conn, conn.begin():
                run_id = int(
                    conn.execute(insert(runs).values(row).returning(runs.c.id)).scalar_one()
                )
                for name, rows, data in blobs:
                    conn.execute(
                        insert(run_data).values(
                            run_id=run_id, name=name, format=_IPC, rows=rows, data=data
                        )
                    )
                if job_id is not None and not _update_job(
                    conn,
                    job_id,
                    ("running",),
                    status="done",
                    result_id=run_id,
                    done=jobs.c.total,
                    finished_at=datetime.now(UTC),
                ):
                    raise JobEndedError(job_id)  # rolls the run back
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot save to {self.url}: {_reason(exc)}") from None
        return run_id

    def save_run(
        self,
        result: RunResult,
        *,
        source_text: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        label: str | None = None,
        overrides: Overrides | None = None,
    ) -> int:
        """Save one run (scenario, seed, KPIs, event log if kept); returns its id."""
        return self.save(
            StoredRun.from_result(
                result,
                source_text=source_text,
                started_at=started_at,
                finished_at=finished_at,
                label=label,
                overrides=overrides,
            )
        )

    def save_experiment(
        self,
        resultset: ResultSetLike,
        *,
        source_text: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        label: str | None = None,
        overrides: Overrides | None = None,
    ) -> int:
        """Save an experiment (scenario, variants, replications, summary); returns its id."""
        return self.save(
            StoredRun.from_resultset(
                resultset,
                source_text=source_text,
                started_at=started_at,
                finished_at=finished_at,
                label=label,
                overrides=overrides,
            )
        )

    def delete(self, run_id: int) -> None:
        """Delete a stored run or experiment and its data; raises RunNotFoundError if unknown."""
        with self._write() as conn, conn.begin():
            conn.execute(delete(run_data).where(run_data.c.run_id == run_id))
            gone = conn.execute(delete(runs).where(runs.c.id == run_id)).rowcount
        if not gone:
            raise RunNotFoundError(run_id)

    def set_label(self, run_id: int, label: str | None) -> None:
        """Set (or, with None, clear) the user's label of a stored run or experiment."""
        with self._write() as conn, conn.begin():
            found = conn.execute(
                update(runs).where(runs.c.id == run_id).values(label=label)
            ).rowcount
        if not found:
            raise RunNotFoundError(run_id)

    # --- saved scenarios -------------------------------------------------------------------------

    def save_scenario(self, name: str, source: str) -> None:
        """Save a scenario's TOML text under ``name``, replacing what was saved under it.

        The text is kept as it is, unchecked: the caller validates it."""
        if not name or len(name) > MAX_SCENARIO_NAME:
            raise ValueError(f"a scenario's name has 1 to {MAX_SCENARIO_NAME} characters")
        now = datetime.now(UTC)
        with self._write() as conn, conn.begin():
            changed = conn.execute(
                update(scenarios)
                .where(scenarios.c.name == name)
                .values(source=source, updated_at=now)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(scenarios).values(
                        name=name, source=source, created_at=now, updated_at=now
                    )
                )

    def scenario_source(self, name: str) -> str:
        """The TOML text saved under ``name``; ScenarioNotFoundError (a KeyError) if none."""
        with self._engine.connect() as conn:
            source = conn.execute(
                select(scenarios.c.source).where(scenarios.c.name == name)
            ).scalar_one_or_none()
        if source is None:
            raise ScenarioNotFoundError(name)
        return str(source)

    def list_scenarios(self) -> list[SavedScenario]:
        """The saved scenarios by name, without their text."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(scenarios.c.name, scenarios.c.created_at, scenarios.c.updated_at).order_by(
                    scenarios.c.name
                )
            ).all()
        return [
            SavedScenario(name, _aware(created), _aware(updated)) for name, created, updated in rows
        ]

    def delete_scenario(self, name: str) -> None:
        """Delete the scenario saved under ``name``; ScenarioNotFoundError if none."""
        with self._write() as conn, conn.begin():
            gone = conn.execute(delete(scenarios).where(scenarios.c.name == name)).rowcount
        if not gone:
            raise ScenarioNotFoundError(name)

    # --- jobs ------------------------------------------------------------------------------------

    def add_job(self, kind: Kind, request: dict[str, Any], *, total: int = 0) -> int:
        """Record a new job, queued, with its request (JSON-ready) and planned ``total``."""
        row = {
            "kind": kind,
            "status": "queued",
            "request": request,
            "done": 0,
            "total": total,
            "created_at": datetime.now(UTC),
        }
        with self._write() as conn, conn.begin():
            return int(conn.execute(insert(jobs).values(row).returning(jobs.c.id)).scalar_one())

    def job(self, job_id: int) -> Job:
        """The job ``job_id``; JobNotFoundError (a KeyError) if none."""
        with self._engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        if row is None:
            raise JobNotFoundError(job_id)
        return _job(row)

    def list_jobs(self, status: tuple[JobStatus, ...] | None = None) -> list[Job]:
        """Every job (or those with one of the ``status`` given), oldest first."""
        query = select(jobs).order_by(jobs.c.id)
        if status is not None:
            query = query.where(jobs.c.status.in_(status))
        with self._engine.connect() as conn:
            return [_job(row) for row in conn.execute(query).mappings().all()]

    def update_job(
        self, job_id: int, *, when_status: tuple[JobStatus, ...] | None = None, **fields: Any
    ) -> bool:
        """Set fields of a job (status, done, total, message, result_id, started_at,
        finished_at). With ``when_status``, only a job in one of those statuses changes, so
        that an ended job stays ended whoever writes last; returns whether it changed.
        JobNotFoundError if there is no such job."""
        unknown = set(fields) - _JOB_FIELDS
        if unknown:
            raise TypeError(f"jobs have no field {', '.join(sorted(unknown))}")
        if "status" in fields and fields["status"] not in _JOB_STATUSES:
            raise ValueError(f"not a job status: {fields['status']!r}")
        with self._write() as conn, conn.begin():
            if _update_job(conn, job_id, when_status, **fields):
                return True
            found = conn.execute(select(jobs.c.id).where(jobs.c.id == job_id)).first()
        if found is None:
            raise JobNotFoundError(job_id)
        return False

    # --- reading -------------------------------------------------------------------------------

    def list_runs(self) -> list[StoredRunInfo]:
        """Every stored run and experiment, oldest first, without their data tables."""
        columns = [runs.c[name] for name in _INFO_COLUMNS]
        with self._engine.connect() as conn:
            rows = conn.execute(select(*columns).order_by(runs.c.id)).mappings().all()
        return [
            StoredRunInfo(
                id=int(row["id"]),
                kind=cast(Kind, row["kind"]),
                scenario_name=row["scenario_name"],
                scenario_sha256=row["scenario_sha256"],
                seed=int(row["seed"]),
                replications=row["replications"],
                horizon_hours=float(row["horizon_hours"]),
                plantwin_version=row["plantwin_version"],
                started_at=_aware(row["started_at"]),
                finished_at=_aware(row["finished_at"]),
                units_stored=row["units_good"],
                attainment=row["attainment"],
                fill_rate=row["fill_rate"],
                label=row["label"],
                overrides=row["overrides"],
                replication=row["replication"],
            )
            for row in rows
        ]

    def load(self, run_id: int) -> StoredRun:
        """A stored run or experiment by id, data tables included."""
        with self._engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
            if row is None:
                raise RunNotFoundError(run_id)
            data = {
                name: table_from_bytes(blob)
                for name, blob in conn.execute(
                    select(run_data.c.name, run_data.c.data).where(run_data.c.run_id == run_id)
                ).all()
            }
        replications = data.get("replications")
        return StoredRun(
            id=int(row["id"]),
            kind=cast(Kind, row["kind"]),
            scenario=_scenario(run_id, row["scenario_json"]),
            seed=int(row["seed"]),
            kpis=upgrade_kpis(row["kpis"]),  # older runs: today's KPI names
            horizon_hours=float(row["horizon_hours"]),
            started_at=_aware(row["started_at"]),
            finished_at=_aware(row["finished_at"]),
            source_text=row["source_text"],
            plantwin_version=row["plantwin_version"],
            replication=row["replication"],
            replications=row["replications"],
            events=data.get("events"),
            variants=row["variants"],
            label=row["label"],
            overrides=row["overrides"],
            table=(
                replications.to_pandas().rename(columns=upgrade_kpi_name)
                if replications is not None
                else None
            ),
        )


_INFO_COLUMNS = (
    "id",
    "kind",
    "scenario_name",
    "scenario_sha256",
    "seed",
    "replications",
    "horizon_hours",
    "plantwin_version",
    "started_at",
    "finished_at",
    "units_good",
    "attainment",
    "fill_rate",
    "label",
    "overrides",
    "replication",
)


def _scenario(run_id: int, text: str) -> Scenario | Network:
    """A stored run's scenario, read under the rules it was saved under where later ones are
    stricter; one that still cannot be read is a StoreError, not a crash."""
    from pydantic import ValidationError

    try:
        return read_stored(text)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        why = f"its scenario breaks this version's rules ({problems})"
        raise StoreError(f"run {run_id} cannot be loaded: {why}") from None


def _update_job(
    conn: Connection, job_id: int, when_status: tuple[JobStatus, ...] | None, **fields: Any
) -> bool:
    query = update(jobs).where(jobs.c.id == job_id)
    if when_status is not None:
        query = query.where(jobs.c.status.in_(when_status))
    return bool(conn.execute(query.values(**fields)).rowcount)


def _job(row: Any) -> Job:
    return Job(
        id=int(row["id"]),
        kind=cast(Kind, row["kind"]),
        status=cast(JobStatus, row["status"]),
        request=row["request"],
        done=int(row["done"]),
        total=int(row["total"]),
        message=row["message"],
        result_id=row["result_id"],
        created_at=_aware(row["created_at"]),
        started_at=_aware(row["started_at"]) if row["started_at"] is not None else None,
        finished_at=_aware(row["finished_at"]) if row["finished_at"] is not None else None,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
