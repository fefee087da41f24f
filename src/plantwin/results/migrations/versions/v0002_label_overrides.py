"""A user's label and the overrides (--set, --sweep) of each stored run or experiment.

Revision ID: v0002
Revises: v0001
Create Date: 2026-12-01

Both columns are nullable: runs stored before them have neither, and keep every other value.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "v0002"
down_revision: str | None = "v0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``runs.label`` and ``runs.overrides``."""
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("label", sa.Text(), nullable=True))
        batch.add_column(sa.Column("overrides", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("overrides")
        batch.drop_column("label")
