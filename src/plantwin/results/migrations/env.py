"""Alembic's environment for the results store.

plantwin runs the migrations itself when a store is opened (``plantwin.results.open_store``),
handing over its open connection in ``config.attributes["connection"]``. A developer can also
run ``alembic`` by hand with ``-x url=sqlite:///plantwin.db`` and this folder as script location.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from plantwin.results._schema import VERSION_TABLE, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _run(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("give the database: alembic -x url=sqlite:///plantwin.db ...")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, version_table=VERSION_TABLE)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


_main()
