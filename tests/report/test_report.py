"""The HTML report as text: self-contained, one Plotly bundle, the charts and tables it promises."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import plotly.offline
import pytest

from plantwin.experiment import Experiment, SerialExecutor
from plantwin.report import REPORT_KPIS, render_report, write_report
from plantwin.report._figures import gantt_figure, states_figure
from plantwin.results import StoredRun
from plantwin.scenario import builtin
from plantwin.sim import simulate

RUN_CHARTS = ["chart-output", "chart-gantt", "chart-states", "chart-storage", "chart-orders"]


def chart_ids(page: str) -> list[str]:
    return re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', page)


def test_public_names() -> None:
    import plantwin.report

    assert sorted(plantwin.report.__all__) == [
        "Chart",
        "REPORT_KPIS",
        "render_report",
        "write_report",
    ]
    assert all(hasattr(plantwin.report, name) for name in plantwin.report.__all__)


def test_run_report_is_self_contained(stored_run: StoredRun) -> None:
    page = render_report(stored_run)
    js = plotly.offline.get_plotlyjs()
    assert page.count(js) == 1  # the bundle, once
    assert page.count("<script") == 1 + len(RUN_CHARTS)  # the bundle + one per chart
    assert not re.search(r"<script[^>]+src=", page)  # nothing loaded from elsewhere
    assert not re.search(r"<link[^>]+href=", page)
    assert chart_ids(page) == RUN_CHARTS
    assert page.startswith("<!DOCTYPE html>")
    assert stored_run.scenario.plant.name in page
    assert "Conservation holds" in page


def test_run_report_tables_show_the_kpis(stored_run: StoredRun) -> None:
    page = render_report(stored_run)
    k = stored_run.kpis
    assert f"{k['output']['units_stored'] / 1e6:,.2f} M" in page
    assert f"{100 * k['orders']['fill_rate']:.1f} %" in page
    for line, v in k["lines"].items():
        assert f"<td>{line}</td><td>{100 * v['availability']:.1f} %</td>" in page


def test_gantt_period(stored_run: StoredRun) -> None:
    fig = gantt_figure(stored_run, date(2025, 8, 1), 3)
    assert fig.layout.xaxis.range == ("2025-08-01T00:00:00.000", "2025-08-04T00:00:00.000")
    names = {trace.name for trace in fig.data}
    assert {"producing", "off shift"} <= names
    for trace in fig.data:  # every bar lies inside the period
        assert all(str(b) >= "2025-08-01" for b in trace.base)
    default = gantt_figure(stored_run)
    assert default.layout.xaxis.range[0].startswith(stored_run.scenario.plant.start.isoformat())
    with pytest.raises(ValueError, match="must start within the run"):
        gantt_figure(stored_run, date(2024, 1, 1))
    with pytest.raises(ValueError, match="must start within the run"):
        gantt_figure(stored_run, None, 0)
    page = render_report(stored_run, gantt_from=date(2025, 8, 1), gantt_days=3)
    assert "3 days from 2025-08-01" in page


def test_state_bars_add_up_to_the_horizon(stored_run: StoredRun) -> None:
    fig = states_figure(stored_run)
    lines = list(stored_run.kpis["lines"])
    totals = [sum(trace.x[i] for trace in fig.data) for i in range(len(lines))]
    assert totals == pytest.approx([stored_run.horizon_hours] * len(lines))


def test_experiment_report(stored_experiment: StoredRun) -> None:
    page = render_report(stored_experiment)
    ids = chart_ids(page)
    # the fan of cumulative output, then a distribution and a difference per KPI
    assert ids[0] == "chart-fan"
    assert len(ids) == 1 + 2 * len(REPORT_KPIS)
    assert "restart 2 h" in page
    assert "grid.restart=2.0" in page
    assert "Paired differences against &#39;base&#39;" in page
    one = render_report(stored_experiment, kpis=["output.units_stored"])
    assert len(chart_ids(one)) == 3
    with pytest.raises(ValueError, match="no such KPI"):
        render_report(stored_experiment, kpis=["output.nope"])


def test_a_run_without_log_has_no_report(stored_run: StoredRun) -> None:
    bare = StoredRun(**{**vars(stored_run), "events": None})
    with pytest.raises(ValueError, match="kept no event log"):
        render_report(bare)


def test_write_report_is_atomic(stored_run: StoredRun, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    assert write_report(stored_run, target) == target
    assert target.read_text(encoding="utf-8") == render_report(stored_run)
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_html_in_names_is_escaped(stored_run: StoredRun) -> None:
    plant = stored_run.scenario.plant.model_copy(update={"name": "<b>bold</b> & co"})
    scenario = stored_run.scenario.model_copy(update={"plant": plant})
    page = render_report(StoredRun(**{**vars(stored_run), "scenario": scenario}))
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page


def test_fan_band_holds_the_median(stored_experiment: StoredRun) -> None:
    from plantwin.experiment import cumulative_fan
    from plantwin.report._figures import fan_figure

    assert stored_experiment.table is not None
    fan = cumulative_fan(stored_experiment.table)
    fig = fan_figure(stored_experiment, fan)
    names = [t.name for t in fig.data]
    assert "base: median" in names and "restart 2 h: P10-P90" in names
    assert "nameplate pace" in names
    median = next(t for t in fig.data if t.name == "base: median")
    assert list(median.y) == list(fan[fan.variant == "base"]["p50"])


def test_a_network_run_has_a_report_with_every_station_and_state() -> None:
    """The assembly plant: its stations wait for the crew, which the state bars show."""
    stored = StoredRun.from_result(simulate(builtin("assembly"), seed=2, horizon="60d"))
    hours = {s: v["hours"] for s, v in stored.kpis["lines"].items()}
    assert any(h["waiting_for_crew"] > 0 for h in hours.values())
    fig = states_figure(stored)
    assert "waiting for crew" in {trace.name for trace in fig.data}
    totals = [sum(trace.x[i] for trace in fig.data) for i in range(len(hours))]
    assert totals == pytest.approx([stored.horizon_hours] * len(hours))
    page = render_report(stored)
    for station in hours:
        assert station in page


def test_an_experiment_without_orders_due_leaves_their_kpis_out_of_its_report() -> None:
    """In 20 days no order is due: the default report shows the KPIs that have values."""
    variants = {"base": [], "restart 2 h": [("grid.restart", 2.0)]}
    exp = Experiment(builtin("maracay"), variants, replications=2, seed=1, horizon="20d")
    stored = StoredRun.from_resultset(exp.run(SerialExecutor()))
    assert "orders.fill_rate" not in stored.table.columns
    page = render_report(stored)
    assert len(chart_ids(page)) == 1 + 2 * sum(k in stored.table.columns for k in REPORT_KPIS)
