"""The self-contained HTML report: one file, Plotly's JavaScript inside once, works offline."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from plantwin.experiment import cumulative_fan
from plantwin.kpis import EXPERIMENT_KPIS, kpi_label
from plantwin.report._experiment_figures import fan_figure, kpi_figure
from plantwin.report._experiment_tables import build_tables, experiment_tables
from plantwin.report._figures import (
    gantt_figure,
    heatmap_figure,
    milestones_figure,
    monthly_figure,
    orders_figure,
    output_figure,
    pareto_figure,
    range_figure,
    states_figure,
    storage_figure,
    waterfall_figure,
)
from plantwin.report._summary import run_tables
from plantwin.results import StoredRun, atomic_write
from plantwin.sim import moment_at

__all__ = ["REPORT_KPIS", "Chart", "render_report", "render_report_body", "write_report"]

REPORT_KPIS = EXPERIMENT_KPIS
"""The KPIs an experiment's report shows unless told otherwise: those ``experiment`` prints."""

_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Chart:
    """One chart of the report: its anchor, heading, a sentence on how to read it, its HTML."""

    id: str
    title: str
    note: str
    html: str


@functools.cache
def environment() -> Environment:
    """The report's templates (built once a process: the web app renders a body a request)."""
    return Environment(
        loader=PackageLoader("plantwin.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _chart(chart_id: str, title: str, note: str, fig: Any) -> Chart:
    body = fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config=_CONFIG)
    return Chart(chart_id, title, note, body)


def _run_charts(
    stored: StoredRun,
    gantt_from: date | None,
    gantt_days: float,
    only: Collection[str] | None,
    prefix: str,
) -> list[Chart]:
    """The run's charts (those in ``only`` when given), in the order a plant manager reads
    them; a chart whose figure is None (nothing to show in this run) is left out. Figures are
    drawn only for the charts chosen; ``prefix`` goes before the ids of their elements."""
    first = gantt_from or stored.scenario.plant.start
    unit = stored.scenario.plant.unit
    charts: list[tuple[str, str, str, Callable[[], Any]]] = [
        (
            "chart-waterfall",
            "Where the time went: the OEE loss waterfall",
            "Station-hours of all non-test stations: calendar time less not commissioned and off "
            "shift is the planned busy time; each stop takes its share, then the speed loss "
            "(1 - performance) and the quality loss (1 - quality) leave the good time. Good time "
            "over planned busy time is the OEE.",
            lambda: waterfall_figure(stored),
        ),
        (
            "chart-milestones",
            "Commissioning milestones",
            "When each station was resourced, delivered, installed, qualified, commissioned and "
            "reached its ramp-up rate.",
            lambda: milestones_figure(stored),
        ),
        (
            "chart-monthly",
            "Monthly output against nameplate and demand",
            f"Units ({unit}) into storage per calendar month, beside the units ordered that "
            "fall due in the month and the nameplate capacity for the month's hours in the run.",
            lambda: monthly_figure(stored),
        ),
        (
            "chart-output",
            "Cumulative output against the nameplate",
            "Units put into storage since the start, by product and in total; the dashed "
            "line is the nameplate capacity's pace.",
            lambda: output_figure(stored),
        ),
        (
            "chart-states",
            "Where the planned busy time went, per station",
            "Each station's planned busy time (commissioned, on shift) by state; the producing "
            "share is its availability.",
            lambda: states_figure(stored),
        ),
        (
            "chart-pareto",
            "Failures: Pareto, MTBF and MTTR",
            "Failures per station, most first, and their cumulative share; MTBF = producing "
            "hours per failure, MTTR = mean hours from failure to repaired (waiting for a crew "
            "included).",
            lambda: pareto_figure(stored),
        ),
        (
            "chart-heatmap",
            "Every day of the run",
            "Producing share of each day's planned busy time over all non-test stations, weeks "
            "across and weekdays down; hover for the day's biggest loss.",
            lambda: heatmap_figure(stored),
        ),
        (
            "chart-gantt",
            "Station-state timeline",
            f"What each station did, {gantt_days:g} days from {first.isoformat()}.",
            lambda: gantt_figure(stored, gantt_from, gantt_days),
        ),
        (
            "chart-range",
            "Test range: utilisation, queue, inspection state",
            "Share of the lanes' open hours (working, powered) with a lot on the lane, the most "
            "lots waiting for a lane each day, and each product's inspection state over time.",
            lambda: range_figure(stored),
        ),
        (
            "chart-orders",
            "Orders on time and late, backorders",
            f"Units ({unit}) ordered per month they fall due: shipped by the due time, shipped "
            "late, still open at the end of the run; the line is the backorders (past due, not "
            "shipped) at the end of each day.",
            lambda: orders_figure(stored),
        ),
        (
            "chart-storage",
            "Storage level by day",
            f"Finished units ({unit}) in storage at each day's end by product, and the day's "
            "highest total.",
            lambda: storage_figure(stored),
        ),
    ]
    figures = [
        (prefix + chart_id, title, note, draw())
        for chart_id, title, note, draw in charts
        if only is None or chart_id in only
    ]
    return [_chart(*chart) for chart in figures if chart[-1] is not None]


def _experiment_charts(
    stored: StoredRun, kpis: Sequence[str], only: Collection[str] | None, prefix: str
) -> list[Chart]:
    several = len(stored.variants or {}) > 1
    charts = [
        _chart(
            f"{prefix}chart-kpi-{i}",
            kpi_label(kpi)[:1].upper() + kpi_label(kpi)[1:],
            "Each dot is one replication; the diamond is the mean with its 95 % CI"
            + (
                "; on the right, the difference against the base replication by replication "
                "(common random numbers) with its 95 % CI: an interval that misses 0 is a real "
                "difference."
                if several
                else "."
            ),
            kpi_figure(stored, kpi),
        )
        for i, kpi in enumerate(kpis)
        if only is None or f"chart-kpi-{i}" in only
    ]
    fan = (
        cumulative_fan(stored.table)
        if stored.table is not None and (only is None or "chart-fan" in only)
        else None
    )
    if fan is not None and len(fan):
        charts.insert(
            0,
            _chart(
                f"{prefix}chart-fan",
                "Cumulative output: the fan over replications",
                "Per variant, the band holds the middle 80 % of replications (P10 to P90) month "
                "by month and the line is the median; the base's median is dashed in the other "
                "panels, the nameplate pace dotted.",
                fan_figure(stored, fan),
            ),
        )
    return charts


def _context(
    stored: StoredRun,
    gantt_from: date | None,
    gantt_days: float,
    kpis: Sequence[str] | None,
    first_year: float | None,
    charts: Collection[str] | None,
    prefix: str = "",
    show_tables: bool = True,
) -> dict[str, Any]:
    """What the report's templates show of ``stored`` (its tables only when ``show_tables``);
    ValueError as :func:`render_report`."""
    if stored.kind == "run":
        if stored.events is None:
            raise ValueError("this run kept no event log, which the report's charts need")
        tables = run_tables(stored.kpis) if show_tables else []
        drawn = _run_charts(stored, gantt_from, gantt_days, charts, prefix)
    else:
        assert stored.table is not None
        # the defaults that have no values in this experiment (no order due in a short horizon)
        # are left out; KPIs asked for by name must exist
        chosen = list(kpis or [k for k in REPORT_KPIS if k in stored.table.columns])
        unknown = [k for k in chosen if k not in stored.table.columns]
        if unknown:
            raise ValueError(f"no such KPI in this experiment: {', '.join(unknown)}")
        tables = (
            experiment_tables(stored, chosen) + build_tables(stored, first_year)
            if show_tables
            else []
        )
        drawn = _experiment_charts(stored, chosen, charts, prefix)
    s = stored.scenario
    end = moment_at(s.plant.start, stored.horizon_hours).date()
    return {
        "stored": stored,
        "title": f"{s.plant.name}: {'run' if stored.kind == 'run' else 'experiment'}"
        + (f" {stored.id}" if stored.id is not None else ""),
        "period": f"{s.plant.start.isoformat()} to {end.isoformat()} "
        f"({stored.horizon_hours:,.0f} h)",
        "tables": tables,
        "charts": drawn,
        "show_tables": show_tables,
        "variants": {
            k: ", ".join(f"{p}={v}" for p, v in o.items()) or "(no change)"
            for k, o in (stored.variants or {}).items()
        },
    }


def render_report(
    stored: StoredRun,
    *,
    gantt_from: date | None = None,
    gantt_days: float = 14.0,
    kpis: Sequence[str] | None = None,
    first_year: float | None = None,
) -> str:
    """The HTML report of a stored run or experiment, as one self-contained page.

    ``gantt_from``/``gantt_days`` choose the period of the line-state timeline (default: the
    first 14 days); ``kpis`` the KPIs of an experiment's report, ``first_year`` the X of a build
    study's P(first-year output >= X) (default: shares of the nameplate). Raises ValueError when the
    stored data cannot give the report (a run without event log, a period outside the run,
    an unknown KPI).
    """
    import plotly.offline

    context = _context(stored, gantt_from, gantt_days, kpis, first_year, None)
    page = environment().get_template("report.html.j2")
    return page.render(**context, plotly_js=plotly.offline.get_plotlyjs())


def render_report_body(
    stored: StoredRun,
    *,
    charts: Collection[str] | None = None,
    tables: bool = True,
    prefix: str = "",
    gantt_from: date | None = None,
    gantt_days: float = 14.0,
    kpis: Sequence[str] | None = None,
    first_year: float | None = None,
) -> str:
    """The report's contents as an HTML fragment for another page to embed (the web app's run
    and experiment pages): the links to the charts, the KPI tables (unless ``tables`` is False)
    and the charts (only those whose ids are in ``charts`` when given; ``prefix`` goes before
    their elements' ids, so that one page can hold two bodies). Plotly's JavaScript is not
    included: the embedding page loads it once. Other arguments and errors as
    :func:`render_report`."""
    context = _context(stored, gantt_from, gantt_days, kpis, first_year, charts, prefix, tables)
    return environment().get_template("report_body.html.j2").render(**context)


def write_report(
    stored: StoredRun,
    path: str | Path,
    *,
    gantt_from: date | None = None,
    gantt_days: float = 14.0,
    kpis: Sequence[str] | None = None,
    first_year: float | None = None,
) -> Path:
    """Write :func:`render_report`'s page to ``path`` atomically; returns the path."""
    text = render_report(
        stored, gantt_from=gantt_from, gantt_days=gantt_days, kpis=kpis, first_year=first_year
    )
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
