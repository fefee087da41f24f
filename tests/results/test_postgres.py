"""The results store on a real PostgreSQL server ($PLANTWIN_TEST_POSTGRES_URL; .ci/run sets it).

Skipped on a laptop without the variable; in CI (CI=true) its absence fails (see conftest).
"""

from __future__ import annotations

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from plantwin.experiment import ResultSet
from plantwin.results import RunNotFoundError, open_store, resolve_url, schema_head
from plantwin.results._schema import VERSION_TABLE, metadata
from plantwin.sim import RunResult


def test_postgres_url_uses_psycopg3(pg_url: str) -> None:
    with open_store(pg_url) as store:
        assert store.url.startswith("postgresql+psycopg://")
        assert store._engine.dialect.driver == "psycopg"


def test_migrations_on_postgres(pg_url: str) -> None:
    with open_store(pg_url) as store:
        assert store.schema_revision() == schema_head()
    engine = create_engine(resolve_url(pg_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            assert context.get_current_revision() == schema_head()
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_run_round_trip_on_postgres(pg_url: str, maracay_run: RunResult) -> None:
    with open_store(pg_url) as store:
        run_id = store.save_run(maracay_run, source_text="# the source")
    with open_store(pg_url) as store:  # a second connection sees what the first committed
        got = store.load(run_id)
        assert got.kpis == maracay_run.kpis
        assert got.scenario == maracay_run.scenario
        assert got.source_text == "# the source"
        assert got.events is not None
        assert got.events.equals(maracay_run.events())
        assert got.started_at.tzinfo is not None
        [info] = store.list_runs()
        assert info.id == run_id
        assert info.units_stored == maracay_run.kpis["output"]["units_stored"]
        store.delete(run_id)
        assert store.list_runs() == []
        with pytest.raises(RunNotFoundError):
            store.load(run_id)


def test_experiment_round_trip_on_postgres(pg_url: str, resultset: ResultSet) -> None:
    with open_store(pg_url) as store:
        got = store.load(store.save_experiment(resultset))
    assert got.variants == resultset.variants
    assert got.table is not None
    pd.testing.assert_frame_equal(got.table, resultset.table)
    pd.testing.assert_frame_equal(got.resultset().compare(), resultset.compare())


def test_label_round_trip_on_postgres(pg_url: str, maracay_run: RunResult) -> None:
    label = "[red]x[/red] ünïcode"
    with open_store(pg_url) as store:
        run_id = store.save_run(maracay_run, label=label, overrides={"set": ["a.b=1"]})
        got = store.load(run_id)
        [info] = store.list_runs()
    assert got.label == info.label == label
    assert got.overrides == info.overrides == {"set": ["a.b=1"]}
