"""The caps on what one request may ask for, so that no input can exhaust the store or memory."""

from __future__ import annotations

__all__ = ["MAX_INT", "MAX_LABEL", "MAX_REPS", "MAX_RUNS", "MAX_SEED", "MAX_VARIANTS"]

MAX_INT = 2**31 - 1
"""The largest run id or replication number: ``Integer`` columns, 32 bits on PostgreSQL."""
MAX_SEED = 2**63 - 1
"""The largest seed: a ``BigInteger`` column, signed 64 bits on SQLite and PostgreSQL."""
MAX_VARIANTS = 1000
"""Variants one sweep (or the product of several) may make."""
MAX_REPS = 10_000
"""Replications per variant, fixed or as the cap of a precision run."""
MAX_RUNS = 20_000
"""Runs in one experiment, variants x replications (x the cap with a precision target): each
holds a row of ~180 KPIs, ~11 kB, in memory until the table is built."""
MAX_LABEL = 200
"""Characters of a user's label (``--label``): a name to find a run by, not a notebook."""
