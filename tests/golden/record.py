"""Record the built-ins' KPIs and event logs for fixed seeds, as the fixture that a
reorganisation of the engine must reproduce exactly (tests/golden/test_unchanged.py).

Run from the repository root: ``python tests/golden/record.py``. Re-record only for a change
that is meant to change results, and say so in the commit message.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent
CASES = [("maracay", 1), ("maracay", 7), ("maracay-build", 1), ("maracay-build", 3)]


def name(scenario: str, seed: int) -> str:
    """The file stem of one recorded case."""
    return f"{scenario}-seed{seed}"


def plain(table: pa.Table) -> pa.Table:
    """The event log with its dictionary columns decoded, to compare by value."""
    return pa.table(
        {
            f.name: table[f.name].cast(f.type.value_type)
            if pa.types.is_dictionary(f.type)
            else table[f.name]
            for f in table.schema
        }
    )


def main() -> None:
    from plantwin import __version__, builtin, simulate

    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    for scenario, seed in CASES:
        result = simulate(builtin(scenario), seed)
        stem = HERE / name(scenario, seed)
        stem.with_suffix(".kpis.json").write_text(
            json.dumps(result.kpis, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        pq.write_table(
            plain(result.events()), stem.with_suffix(".events.parquet"), compression="zstd"
        )
        sys.stderr.write(f"{stem.name}: {result.kpis['engine']['log_records']:,} records\n")
    (HERE / "manifest.json").write_text(
        json.dumps({"commit": commit, "plantwin": __version__, "cases": CASES}, indent=1) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
