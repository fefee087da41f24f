"""The report's charts as Plotly figures, built from a stored run or experiment.

Runs: output against the nameplate pace, a line-state timeline (Gantt) for a chosen period,
hours per state per line, storage level, order fill per month. Experiments: the distribution of
each KPI per variant with its CI, and paired differences against the base variant.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from plantwin.results import (
    StoredRun,
    line_state_intervals,
    order_fill,
    output_over_time,
    storage_level,
)
from plantwin.sim import LINE_STATES, moment_at

__all__ = [
    "STATE_COLORS",
    "comparison_figure",
    "distribution_figure",
    "gantt_figure",
    "orders_figure",
    "output_figure",
    "states_figure",
    "storage_figure",
]

HOURS_PER_YEAR = 8760.0
STATE_COLORS = {
    "not_commissioned": "#bdbdbd",
    "off_shift": "#e0e0e0",
    "power_out": "#7b1fa2",
    "failed": "#d32f2f",
    "waiting_for_crew": "#f48fb1",
    "restarting": "#ff9800",
    "blocked": "#795548",
    "changeover": "#1976d2",
    "starved": "#fbc02d",
    "producing": "#388e3c",
}
_LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "height": 420,
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "legend": {"orientation": "h", "y": -0.15},
}


def _at(start: date, hours: Any) -> Any:
    """Plant time of ``hours`` after the start date at 00:00 (scalar or array)."""
    base = np.datetime64(datetime(start.year, start.month, start.day), "ms")
    return base + np.rint(np.asarray(hours, float) * 3.6e6).astype("timedelta64[ms]")


def _events(stored: StoredRun) -> Any:
    if stored.events is None:
        raise ValueError("this run kept no event log")
    return stored.events


def output_figure(stored: StoredRun) -> go.Figure:
    """Cumulative units into storage by product and in total, against the nameplate pace."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    table = output_over_time(_events(stored), horizon).to_pandas()
    fig = go.Figure()
    for product, group in table.groupby("product", sort=False):
        fig.add_scatter(
            x=_at(start, group["time"]),
            y=group["cumulative_good"],
            name=str(product),
            mode="lines",
        )
    if len(table):
        total = table.groupby("time", sort=True)["cumulative_good"].sum()
        fig.add_scatter(
            x=_at(start, total.index),
            y=total.to_numpy(),
            name="total",
            mode="lines",
            line={"color": "black", "width": 3},
        )
    nameplate = stored.scenario.plant.nameplate
    if nameplate:
        fig.add_scatter(
            x=_at(start, [0.0, horizon]),
            y=[0.0, nameplate * horizon / HOURS_PER_YEAR],
            name="nameplate pace",
            mode="lines",
            line={"dash": "dash", "color": "#888"},
        )
    fig.update_layout(
        title="Output into storage (cumulative)",
        yaxis_title=stored.scenario.plant.unit,
        **_LAYOUT,
    )
    return fig


def gantt_figure(stored: StoredRun, start: date | None = None, days: float = 14.0) -> go.Figure:
    """Line states over ``days`` days from ``start`` (default: the run's start) as a Gantt."""
    plant_start = stored.scenario.plant.start
    first = start or plant_start
    lo = (first - plant_start).days * 24.0
    hi = min(lo + days * 24.0, stored.horizon_hours)
    if days <= 0 or lo < 0 or lo >= stored.horizon_hours:
        end = moment_at(plant_start, stored.horizon_hours).date()
        raise ValueError(
            f"the timeline must start within the run ({plant_start} to {end}) and last more "
            f"than 0 days; got {first} for {days:g} days"
        )
    spells = line_state_intervals(_events(stored), stored.horizon_hours).to_pandas()
    spells = spells[(spells["end"] > lo) & (spells["start"] < hi)].copy()
    spells["start"] = spells["start"].clip(lower=lo)
    spells["end"] = spells["end"].clip(upper=hi)
    lines = list(dict.fromkeys(spells["line"])) or stored.scenario.line_ids()
    fig = go.Figure()
    for state in LINE_STATES:
        part = spells[spells["state"] == state]
        if part.empty:
            continue
        hours = (part["end"] - part["start"]).to_numpy()
        fig.add_bar(
            y=part["line"],
            base=_at(plant_start, part["start"]).astype(str),
            x=np.rint(hours * 3.6e6),
            orientation="h",
            name=state.replace("_", " "),
            marker_color=STATE_COLORS[state],
            customdata=np.round(hours, 2),
            hovertemplate="%{y}: " + state + "<br>%{base} for %{customdata} h<extra></extra>",
        )
    fig.update_layout(
        title=f"Line states, {days:g} days from {first.isoformat()}",
        barmode="overlay",
        xaxis={"type": "date", "range": [str(_at(plant_start, lo)), str(_at(plant_start, hi))]},
        yaxis={"categoryorder": "array", "categoryarray": lines[::-1], "title": "line"},
        **_LAYOUT,
    )
    return fig


def states_figure(stored: StoredRun) -> go.Figure:
    """Hours in each state per line, stacked (they add up to the horizon)."""
    lines = stored.kpis["lines"]
    fig = go.Figure()
    for state in LINE_STATES:
        hours = [v["hours"].get(state, 0.0) for v in lines.values()]
        if not any(hours):
            continue
        fig.add_bar(
            y=list(lines),
            x=hours,
            orientation="h",
            name=state.replace("_", " "),
            marker_color=STATE_COLORS[state],
        )
    fig.update_layout(
        title="Hours in each state per line",
        barmode="stack",
        xaxis_title="hours",
        yaxis={"autorange": "reversed", "title": "line"},
        **_LAYOUT,
    )
    return fig


def storage_figure(stored: StoredRun) -> go.Figure:
    """Units in storage over time, in total and by product, with the capacity."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    table = storage_level(_events(stored)).to_pandas()
    fig = go.Figure()
    times = np.concatenate([[0.0], table["time"].to_numpy(), [horizon]])
    total = table["total"].to_numpy()
    fig.add_scatter(
        x=_at(start, times),
        y=np.concatenate([[0.0], total, total[-1:] if len(total) else [0]]),
        name="total",
        mode="lines",
        line={"shape": "hv", "color": "black", "width": 2},
    )
    for product, group in table.groupby("product", sort=False):
        level = group["level"].to_numpy()
        fig.add_scatter(
            x=_at(start, np.concatenate([[0.0], group["time"].to_numpy(), [horizon]])),
            y=np.concatenate([[0.0], level, level[-1:]]),
            name=str(product),
            mode="lines",
            line={"shape": "hv"},
        )
    capacity = stored.kpis["storage"].get("capacity")
    peak = float(total.max()) if len(total) else 0.0
    title = "Storage level"
    if capacity and peak >= capacity / 2:
        fig.add_scatter(
            x=_at(start, [0.0, horizon]),
            y=[capacity, capacity],
            name="capacity",
            mode="lines",
            line={"dash": "dash", "color": "#c62828"},
        )
    elif capacity:  # a far-away capacity line would flatten the curve: name it instead
        title += f" (capacity {capacity:,.0f}, peak {peak:,.0f})"
    fig.update_layout(title=title, yaxis_title=stored.scenario.plant.unit, **_LAYOUT)
    return fig


def orders_figure(stored: StoredRun) -> go.Figure:
    """Units ordered and shipped per month of release (shipped: to the orders of that month)."""
    start = stored.scenario.plant.start
    orders = order_fill(_events(stored)).to_pandas()
    fig = go.Figure()
    if len(orders):
        months = pd.to_datetime(_at(start, orders["released"])).to_period("M").astype(str)
        by_month = orders.assign(month=months).groupby("month", sort=True)
        sums = by_month[["ordered", "shipped"]].sum()
        fig.add_bar(x=sums.index, y=sums["ordered"], name="ordered", marker_color="#90a4ae")
        fig.add_bar(x=sums.index, y=sums["shipped"], name="shipped", marker_color="#388e3c")
    fig.update_layout(
        title="Order fill: units ordered and shipped, by month of release",
        barmode="group",
        yaxis_title=stored.scenario.plant.unit,
        xaxis={"type": "category"},
        **_LAYOUT,
    )
    return fig


def distribution_figure(stored: StoredRun, kpi: str) -> go.Figure:
    """One KPI over the replications of each variant (box and points), mean with its CI."""
    if stored.table is None:
        raise ValueError("only an experiment has replications")
    table = stored.table
    summary = stored.resultset().summary([kpi])
    fig = go.Figure()
    for variant, group in table.groupby("variant", sort=False):
        fig.add_box(
            y=group[kpi],
            name=str(variant),
            boxpoints="all",
            jitter=0.3,
            pointpos=0,
            marker={"size": 4},
            showlegend=False,
        )
    fig.add_scatter(
        x=summary["variant"],
        y=summary["mean"],
        mode="markers",
        name="mean, 95 % CI",
        marker={"symbol": "diamond", "size": 10, "color": "black"},
        error_y={"type": "data", "array": summary["half_width"].fillna(0.0), "visible": True},
    )
    fig.update_layout(title=kpi, **_LAYOUT)
    return fig


def comparison_figure(stored: StoredRun, kpi: str) -> go.Figure:
    """Paired differences of one KPI against the base variant, with 95 % CIs."""
    diff = stored.resultset().compare([kpi])
    low = (diff["mean_diff"] - diff["ci_low"]).fillna(0.0)
    high = (diff["ci_high"] - diff["mean_diff"]).fillna(0.0)
    fig = go.Figure()
    fig.add_scatter(
        y=diff["variant"],
        x=diff["mean_diff"],
        mode="markers",
        name="mean difference",
        marker={"size": 10, "color": "#1976d2"},
        error_x={"type": "data", "array": high, "arrayminus": low, "visible": True},
    )
    fig.add_vline(x=0, line_dash="dash", line_color="#888")
    base = next(iter(stored.variants or {"base": {}}))
    fig.update_layout(
        title=f"{kpi}: difference against {base!r}",
        showlegend=False,
        yaxis={"autorange": "reversed"},
        **{**_LAYOUT, "height": 200 + 60 * len(diff)},  # one row per variant
    )
    return fig


def fan_figure(stored: StoredRun, fan: pd.DataFrame) -> go.Figure:
    """Cumulative output by month over the replications (``cumulative_fan``): the P10-P90 band
    and the median per variant, with the nameplate pace for reference."""
    fig = go.Figure()
    colors = ["#1976d2", "#e65100", "#2e7d32", "#6a1b9a", "#c62828", "#00838f"]
    for i, (variant, band) in enumerate(fan.groupby("variant", sort=False)):
        color = colors[i % len(colors)]
        months = pd.to_datetime(band["month"]) + pd.offsets.MonthEnd(0)
        fig.add_scatter(
            x=months,
            y=band["p90"],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
        fig.add_scatter(
            x=months,
            y=band["p10"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=_rgba(color, 0.2),
            name=f"{variant}: P10-P90",
        )
        fig.add_scatter(
            x=months, y=band["p50"], mode="lines", line={"color": color}, name=f"{variant}: median"
        )
    nameplate = stored.scenario.plant.nameplate
    if nameplate and len(fan):
        months = pd.to_datetime(fan["month"].drop_duplicates()) + pd.offsets.MonthEnd(0)
        start = pd.Timestamp(stored.scenario.plant.start)
        pace = [(m - start).total_seconds() / 3600 / HOURS_PER_YEAR * nameplate for m in months]
        fig.add_scatter(
            x=months,
            y=pace,
            mode="lines",
            name="nameplate pace",
            line={"dash": "dash", "color": "#888"},
        )
    fig.update_layout(
        title="Cumulative output (units made) over replications",
        yaxis_title=stored.scenario.plant.unit,
        **_LAYOUT,
    )
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
