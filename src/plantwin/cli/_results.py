"""Commands on the results store: ``runs``, ``show``, ``delete``, ``export`` and ``report``.

Parsing and rendering only; storing, exporting and reporting live in :mod:`plantwin.results`
and :mod:`plantwin.report`. An unknown id or a bad ``--db`` is bad input (exit 2).
"""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from plantwin.cli._common import (
    EXIT_RUN_FAILED,
    err_console,
    fail,
    literal,
    make_console,
    match_kpis,
    print_json,
)
from plantwin.results import EXPORT_FORMATS

if TYPE_CHECKING:
    from plantwin.results import Store, StoredRun, StoredRunInfo

__all__ = [
    "MAX_INT",
    "MAX_SEED",
    "DbOption",
    "check_output",
    "delete",
    "export",
    "kept",
    "open_or_fail",
    "report",
    "runs",
    "save_or_fail",
    "show",
    "write_report_or_fail",
]

MAX_INT = 2**31 - 1
"""The largest run id or replication number: ``Integer`` columns, 32 bits on PostgreSQL."""
MAX_SEED = 2**63 - 1
"""The largest seed: a ``BigInteger`` column, signed 64 bits on SQLite and PostgreSQL."""

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="results store: a SQLAlchemy URL (sqlite:///plantwin.db, postgresql://...) or a "
        "file; default $PLANTWIN_DB or ./plantwin.db",
    ),
]
_Id = Annotated[
    int,
    typer.Argument(min=1, max=MAX_INT, help="id of a stored run or experiment (see plantwin runs)"),
]


def open_or_fail(db: str | None, *, create: bool = True) -> Store:
    """The store, or a clear error (exit 2) when it cannot be opened. With ``create`` (the
    commands that save) an in-memory database is refused: it and its runs vanish at exit."""
    from plantwin.results import StoreError, StoreNotFoundError, open_store, resolve_url

    try:
        store = open_store(db, create=create)
    except StoreNotFoundError as exc:
        fail(f"{exc}; nothing has been saved there (plantwin run saves runs)")
    except StoreError as exc:
        fail(str(exc))
    if create and store.in_memory:
        store.close()
        fail(
            f"--db {resolve_url(db)} is an in-memory database: it and everything saved in it are "
            "gone when plantwin exits; name a file (sqlite:///plantwin.db) or PostgreSQL, or "
            "use --no-save"
        )
    return store


def check_output(path: Path | None, option: str) -> None:
    """Refuse (exit 2) an output path that cannot be written, before any work is done."""
    if path is None:
        return
    try:
        folder, parent = path.is_dir(), path.parent.is_dir()
    except OSError as exc:  # a name too long, a loop of links
        fail(f"{option} {path}: {exc.strerror or exc}")
    if folder:
        fail(f"{option} {path} is a folder; give a file name")
    if not parent:
        fail(f"{option} {path}: there is no folder {path.parent}")
    if not os.access(path.parent, os.W_OK):
        fail(f"{option} {path}: the folder {path.parent} is not writable")


def _load(db: str | None, run_id: int) -> StoredRun:
    from plantwin.results import StoreError

    with open_or_fail(db, create=False) as store:
        try:
            return store.load(run_id)
        except StoreError as exc:
            fail(str(exc))


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f} %"


def runs(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the list as JSON")] = False,
) -> None:
    """List the stored runs and experiments with their headline KPIs."""
    from plantwin.results import StoreError, StoreNotFoundError, open_store, resolve_url

    items: list[StoredRunInfo] = []
    try:
        store = open_store(db, create=False)
    except StoreNotFoundError:
        pass
    except StoreError as exc:
        fail(str(exc))
    else:
        with store:
            items = store.list_runs()
    if as_json:
        print_json(
            [
                {
                    **vars(i),
                    "started_at": i.started_at.isoformat(),
                    "finished_at": i.finished_at.isoformat(),
                }
                for i in items
            ]
        )
        return
    console = make_console()
    if not items:
        console.print(f"no runs stored in {resolve_url(db)} yet (plantwin run saves one)")
        return
    t = Table(
        title=f"Stored in {resolve_url(db)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        expand=True,  # the scenario column takes what the others leave
    )
    t.add_column("id", justify="right", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("scenario", overflow="ellipsis", no_wrap=True, ratio=1)
    t.add_column("finished", no_wrap=True)
    for col in ("stored", "attainment", "fill rate"):
        t.add_column(col, justify="right", no_wrap=True)
    for i in items:
        stored = "-" if i.units_stored is None else f"{i.units_stored / 1e6:,.2f} M"
        t.add_row(
            str(i.id),
            i.kind,
            i.scenario_name,
            i.finished_at.strftime("%Y-%m-%d %H:%M"),
            stored,
            _pct(i.attainment),
            _pct(i.fill_rate),
        )
    t.caption = "times in UTC; experiments: the base variant's means; plantwin show ID for more"
    console.print(t)


def _experiment_kpis(stored: StoredRun, patterns: list[str]) -> list[str]:
    """The KPIs ``--kpi`` selects from a stored experiment; on a run it is refused."""
    if stored.kind != "experiment":
        fail(
            f"--kpi selects KPIs of an experiment, and {stored.id} is a single run "
            f"(plantwin show {stored.id} --json prints all its KPIs)"
        )
    result: Any = stored.resultset()  # a plantwin.experiment.ResultSet
    return match_kpis(patterns, result.kpis(), "--kpi")


def show(
    run_id: _Id,
    db: DbOption = None,
    kpi: Annotated[
        list[str] | None,
        typer.Option(metavar="KPI", help="experiments: KPI to show (glob, repeatable)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the KPIs as JSON")] = False,
) -> None:
    """Show a stored run's KPI summary, or an experiment's means and CIs per variant."""
    from plantwin.cli._render import render_summary

    stored = _load(db, run_id)
    chosen = _experiment_kpis(stored, kpi) if kpi else None
    if as_json:
        print_json(stored.kpis)
        return
    console = make_console()
    when = stored.finished_at.strftime("%Y-%m-%d %H:%M UTC")
    console.print(
        Text(f"{literal(stored.kind)} {run_id}", style="bold"),
        f"· finished {when} · plantwin {stored.plantwin_version}"
        f" · scenario sha256 {stored.scenario_sha256[:12]}",
    )
    if stored.kind == "run":
        render_summary(stored.kpis, console)
        return
    from plantwin.cli._render_experiment import pick_kpis, render_build, render_experiment

    result: Any = stored.resultset()
    render_experiment(result, chosen or pick_kpis(result, []), True, console)
    render_build(result, stored.scenario.plant.start, None, console)


def delete(run_id: _Id, db: DbOption = None) -> None:
    """Delete a stored run or experiment."""
    from plantwin.results import StoreError

    with open_or_fail(db, create=False) as store:
        try:
            store.delete(run_id)
        except StoreError as exc:
            fail(str(exc))
    err_console.print(f"deleted run {run_id}")


def export(
    run_id: _Id,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"one of {', '.join(EXPORT_FORMATS)}")
    ] = "parquet",
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="parquet/csv: a folder (default run-ID); ocel: a file (default run-ID.ocel.json)",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export a stored run: event log and time series (Parquet, CSV) or OCEL 2.0."""
    from plantwin.results import export_run

    if fmt not in EXPORT_FORMATS:
        fail(f"--format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    stored = _load(db, run_id)
    default = {"ocel": ".ocel.json", "ocel-sqlite": ".ocel.sqlite"}.get(fmt, "")
    target = out or Path(f"run-{run_id}{default}")
    try:
        files = export_run(stored, fmt, target)
    except ValueError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {target}: {exc}", code=EXIT_RUN_FAILED)
    for path in files:
        err_console.print(f"wrote {path}")


def report(
    run_id: _Id,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file (default run-ID.html)")
    ] = None,
    gantt_from: Annotated[
        str | None, typer.Option(help="first day of the line-state timeline, YYYY-MM-DD")
    ] = None,
    gantt_days: Annotated[float, typer.Option(help="days the timeline shows")] = 14.0,
    kpi: Annotated[
        list[str] | None,
        typer.Option(metavar="KPI", help="experiments: KPI to chart (glob, repeatable)"),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a self-contained HTML report (charts work offline) of a stored run or experiment."""
    first = parse_day(gantt_from)
    if not 0 < gantt_days < math.inf:
        fail(f"--gantt-days must be a positive number of days, got {gantt_days}")
    stored = _load(db, run_id)
    chosen = _experiment_kpis(stored, kpi) if kpi else None
    write_report_or_fail(stored, out or Path(f"run-{run_id}.html"), first, gantt_days, chosen)


def parse_day(text: str | None) -> date | None:
    """``--gantt-from`` as a date, or exit 2."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--gantt-from {text!r} is not a date; use YYYY-MM-DD")


def save_or_fail(store: Store, stored: StoredRun) -> int:
    """Save a run or experiment and say where; a failed save exits 1."""
    from plantwin.results import StoreError

    try:
        run_id = store.save(stored)
    except StoreError as exc:
        fail(str(exc), code=EXIT_RUN_FAILED)
    err_console.print(f"saved as run {run_id} in {store.url} (plantwin show {run_id})")
    return run_id


def kept(saved: int | None) -> str:
    """The end of an error that comes after the work is done: where its results are."""
    if saved is None:
        return "; the results were not saved (--no-save)"
    return f"; the results are saved as run {saved} (plantwin show {saved})"


def write_report_or_fail(
    stored: StoredRun,
    path: Path,
    first: date | None,
    days: float,
    kpis: list[str] | None,
    note: str = "",
) -> None:
    """Write the report, telling where; a report the data cannot give exits 2, a write error 1.
    ``note`` ends each error (see :func:`kept`)."""
    from plantwin.report import write_report

    try:
        write_report(stored, path, gantt_from=first, gantt_days=days, kpis=kpis)
    except ValueError as exc:
        fail(f"cannot make the report: {exc}{note}")
    except OSError as exc:
        fail(f"cannot write the report to {path}: {exc}{note}", code=EXIT_RUN_FAILED)
    err_console.print(f"report written to {path}")
