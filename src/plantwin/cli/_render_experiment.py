"""Rich rendering of an experiment: KPI means with CIs, paired differences, commissioning."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table

from plantwin.experiment import ResultSet, exceedance, quantiles, relative_half_width
from plantwin.service import match_kpis
from plantwin.sim import moment_at

__all__ = [
    "DEFAULT_KPIS",
    "pick_kpis",
    "precision_status",
    "render_build",
    "render_experiment",
]

DEFAULT_KPIS = (
    "output.units_stored",
    "output.attainment",
    "orders.fill_rate",
    "orders.backorders",
    "storage.mean",
    "range.lots_rejected",
    "grid.hours_without_power",
)


def pick_kpis(result: ResultSet, patterns: list[str]) -> list[str]:
    """The KPIs that ``--kpi`` globs select (exit 2 for one that selects none), else those of
    :data:`DEFAULT_KPIS` that the result has."""
    available = result.kpis()
    if patterns:
        return match_kpis(patterns, available, "--kpi")
    return [k for k in DEFAULT_KPIS if k in available]


def _fmt(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def render_experiment(
    result: ResultSet,
    kpis: list[str],
    compare: bool,
    console: Console,
    precision: dict[str, Any] | None = None,
) -> None:
    """KPI means with CIs per variant, paired differences with ``compare``, and whether the
    ``--precision`` target was reached (``precision``: from :func:`precision_status`)."""
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
    if precision is not None:
        _render_precision(precision, console)
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


def precision_status(result: ResultSet, kpi: str, relative: float, max_reps: int) -> dict[str, Any]:
    """Whether ``--precision KPI=relative`` was met: per variant the CI half-width reached
    against ``relative`` x |mean|; when one missed it, ``max_reps`` is what stopped the run."""
    ratio = relative_half_width(result.table, kpi)
    summary = result.summary([kpi]).set_index("variant")
    variants = [
        {
            "variant": name,
            "mean": _finite(summary.loc[name, "mean"]),
            "half_width": _finite(summary.loc[name, "half_width"]),
            "relative_half_width": _finite(ratio[name]),
            "reached": bool(ratio[name] <= relative),
        }
        for name in result.variants
    ]
    return {
        "kpi": kpi,
        "target": relative,
        "replications": result.replications,
        "max_reps": max_reps,
        "reached": all(v["reached"] for v in variants),
        "variants": variants,
    }


def _finite(x: float) -> float | None:
    """JSON has no NaN or infinity: an undefined statistic is None."""
    return float(x) if math.isfinite(x) else None


def _render_precision(status: dict[str, Any], console: Console) -> None:
    target = status["target"]
    t = Table(
        title=f"Precision of {status['kpi']}: 95 % CI half-width against "
        f"{_pct(target)} of the mean",
        title_justify="left",
    )
    for col in ("variant", "mean", "half-width", "half-width / mean", "target"):
        t.add_column(col, justify="left" if col == "variant" else "right")
    for v in status["variants"]:
        mark = "reached" if v["reached"] else "not reached"
        t.add_row(
            v["variant"], _fmt(v["mean"]), _fmt(v["half_width"]),
            _pct(v["relative_half_width"]), mark,
        )  # fmt: skip
    n = status["replications"]
    if status["reached"]:
        t.caption = f"target {_pct(target)} reached after {n} replications"
    else:
        t.caption = (
            f"target {_pct(target)} not reached after {n} replications "
            f"(--max-reps {status['max_reps']})"
        )
    console.print(t)


def _pct(x: float | None) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100 * x:.3g} %"


def _build_kpis(result: ResultSet) -> list[str]:
    """The date KPIs to show, or none when every line runs from the start in every replication."""
    lines = [f"lines.{line}.commissioned_hours" for line in result.scenario.line_ids()]
    table = result.table
    late = any(c not in table or bool((table[c].fillna(1) > 0).any()) for c in lines)
    if not late:
        return []
    pace = ["output.nameplate_pace_hours"] if result.scenario.plant.nameplate else []
    return [*lines, "output.opening_hours", "output.complete_hours", *pace]


def _render_dates(result: ResultSet, kpis: list[str], start: date, console: Console) -> None:
    q = quantiles(result.table, kpis)
    t = Table(title="Commissioning dates (P10 / P50 / P90 over replications)", title_justify="left")
    t.add_column("")
    for name in result.variants:
        t.add_column(name, justify="right")

    def day(h: float) -> str:
        if math.isinf(h):
            return "> horizon"
        return "-" if math.isnan(h) else moment_at(start, h).date().isoformat()

    labels = {
        "output.opening_hours": "opening (first line)",
        "output.complete_hours": "complete (all lines)",
        "output.nameplate_pace_hours": "nameplate pace",
    }
    for kpi in kpis:
        line = kpi.removeprefix("lines.").removesuffix(".commissioned_hours")
        cells = []
        for name in result.variants:
            row = q[(q["variant"] == name) & (q["kpi"] == kpi)].iloc[0]
            never = f"\n{row['never']} of {row['n']} never" if row["never"] else ""
            cells.append(f"{day(row['p10'])}\n{day(row['p50'])}\n{day(row['p90'])}{never}")
        t.add_row(labels.get(kpi, f"line {line}"), *cells)
    if (q["never"] > 0).any():
        t.caption = (
            "> horizon: the percentile falls on replications in which the date never came within "
            "the horizon (counted as later than every date)"
        )
    console.print(t)


def _render_first_year(result: ResultSet, first_year: float, console: Console) -> None:
    e = exceedance(result.table, "output.first_year_units", first_year)
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
    p.caption = "first year: the 365 days after the opening (the first line commissioned)"
    console.print(p)


def render_build(
    result: ResultSet, start: date, first_year: float | None, console: Console
) -> None:
    """Commissioning dates (P10/P50/P90) when lines start late, and P(first year >= X)
    whenever ``first_year`` is given, for any scenario."""
    kpis = _build_kpis(result)
    if kpis:
        _render_dates(result, kpis, start, console)
    if first_year is not None:
        _render_first_year(result, first_year, console)
