"""``plantwin experiment``: replications of a scenario and its variants, with CIs."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from plantwin.cli._common import EXIT_RUN_FAILED, err_console, fail
from plantwin.cli._render_experiment import pick_kpis, render_build, render_experiment
from plantwin.cli._results import DbOption, open_or_fail, save_or_fail, write_report_or_fail
from plantwin.cli._scenarios import (
    SetOption,
    load_or_fail,
    report_scenario_error,
    source_text,
)
from plantwin.experiment import (
    DaskExecutor,
    Executor,
    Experiment,
    LocalExecutor,
    ResultSet,
    SerialExecutor,
    exceedance,
    parse_sweep,
    sweep_variants,
)
from plantwin.results import StoredRun, atomic_write
from plantwin.scenario import ScenarioError

__all__ = ["experiment"]


def _precision(text: str) -> tuple[str, float]:
    m = re.fullmatch(r"\s*([^=]+?)\s*=\s*([0-9.]+)\s*(%?)\s*", text)
    if not m:
        fail(f"--precision {text!r}: use KPI=0.5% (or KPI=0.005)")
    value = float(m.group(2)) / (100 if m.group(3) else 1)
    if not 0 < value < 1:
        fail(f"--precision {text!r}: the relative precision must be between 0 and 100 %")
    return m.group(1), value


def _executor(dask: str | None, workers: int | None, runs: int) -> Executor:
    if dask is not None:
        if dask != "local" and not dask.startswith(("tcp://", "tls://")):
            fail(f"--dask {dask!r}: use 'local' or a scheduler address such as tcp://HOST:8786")
        try:
            return DaskExecutor(dask, workers)
        except (OSError, TimeoutError) as exc:
            fail(f"cannot reach the Dask scheduler at {dask}: {exc}", code=EXIT_RUN_FAILED)
        except RuntimeError as exc:
            fail(str(exc), code=EXIT_RUN_FAILED)
    if workers == 1 or runs <= 1:
        return SerialExecutor()
    return LocalExecutor(workers)


def experiment(
    scenario: Annotated[str, typer.Argument(help="scenario file or built-in name")] = "maracay",
    reps: Annotated[int, typer.Option("--reps", help="replications per variant")] = 10,
    seed: Annotated[int, typer.Option(help="seed of the whole experiment")] = 1,
    horizon: Annotated[str | None, typer.Option(help="override the horizon: 90d, 1y")] = None,
    set_: SetOption = None,
    sweep: Annotated[
        list[str] | None,
        typer.Option(help="PATH=V1,V2,V3 or PATH=START:STOP:STEP: one variant per value"),
    ] = None,
    compare: Annotated[
        bool, typer.Option(help="paired differences against the first variant")
    ] = False,
    precision: Annotated[
        str | None, typer.Option(help="KPI=0.5%: add replications until the CI is this tight")
    ] = None,
    max_reps: Annotated[int, typer.Option(help="cap for --precision")] = 1000,
    kpi: Annotated[
        list[str] | None, typer.Option(help="KPI to show (glob patterns allowed, repeatable)")
    ] = None,
    first_year: Annotated[
        float | None, typer.Option(help="show P(first-year output >= this many units)")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="local processes (default: all cores)")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="'local' for a LocalCluster, or tcp://HOST:PORT")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="write every replication's KPIs (.parquet)")
    ] = None,
    db: DbOption = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="do not save the experiment in the results store")
    ] = False,
    report: Annotated[
        Path | None, typer.Option(help="write the experiment's HTML report to this file")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Run replications of a scenario and its variants; show KPI means with confidence intervals."""
    if reps < 1 or (precision and reps < 2):
        fail(f"--reps must be at least {2 if precision else 1}, got {reps}")
    if workers is not None and workers < 1:
        fail(f"--workers must be at least 1, got {workers}")
    base = load_or_fail(scenario, horizon, set_)
    try:
        sweeps = [parse_sweep(s) for s in sweep or []]
    except ValueError as exc:
        fail(str(exc))
    exp = Experiment(base, sweep_variants(sweeps), reps, seed, horizon)
    try:
        exp.scenarios()  # validate every variant before starting any work
    except ScenarioError as exc:
        report_scenario_error(exc)
    target = _precision(precision) if precision else None
    with ExitStack() as stack:
        store = None if no_save else stack.enter_context(open_or_fail(db))
        started = datetime.now(UTC)
        executor = _executor(dask, workers, reps * len(exp.variants))  # before any thread
        try:
            result = _run(exp, executor, target, max_reps, quiet=as_json)
        except KeyError as exc:
            fail(f"--precision: no KPI named {exc.args[0]!r}")
        finally:
            close = getattr(executor, "close", None)
            if close is not None:
                close()
        kpis = pick_kpis(result, list(kpi or []))
        if target is not None and target[0] not in kpis:
            kpis.insert(0, target[0])
        if out is not None:
            _write_parquet(result, out)
        _show(result, kpis, compare, first_year, as_json)
        stored = StoredRun.from_resultset(
            result, source_text=source_text(scenario), started_at=started,
            finished_at=datetime.now(UTC),
        )  # fmt: skip
        if store is not None:
            save_or_fail(store, stored)
    if report is not None:
        write_report_or_fail(stored, report, None, 14.0, kpis)


def _show(
    result: ResultSet, kpis: list[str], compare: bool, first_year: float | None, as_json: bool
) -> None:
    if not as_json:
        console = Console(highlight=False)
        render_experiment(result, kpis, compare, console)
        render_build(result, result.scenario.plant.start, first_year, console)
        return
    payload: dict[str, Any] = {
        "replications": result.replications,
        "seed": result.seed,
        "variants": result.variants,
        "summary": result.summary(kpis).to_dict(orient="records"),
    }
    if compare:
        payload["compare"] = result.compare(kpis).to_dict(orient="records")
    if first_year is not None:
        payload["first_year"] = exceedance(
            result.table, "output.first_year_units", first_year
        ).to_dict(orient="records")
    typer.echo(json.dumps(payload, indent=2, default=str))


def _run(
    exp: Experiment,
    executor: Executor,
    target: tuple[str, float] | None,
    max_reps: int,
    quiet: bool,
) -> ResultSet:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replications"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task(f"{len(exp.variants)} variant(s) on {executor.workers} worker(s)")

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        if target is None:
            return exp.run(executor, progress)
        return exp.run_to_precision(target[0], target[1], max_reps, executor, progress)


def _write_parquet(result: ResultSet, path: Path) -> None:
    try:
        atomic_write(path, lambda tmp: result.table.to_parquet(tmp, index=False))
    except OSError as exc:
        fail(f"cannot write {path}: {exc}", code=EXIT_RUN_FAILED)
    err_console.print(f"{len(result.table):,} rows written to {path}")
