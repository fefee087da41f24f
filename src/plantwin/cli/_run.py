"""``plantwin run``: simulate a scenario once and show what happened."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plantwin.cli._common import (
    EXIT_RUN_FAILED,
    err_console,
    interrupted,
    literal,
    make_console,
    print_json,
    shell,
)
from plantwin.cli._results import DbOption, LabelOption, report_written, saved_in
from plantwin.cli._scenarios import SetOption
from plantwin.service import (
    MAX_INT,
    MAX_SEED,
    check_label,
    check_output,
    load,
    open_store,
    write_events,
    write_report,
)

if TYPE_CHECKING:
    from plantwin.results import Store
    from plantwin.service import LoadedScenario, RunOutcome

__all__ = ["run"]


@shell
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
    label: LabelOption = None,
) -> None:
    """Simulate a scenario (the built-in Maracay plant by default), summarise and save the run."""
    loaded = load(scenario, sets=set_ or [], horizon=horizon)
    check_output(events, "--events")
    check_output(report, "--report")
    label = check_label(label)
    with ExitStack() as stack:
        # open the store first: a bad --db fails at once, not after a long run
        store = None if no_save else stack.enter_context(open_store(db))
        outcome = _simulate(loaded, seed, replication, store, label, quiet=as_json)
        if store is not None:
            saved_in(outcome, store.url)
    # the run is safe in the store before any output file, whose path may still fail
    kpis = outcome.result.kpis
    if as_json:
        print_json(kpis)
    else:
        from plantwin.cli._render import render_summary

        render_summary(kpis, make_console())
    if events is not None:
        rows = write_events(outcome, events)
        err_console.print(f"event log: {rows:,} records written to {events}")
    if report is not None:
        write_report(outcome, report)
        report_written(report)
    if not kpis["conservation"]["ok"]:
        raise typer.Exit(EXIT_RUN_FAILED)


def _simulate(
    loaded: LoadedScenario,
    seed: int,
    replication: int,
    store: Store | None,
    label: str | None,
    quiet: bool,
) -> RunOutcome:
    """The run (saved in ``store``), with a progress bar on a terminal; Ctrl-C exits 130."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from plantwin.service import run

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal,  # a pipe or file gets no bar
    ) as bar:
        task = bar.add_task(literal(f"simulating {loaded.scenario.plant.name}"), total=1.0)

        def progress(now: float, end: float) -> None:
            bar.update(task, completed=now / end)

        try:
            return run(
                loaded,
                seed=seed,
                replication=replication,
                progress=progress,
                store=store,
                label=label,
            )
        except KeyboardInterrupt:
            interrupted("the run was stopped before its horizon; nothing was saved")
