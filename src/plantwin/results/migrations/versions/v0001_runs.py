"""The first schema: runs and their data tables.

Revision ID: v0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``runs`` and ``run_data``."""
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scenario_name", sa.String(200), nullable=False),
        sa.Column("scenario_json", sa.Text(), nullable=False),
        sa.Column("scenario_sha256", sa.String(64), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("replication", sa.Integer(), nullable=True),
        sa.Column("replications", sa.Integer(), nullable=True),
        sa.Column("horizon_hours", sa.Float(), nullable=False),
        sa.Column("plantwin_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=True),
        sa.Column("units_good", sa.Float(), nullable=True),
        sa.Column("attainment", sa.Float(), nullable=True),
        sa.Column("fill_rate", sa.Float(), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_runs_scenario_sha256", "runs", ["scenario_sha256"])
    op.create_table(
        "run_data",
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("run_data")
    op.drop_index("ix_runs_scenario_sha256", table_name="runs")
    op.drop_table("runs")
