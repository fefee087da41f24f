"""Writing a run's event log to files, atomically: a failed write leaves an old file intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from plantwin.sim._result import RunResult

__all__ = ["write_events_csv"]


def _atomic_write_table(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        plain = table.cast(
            pa.schema(
                [
                    pa.field(
                        f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type
                    )
                    for f in table.schema
                ]
            )
        )
        pacsv.write_csv(plain, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_events_csv(result: RunResult, path: str | Path) -> int:
    """Write the run's event log as CSV (one row per record); returns the number of rows."""
    table = result.events()
    _atomic_write_table(table, Path(path))
    return int(table.num_rows)
