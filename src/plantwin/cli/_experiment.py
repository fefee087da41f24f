"""``plantwin experiment``: replications of a scenario and its variants, with CIs."""

from __future__ import annotations

import difflib
import fnmatch
import json
import math
import re
from datetime import date, datetime, timedelta
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
from rich.table import Table

from plantwin.cli._common import EXIT_RUN_FAILED, err_console, fail
from plantwin.cli._scenarios import report_scenario_error
from plantwin.experiment import (
    DaskExecutor,
    Executor,
    Experiment,
    LocalExecutor,
    ResultSet,
    SerialExecutor,
    exceedance,
    parse_sweep,
    quantiles,
    sweep_variants,
)
from plantwin.scenario import ScenarioError, duration_hours, load_scenario, parse_override

__all__ = ["DEFAULT_KPIS", "experiment"]

DEFAULT_KPIS = (
    "output.units_good",
    "output.attainment",
    "orders.fill_rate",
    "orders.backorders",
    "storage.mean",
    "range.lots_rejected",
    "grid.hours_without_power",
)


def _precision(text: str) -> tuple[str, float]:
    m = re.fullmatch(r"\s*([^=]+?)\s*=\s*([0-9.]+)\s*(%?)\s*", text)
    if not m:
        fail(f"--precision {text!r}: use KPI=0.5% (or KPI=0.005)")
    value = float(m.group(2)) / (100 if m.group(3) else 1)
    if not 0 < value < 1:
        fail(f"--precision {text!r}: the relative precision must be between 0 and 100 %")
    return m.group(1), value


def _pick_kpis(result: ResultSet, patterns: list[str]) -> list[str]:
    available = result.kpis()
    chosen: list[str] = []
    for pattern in patterns or list(DEFAULT_KPIS):
        hits = [k for k in available if fnmatch.fnmatchcase(k, pattern)]
        if not hits and patterns:
            close = difflib.get_close_matches(pattern, available, n=4)
            hint = f"; closest: {', '.join(close)}" if close else ""
            fail(f"--kpi {pattern!r} matches no KPI{hint}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def _render(result: ResultSet, kpis: list[str], compare: bool, console: Console) -> None:
    summary = result.summary(kpis)
    t = Table(
        title=f"{result.replications} replications per variant, seed {result.seed} "
        "(mean and 95 % CI)",
        title_justify="left",
    )
    t.add_column("KPI")
    names = list(result.variants)
    for name in names:
        t.add_column(name, justify="right")
    for kpi in kpis:
        cells = []
        for name in names:
            row = summary[(summary["variant"] == name) & (summary["kpi"] == kpi)].iloc[0]
            cells.append(f"{_fmt(row['mean'])}\n± {_fmt(row['half_width'])}")
        t.add_row(kpi, *cells)
    console.print(t)
    if compare and len(names) > 1:
        diff = result.compare(kpis)
        c = Table(
            title=f"Paired differences against {result.base!r} (common random numbers, 95 % CI)",
            title_justify="left",
        )
        c.add_column("KPI")
        for name in names[1:]:
            c.add_column(name, justify="right")
        for kpi in kpis:
            cells = []
            for name in names[1:]:
                row = diff[(diff["variant"] == name) & (diff["kpi"] == kpi)].iloc[0]
                sig = "" if row["ci_low"] <= 0 <= row["ci_high"] else " *"
                interval = f"[{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}]"
                cells.append(f"{_fmt(row['mean_diff'])}{sig}\n{interval}")
            c.add_row(kpi, *cells)
        c.caption = "* the interval excludes 0"
        console.print(c)


def _render_build(
    result: ResultSet, start: date, first_year: float | None, console: Console
) -> None:
    """Commissioning dates (P10/P50/P90), the nameplate-pace date and P(first year >= X)."""
    table = result.table
    lines = [
        c for c in table.columns if c.startswith("lines.") and c.endswith(".commissioned_hours")
    ]
    if not lines or not (table[lines].fillna(1) > 0).any().any():
        return
    kpis = [*lines, "output.opening_hours", "output.complete_hours", "output.nameplate_pace_hours"]
    q = quantiles(table, kpis)
    t = Table(title="Commissioning dates (P10 / P50 / P90 over replications)", title_justify="left")
    t.add_column("")
    for name in result.variants:
        t.add_column(name, justify="right")

    def day(h: float) -> str:
        if not math.isfinite(h):
            return "-"
        return (
            (datetime(start.year, start.month, start.day) + timedelta(hours=h)).date().isoformat()
        )

    for kpi in kpis:
        label = kpi.removeprefix("lines.").removesuffix(".commissioned_hours")
        label = {
            "output.opening_hours": "opening (first line)",
            "output.complete_hours": "complete (all lines)",
            "output.nameplate_pace_hours": "nameplate pace",
        }.get(kpi, f"line {label}")
        cells = []
        for name in result.variants:
            row = q[(q["variant"] == name) & (q["kpi"] == kpi)].iloc[0]
            never = (
                f"\n{row['missing']} of {row['n'] + row['missing']} never" if row["missing"] else ""
            )
            cells.append(f"{day(row['p10'])}\n{day(row['p50'])}\n{day(row['p90'])}{never}")
        t.add_row(label, *cells)
    console.print(t)
    if first_year is not None:
        e = exceedance(table, "output.first_year_units", first_year)
        p = Table(
            title=f"P(first-year output >= {first_year:,.0f}) with 95 % Wilson interval",
            title_justify="left",
        )
        for col in ("variant", "P", "95 % CI", "replications with a full first year"):
            p.add_column(col, justify="left" if col == "variant" else "right")
        for _, row in e.iterrows():
            interval = f"[{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}]"
            full = f"{row['n']} of {result.replications}"
            p.add_row(str(row["variant"]), _fmt(row["p"]), interval, full)
        console.print(p)


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
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="PATH=VALUE for every variant, e.g. grid.cuts.between.mean=120"),
    ] = None,
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
    workers: Annotated[
        int | None, typer.Option(help="local processes (default: all cores)")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="'local' for a LocalCluster, or tcp://HOST:PORT")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="write every replication's KPIs (.parquet)")
    ] = None,
    first_year: Annotated[
        float | None, typer.Option(help="show P(first-year output >= this many units)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Run replications of a scenario and its variants; show KPI means with confidence intervals."""
    if reps < 1 or (precision and reps < 2):
        fail(f"--reps must be at least {2 if precision else 1}, got {reps}")
    if workers is not None and workers < 1:
        fail(f"--workers must be at least 1, got {workers}")
    try:
        base = load_scenario(scenario)
    except ScenarioError as exc:
        report_scenario_error(exc)
    if horizon is not None:
        try:
            duration_hours(horizon, base.plant.start)
        except ValueError as exc:
            fail(f"--horizon: {exc}")
    try:
        overrides = [parse_override(s) for s in set_ or []]
        sweeps = [parse_sweep(s) for s in sweep or []]
    except ValueError as exc:
        fail(str(exc))
    variants = {name: overrides + extra for name, extra in sweep_variants(sweeps).items()}
    exp = Experiment(base, variants, reps, seed, horizon)
    try:
        exp.scenarios()  # validate every variant before starting any work
    except ScenarioError as exc:
        report_scenario_error(exc)
    target = _precision(precision) if precision else None
    executor = _executor(dask, workers, reps * len(variants))  # before any progress thread
    try:
        result = _run(exp, executor, target, max_reps, quiet=as_json)
    except KeyError as exc:
        fail(f"--precision: no KPI named {exc.args[0]!r}")
    finally:
        close = getattr(executor, "close", None)
        if close is not None:
            close()
    kpis = _pick_kpis(result, list(kpi or []))
    if target is not None and target[0] not in kpis:
        kpis.insert(0, target[0])
    if out is not None:
        _write_parquet(result, out)
    if as_json:
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
    else:
        console = Console(highlight=False)
        _render(result, kpis, compare, console)
        _render_build(result, base.plant.start, first_year, console)


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
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        try:
            result.table.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        fail(f"cannot write {path}: {exc}", code=EXIT_RUN_FAILED)
    err_console.print(f"{len(result.table):,} rows written to {path}")
