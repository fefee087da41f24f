"""Rich rendering of an experiment: KPI means with CIs, paired differences, commissioning."""

from __future__ import annotations

import difflib
import fnmatch
import math
from datetime import date

from rich.console import Console
from rich.table import Table

from plantwin.cli._common import fail
from plantwin.experiment import ResultSet, exceedance, quantiles
from plantwin.sim import moment_at

__all__ = ["DEFAULT_KPIS", "pick_kpis", "render_build", "render_experiment"]

DEFAULT_KPIS = (
    "output.units_good",
    "output.attainment",
    "orders.fill_rate",
    "orders.backorders",
    "storage.mean",
    "range.lots_rejected",
    "grid.hours_without_power",
)


def pick_kpis(result: ResultSet, patterns: list[str]) -> list[str]:
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


def render_experiment(result: ResultSet, kpis: list[str], compare: bool, console: Console) -> None:
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


def render_build(
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
        return moment_at(start, h).date().isoformat()

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
