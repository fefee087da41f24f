"""Files written from results: event log, replications table, report, exports.

After a run they come after its save, so an error here says where the results already are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from plantwin.service._errors import BadInput, RunFailed
from plantwin.service._outcome import ExperimentOutcome, Outcome, RunOutcome
from plantwin.service._store import load_run

if TYPE_CHECKING:
    from plantwin.results import StoredRun

__all__ = ["export_run", "write_events", "write_report", "write_table"]


def write_events(outcome: RunOutcome, path: Path) -> int:
    """Write the run's event log as CSV; returns the records written."""
    from plantwin.results import write_events_csv

    try:
        return write_events_csv(outcome.result, path)
    except OSError as exc:
        raise RunFailed(f"cannot write the event log to {path}: {exc}{outcome.kept}") from exc


def write_table(outcome: ExperimentOutcome, path: Path) -> int:
    """Write every replication's KPIs, as CSV or Parquet by the file's suffix (the export's
    ``replications`` table: counts as integers, null where there is no value); returns rows."""
    from plantwin.results import write_replications

    try:
        return write_replications(outcome.result.table, path)
    except OSError as exc:
        raise RunFailed(f"cannot write {path}: {exc}{outcome.kept}") from exc


def write_report(
    source: StoredRun | Outcome,
    path: Path,
    *,
    gantt_from: date | None = None,
    gantt_days: float = 14.0,
    kpis: Sequence[str] | None = None,
) -> Path:
    """Write the HTML report of a stored run or of a finished request. A report the data
    cannot give is BadInput, a write error RunFailed."""
    from plantwin.report import write_report as write_html

    stored, note = (source.stored, source.kept) if isinstance(source, Outcome) else (source, "")
    try:
        return write_html(stored, path, gantt_from=gantt_from, gantt_days=gantt_days, kpis=kpis)
    except ValueError as exc:
        raise BadInput(f"cannot make the report: {exc}{note}") from exc
    except OSError as exc:
        raise RunFailed(f"cannot write the report to {path}: {exc}{note}") from exc


def export_run(url: str | None, run_id: int, fmt: str, target: Path) -> list[Path]:
    """Export the stored run ``run_id`` (``fmt`` one of EXPORT_FORMATS) to ``target``; returns
    the files written. A bad format is refused before the store is opened."""
    from plantwin.results import EXPORT_FORMATS
    from plantwin.results import export_run as export

    for known in EXPORT_FORMATS:  # ``known``: the format, as the literal type export takes
        if fmt == known:
            break
    else:
        raise BadInput(f"--format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    stored = load_run(url, run_id)
    try:
        return export(stored, known, target)
    except ValueError as exc:
        raise BadInput(str(exc)) from exc
    except OSError as exc:
        raise RunFailed(f"cannot write {target}: {exc}") from exc
