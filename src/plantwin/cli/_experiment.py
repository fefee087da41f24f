"""``plantwin experiment``: replications of a scenario and its variants, with CIs."""

from __future__ import annotations

import math
import os
import re
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
    make_console,
    match_kpis,
    print_json,
    unknown_kpi,
)
from plantwin.cli._results import (
    MAX_SEED,
    DbOption,
    check_output,
    kept,
    open_or_fail,
    save_or_fail,
    write_report_or_fail,
)
from plantwin.cli._scenarios import (
    SetOption,
    load_or_fail,
    report_scenario_error,
    source_text,
)

if TYPE_CHECKING:
    from plantwin.experiment import Executor, Experiment, ResultSet
    from plantwin.results import StoredRun
    from plantwin.scenario import Scenario

__all__ = ["MAX_REPS", "MAX_RUNS", "MAX_VARIANTS", "experiment"]

MAX_VARIANTS = 1000
"""Variants one ``--sweep`` (or the product of several) may make."""
MAX_REPS = 10_000
"""Replications per variant, ``--reps`` and ``--max-reps``."""
MAX_RUNS = 20_000
"""Runs in one experiment, variants x replications (x ``--max-reps`` with ``--precision``):
each holds a row of ~180 KPIs, ~11 kB, in memory until the table is built."""

_OUT_SUFFIXES = (".parquet", ".csv")


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


def _kpi_names(scenarios: list[Scenario]) -> list[str]:
    """The KPI columns an experiment of these scenarios has, from a one-hour run of each: the
    numeric KPIs, and those without a value after an hour (an OEE, a lead time) but dates."""
    from plantwin.sim import simulate

    names: dict[str, None] = {}

    def walk(kpis: dict[str, Any], prefix: str) -> None:
        for key, value in kpis.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, int | float) or (value is None and not key.endswith("_date")):
                names[f"{prefix}{key}"] = None

    for s in scenarios:
        walk(simulate(s, 0, horizon=1.0, event_log=False).kpis, "")
    return list(names)


def _executor(dask: str | None, workers: int | None, runs: int) -> Executor:
    from plantwin.experiment import DaskExecutor, LocalExecutor, SerialExecutor

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


def _variants(sweep: list[str]) -> dict[str, list[Any]]:
    """The variants of the ``--sweep`` options: at most MAX_VARIANTS, counted before built."""
    from plantwin.experiment import parse_sweep, sweep_variants

    try:
        sweeps = [parse_sweep(s, MAX_VARIANTS) for s in sweep]
    except ValueError as exc:
        fail(f"--sweep {exc}")
    count = math.prod(len(values) for _, values in sweeps)
    if count > MAX_VARIANTS:
        sizes = " x ".join(str(len(values)) for _, values in sweeps)
        fail(f"--sweep makes {sizes} = {count:,} variants; at most {MAX_VARIANTS:,}")
    return sweep_variants(sweeps)


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
) -> None:
    """Run replications of a scenario and its variants; show KPI means with confidence intervals.

    Ctrl-C stops it at once (exit code 130) and saves nothing.
    """
    from plantwin.experiment import Experiment
    from plantwin.scenario import ScenarioError

    if precision and reps < 2:
        fail(f"--reps must be at least 2 with --precision, got {reps}")
    if first_year is not None and not math.isfinite(first_year):
        fail(f"--first-year must be a number of units, got {first_year}")
    if out is not None and out.suffix.lower() not in _OUT_SUFFIXES:
        fail(f"--out {out}: name a .parquet or a .csv file")
    check_output(out, "--out")
    check_output(report, "--report")
    base = load_or_fail(scenario, horizon, set_)
    exp = Experiment(base, _variants(sweep or []), reps, seed, horizon)
    try:
        scenarios = exp.scenarios()  # validate every variant before starting any work
    except ScenarioError as exc:
        report_scenario_error(exc)
    target = _precision(precision) if precision else None
    planned = len(exp.variants) * (max(reps, max_reps) if target else reps)
    if planned > MAX_RUNS:
        fail(
            f"{len(exp.variants):,} variants x {planned // len(exp.variants):,} replications "
            f"= {planned:,} runs; at most {MAX_RUNS:,} in one experiment (fewer variants, "
            "--reps or --max-reps)"
        )
    if target is not None or kpi:
        names = _kpi_names(list(scenarios.values()))
        if target is not None and target[0] not in names:
            unknown_kpi("--precision", target[0], names)
        match_kpis(kpi or [], names, "--kpi")
    saved: int | None = None
    stored: StoredRun | None = None
    with ExitStack() as stack:
        store = None if no_save else stack.enter_context(open_or_fail(db))
        started = datetime.now(UTC)
        executor = _executor(dask, workers, reps * len(exp.variants))  # before any thread
        try:
            result = _run(exp, executor, target, max_reps, quiet=as_json)
        except KeyboardInterrupt:
            interrupted("the experiment was stopped; nothing was saved")
        except KeyError as exc:
            fail(f"--precision: no KPI named {exc.args[0]!r}")
        except Exception as exc:  # a replication failed in the engine: not the user's mistake
            if os.environ.get("PLANTWIN_DEBUG"):
                raise
            fail(f"the experiment failed: {type(exc).__name__}: {exc}", code=EXIT_RUN_FAILED)
        finally:
            close = getattr(executor, "close", None)
            if close is not None:
                close()
        finished = datetime.now(UTC)
        if store is not None:
            stored = _stored(result, scenario, started, finished)
            saved = save_or_fail(store, stored)
    # the experiment is safe in the store before any output file, whose path may still fail
    note = kept(saved)
    from plantwin.cli._render_experiment import pick_kpis, precision_status

    kpis = pick_kpis(result, list(kpi or []))
    if target is not None and target[0] not in kpis:
        kpis.insert(0, target[0])
    status = precision_status(result, *target, max_reps) if target is not None else None
    _show(result, kpis, compare, first_year, as_json, status)
    if out is not None:
        _write_table(result, out, note)
    if report is not None:
        stored = stored or _stored(result, scenario, started, finished)
        write_report_or_fail(stored, report, None, 14.0, kpis, note)


def _stored(result: ResultSet, scenario: str, started: datetime, finished: datetime) -> StoredRun:
    from plantwin.results import StoredRun

    return StoredRun.from_resultset(
        result, source_text=source_text(scenario), started_at=started, finished_at=finished
    )


def _show(
    result: ResultSet,
    kpis: list[str],
    compare: bool,
    first_year: float | None,
    as_json: bool,
    precision: dict[str, Any] | None,
) -> None:
    from plantwin.cli._render_experiment import render_build, render_experiment
    from plantwin.experiment import exceedance

    if not as_json:
        console = make_console()
        render_experiment(result, kpis, compare, console, precision)
        render_build(result, result.scenario.plant.start, first_year, console)
        return
    payload: dict[str, Any] = {
        "replications": result.replications,
        "seed": result.seed,
        "variants": result.variants,
        "summary": result.summary(kpis).to_dict(orient="records"),
    }
    if precision is not None:
        payload["precision"] = precision
    if compare:
        payload["compare"] = result.compare(kpis).to_dict(orient="records")
    if first_year is not None:
        payload["first_year"] = exceedance(
            result.table, "output.first_year_units", first_year
        ).to_dict(orient="records")
    print_json(payload)


def _run(
    exp: Experiment,
    executor: Executor,
    target: tuple[str, float] | None,
    max_reps: int,
    quiet: bool,
) -> ResultSet:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replications", markup=False),
        TimeElapsedColumn(),
        TextColumn("left", markup=False),
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


def _write_table(result: ResultSet, path: Path, note: str) -> None:
    """Every replication's KPIs, as CSV or Parquet by the file's suffix."""
    from plantwin.results import atomic_write

    table = result.table
    try:
        if path.suffix.lower() == ".csv":
            atomic_write(path, lambda tmp: table.to_csv(tmp, index=False))
        else:
            atomic_write(path, lambda tmp: table.to_parquet(tmp, index=False))
    except OSError as exc:
        fail(f"cannot write {path}: {exc}{note}", code=EXIT_RUN_FAILED)
    err_console.print(f"{len(table):,} rows written to {path}")
