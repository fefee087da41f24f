"""The tables of the results store, as SQLAlchemy Core metadata (the Alembic migrations build it).

``runs`` holds one row per saved run or experiment: the scenario as JSON (and its TOML source
when known), seed, versions, wall-clock times, the user's label and overrides, KPIs as JSON and a
few headline KPIs as columns so that listing needs no JSON. ``run_data`` holds the large tables
of a row (the event log, the per-replication table) as compressed Arrow IPC blobs, apart, so
that a listing never reads them. ``scenarios`` holds the scenarios a user saved (by name, as TOML
text), ``jobs`` the runs and experiments the web app runs in the background, with their progress,
so that every browser and a restarted server see the same state.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "SCHEMA_HEAD",
    "VERSION_TABLE",
    "jobs",
    "metadata",
    "run_data",
    "runs",
    "scenarios",
    "version_table",
]

VERSION_TABLE = "plantwin_schema_version"
"""Alembic's version table, named so that it cannot clash with another application's."""

SCHEMA_HEAD = "v0003"
"""The newest migration's revision: a store at it opens without importing Alembic (a test
checks that it is the migrations' head)."""

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("scenario_name", String(200), nullable=False),
    Column("scenario_json", Text, nullable=False),
    Column("scenario_sha256", String(64), nullable=False, index=True),
    Column("source_text", Text, nullable=True),
    Column("seed", BigInteger, nullable=False),
    Column("replication", Integer, nullable=True),
    Column("replications", Integer, nullable=True),
    Column("horizon_hours", Float, nullable=False),
    Column("plantwin_version", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("kpis", JSON, nullable=False),
    Column("variants", JSON, nullable=True),
    Column("units_good", Float, nullable=True),
    Column("attainment", Float, nullable=True),
    Column("fill_rate", Float, nullable=True),
    Column("label", Text, nullable=True),
    Column("overrides", JSON, nullable=True),
    sqlite_autoincrement=True,  # never reuse the id of a deleted run
)

run_data = Table(
    "run_data",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(32), primary_key=True),
    Column("format", String(32), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("request", JSON, nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("message", Text, nullable=True),
    # a deleted result leaves its job, without the id
    Column("result_id", Integer, ForeignKey("runs.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    sqlite_autoincrement=True,  # never reuse the id of a job a browser may still show
)

version_table = Table(VERSION_TABLE, MetaData(), Column("version_num", String(32)))
"""Alembic's version table as Alembic writes it, to read the revision without Alembic."""
