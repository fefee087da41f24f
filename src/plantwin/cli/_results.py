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
from rich.text import Text

from plantwin.cli._common import err_console, fail, literal, make_console, print_json, shell
from plantwin.cli._format import millions, note, percent
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
    from plantwin.results import Overrides, StoredRun, StoredRunInfo
    from plantwin.service import Outcome

__all__ = [
    "DbOption",
    "LabelOption",
    "delete",
    "export",
    "horizon_text",
    "overrides_text",
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


LabelOption = Annotated[
    str | None,
    typer.Option(
        "--label",
        metavar="TEXT",
        help="a name to find this result by in plantwin runs (one line, stored as typed)",
    ),
]


def overrides_text(overrides: Overrides | None) -> str:
    """The options that changed a scenario, as typed: ``--set a=1 --sweep b=1,2``."""
    return " ".join(f"--{opt} {v}" for opt, values in (overrides or {}).items() for v in values)


def horizon_text(hours: float) -> str:
    """A horizon in whole days when it is some, else in hours: "365 d", "36 h"."""
    days = hours / 24
    return f"{days:,.0f} d" if days.is_integer() else f"{hours:,.6g} h"


def _described(info: StoredRunInfo | StoredRun) -> list[str]:
    """The scenario, label, overrides and replication of a stored result, one item each."""
    items = [f"label: {info.label}"] if info.label else []
    if info.overrides:
        items.append(overrides_text(info.overrides))
    if info.kind == "run" and info.replication:
        items.append(f"replication {info.replication}")
    return items


def _listed(i: StoredRunInfo) -> tuple[str, ...]:
    """The cells of a stored result's row in ``plantwin runs``."""
    reps = "-" if i.replications is None else str(i.replications)
    return (str(i.id), i.kind, horizon_text(i.horizon_hours), str(i.seed), reps,
            millions(i.units_stored), percent(i.attainment), percent(i.fill_rate))  # fmt: skip


@shell
def runs(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the list as JSON")] = False,
) -> None:
    """List the stored runs and experiments: what ran (horizon, seed, replications, overrides,
    label), when, and their headline KPIs."""
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
        note(console, f"no runs stored in {resolve_url(db)} yet (plantwin run saves one)")
        return
    note(console, Text(f"Stored in {resolve_url(db)}", style="bold"))
    header = ("id", "kind", "horizon", "seed", "reps", "stored", "attainment", "fill rate")
    rows = [_listed(i) for i in items]
    widths = [max(len(r[c]) for r in (header, *rows)) for c in range(len(header))]
    left = {1}  # kind; the rest are numbers

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if n in left else c.rjust(w)
            for n, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    console.print(Text(line(header), style="bold"))
    indent = " " * (widths[0] + 2)
    for info, row in zip(items, rows, strict=True):
        console.print(line(row))
        when = info.finished_at.strftime("%Y-%m-%d %H:%M")
        for item in [f"{info.scenario_name} · finished {when} UTC", *_described(info)]:
            note(console, Text(literal(indent + item), style="dim"))
    note(console, "experiments: the base variant's means; plantwin show ID for more")


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
    """Show a stored run's KPI summary, or an experiment's means and CIs per variant and its
    build-study results (commissioning dates, P(first-year output >= X))."""
    from plantwin.cli._render import render_summary

    stored = load_run(db, run_id)
    chosen = experiment_kpis(stored, kpi) if kpi else None
    if as_json:
        print_json(stored.kpis)
        return
    console = make_console()
    when = stored.finished_at.strftime("%Y-%m-%d %H:%M UTC")
    note(
        console,
        Text.assemble(
            (f"{stored.kind} {run_id}", "bold"),
            f" · finished {when} · plantwin {stored.plantwin_version}"
            f" · scenario sha256 {stored.scenario_sha256[:12]}",
        ),
    )
    for item in _described(stored):
        note(console, item)
    if stored.kind == "run":
        render_summary(stored.kpis, console)
        return
    from plantwin.cli._render_experiment import pick_kpis, render_build, render_experiment
    from plantwin.experiment import first_year_thresholds

    result: Any = stored.resultset()
    render_experiment(result, chosen or pick_kpis(result, []), True, console)
    given = stored.kpis.get("first_year_threshold")  # the --first-year it was run with
    thresholds = first_year_thresholds(result.scenario, result.table, given)
    render_build(result, stored.scenario.plant.start, thresholds, console)


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
