"""``plantwin run``: simulate a scenario once and show what happened."""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from plantwin.cli._common import EXIT_RUN_FAILED, err_console, fail
from plantwin.cli._render import render_summary
from plantwin.cli._results import DbOption, open_or_fail, save_or_fail, write_report_or_fail
from plantwin.cli._scenarios import SetOption, load_or_fail, source_text
from plantwin.results import StoredRun, write_events_csv
from plantwin.sim import RunResult, simulate

__all__ = ["run"]


def run(
    scenario: Annotated[str, typer.Argument(help="scenario file or built-in name")] = "maracay",
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same run")] = 1,
    replication: Annotated[
        int, typer.Option(help="replication number: reproduces that replication of an experiment")
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
    if seed < 0 or replication < 0:
        fail(f"--seed and --replication must be non-negative integers, got {seed}, {replication}")
    with ExitStack() as stack:
        # open the store first: a bad --db fails at once, not after a long run
        store = None if no_save else stack.enter_context(open_or_fail(db))
        started = datetime.now(UTC)
        try:
            result = _simulate(s, seed, replication, horizon, quiet=as_json)
        except Exception as exc:  # an engine failure is not the user's mistake: exit 1
            if os.environ.get("PLANTWIN_DEBUG"):
                raise
            fail(f"the run failed: {type(exc).__name__}: {exc}", code=EXIT_RUN_FAILED)
        stored = StoredRun.from_result(
            result,
            source_text=source_text(scenario),
            started_at=started,
            finished_at=datetime.now(UTC),
        )
        if events is not None:
            try:
                rows = write_events_csv(result, events)
            except OSError as exc:
                fail(f"cannot write the event log to {events}: {exc}", code=EXIT_RUN_FAILED)
            err_console.print(f"event log: {rows:,} records written to {events}")
        if as_json:
            typer.echo(json.dumps(result.kpis, indent=2))
        else:
            render_summary(result.kpis, Console(highlight=False))
        if store is not None:
            save_or_fail(store, stored)
    if report is not None:
        write_report_or_fail(stored, report, None, 14.0, None)
    if not result.kpis["conservation"]["ok"]:
        raise typer.Exit(EXIT_RUN_FAILED)


def _simulate(s: Any, seed: int, replication: int, horizon: str | None, quiet: bool) -> RunResult:
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task(f"simulating {s.plant.name}", total=1.0)

        def progress(now: float, end: float) -> None:
            bar.update(task, completed=now / end)

        return simulate(s, seed, replication=replication, horizon=horizon, progress=progress)
