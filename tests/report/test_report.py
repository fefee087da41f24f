"""The run's HTML report as text and figures: self-contained, one Plotly bundle, each chart a
plant manager reads, drawn from the same numbers as the KPIs, and left out when a run has
nothing for it to show. (The experiment's report has its own tests.)"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import plotly.offline
import pytest

from plantwin.report import render_report, write_report
from plantwin.report._figures import (
    STATE_COLORS,
    gantt_figure,
    heatmap_figure,
    milestones_figure,
    monthly_figure,
    orders_figure,
    pareto_figure,
    range_figure,
    states_figure,
    storage_figure,
    waterfall_figure,
)
from plantwin.results import (
    StoredRun,
    backorders_by_day,
    daily_state_hours,
    failure_repairs,
    range_by_day,
    storage_by_day,
)
from plantwin.scenario import builtin, parse_scenario
from plantwin.sim import simulate

RUN_CHARTS = [
    "chart-waterfall",
    "chart-monthly",
    "chart-output",
    "chart-states",
    "chart-pareto",
    "chart-heatmap",
    "chart-gantt",
    "chart-range",
    "chart-orders",
    "chart-storage",
]
BUILD_CHARTS = [RUN_CHARTS[0], "chart-milestones", *RUN_CHARTS[1:]]

BARE = """\
format = 2

[plant]
name = "one machine, nothing else"
start = 2025-01-06
horizon = 48

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["06:00-22:00"]

[[products]]
id = "c"

[[stations]]
id = "P"
role = "produce"
products = ["c"]
rate = 100
lot_size = 100

[[routings]]
products = ["c"]
stages = [{ stations = ["P"] }]
"""


def chart_ids(page: str) -> list[str]:
    return re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', page)


def bars(fig: Any) -> dict[str, float]:
    """The waterfall's bars by their words, over both panels (planned busy time is in both)."""
    return {x: float(y) for trace in fig.data for x, y in zip(trace.x, trace.y, strict=True)}


@pytest.fixture(scope="module")
def build_run() -> StoredRun:
    """The build of the Maracay plant: stations commissioned one by one over years."""
    return StoredRun.from_result(simulate(builtin("maracay-build"), seed=3))


@pytest.fixture(scope="module")
def assembly_run() -> StoredRun:
    """The assembly network: crews, process and assembly stations, a function test."""
    return StoredRun.from_result(simulate(builtin("assembly"), seed=2, horizon="60d"))


def test_public_names() -> None:
    import plantwin.report

    assert {"Chart", "REPORT_KPIS", "render_report", "write_report"} <= set(plantwin.report.__all__)
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


def test_every_chart_of_a_build_and_of_a_network(
    build_run: StoredRun, assembly_run: StoredRun
) -> None:
    assert chart_ids(render_report(build_run)) == BUILD_CHARTS
    page = render_report(assembly_run)
    assert chart_ids(page) == RUN_CHARTS
    for station in assembly_run.kpis["lines"]:
        assert station in page


def test_charts_without_data_are_left_out() -> None:
    """One machine without failures, test station, demand or build: no Pareto, no test range,
    no orders, no milestones; the rest is there."""
    stored = StoredRun.from_result(simulate(parse_scenario(BARE), seed=1))
    assert stored.kpis["lines"]["P"]["failures"] == 0
    assert chart_ids(render_report(stored)) == [
        "chart-waterfall",
        "chart-monthly",
        "chart-output",
        "chart-states",
        "chart-heatmap",
        "chart-gantt",
        "chart-storage",
    ]
    for figure in (pareto_figure, range_figure, orders_figure, milestones_figure):
        assert figure(stored) is None
    # the plant of a run too short to store a lot or finish an order has no storage chart
    empty = StoredRun.from_result(simulate(builtin("maracay"), seed=1, horizon="1d"))
    assert storage_figure(empty) is None
    assert orders_figure(empty) is None


def test_chart_titles_are_words(stored_run: StoredRun) -> None:
    page = render_report(stored_run)
    titles = re.findall(r'"title":\{"text":"([^"]+)"', page)
    assert len(titles) >= len(RUN_CHARTS)
    for title in titles:
        assert not re.search(r"[a-z]_[a-z]|[a-z]\.[a-z]", title), title  # no raw keys


def test_run_report_tables_show_the_kpis(stored_run: StoredRun) -> None:
    page = render_report(stored_run)
    k = stored_run.kpis
    assert f"{k['output']['units_stored'] / 1e6:,.2f} M" in page
    assert f"{100 * k['orders']['fill_rate']:.1f} %" in page
    for line, v in k["lines"].items():
        assert f"<td>{line}</td><td>{100 * v['availability']:.1f} %</td>" in page
        assert f"<td>{v['hours']['producing'] / v['failures']:,.1f}</td>" in page  # MTBF


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


@pytest.mark.parametrize("name", ["stored_run", "build_run", "assembly_run"])
def test_waterfall_adds_up_to_the_kpis(name: str, request: pytest.FixtureRequest) -> None:
    """Planned busy time is the sum over non-test stations of the horizon less off shift and
    not commissioned; each stop takes its hours; the good time is producing x performance x
    quality summed, so good / planned is the plant's OEE."""
    stored: StoredRun = request.getfixturevalue(name)
    lines = stored.kpis["lines"]
    hours = {n: v["hours"] for n, v in lines.items()}
    bar = bars(waterfall_figure(stored))
    horizon = stored.horizon_hours
    planned = sum(horizon - h["off_shift"] - h["not_commissioned"] for h in hours.values())
    good = sum(
        h["producing"] * lines[n]["performance"] * (lines[n]["quality"] or 1.0)
        for n, h in hours.items()
    )
    assert bar["calendar time"] == pytest.approx(horizon * len(lines))
    assert bar["planned busy time"] == pytest.approx(planned)
    assert bar["actual production time"] == pytest.approx(
        sum(h["producing"] for h in hours.values())
    )
    assert bar["good time"] == pytest.approx(good)
    for state in ("power_out", "failed", "waiting_for_crew", "restarting", "blocked", "starved"):
        total = sum(h[state] for h in hours.values())
        assert bar.get(state.replace("_", " "), 0.0) == pytest.approx(total)
    losses = sum(bar[k] for k in ("speed loss", "quality loss") if k in bar)
    assert bar["actual production time"] - losses == pytest.approx(bar["good time"])
    oee = re.search(r"OEE ([\d.]+)%", waterfall_figure(stored).layout.title.text)
    assert oee and float(oee.group(1)) == pytest.approx(100 * good / planned, abs=0.05)


def test_maracay_waterfall_by_hand_for_its_calendar(stored_run: StoredRun) -> None:
    """120 days from 2025-07-01 hold 86 weekdays of two 8-hour shifts: 4 lines x 86 x 16 h
    of planned busy time; the speed loss is 5 % of the producing hours (performance 0.95)."""
    bar = bars(waterfall_figure(stored_run))
    weekdays = sum((date(2025, 7, 1) + timedelta(d)).weekday() < 5 for d in range(120))
    assert weekdays == 86
    assert bar["planned busy time"] == pytest.approx(4 * weekdays * 16)
    assert bar["off shift"] == pytest.approx(4 * (120 * 24 - weekdays * 16))
    assert bar["speed loss"] == pytest.approx(0.05 * bar["actual production time"])


@pytest.mark.parametrize("name", ["stored_run", "assembly_run"])
def test_state_shares_of_planned_time(name: str, request: pytest.FixtureRequest) -> None:
    """Each station's shares add up to 100 %, the producing share is its availability, the
    axis is a percentage, and every state has the report's colour."""
    stored: StoredRun = request.getfixturevalue(name)
    fig = states_figure(stored)
    lines = stored.kpis["lines"]
    totals = [sum(trace.x[i] for trace in fig.data) for i in range(len(lines))]
    assert totals == pytest.approx([1.0] * len(lines))
    producing = next(t for t in fig.data if t.name == "producing")
    assert list(producing.x) == pytest.approx([v["availability"] for v in lines.values()])
    assert fig.layout.xaxis.tickformat == ".0%"
    for trace in fig.data:
        assert trace.marker.color == STATE_COLORS[trace.name.replace(" ", "_")]
    assert "off shift" not in {t.name for t in fig.data}
    if name == "assembly_run":  # its stations wait for the crew
        assert "waiting for crew" in {t.name for t in fig.data}


def test_pareto_counts_the_failures_of_the_kpis(stored_run: StoredRun) -> None:
    fig = pareto_figure(stored_run)
    assert fig is not None
    failures, share = fig.data
    lines = stored_run.kpis["lines"]
    assert dict(zip(failures.x, failures.y, strict=True)) == {
        n: v["failures"] for n, v in lines.items()
    }
    assert list(failures.y) == sorted(failures.y, reverse=True)  # most first
    assert share.y[-1] == pytest.approx(1.0)
    for station, (mtbf, _) in zip(failures.x, failures.customdata, strict=True):
        assert mtbf == pytest.approx(
            lines[station]["hours"]["producing"] / lines[station]["failures"]
        )


def test_mtbf_and_mttr_match_the_failure_model() -> None:
    """Maracay's lines fail after exponential producing hours (mean 60) and are repaired in a
    lognormal time (mean 1.5 h, cv 1.0) on the calendar, with no crew to wait for: a year's
    pooled MTBF and MTTR fall within 4 standard errors of those means."""
    stored = StoredRun.from_result(simulate(builtin("maracay"), seed=11, horizon="365d"))
    fig = pareto_figure(stored)
    assert fig is not None
    n = float(sum(fig.data[0].y))
    producing = sum(v["hours"]["producing"] for v in stored.kpis["lines"].values())
    assert abs(producing / n - 60.0) < 4 * 60.0 / math.sqrt(n)
    repairs = failure_repairs(stored.events).to_pandas().dropna()
    weights = repairs.groupby("line").size()
    mttr = dict(zip(fig.data[0].x, fig.data[0].customdata[:, 1], strict=True))
    pooled = sum(mttr[s] * weights[s] for s in weights.index) / weights.sum()
    assert abs(pooled - 1.5) < 4 * 1.5 / math.sqrt(len(repairs))
    assert (repairs["hours"] > 0).all()


def test_monthly_output_against_nameplate_and_demand(stored_run: StoredRun) -> None:
    fig = monthly_figure(stored_run)
    stored, ordered, nameplate = fig.data
    monthly = stored_run.kpis["output"]["monthly"]
    assert list(stored.x) == list(monthly) and list(stored.y) == list(monthly.values())
    # July: 31 days of the 70 M a year nameplate; its orders, due on 1 August, total 5.0 M
    assert nameplate.y[0] == pytest.approx(70e6 * 31 * 24 / 8760)
    demand = sum(r.quantity for r in stored_run.scenario.demand.recurring)
    assert ordered.y[0] == demand == 5_000_000
    # orders due after the horizon (released in the last month) count in no month
    due = sum(ordered.y)
    assert due == stored_run.kpis["orders"]["units_ordered"]


def test_orders_on_time_late_and_backorders(stored_run: StoredRun) -> None:
    fig = orders_figure(stored_run)
    assert fig is not None
    o = stored_run.kpis["orders"]
    parts = {t.name: np.asarray(t.y, float) for t in fig.data if t.type == "bar"}
    on_time = parts["shipped on time, by month due"]
    assert on_time.sum() == pytest.approx(o["units_shipped_on_time"])
    assert sum(parts.values()).sum() == pytest.approx(o["units_ordered"])
    assert o["fill_rate"] == pytest.approx(on_time.sum() / o["units_ordered"])
    line = next(t for t in fig.data if t.type == "scatter")
    assert line.y[-1] == pytest.approx(o["backorders"])
    back = backorders_by_day(stored_run.events, stored_run.scenario, stored_run.horizon_hours)
    assert back.num_rows == 120 and min(back["backorders"].to_pylist()) >= 0


def test_storage_by_day_holds_the_kpis(stored_run: StoredRun) -> None:
    fig = storage_figure(stored_run)
    assert fig is not None
    s = stored_run.kpis["storage"]
    highest = next(t for t in fig.data if t.name == "all products, day's highest")
    assert len(highest.y) == 120  # one point a day, not one per put-away
    assert max(highest.y) == pytest.approx(s["max"])
    table = storage_by_day(stored_run.events, stored_run.horizon_hours).to_pandas()
    ends = table.dropna(subset=["product"]).groupby("product")["level_end"].last()
    assert ends.to_dict() == pytest.approx(s["by_product"])
    total = table[table["product"].isna()]
    assert total["level_end"].iloc[-1] == pytest.approx(s["end"])
    assert (total["level_max"] >= total["level_end"]).all()


def test_test_range_utilisation_queue_and_inspection(stored_run: StoredRun) -> None:
    """Maracay's range tests a lot in exactly 2 open hours, so its lanes are busy 2 h per lot
    while open (less the part of the tests still running at the horizon)."""
    fig = range_figure(stored_run)
    assert fig is not None
    days = range_by_day(
        stored_run.events, stored_run.scenario, stored_run.horizon_hours
    ).to_pandas()
    tested = stored_run.kpis["range"]["lots_tested"]
    busy = days["busy_lane_hours"].sum()
    assert 2.0 * tested <= busy + 1e-6 <= 2.0 * tested + 2 * 2.0
    # 2 lanes open on 86 weekdays of 16 h, less the hours the power was out
    outage = stored_run.kpis["grid"]["hours_without_power"]
    assert 2 * (86 * 16 - outage) <= days["open_lane_hours"].sum() <= 2 * 86 * 16
    share = days["utilisation"].dropna()
    assert ((share >= 0) & (share <= 1)).all()
    assert fig.layout.yaxis.tickformat == ".0%"
    spells = [t for t in fig.data if (t.name or "").startswith("inspection ")]
    products = {p for t in spells for p in t.y}
    by_product = stored_run.kpis["range"]["by_product"]
    assert products == set(by_product)
    for product, v in by_product.items():  # the timeline ends in the state the KPIs report
        last = max(
            ((str(t.base[i]), t.name) for t in spells for i, p in enumerate(t.y) if p == product)
        )
        assert last[1] == f"inspection {v['inspection_state']}"


def test_heatmap_covers_every_day(stored_run: StoredRun) -> None:
    fig = heatmap_figure(stored_run)
    (heat,) = fig.data
    z = np.asarray(heat.z, float)
    assert z.shape[0] == 7
    assert np.isnan(z[5:]).all()  # no shift on Saturdays and Sundays
    assert (~np.isnan(z)).sum() == 86  # a cell for every weekday of the run
    assert np.nanmin(z) >= 0 and np.nanmax(z) <= 1
    assert heat.colorbar.tickformat == ".0%"
    hours = daily_state_hours(stored_run.events, stored_run.horizon_hours).to_pandas()
    for line, v in stored_run.kpis["lines"].items():
        mine = hours[hours["line"] == line].groupby("state")["hours"].sum()
        assert mine.to_dict() == pytest.approx({s: h for s, h in v["hours"].items() if h > 0})


def test_milestones_of_a_build(build_run: StoredRun) -> None:
    fig = milestones_figure(build_run)
    assert fig is not None
    names = {t.name for t in fig.data}
    assert {"delivered", "qualified", "commissioned", "ramp up reached"} <= names
    commissioned = next(t for t in fig.data if t.name == "commissioned")
    for station, when in zip(commissioned.y, commissioned.x, strict=True):
        expected = build_run.kpis["lines"][station]["commissioned_date"]
        assert str(when)[:16].replace("T", " ") == expected


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


def test_waterfall_agrees_with_the_iso22400_kpis(stored_run: StoredRun) -> None:
    """The waterfall's planned busy and actual production times are ISO 22400's planned busy
    time and production time of the plant (the KPIs compute them their own way)."""
    iso = stored_run.kpis["iso22400"]
    bar = bars(waterfall_figure(stored_run))
    assert bar["planned busy time"] == pytest.approx(iso["plant"]["planned_busy_hours"])
    assert bar["actual production time"] == pytest.approx(iso["plant"]["production_hours"])
    pareto = pareto_figure(stored_run)
    assert pareto is not None
    assert sum(pareto.data[0].y) == iso["plant"]["failures"]
