"""The run report's charts as Plotly figures, built from a stored run's KPIs and event log.

Each function returns a figure, or None when the run has nothing for it to show (no failures,
no orders, no test station, no build), so that the page leaves it out rather than draw it empty.
Every chart colours station states alike (``STATE_COLORS``), names things in words with units
and shows fractions as percentages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from plantwin.report._style import LAYOUT, PALETTE
from plantwin.results import (
    StoredRun,
    backorders_by_day,
    daily_state_hours,
    failure_repairs,
    inspection_spells,
    line_state_intervals,
    order_status,
    output_over_time,
    range_by_day,
    storage_by_day,
)
from plantwin.sim import LINE_STATES, Event, ObjectType, hours_at, moment_at

__all__ = [
    "LOSS_STATES",
    "STATE_COLORS",
    "gantt_figure",
    "heatmap_figure",
    "milestones_figure",
    "monthly_figure",
    "orders_figure",
    "output_figure",
    "pareto_figure",
    "range_figure",
    "states_figure",
    "storage_figure",
    "waterfall_figure",
]

HOURS_PER_YEAR = 8760.0
STATE_COLORS = {
    "not_commissioned": "#B3B3B3",
    "off_shift": "#E5E5E5",
    "power_out": "#000000",
    "failed": "#D55E00",
    "waiting_for_crew": "#CC79A7",
    "restarting": "#E69F00",
    "blocked": "#0072B2",
    "changeover": "#56B4E9",
    "starved": "#F0E442",
    "producing": "#009E73",
}
"""One colour per station state for every chart: Okabe-Ito's colour-blind-safe palette, and
greys for the two states that lose no planned time."""
LOSS_STATES = [
    str(s) for s in LINE_STATES if s not in ("not_commissioned", "off_shift", "producing")
]
"""The states that lose planned busy time, in order of precedence."""
_INSPECTION_COLORS = {
    "normal": "#56B4E9",
    "reduced": "#009E73",
    "tightened": "#E69F00",
    "discontinued": "#000000",
}
_SPEED_LOSS, _QUALITY_LOSS, _TOTAL = "#999999", "#882255", "#4D4D4D"
_PERCENT: dict[str, Any] = {"tickformat": ".0%", "rangemode": "tozero"}


def _words(name: str) -> str:
    return name.replace("_", " ")


def _at(start: date, hours: Any) -> Any:
    """Plant time of ``hours`` after the start date at 00:00 (scalar or array)."""
    base = np.datetime64(datetime(start.year, start.month, start.day), "ms")
    return base + np.rint(np.asarray(hours, float) * 3.6e6).astype("timedelta64[ms]")


def _days(start: date, day: Any) -> Any:
    """The calendar dates of day indices (0 = the start date)."""
    return np.datetime64(start, "D") + np.asarray(day, np.int64).astype("timedelta64[D]")


def _month(start: date, hours: Any) -> Any:
    """``YYYY-MM`` of the month each moment falls in; a due time at midnight on the 1st belongs
    to the month before (due by its end)."""
    moments = pd.to_datetime(_at(start, np.asarray(hours, float) - 1e-6))
    return moments.to_period("M").astype(str)


def _events(stored: StoredRun) -> Any:
    if stored.events is None:
        raise ValueError("this run kept no event log")
    return stored.events


def _station_hours(stored: StoredRun) -> dict[str, dict[str, float]]:
    """Hours in each state per station that is not a test station (the KPIs' ``lines``)."""
    return {n: v["hours"] for n, v in stored.kpis["lines"].items()}


def output_figure(stored: StoredRun) -> go.Figure:
    """Cumulative units into storage by product and in total, against the nameplate pace."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    table = output_over_time(_events(stored), horizon).to_pandas()
    fig = go.Figure()
    for i, (product, group) in enumerate(table.groupby("product", sort=False)):
        fig.add_scatter(
            x=_at(start, group["time"]),
            y=group["cumulative_good"],
            name=str(product),
            mode="lines",
            line={"color": PALETTE[i % len(PALETTE)]},
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
        title="Output into storage since the start (cumulative)",
        yaxis_title=f"units into storage ({stored.scenario.plant.unit})",
        **LAYOUT,
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
            name=_words(state),
            marker_color=STATE_COLORS[state],
            customdata=np.round(hours, 2),
            hovertemplate="%{y}: "
            + _words(state)
            + "<br>%{base} for %{customdata} h<extra></extra>",
        )
    fig.update_layout(
        title=f"Station states, {days:g} days from {first.isoformat()}",
        barmode="overlay",
        xaxis={"type": "date", "range": [str(_at(plant_start, lo)), str(_at(plant_start, hi))]},
        yaxis={"categoryorder": "array", "categoryarray": lines[::-1], "title": "station"},
        **LAYOUT,
    )
    return fig


def waterfall_figure(stored: StoredRun) -> go.Figure:
    """Where the planned busy time of all non-test stations went: calendar time, less not
    commissioned and off shift, is the planned busy time (ISO 22400); less each stopping loss
    it is the actual production time; less the speed loss (1 - performance) and the quality loss
    (1 - quality) it is the good time, whose share of the planned busy time is the OEE.

    A station whose quality is counted elsewhere (a process station: its lots are judged after
    later stages) loses no quality time here."""
    lines = stored.kpis["lines"]
    hours = _station_hours(stored)
    total: dict[str, float] = {str(s): sum(h[s] for h in hours.values()) for s in LINE_STATES}
    calendar = stored.horizon_hours * len(lines)
    planned = calendar - total["not_commissioned"] - total["off_shift"]
    speed = sum(h["producing"] * (1 - lines[n]["performance"]) for n, h in hours.items())
    good = sum(
        h["producing"] * lines[n]["performance"] * (lines[n]["quality"] or 1.0)
        for n, h in hours.items()
    )
    steps: list[tuple[str, float, str, bool]] = [  # words, hours, colour, is a total
        ("calendar time", calendar, _TOTAL, True),
        ("not commissioned", total["not_commissioned"], STATE_COLORS["not_commissioned"], False),
        ("off shift", total["off_shift"], STATE_COLORS["off_shift"], False),
        ("planned busy time", planned, _TOTAL, True),
        *((_words(s), total[s], STATE_COLORS[s], False) for s in LOSS_STATES if total[s] > 0),
        ("actual production time", total["producing"], STATE_COLORS["producing"], True),
        ("speed loss", speed, _SPEED_LOSS, False),
        ("quality loss", total["producing"] - speed - good, _QUALITY_LOSS, False),
        ("good time", good, STATE_COLORS["producing"], True),
    ]
    steps = [s for s in steps if s[3] or s[1] > 0]
    base, level = [], calendar
    for _, value, _, is_total in steps:
        level = value if is_total else level - value
        base.append(0.0 if is_total else level)
    # two panels, each on its own scale: how much of the calendar is planned, then where the
    # planned busy time went (on the calendar's scale its losses would be slivers)
    split = [s[0] for s in steps].index("planned busy time")
    fig = make_subplots(rows=1, cols=2, column_widths=[0.3, 0.7], horizontal_spacing=0.08)
    for col, part in ((1, slice(0, split + 1)), (2, slice(split, None))):
        values = np.asarray([s[1] for s in steps[part]])
        fig.add_bar(
            x=[s[0] for s in steps[part]],
            y=values,
            base=base[part],
            marker_color=[s[2] for s in steps[part]],
            marker_line={"color": "#4D4D4D", "width": 1},
            customdata=values / planned if planned > 0 else np.full(len(values), np.nan),
            text=[f"{v:,.0f} h" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,.1f} h, %{customdata:.1%} of planned busy time"
            "<extra></extra>",
            showlegend=False,
            row=1,
            col=col,
        )
    oee = f", OEE {good / planned:.1%}" if planned > 0 else ""
    fig.update_layout(
        title=f"From calendar time to good time, all {len(lines)} stations{oee}",
        **{**LAYOUT, "height": 480},
    )
    fig.update_yaxes(title_text="station-hours (h)", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(rangemode="tozero", row=1, col=2)
    fig.update_xaxes(tickangle=-30)
    return fig


def states_figure(stored: StoredRun) -> go.Figure:
    """Each station's planned busy time (not off shift, commissioned) by state, as shares that
    add up to 100 %; the producing share is the station's availability."""
    hours = _station_hours(stored)
    planned = {
        n: stored.horizon_hours - h["off_shift"] - h["not_commissioned"] for n, h in hours.items()
    }
    fig = go.Figure()
    for state in ["producing", *LOSS_STATES]:
        share = [h[state] / planned[n] if planned[n] > 0 else 0.0 for n, h in hours.items()]
        if not any(share):
            continue
        fig.add_bar(
            y=list(hours),
            x=share,
            orientation="h",
            name=_words(state),
            marker_color=STATE_COLORS[state],
            customdata=[h[state] for h in hours.values()],
            hovertemplate="%{y}: " + _words(state) + " %{x:.1%} (%{customdata:,.1f} h)"
            "<extra></extra>",
        )
    fig.update_layout(
        title="Share of planned busy time in each state, per station",
        barmode="stack",
        xaxis={"title": "share of planned busy time", **_PERCENT, "range": [0, 1]},
        yaxis={"autorange": "reversed", "title": "station"},
        **{**LAYOUT, "height": 200 + 40 * len(hours)},
    )
    return fig


def pareto_figure(stored: StoredRun) -> go.Figure | None:
    """Failures per station, most first, with their cumulative share, and each station's MTBF
    (producing hours per failure) and MTTR (failure to repaired, from the event log)."""
    lines = stored.kpis["lines"]
    failed = {n: v["failures"] for n, v in lines.items() if v["failures"] > 0}
    if not failed:
        return None
    repairs = failure_repairs(_events(stored)).to_pandas()
    mttr = repairs.dropna(subset=["hours"]).groupby("line")["hours"].mean()
    order = sorted(failed, key=lambda n: -failed[n])
    counts = np.asarray([failed[n] for n in order], float)
    mtbf = [lines[n]["hours"]["producing"] / failed[n] for n in order]
    repair = [float(mttr.get(n, np.nan)) for n in order]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(
        x=order,
        y=counts,
        name="failures",
        marker_color=STATE_COLORS["failed"],
        customdata=np.column_stack([mtbf, repair]),
        text=[f"MTBF {b:,.0f} h<br>MTTR {r:,.1f} h" for b, r in zip(mtbf, repair, strict=True)],
        textposition="inside",
        hovertemplate="%{x}: %{y} failures<br>MTBF %{customdata[0]:,.1f} h"
        "<br>MTTR %{customdata[1]:,.2f} h<extra></extra>",
    )
    fig.add_scatter(
        x=order,
        y=np.cumsum(counts) / counts.sum(),
        name="cumulative share of failures",
        mode="lines+markers",
        line={"color": "black"},
        secondary_y=True,
    )
    fig.update_layout(
        title=f"Failures per station ({int(counts.sum())} in all), with MTBF and MTTR",
        xaxis_title="station",
        **LAYOUT,
    )
    fig.update_yaxes(title_text="failures", secondary_y=False)
    fig.update_yaxes(title_text="cumulative share", secondary_y=True, **_PERCENT, range=[0, 1.05])
    return fig


def monthly_figure(stored: StoredRun) -> go.Figure:
    """Units into storage per calendar month, beside the units ordered due that month and the
    nameplate capacity's share of the month (the part within the run)."""
    plant, horizon = stored.scenario.plant, stored.horizon_hours
    out = stored.kpis["output"]
    months = list(out["monthly"])
    fig = go.Figure()
    fig.add_bar(
        x=months,
        y=list(out["monthly"].values()),
        name="into storage",
        marker_color=PALETTE[0],
    )
    orders = order_status(_events(stored), stored.scenario, horizon).to_pandas()
    orders = orders[orders["due"] <= horizon]
    if len(orders):
        due = orders.assign(month=_month(plant.start, orders["due"]))
        ordered = due.groupby("month")["ordered"].sum()
        fig.add_bar(
            x=months,
            y=[float(ordered.get(m, 0.0)) for m in months],
            name="ordered, due that month",
            marker_color=PALETTE[1],
        )
    if plant.nameplate:
        first = [date(int(m[:4]), int(m[5:]), 1) for m in months]
        bounds = [hours_at(d, plant.start) for d in first] + [horizon]
        bounds = np.clip(np.asarray(bounds, float), 0.0, horizon)
        fig.add_scatter(
            x=months,
            y=np.diff(bounds) * plant.nameplate / HOURS_PER_YEAR,
            name="nameplate",
            mode="lines+markers",
            line={"color": "black", "dash": "dash", "shape": "hvh"},
        )
    fig.update_layout(
        title="Output per month against the nameplate and the demand",
        barmode="group",
        xaxis={"type": "category", "title": "month"},
        yaxis_title=plant.unit,
        **LAYOUT,
    )
    return fig


def orders_figure(stored: StoredRun) -> go.Figure | None:
    """Units ordered per month due: shipped on time, shipped late, still open at the horizon;
    and the backorders (units past due, not shipped) at the end of each day."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    events = _events(stored)
    orders = order_status(events, stored.scenario, horizon).to_pandas()
    orders = orders[orders["due"] <= horizon]
    if orders.empty:
        return None
    by_month = (
        orders.assign(month=_month(start, orders["due"]))
        .groupby("month", sort=True)[["ordered", "shipped", "shipped_on_time"]]
        .sum()
    )
    x = pd.to_datetime(by_month.index + "-01")
    # the backorders on their own axis: in a build they pile up to many months of demand
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    parts = [
        ("shipped on time", by_month["shipped_on_time"], STATE_COLORS["producing"]),
        ("shipped late", by_month["shipped"] - by_month["shipped_on_time"], "#E69F00"),
        ("still open", by_month["ordered"] - by_month["shipped"], "#D55E00"),
    ]
    for name, values, color in parts:
        fig.add_bar(
            x=x,
            y=values.clip(lower=0),
            name=f"{name}, by month due",
            marker_color=color,
            xperiod="M1",
            xperiodalignment="middle",
        )
    back = backorders_by_day(events, stored.scenario, horizon).to_pandas()
    fig.add_scatter(
        x=_at(start, back["time"]),
        y=back["backorders"],
        name="backorders (past due, not shipped)",
        mode="lines",
        line={"color": "black", "shape": "hv"},
        secondary_y=True,
    )
    fig.update_layout(
        title="Orders: shipped on time, late, or open; backorders over time",
        barmode="stack",
        xaxis={"type": "date", "title": "month due"},
        **LAYOUT,
    )
    unit = stored.scenario.plant.unit
    fig.update_yaxes(title_text=f"ordered ({unit})", rangemode="tozero", secondary_y=False)
    fig.update_yaxes(
        title_text=f"backorders ({unit})", rangemode="tozero", showgrid=False, secondary_y=True
    )
    return fig


def storage_figure(stored: StoredRun) -> go.Figure | None:
    """Units in storage by day: each product's level at the day's end (stacked) and the day's
    highest total, with the capacity when the level comes near it."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    table = storage_by_day(_events(stored), horizon).to_pandas()
    total = table[table["product"].isna()]
    if not total["level_max"].any():
        return None
    fig = go.Figure()
    products = table.dropna(subset=["product"])
    for i, (product, group) in enumerate(products.groupby("product", sort=False)):
        fig.add_scatter(
            x=_days(start, group["day"]),
            y=group["level_end"],
            name=f"{product}, end of day",
            mode="lines",
            stackgroup="end",
            line={"shape": "hv", "width": 0.5, "color": PALETTE[i % len(PALETTE)]},
        )
    fig.add_scatter(
        x=_days(start, total["day"]),
        y=total["level_max"],
        name="all products, day's highest",
        mode="lines",
        line={"shape": "hv", "color": "black", "width": 1.5},
    )
    capacity = stored.kpis["storage"].get("capacity")
    peak = float(total["level_max"].max())
    title = "Storage level by day"
    if capacity and peak >= capacity / 2:
        fig.add_hline(y=capacity, line_dash="dash", line_color="#D55E00")
        title += f" (capacity {capacity:,.0f}, dashed)"
    elif capacity:  # a far-away capacity line would flatten the curve: name it instead
        title += f" (capacity {capacity:,.0f}, peak {peak:,.0f})"
    fig.update_layout(
        title=title,
        xaxis_title="day",
        yaxis_title=f"in storage ({stored.scenario.plant.unit})",
        **LAYOUT,
    )
    return fig


def range_figure(stored: StoredRun) -> go.Figure | None:
    """The test stations by day: the share of lane time in use while open, the most lots
    waiting for a lane, and each product's inspection state (normal, tightened, reduced)."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    tested = sum(t["lots_tested"] for t in stored.kpis.get("testers", {}).values())
    if not tested:
        return None
    events = _events(stored)
    days = range_by_day(events, stored.scenario, horizon).to_pandas()
    spells = inspection_spells(events, horizon).to_pandas()
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.4, 0.3, 0.3],
        subplot_titles=(
            "lane utilisation while open (share of lane-hours)",
            "lots waiting for a lane (day's most)",
            "inspection state per product",
        ),
    )
    dates = _days(start, days["day"])
    fig.add_bar(
        x=dates,
        y=days["utilisation"],
        name="lane utilisation",
        marker_color=PALETTE[0],
        row=1,
        col=1,
    )
    fig.add_bar(
        x=dates,
        y=days["waiting_max"],
        name="lots waiting",
        marker_color=PALETTE[1],
        row=2,
        col=1,
    )
    for state, color in _INSPECTION_COLORS.items():
        part = spells[spells["state"] == state]
        if part.empty:
            continue
        fig.add_bar(
            y=part["product"],
            base=_at(start, part["start"]).astype(str),
            x=np.rint((part["end"] - part["start"]).to_numpy() * 3.6e6),
            orientation="h",
            name=f"inspection {state}",
            marker_color=color,
            hovertemplate="%{y}: " + state + " from %{base}<extra></extra>",
            row=3,
            col=1,
        )
    fig.update_yaxes(row=1, col=1, title_text="utilisation", **_PERCENT, range=[0, 1])
    fig.update_yaxes(row=2, col=1, title_text="lots", rangemode="tozero")
    fig.update_xaxes(type="date", range=[str(_at(start, 0.0)), str(_at(start, horizon))])
    fig.update_layout(
        title="Test range: utilisation, queue and inspection state",
        barmode="overlay",
        **{**LAYOUT, "height": 700},
    )
    return fig


def heatmap_figure(stored: StoredRun) -> go.Figure:
    """Every day of the run (weeks across, weekdays down): the producing share of the day's
    planned busy time over all non-test stations, and on hover the day's biggest loss."""
    start, horizon = stored.scenario.plant.start, stored.horizon_hours
    hours = daily_state_hours(_events(stored), horizon).to_pandas()
    table = hours.pivot_table(index="day", columns="state", values="hours", aggfunc="sum")
    table = table.reindex(columns=list(LINE_STATES), fill_value=0.0).fillna(0.0)
    planned = table.sum(axis=1) - table["off_shift"] - table["not_commissioned"]
    share = (table["producing"] / planned.where(planned > 1e-9)).to_numpy()
    losses = table[LOSS_STATES]
    worst = np.where(losses.max(axis=1) > 0, losses.idxmax(axis=1).map(_words), "none")
    dates = pd.to_datetime(_days(start, table.index.to_numpy()))
    weekday = dates.day_of_week.to_numpy()
    monday = dates - pd.to_timedelta(weekday, unit="D")
    weeks = pd.DatetimeIndex(sorted(set(monday)))
    column = weeks.get_indexer(monday)
    z = np.full((7, len(weeks)), np.nan)
    text = np.full((7, len(weeks)), "", dtype=object)
    z[weekday, column] = share
    for w, c, d, loss, h in zip(
        weekday, column, dates.strftime("%a %Y-%m-%d"), worst, losses.max(axis=1), strict=True
    ):
        text[w, c] = f"{d}<br>biggest loss: {loss} ({h:,.1f} h)"
    fig = go.Figure(
        go.Heatmap(
            x=weeks,
            y=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            z=z,
            zmin=0,
            zmax=1,
            colorscale="Cividis",
            colorbar={"title": "producing", "tickformat": ".0%"},
            text=text,
            hovertemplate="%{text}<br>producing %{z:.1%} of planned busy time<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        title="Producing share of planned busy time, day by day (blank: nothing planned)",
        xaxis={"title": "week starting", "type": "date"},
        yaxis={"autorange": "reversed"},
        **{**LAYOUT, "height": 340},
    )
    return fig


_MILESTONES = [
    Event.RESOURCED,
    Event.DELIVERED,
    Event.INSTALLATION_STARTED,
    Event.INSTALLATION_FINISHED,
    Event.QUALIFIED,
    Event.COMMISSIONED,
    Event.RAMP_UP_REACHED,
]
_SYMBOLS = ["circle", "square", "triangle-right", "triangle-left", "diamond", "star", "x"]


def milestones_figure(stored: StoredRun) -> go.Figure | None:
    """A build's milestones per station (resourced, delivered, installed, qualified,
    commissioned, ramp-up reached) and the day the plant reached its nameplate pace."""
    start = stored.scenario.plant.start
    events = _events(stored).to_pandas()
    events = events[
        (events["object_type"] == ObjectType.LINE.value)
        & events["event"].isin([m.value for m in _MILESTONES])
    ]
    if not events["event"].isin([m.value for m in _MILESTONES[:-2]]).any():
        return None  # commissioned from the start: no build to show
    fig = go.Figure()
    stations = list(dict.fromkeys(events["object_id"]))
    for i, milestone in enumerate(_MILESTONES):
        part = events[events["event"] == milestone.value]
        if part.empty:
            continue
        fig.add_scatter(
            x=_at(start, part["time"]),
            y=part["object_id"].astype(str),
            mode="markers",
            name=_words(milestone.value),
            marker={
                "symbol": _SYMBOLS[i],
                "size": 12,
                "color": PALETTE[i % len(PALETTE)],
                "line": {"width": 1, "color": "black"},
            },
        )
    out = stored.kpis["output"]
    if out.get("nameplate_pace_hours") is not None:
        fig.add_vline(
            x=moment_at(start, out["nameplate_pace_hours"]).timestamp() * 1000,
            line_dash="dash",
            line_color="#4D4D4D",
            annotation_text=f"{out['nameplate_pace_share']:.0%} of nameplate pace",
        )
    fig.update_layout(
        title="Commissioning milestones per station",
        xaxis={"type": "date", "title": "date"},
        yaxis={"categoryorder": "array", "categoryarray": stations[::-1], "title": "station"},
        **{**LAYOUT, "height": 240 + 40 * len(stations)},
    )
    return fig
