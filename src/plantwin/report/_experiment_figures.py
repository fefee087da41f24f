"""The experiment's charts: one per KPI with every variant as a row (its replications, mean
and 95 % CI, and beside it the paired difference against the base), and the fan of cumulative
output, one panel per variant with the base's median for reference."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from plantwin.experiment import paired_differences
from plantwin.kpis import is_fraction, kpi_label, kpi_unit
from plantwin.report._experiment_tables import means_frame
from plantwin.report._style import LAYOUT, PALETTE, rgba
from plantwin.results import StoredRun

__all__ = ["fan_figure", "kpi_figure"]

HOURS_PER_YEAR = 8760.0
_GREY = "#757575"
# the legend at the foot of the chart, below the axis titles whatever the chart's height
_LEGEND = {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0.0}


def _axis(kpi: str, unit: str, difference: bool = False) -> dict[str, object]:
    """An x axis in the KPI's unit: percent ticks for a fraction (its difference in points)."""
    if is_fraction(kpi):
        title = "difference, percentage points" if difference else "%"
        # "~": as many digits as the ticks need (99.81 %, 99.82 %: never "100 %" twice)
        return {"title": title, "tickformat": "+.4~%" if difference else ".4~%"}
    words = kpi_unit(kpi, unit)
    return {"title": f"difference, {words}".rstrip(", ") if difference else words}


def kpi_figure(stored: StoredRun, kpi: str) -> go.Figure:
    """One KPI, every variant a row: each replication a dot, the mean a diamond with its 95 %
    CI (a fraction's within 0-100 %); with several variants a second panel holds the paired
    differences against the base with their CIs and a line at 0."""
    if stored.table is None:
        raise ValueError("only an experiment has replications")
    table, unit = stored.table, stored.scenario.plant.unit
    names = list(stored.variants or table["variant"].unique())
    several = len(names) > 1
    fraction = is_fraction(kpi)
    hover = "%{x:.2%}" if fraction else "%{x:,.4g}"
    fig = make_subplots(
        rows=1,
        cols=2 if several else 1,
        shared_yaxes=True,
        column_widths=[0.6, 0.4] if several else None,
        horizontal_spacing=0.04,
        subplot_titles=(
            ["mean and 95 % CI", f"difference against {names[0]} (paired)"] if several else None
        ),
    )
    for i, name in enumerate(names):
        values = table.loc[table["variant"] == name, kpi]
        fig.add_scatter(
            x=values,
            y=[name] * len(values),
            mode="markers",
            marker={"size": 6, "color": rgba(PALETTE[i % len(PALETTE)], 0.35)},
            name="replications",
            legendgroup="replications",
            showlegend=i == 0,
            hovertemplate=f"{hover}<extra>%{{y}}</extra>",
            row=1,
            col=1,
        )
    s = means_frame(stored, [kpi])
    fig.add_scatter(
        x=s["mean"],
        y=s["variant"],
        mode="markers",
        name="mean, 95 % CI",
        marker={"symbol": "diamond", "size": 11, "color": "#212121"},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": (s["ci_high"] - s["mean"]).fillna(0.0),
            "arrayminus": (s["mean"] - s["ci_low"]).fillna(0.0),
            "thickness": 2,
        },
        hovertemplate=f"mean {hover}<extra>%{{y}}</extra>",
        row=1,
        col=1,
    )
    fig.update_xaxes(**_axis(kpi, unit), row=1, col=1)
    if several:
        d = paired_differences(table, [kpi], names[0])
        fig.add_scatter(
            x=d["mean_diff"],
            y=d["variant"],
            mode="markers",
            name="paired difference, 95 % CI",
            marker={"size": 10, "color": PALETTE[0]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (d["ci_high"] - d["mean_diff"]).fillna(0.0),
                "arrayminus": (d["mean_diff"] - d["ci_low"]).fillna(0.0),
                "thickness": 2,
            },
            hovertemplate=f"{hover.replace('%{x:', '%{x:+')}<extra>%{{y}}</extra>",
            row=1,
            col=2,
        )
        fig.add_vline(x=0, line_dash="dash", line_color=_GREY, row=1, col=2)
        fig.update_xaxes(**_axis(kpi, unit, difference=True), zeroline=False, row=1, col=2)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=names[::-1])
    words = kpi_unit(kpi, unit)
    fig.update_layout(
        **{
            **LAYOUT,
            "height": max(280, 170 + 45 * len(names)),
            "margin": _margin(names),
            "legend": _LEGEND,
        },
        title=kpi_label(kpi) + (f" ({words})" if words and words != "%" else ""),
    )
    return fig


def _margin(names: list[str]) -> dict[str, int]:
    """Room on the left for the longest variant name (sweeps have long ones), up to a third."""
    longest = max((len(n) for n in names), default=4)
    return {**LAYOUT["margin"], "l": min(420, 30 + 7 * longest), "b": 100}


def fan_figure(stored: StoredRun, fan: pd.DataFrame) -> go.Figure:
    """Cumulative output by month over the replications (``cumulative_fan``): one panel per
    variant with its P10-P90 band and median, the base's median dashed in the others, and the
    nameplate pace dotted."""
    names = list(dict.fromkeys(fan["variant"]))
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=names,
        horizontal_spacing=0.03,
        vertical_spacing=0.12 if rows > 1 else 0.0,
    )
    nameplate = stored.scenario.plant.nameplate
    start = pd.Timestamp(stored.scenario.plant.start)
    base = fan[fan["variant"] == names[0]]
    for i, name in enumerate(names):
        band = fan[fan["variant"] == name]
        months = pd.to_datetime(band["month"]) + pd.offsets.MonthEnd(0)
        color = PALETTE[i % len(PALETTE)]
        at = {"row": i // cols + 1, "col": i % cols + 1}
        first = i == 0
        fig.add_scatter(
            x=months, y=band["p90"], mode="lines", line={"width": 0}, showlegend=False,
            hoverinfo="skip", **at,
        )  # fmt: skip
        fig.add_scatter(
            x=months, y=band["p10"], mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor=rgba(color, 0.25), name="P10-P90 of replications", legendgroup="band",
            showlegend=first, **at,
        )  # fmt: skip
        fig.add_scatter(
            x=months, y=band["p50"], mode="lines", line={"color": color, "width": 2.5},
            name="median", legendgroup="median", showlegend=first, **at,
        )  # fmt: skip
        if not first:
            fig.add_scatter(
                x=months, y=base["p50"], mode="lines", line={"color": _GREY, "dash": "dash"},
                name=f"median of {names[0]}", legendgroup="base", showlegend=i == 1, **at,
            )  # fmt: skip
        if nameplate:
            pace = [(m - start).total_seconds() / 3600 / HOURS_PER_YEAR * nameplate for m in months]
            fig.add_scatter(
                x=months, y=pace, mode="lines", line={"color": _GREY, "dash": "dot"},
                name="nameplate pace", legendgroup="pace", showlegend=first, **at,
            )  # fmt: skip
    fig.update_yaxes(rangemode="tozero")
    fig.update_yaxes(title=stored.scenario.plant.unit, col=1)
    fig.update_layout(
        **{
            **LAYOUT,
            "height": 400 + 260 * (rows - 1),
            "margin": {**LAYOUT["margin"], "b": 100},
            "legend": _LEGEND,
        },
        title="Cumulative output over replications",
    )
    return fig
