"""``plantwin experiment``: replications of a scenario and its variants, with CIs."""

from __future__ import annotations

import math
import re
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from plantwin.cli._common import (
    err_console,
    fail,
    interrupted,
    make_console,
    print_json,
    shell,
)
from plantwin.cli._results import DbOption, LabelOption, report_written, saved_in
from plantwin.cli._scenarios import SetOption
from plantwin.experiment import commissions_lines
from plantwin.service import (
    MAX_REPS,
    MAX_SEED,
    MAX_VARIANTS,
    check_label,
    check_output,
    load,
    open_store,
    plan_experiment,
    write_report,
    write_table,
)

if TYPE_CHECKING:
    from plantwin.experiment import ResultSet
    from plantwin.results import Store
    from plantwin.service import ExperimentOutcome, ExperimentPlan

__all__ = ["experiment"]


def _precision(text: str) -> tuple[str, float]:
    m = re.fullmatch(r"\s*([^=]+?)\s*=\s*([0-9.]+)\s*(%?)\s*", text)
    if not m:
        fail(f"--precision {text!r}: use KPI=0.5% (or KPI=0.005)")
    try:
        value = float(m.group(2)) / (100 if m.group(3) else 1)
    except ValueError:
        fail(f"--precision {text!r}: {m.group(2)!r} is not a number")
    if not 0 < value < 1:
        fail(f"--precision {text!r}: the relative precision must be between 0 and 100 %")
    return m.group(1), value


@shell
def experiment(
    scenario: Annotated[str, typer.Argument(help="scenario file or built-in name")] = "maracay",
    reps: Annotated[
        int, typer.Option("--reps", min=1, max=MAX_REPS, help="replications per variant")
    ] = 10,
    seed: Annotated[
        int, typer.Option(min=0, max=MAX_SEED, help="seed of the whole experiment")
    ] = 1,
    horizon: Annotated[str | None, typer.Option(help="override the horizon: 90d, 1y")] = None,
    set_: SetOption = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(
            metavar="PATH=VALUES",
            help="PATH=V1,V2,V3 or PATH=START:STOP:STEP: one variant per value (repeatable: "
            f"their product; at most {MAX_VARIANTS:,} variants)",
        ),
    ] = None,
    compare: Annotated[
        bool, typer.Option(help="paired differences against the first variant")
    ] = False,
    precision: Annotated[
        str | None,
        typer.Option(
            metavar="KPI=0.5%", help="add replications until the CI is this tight (relative)"
        ),
    ] = None,
    max_reps: Annotated[int, typer.Option(min=2, max=MAX_REPS, help="cap for --precision")] = 1000,
    kpi: Annotated[
        list[str] | None,
        typer.Option(metavar="KPI", help="KPI to show (glob patterns allowed, repeatable)"),
    ] = None,
    first_year: Annotated[
        float | None, typer.Option(help="show P(first-year output >= this many units)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="local processes (default: all cores)")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="'local' for a LocalCluster, or tcp://HOST:PORT")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="write every replication's KPIs to a .parquet or .csv file"),
    ] = None,
    db: DbOption = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="do not save the experiment in the results store")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="write the experiment's HTML report to this file")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
    label: LabelOption = None,
) -> None:
    """Run replications of a scenario and its variants; show KPI means with confidence intervals.

    Ctrl-C stops it at once (exit code 130) and saves nothing.
    """
    if precision and reps < 2:
        fail(f"--reps must be at least 2 with --precision, got {reps}")
    if first_year is not None and not math.isfinite(first_year):
        fail(f"--first-year must be a number of units, got {first_year}")
    check_output(out, "--out", (".parquet", ".csv"))
    check_output(report, "--report")
    label = check_label(label)
    target = _precision(precision) if precision else None
    loaded = load(scenario, sets=set_ or [], horizon=horizon)
    plan = plan_experiment(
        loaded,
        reps=reps,
        seed=seed,
        sweeps=sweep or [],
        precision=target,
        max_reps=max_reps,
        kpis=kpi or [],
        first_year=first_year,
    )
    # the summary needs no pandas; these outputs, and a build study's dates, read the table
    summary_only = not (compare or first_year is not None or out or report) and not any(
        map(commissions_lines, plan.scenarios.values())
    )
    with ExitStack() as stack:
        store = None if no_save else stack.enter_context(open_store(db))
        outcome = _run(plan, dask, workers, store, label, quiet=as_json, summary_only=summary_only)
        if store is not None:
            saved_in(outcome, store.url)
    # the experiment is safe in the store before any output file, whose path may still fail
    from plantwin.cli._render_experiment import pick_kpis, precision_status

    result = outcome.result
    kpis = pick_kpis(result, list(kpi or []))
    if target is not None and target[0] not in kpis:
        kpis.insert(0, target[0])
    status = precision_status(result, *target, max_reps) if target is not None else None
    _show(result, kpis, compare, first_year, as_json, status)
    if out is not None:
        rows = write_table(outcome, out)
        err_console.print(f"{rows:,} rows written to {out}")
    if report is not None:
        write_report(outcome, report, kpis=kpis)
        report_written(report)


def _show(
    result: ResultSet,
    kpis: list[str],
    compare: bool,
    first_year: float | None,
    as_json: bool,
    precision: dict[str, Any] | None,
) -> None:
    from plantwin.cli._render_experiment import render_build, render_experiment
    from plantwin.experiment import FIRST_YEAR, exceedance, first_year_thresholds

    thresholds = first_year_thresholds(result.scenario, result.columns, first_year)
    if not as_json:
        console = make_console()
        render_experiment(result, kpis, compare, console, precision)
        render_build(result, result.scenario.plant.start, thresholds, console)
        return
    payload: dict[str, Any] = {
        "replications": result.replications,
        "seed": result.seed,
        "variants": result.variants,
        "summary": result.summary_records(kpis),
    }
    if precision is not None:
        payload["precision"] = precision
    if compare:
        payload["compare"] = result.compare(kpis).to_dict(orient="records")
    if thresholds:
        payload["first_year"] = [
            {
                "threshold": x,
                "by_variant": exceedance(result.table, FIRST_YEAR, x).to_dict("records"),
            }
            for x in thresholds
        ]
    print_json(payload)


def _run(
    plan: ExperimentPlan,
    dask: str | None,
    workers: int | None,
    store: Store | None,
    label: str | None,
    quiet: bool,
    summary_only: bool,
) -> ExperimentOutcome:
    """The experiment (saved in ``store``), with a progress bar on a terminal that starts once
    the workers are up; Ctrl-C exits 130."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from plantwin.service import run_experiment

    bar = Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replications", markup=False),
        TimeElapsedColumn(),
        TextColumn("left", markup=False),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal,  # a pipe or file gets no bar
    )
    variants = len(plan.experiment.variants)
    task = bar.add_task(f"{variants} variant(s)", start=False)

    def started(workers: int) -> None:
        bar.update(task, description=f"{variants} variant(s) on {workers} worker(s)")
        bar.start()  # its refresh thread, now that the workers are forked
        bar.start_task(task)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    try:
        try:
            return run_experiment(
                plan,
                dask=dask,
                workers=workers,
                started=started,
                progress=progress,
                store=store,
                label=label,
                summary_only=summary_only,
            )
        finally:
            bar.stop()  # before the message below, which it would otherwise overwrite
    except KeyboardInterrupt:
        interrupted("the experiment was stopped; nothing was saved")
