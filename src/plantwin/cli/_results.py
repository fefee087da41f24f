"""Commands on the results store: ``runs``, ``show``, ``delete``, ``export`` and ``report``.

Parsing and rendering only; the work is :mod:`plantwin.service`'s. An unknown id or a bad
``--db`` is bad input (exit 2).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from plantwin.cli._common import err_console, fail, literal, make_console, print_json, shell
from plantwin.results import EXPORT_FORMATS
from plantwin.service import (
    MAX_INT,
    delete_run,
    experiment_kpis,
    export_run,
    list_runs,
    load_run,
    write_report,
)

if TYPE_CHECKING:
    from plantwin.service import Outcome

__all__ = [
    "DbOption",
    "delete",
    "export",
    "report",
    "report_written",
    "runs",
    "saved_in",
    "show",
]

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


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f} %"


@shell
def runs(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the list as JSON")] = False,
) -> None:
    """List the stored runs and experiments with their headline KPIs."""
    from plantwin.results import resolve_url

    items = list_runs(db)
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


@shell
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

    stored = load_run(db, run_id)
    chosen = experiment_kpis(stored, kpi) if kpi else None
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


@shell
def delete(run_id: _Id, db: DbOption = None) -> None:
    """Delete a stored run or experiment."""
    delete_run(db, run_id)
    err_console.print(f"deleted run {run_id}")


@shell
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
    default = {"ocel": ".ocel.json", "ocel-sqlite": ".ocel.sqlite"}.get(fmt, "")
    files = export_run(db, run_id, fmt, out or Path(f"run-{run_id}{default}"))
    for path in files:
        err_console.print(f"wrote {path}")


@shell
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
    stored = load_run(db, run_id)
    chosen = experiment_kpis(stored, kpi) if kpi else None
    path = out or Path(f"run-{run_id}.html")
    write_report(stored, path, gantt_from=first, gantt_days=gantt_days, kpis=chosen)
    report_written(path)


def parse_day(text: str | None) -> date | None:
    """``--gantt-from`` as a date, or exit 2."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--gantt-from {text!r} is not a date; use YYYY-MM-DD")


def saved_in(outcome: Outcome, url: str) -> None:
    """Say where a run or experiment was saved, if it was."""
    if outcome.saved is not None:
        err_console.print(f"saved as run {outcome.saved} in {url} (plantwin show {outcome.saved})")


def report_written(path: Path) -> None:
    """Say where the report went."""
    err_console.print(f"report written to {path}")
