"""``plantwin run``: simulate a scenario once and show what happened."""

from __future__ import annotations

import os
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plantwin.cli._common import (
    EXIT_RUN_FAILED,
    err_console,
    fail,
    interrupted,
    literal,
    make_console,
    print_json,
)
from plantwin.cli._results import (
    MAX_INT,
    MAX_SEED,
    DbOption,
    check_output,
    kept,
    open_or_fail,
    save_or_fail,
    write_report_or_fail,
)
from plantwin.cli._scenarios import SetOption, load_or_fail, source_text

if TYPE_CHECKING:
    from plantwin.results import StoredRun
    from plantwin.sim import RunResult

__all__ = ["run"]


def run(
    scenario: Annotated[str, typer.Argument(help="scenario file or built-in name")] = "maracay",
    seed: Annotated[
        int,
        typer.Option(min=0, max=MAX_SEED, help="random seed: the same seed gives the same run"),
    ] = 1,
    replication: Annotated[
        int,
        typer.Option(
            min=0,
            max=MAX_INT,
            help="replication number: reproduces that replication of an experiment",
        ),
    ] = 0,
    set_: SetOption = None,
    horizon: Annotated[
        str | None, typer.Option(help="override the horizon: 8760h, 90d, 6mo, 1y")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the KPIs as JSON")] = False,
    events: Annotated[
        Path | None, typer.Option(help="write the event log to this CSV file")
    ] = None,
    db: DbOption = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="do not save the run in the results store")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="write the run's HTML report to this file")
    ] = None,
) -> None:
    """Simulate a scenario (the built-in Maracay plant by default), summarise and save the run."""
    s = load_or_fail(scenario, horizon, set_)
    check_output(events, "--events")
    check_output(report, "--report")
    saved: int | None = None
    stored: StoredRun | None = None
    with ExitStack() as stack:
        # open the store first: a bad --db fails at once, not after a long run
        store = None if no_save else stack.enter_context(open_or_fail(db))
        started = datetime.now(UTC)
        result = _simulate(s, seed, replication, horizon, quiet=as_json)
        finished = datetime.now(UTC)
        if store is not None:
            stored = _stored(result, scenario, started, finished)
            saved = save_or_fail(store, stored)
    # the run is safe in the store before any output file, whose path may still fail
    note = kept(saved)
    if as_json:
        print_json(result.kpis)
    else:
        from plantwin.cli._render import render_summary

        render_summary(result.kpis, make_console())
    if events is not None:
        from plantwin.results import write_events_csv

        try:
            rows = write_events_csv(result, events)
        except OSError as exc:
            fail(f"cannot write the event log to {events}: {exc}{note}", code=EXIT_RUN_FAILED)
        err_console.print(f"event log: {rows:,} records written to {events}")
    if report is not None:
        stored = stored or _stored(result, scenario, started, finished)
        write_report_or_fail(stored, report, None, 14.0, None, note)
    if not result.kpis["conservation"]["ok"]:
        raise typer.Exit(EXIT_RUN_FAILED)


def _stored(result: RunResult, scenario: str, started: datetime, finished: datetime) -> StoredRun:
    from plantwin.results import StoredRun

    return StoredRun.from_result(
        result, source_text=source_text(scenario), started_at=started, finished_at=finished
    )


def _simulate(s: Any, seed: int, replication: int, horizon: str | None, quiet: bool) -> RunResult:
    """The run, with a progress bar on a terminal; a failure of the engine exits 1, Ctrl-C 130."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from plantwin.sim import EventBudgetExceeded, simulate

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task(literal(f"simulating {s.plant.name}"), total=1.0)

        def progress(now: float, end: float) -> None:
            bar.update(task, completed=now / end)

        try:
            return simulate(s, seed, replication=replication, horizon=horizon, progress=progress)
        except KeyboardInterrupt:
            interrupted("the run was stopped before its horizon; nothing was saved")
        except EventBudgetExceeded as exc:
            fail(f"the run was stopped: {exc}; nothing was saved", code=EXIT_RUN_FAILED)
        except Exception as exc:  # an engine failure is not the user's mistake: exit 1
            if os.environ.get("PLANTWIN_DEBUG"):
                raise
            fail(f"the run failed: {type(exc).__name__}: {exc}", code=EXIT_RUN_FAILED)
