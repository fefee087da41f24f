"""Rich rendering of an experiment: KPI means with CIs, paired differences, commissioning.

Every table has the variants as rows under each KPI, so that it fits 80 columns whatever the
number of variants; long variant names (a sweep's ``storage.capacity=10000000.0, ...``) are
numbered, with a legend above the tables.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from plantwin.cli._format import ci_cells, diff_cells, millions, note, percent
from plantwin.experiment import (
    FIRST_YEAR,
    ResultSet,
    exceedance,
    milestone_kpis,
    milestone_label,
    quantiles,
    relative_half_width,
)
from plantwin.kpis import EXPERIMENT_KPIS, kpi_label, kpi_unit
from plantwin.service import match_kpis
from plantwin.sim import moment_at

__all__ = [
    "pick_kpis",
    "precision_status",
    "render_build",
    "render_experiment",
]

_SHORT = 20  # variant names up to this long are shown as they are; longer ones are numbered


def pick_kpis(result: ResultSet, patterns: list[str]) -> list[str]:
    """The KPIs that ``--kpi`` globs select (exit 2 for one that selects none), else those of
    :data:`plantwin.kpis.EXPERIMENT_KPIS` (the report's too) that the result has."""
    available = result.kpis()
    if patterns:
        return match_kpis(patterns, available, "--kpi")
    return [k for k in EXPERIMENT_KPIS if k in available]


def _table(title: str, *columns: str) -> Table:
    """A table with a left-aligned title; the first column left, the others right."""
    t = Table(title=title, title_justify="left")
    for i, col in enumerate(columns):
        t.add_column(col, justify="right" if i else "left", no_wrap=i > 0)
    return t


def _heading(kpi: str, unit: str) -> Text:
    """A KPI in words with its unit (values carry "%" and "M" themselves)."""
    label, shown = kpi_label(kpi), kpi_unit(kpi, unit)
    said = f"({shown})" in label or (shown == "h" and "hours" in label)
    if shown and shown != "%" and not said:
        label = f"{label} ({shown})"
    return Text(label, style="bold")


class _Names:
    """How variants are shown: by name when every name is short, else numbered (1 = base)."""

    def __init__(self, result: ResultSet) -> None:
        self.names = list(result.variants)
        self.numbered = any(len(n) > _SHORT for n in self.names)

    def __getitem__(self, name: str) -> str:
        return str(self.names.index(name) + 1) if self.numbered else name

    def title(self, name: str) -> str:
        """A variant in a sentence: "variant 2", or its name quoted."""
        return f"variant {self[name]}" if self.numbered else repr(name)

    def legend(self, console: Console) -> None:
        """The numbered variants' names, one a line, when they are numbered."""
        if not self.numbered:
            return
        console.print(Text("Variants", style="bold"))
        for i, name in enumerate(self.names, 1):
            note(console, f"  {i}  {name}")


def render_experiment(
    result: ResultSet,
    kpis: list[str],
    compare: bool,
    console: Console,
    precision: dict[str, Any] | None = None,
) -> None:
    """KPI means with CIs per variant, paired differences with ``compare``, and whether the
    ``--precision`` target was reached (``precision``: from :func:`precision_status`)."""
    shown = _Names(result)
    unit = result.scenario.plant.unit
    shown.legend(console)
    summary = {(row["kpi"], row["variant"]): row for row in result.summary_records(kpis)}
    t = _table(
        f"{result.replications} replications per variant, seed {result.seed}: mean and 95 % CI",
        "KPI / variant", "mean", "95 % CI",
    )  # fmt: skip
    for kpi in kpis:
        t.add_row(_heading(kpi, unit))
        for i, name in enumerate(shown.names):
            row = summary[(kpi, name)]
            mean, interval = ci_cells(kpi, row["mean"], row["ci_low"], row["ci_high"])
            t.add_row(f"  {shown[name]}", mean, interval, end_section=i == len(shown.names) - 1)
    console.print(t)
    if precision is not None:
        _render_precision(precision, shown, console)
    if compare and len(shown.names) > 1:
        diff = result.compare(kpis).set_index(["kpi", "variant"])
        c = _table(
            f"Paired differences against {shown.title(result.base)} (common random numbers)",
            "KPI / variant", "difference", "95 % CI", "",
        )  # fmt: skip
        others = shown.names[1:]
        for kpi in kpis:
            c.add_row(_heading(kpi, unit))
            for i, name in enumerate(others):
                row = diff.loc[(kpi, name)]
                mean, interval = diff_cells(kpi, row["mean_diff"], row["ci_low"], row["ci_high"])
                sig = "" if row["ci_low"] <= 0 <= row["ci_high"] else "*"
                c.add_row(f"  {shown[name]}", mean, interval, sig, end_section=i == len(others) - 1)
        console.print(c)
        note(console, "* the interval excludes 0; pp: percentage points")


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


def _nan(x: float | None) -> float:
    return math.nan if x is None else x


def _render_precision(status: dict[str, Any], shown: _Names, console: Console) -> None:
    target, kpi = status["target"], status["kpi"]
    t = _table(
        f"Precision of {kpi_label(kpi)}: 95 % CI half-width against {_pct(target)} of the mean",
        "variant", "mean", "95 % CI", "half-width / mean", "target",
    )  # fmt: skip
    for v in status["variants"]:
        mean, hw = _nan(v["mean"]), _nan(v["half_width"])
        cells = ci_cells(kpi, mean, mean - hw, mean + hw)
        mark = "reached" if v["reached"] else "not reached"
        t.add_row(shown[v["variant"]], *cells, _pct(v["relative_half_width"]), mark)
    console.print(t)
    n = status["replications"]
    if status["reached"]:
        note(console, f"target {_pct(target)} reached after {n} replications")
    else:
        note(
            console,
            f"target {_pct(target)} not reached after {n} replications "
            f"(--max-reps {status['max_reps']})",
        )


def _pct(x: float | None) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{100 * x:.3g} %"


def _render_dates(
    result: ResultSet, kpis: list[str], shown: _Names, start: date, console: Console
) -> None:
    q = quantiles(result.table, kpis).set_index(["kpi", "variant"])
    t = _table(
        "Commissioning dates over replications",
        "milestone / variant", "P10", "P50", "P90", "never",
    )  # fmt: skip

    def day(h: float) -> str:
        if math.isinf(h):
            return "> horizon"
        return "-" if math.isnan(h) else moment_at(start, h).date().isoformat()

    for kpi in kpis:
        t.add_row(Text(milestone_label(kpi), style="bold"))
        for i, name in enumerate(shown.names):
            row = q.loc[(kpi, name)]
            never = f"{int(row['never'])} of {int(row['n'])}" if row["never"] else ""
            last = i == len(shown.names) - 1
            t.add_row(
                f"  {shown[name]}", day(row["p10"]), day(row["p50"]), day(row["p90"]), never,
                end_section=last,
            )  # fmt: skip
    console.print(t)
    if (q["never"] > 0).any():
        note(
            console,
            "never: replications in which the date did not come within the horizon; "
            "> horizon: a percentile that falls among them",
        )


def _render_first_year(
    result: ResultSet, thresholds: list[float], shown: _Names, console: Console
) -> None:
    nameplate = result.scenario.plant.nameplate
    p = _table(
        "P(first-year output >= X)", "X / variant", "P", "95 % CI (Wilson)", "full first year"
    )
    for k, x in enumerate(thresholds):
        share = f" ({100 * x / nameplate:.0f} % of nameplate)" if nameplate else ""
        p.add_row(Text(f"{millions(x)}{share}", style="bold"))
        e = exceedance(result.table, FIRST_YEAR, x)
        for i, (_, row) in enumerate(e.iterrows()):
            interval = "-" if row["n"] == 0 else (
                f"[{100 * row['ci_low']:.1f}, {100 * row['ci_high']:.1f}] %"
            )  # fmt: skip
            full = f"{row['n']} of {result.replications}"
            p.add_row(
                f"  {shown[str(row['variant'])]}", percent(row["p"]), interval, full,
                end_section=i == len(e) - 1 and k < len(thresholds) - 1,
            )  # fmt: skip
    console.print(p)
    note(
        console,
        "first year: the 365 days after the opening (the first line commissioned); "
        "replications whose first year ends after the horizon are left out",
    )


def render_build(result: ResultSet, start: date, thresholds: list[float], console: Console) -> None:
    """Commissioning dates (P10/P50/P90) when lines start late, and P(first-year output >= X)
    for each X of ``thresholds`` (:func:`plantwin.experiment.first_year_thresholds`)."""
    shown = _Names(result)
    kpis = milestone_kpis(result.scenario, result.columns)
    if kpis:
        _render_dates(result, kpis, shown, start, console)
    if thresholds:
        _render_first_year(result, thresholds, shown, console)
