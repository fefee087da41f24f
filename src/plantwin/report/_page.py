"""The self-contained HTML report: one file, Plotly's JavaScript inside once, works offline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from plantwin.experiment import cumulative_fan
from plantwin.report._figures import (
    comparison_figure,
    distribution_figure,
    fan_figure,
    gantt_figure,
    orders_figure,
    output_figure,
    states_figure,
    storage_figure,
)
from plantwin.report._summary import experiment_tables, run_tables
from plantwin.results import StoredRun, atomic_write
from plantwin.sim import moment_at

__all__ = ["REPORT_KPIS", "Chart", "render_report", "write_report"]

REPORT_KPIS = (
    "output.units_stored",
    "output.attainment",
    "orders.fill_rate",
    "orders.backorders",
    "storage.mean",
)
"""The KPIs an experiment's report shows unless told otherwise."""

_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Chart:
    """One chart of the report: its anchor, heading, a sentence on how to read it, its HTML."""

    id: str
    title: str
    note: str
    html: str


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("plantwin.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _chart(chart_id: str, title: str, note: str, fig: Any) -> Chart:
    body = fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config=_CONFIG)
    return Chart(chart_id, title, note, body)


def _run_charts(stored: StoredRun, gantt_from: date | None, gantt_days: float) -> list[Chart]:
    first = gantt_from or stored.scenario.plant.start
    return [
        _chart(
            "chart-output",
            "Output against the nameplate",
            "Units put into storage since the start, by product and in total; the dashed "
            "line is the nameplate capacity's pace.",
            output_figure(stored),
        ),
        _chart(
            "chart-gantt",
            "Line-state timeline",
            f"What each line did, {gantt_days:g} days from {first.isoformat()}.",
            gantt_figure(stored, gantt_from, gantt_days),
        ),
        _chart(
            "chart-states",
            "Where the hours went",
            "Hours in each state per line over the whole run.",
            states_figure(stored),
        ),
        _chart(
            "chart-storage",
            "Storage level",
            "Finished units in storage after every put-away and shipment.",
            storage_figure(stored),
        ),
        _chart(
            "chart-orders",
            "Order fill",
            "Units ordered per month of release, and how many of them were shipped.",
            orders_figure(stored),
        ),
    ]


def _experiment_charts(stored: StoredRun, kpis: Sequence[str]) -> list[Chart]:
    charts = []
    several = len(stored.variants or {}) > 1
    fan = cumulative_fan(stored.table) if stored.table is not None else None
    if fan is not None and len(fan):
        charts.append(
            _chart(
                "chart-fan",
                "Cumulative output: the fan over replications",
                "The band holds the middle 80 % of replications (P10 to P90) month by month; "
                "the line is the median; dashes show the nameplate pace from the start.",
                fan_figure(stored, fan),
            )
        )
    for i, kpi in enumerate(kpis):
        charts.append(
            _chart(
                f"chart-dist-{i}",
                f"{kpi}: distribution",
                "Each point is one replication; the diamond is the mean with its 95 % CI.",
                distribution_figure(stored, kpi),
            )
        )
        if several:
            charts.append(
                _chart(
                    f"chart-diff-{i}",
                    f"{kpi}: against the base",
                    "Paired differences (common random numbers) with 95 % CIs; an interval "
                    "that misses 0 is a real difference.",
                    comparison_figure(stored, kpi),
                )
            )
    return charts


def render_report(
    stored: StoredRun,
    *,
    gantt_from: date | None = None,
    gantt_days: float = 14.0,
    kpis: Sequence[str] | None = None,
) -> str:
    """The HTML report of a stored run or experiment, as one self-contained page.

    ``gantt_from``/``gantt_days`` choose the period of the line-state timeline (default: the
    first 14 days); ``kpis`` the KPIs of an experiment's report. Raises ValueError when the
    stored data cannot give the report (a run without event log, a period outside the run,
    an unknown KPI).
    """
    import plotly.offline

    if stored.kind == "run":
        if stored.events is None:
            raise ValueError("this run kept no event log, which the report's charts need")
        tables = run_tables(stored.kpis)
        charts = _run_charts(stored, gantt_from, gantt_days)
    else:
        assert stored.table is not None
        # the defaults that have no values in this experiment (no order due in a short horizon)
        # are left out; KPIs asked for by name must exist
        chosen = list(kpis or [k for k in REPORT_KPIS if k in stored.table.columns])
        unknown = [k for k in chosen if k not in stored.table.columns]
        if unknown:
            raise ValueError(f"no such KPI in this experiment: {', '.join(unknown)}")
        tables = experiment_tables(stored, chosen)
        charts = _experiment_charts(stored, chosen)
    s = stored.scenario
    end = moment_at(s.plant.start, stored.horizon_hours).date()
    page = _environment().get_template("report.html.j2")
    return page.render(
        stored=stored,
        title=f"{s.plant.name}: {'run' if stored.kind == 'run' else 'experiment'}"
        + (f" {stored.id}" if stored.id is not None else ""),
        period=f"{s.plant.start.isoformat()} to {end.isoformat()} ({stored.horizon_hours:,.0f} h)",
        tables=tables,
        charts=charts,
        variants={
            k: ", ".join(f"{p}={v}" for p, v in o.items()) or "(no change)"
            for k, o in (stored.variants or {}).items()
        },
        plotly_js=plotly.offline.get_plotlyjs(),
    )


def write_report(
    stored: StoredRun,
    path: str | Path,
    *,
    gantt_from: date | None = None,
    gantt_days: float = 14.0,
    kpis: Sequence[str] | None = None,
) -> Path:
    """Write :func:`render_report`'s page to ``path`` atomically; returns the path."""
    text = render_report(stored, gantt_from=gantt_from, gantt_days=gantt_days, kpis=kpis)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
