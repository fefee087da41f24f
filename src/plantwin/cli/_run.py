"""``plantwin run``: simulate a scenario once and show what happened."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from plantwin.cli._common import EXIT_RUN_FAILED, err_console, fail
from plantwin.cli._render import render_summary
from plantwin.cli._scenarios import report_scenario_error
from plantwin.results import write_events_csv
from plantwin.scenario import ScenarioError, duration_hours, load_scenario
from plantwin.sim import RunResult, simulate

__all__ = ["run"]


def run(
    scenario: Annotated[str, typer.Argument(help="scenario file or built-in name")] = "maracay",
    seed: Annotated[int, typer.Option(help="random seed: the same seed gives the same run")] = 1,
    horizon: Annotated[
        str | None, typer.Option(help="override the horizon: 8760h, 90d, 6mo, 1y")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the KPIs as JSON")] = False,
    events: Annotated[
        Path | None, typer.Option(help="write the event log to this CSV file")
    ] = None,
) -> None:
    """Simulate a scenario (the built-in Maracay plant by default) and summarise the run."""
    try:
        s = load_scenario(scenario)
    except ScenarioError as exc:
        report_scenario_error(exc)
    if seed < 0:
        fail(f"--seed must be a non-negative integer, got {seed}")
    if horizon is not None:
        try:
            duration_hours(horizon, s.plant.start)
        except ValueError as exc:
            fail(f"--horizon: {exc}")
    try:
        result = _simulate(s, seed, horizon, quiet=as_json)
    except Exception as exc:  # an engine failure is not the user's mistake: exit 1
        if os.environ.get("PLANTWIN_DEBUG"):
            raise
        fail(f"the run failed: {type(exc).__name__}: {exc}", code=EXIT_RUN_FAILED)
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
    if not result.kpis["conservation"]["ok"]:
        raise typer.Exit(EXIT_RUN_FAILED)


def _simulate(s: Any, seed: int, horizon: str | None, quiet: bool) -> RunResult:
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

        return simulate(s, seed, horizon=horizon, progress=progress)
