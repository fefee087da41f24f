"""The experiment's tables: variants as rows, KPIs in words as columns, every number from
:mod:`plantwin.experiment`'s statistics on the stored table, and a build study's results.

Means carry their 95 % CI as [low, high] (a fraction's kept within 0-100 %), rounded to the
CI's precision; differences are paired against the base variant (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from plantwin.experiment import (
    FIRST_YEAR,
    exceedance,
    first_year_thresholds,
    milestone_kpis,
    milestone_label,
    paired_differences,
    quantiles,
    summarize,
)
from plantwin.kpis import clip_ci, is_fraction, kpi_label, kpi_unit
from plantwin.report._summary import HtmlTable
from plantwin.results import StoredRun
from plantwin.sim import moment_at

__all__ = [
    "Scale",
    "build_tables",
    "experiment_tables",
    "heading",
    "means_frame",
    "scale_of",
]


@dataclass(frozen=True)
class Scale:
    """How one KPI's numbers are shown: divided by ``factor``, in ``unit`` (words), with
    ``digits`` decimals (two significant digits of the narrowest CI half-width; negative:
    rounded to tens, hundreds, ...)."""

    factor: float
    unit: str
    digits: int

    def number(self, x: float, sign: bool = False) -> str:
        """``x`` in this scale's unit and digits; a dash for a missing value."""
        if not math.isfinite(x):
            return "–"
        value = round(x / self.factor, self.digits) + 0.0  # no "-0"
        return f"{value:{'+' if sign else ''},.{max(0, self.digits)}f}"

    def to_precision(self, half_widths: Sequence[float]) -> Scale:
        """This scale with the digits of other CIs (the differences' are narrower)."""
        return Scale(self.factor, self.unit, _digits([h / self.factor for h in half_widths]))


def _digits(half_widths: Sequence[float]) -> int:
    """Decimals that keep two significant digits of the narrowest positive half-width (at most
    3; at least -5, hundreds of thousands); 1 without any."""
    finite = [h for h in half_widths if math.isfinite(h) and h > 0]
    if not finite:
        return 1
    return min(3, max(-5, 1 - math.floor(math.log10(min(finite)))))


def scale_of(kpi: str, unit: str, means: Sequence[float], half_widths: Sequence[float]) -> Scale:
    """The scale of a KPI: percent for a fraction, millions when its means reach a million."""
    if is_fraction(kpi):
        return Scale(0.01, "%", 1).to_precision(half_widths)
    words = kpi_unit(kpi, unit)
    if max((abs(m) for m in means if math.isfinite(m)), default=0.0) >= 1e6:
        return Scale(1e6, f"million {words}".strip(), 1).to_precision(half_widths)
    return Scale(1.0, words, 1).to_precision(half_widths)


def heading(kpi: str, scale: Scale, difference: bool = False) -> str:
    """A KPI's column heading: its words and unit (a fraction's difference in percentage
    points)."""
    unit = "percentage points" if difference and scale.unit == "%" else scale.unit
    return f"{kpi_label(kpi)} [{unit}]" if unit else kpi_label(kpi)


def experiment_tables(stored: StoredRun, kpis: list[str]) -> list[HtmlTable]:
    """Per variant (rows) and KPI (columns): mean with 95 % CI; with several variants, the
    paired differences against the base variant, * where the interval excludes 0."""
    assert stored.table is not None
    table, unit = stored.table, stored.scenario.plant.unit
    names = list(stored.variants or table["variant"].unique())
    summary = summarize(table, kpis).set_index(["variant", "kpi"])
    scales = {
        kpi: scale_of(
            kpi,
            unit,
            [summary.loc[(n, kpi), "mean"] for n in names],
            [summary.loc[(n, kpi), "half_width"] for n in names],
        )
        for kpi in kpis
    }
    rows = []
    for n in names:
        cells = []
        for kpi in kpis:
            s = summary.loc[(n, kpi)]
            low, high = clip_ci(kpi, s["ci_low"], s["ci_high"])
            scale = scales[kpi]
            cells.append(_estimate(scale.number(s["mean"]), scale.number(low), scale.number(high)))
        rows.append([n, *cells])
    means = HtmlTable(
        f"Mean and 95 % CI [low, high] over {stored.replications} replications per variant",
        ["variant", *(heading(k, scales[k]) for k in kpis)],
        rows,
    )
    if len(names) < 2:
        return [means]
    diff = paired_differences(table, kpis, names[0]).set_index(["variant", "kpi"])
    precise = {
        kpi: scales[kpi].to_precision(
            [(diff.loc[(n, kpi), "ci_high"] - diff.loc[(n, kpi), "ci_low"]) / 2 for n in names[1:]]
        )
        for kpi in kpis
    }
    rows = []
    for n in names[1:]:
        cells = []
        for kpi in kpis:
            d = diff.loc[(n, kpi)]
            scale = precise[kpi]
            mark = "" if d["ci_low"] <= 0 <= d["ci_high"] else " *"
            cells.append(
                _estimate(
                    scale.number(d["mean_diff"], True) + mark,
                    scale.number(d["ci_low"], True),
                    scale.number(d["ci_high"], True),
                )
            )
        rows.append([n, *cells])
    compare = HtmlTable(
        f"Paired differences against {names[0]!r} (common random numbers, 95 % CI)",
        ["variant", *(heading(k, scales[k], difference=True) for k in kpis)],
        rows,
        caption="* the interval excludes 0: a real difference",
    )
    return [means, compare]


def _estimate(value: str, low: str, high: str) -> str:
    """A value and its interval kept on one line (no-break spaces): ``62.5 [61.9, 63.2]``."""
    return f"{value}\u00a0[{low},\u00a0{high}]"


def build_tables(stored: StoredRun, first_year: float | None = None) -> list[HtmlTable]:
    """A build study's results: commissioning P10/P50/P90 as dates per variant and milestone
    (none for a plant that runs from the start), and P(first-year output >= X) with its 95 %
    Wilson interval for :func:`plantwin.experiment.first_year_thresholds` (``first_year``, else
    the one the experiment was run with)."""
    assert stored.table is not None
    table, start = stored.table, stored.scenario.plant.start
    names = list(stored.variants or table["variant"].unique())
    if first_year is None:
        first_year = stored.kpis.get("first_year_threshold")
    thresholds = first_year_thresholds(stored.scenario, table, first_year)
    out = [_first_year_table(stored, names, thresholds)] if thresholds else []
    dates = milestone_kpis(stored.scenario, table)
    if not dates:
        return out
    several = len(names) > 1

    def day(h: float) -> str:
        if math.isinf(h):
            return "after the horizon"
        return "–" if math.isnan(h) else moment_at(start, h).date().isoformat()

    q = quantiles(table, dates).set_index(["variant", "kpi"])
    rows = []
    for kpi in dates:
        for n in names:
            r = q.loc[(n, kpi)]
            never = f"{r['never']} of {r['n']}" if r["never"] else "–"
            head = [milestone_label(kpi), n] if several else [milestone_label(kpi)]
            rows.append([*head, day(r["p10"]), day(r["p50"]), day(r["p90"]), never])
    dated = [
        HtmlTable(
            "Commissioning dates over replications (P10 / P50 / P90)",
            ["milestone", *(["variant"] if several else []), "P10", "P50", "P90", "never"],
            rows,
            caption="never: replications in which the date did not come within the horizon; "
            "they count as later than every date",
        )
    ]
    return dated + out


def _first_year_table(stored: StoredRun, names: list[str], thresholds: list[float]) -> HtmlTable:
    assert stored.table is not None
    unit, nameplate = stored.scenario.plant.unit, stored.scenario.plant.nameplate
    rows = []
    for x in thresholds:
        e = exceedance(stored.table, FIRST_YEAR, x).set_index("variant")
        share = f" ({100 * x / nameplate:.0f} % of nameplate)" if nameplate else ""
        for n in names:
            r = e.loc[n]
            rows.append(
                [
                    f"{_count(x)} {unit}{share}",
                    *([n] if len(names) > 1 else []),
                    _percent(r["p"]),
                    f"[{_percent(r['ci_low'])}, {_percent(r['ci_high'])}]",
                    f"{int(r['n'])} of {stored.replications}",
                ]
            )
    several = len(names) > 1
    return HtmlTable(
        "P(first-year output >= X) with its 95 % Wilson interval",
        ["X", *(["variant"] if several else []), "P", "95 % CI", "with a full first year"],
        rows,
        caption="first year: the 365 days after the opening (the first line commissioned); "
        "replications whose first year ends after the horizon are left out",
    )


def _count(x: float) -> str:
    return f"{x / 1e6:,.3g} million" if abs(x) >= 1e6 else f"{x:,.0f}"


def _percent(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{100 * x:.0f} %"


def means_frame(stored: StoredRun, kpis: list[str]) -> pd.DataFrame:
    """Per variant and KPI: the summary with its CI clipped for fractions (for the charts)."""
    assert stored.table is not None
    s = summarize(stored.table, kpis)
    clipped = [
        clip_ci(k, lo, hi) for k, lo, hi in zip(s["kpi"], s["ci_low"], s["ci_high"], strict=True)
    ]
    s["ci_low"] = [c[0] for c in clipped]
    s["ci_high"] = [c[1] for c in clipped]
    return s
