"""The experiment's HTML report: one chart per KPI with every variant, tables with variants as
rows whose numbers are the statistics of the stored table, fractions as percentages with CIs
inside 0-100 %, and a build study's commissioning dates and P(first-year output >= X)."""

from __future__ import annotations

import base64
import json
import math
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from plantwin.cli import app
from plantwin.experiment import (
    Experiment,
    SerialExecutor,
    cumulative_fan,
    exceedance,
    paired_differences,
    quantiles,
    summarize,
)
from plantwin.kpis import clip_ci, is_fraction, kpi_label, kpi_unit
from plantwin.report import REPORT_KPIS, render_report
from plantwin.results import StoredRun
from plantwin.scenario import builtin
from plantwin.sim import moment_at


class _Tables(HTMLParser):
    """Every <table> of a page as (caption, rows of cell texts, the header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1] = ("".join(self._caption).strip(), self.tables[-1][1])
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return {caption: rows for caption, rows in parser.tables}


def table_starting(page: str, start: str) -> list[list[str]]:
    """The header and body rows of the one table whose caption starts so (its note left out)."""
    found = [rows for caption, rows in tables(page).items() if caption.startswith(start)]
    assert len(found) == 1, (start, list(tables(page)))
    head = found[0][0]
    return [row for row in found[0] if len(row) == len(head)]


def chart_ids(page: str) -> list[str]:
    return re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', page)


def figure(page: str, chart_id: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The data and layout a chart of the page hands to Plotly.newPlot."""
    at = page.index(f'Plotly.newPlot(                        "{chart_id}",')
    decoder = json.JSONDecoder()
    rest = page[page.index("[", at) :]
    data, end = decoder.raw_decode(rest)
    layout, _ = decoder.raw_decode(rest[end:].lstrip(", \n"))
    return data, layout


def values(v: Any) -> list[float]:
    """A trace's array as numbers: Plotly writes numpy arrays as base64 typed arrays."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), np.dtype(v["dtype"])).tolist()
    return list(v)


_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


def numbers(cell: str) -> list[tuple[float, float]]:
    """The numbers of a cell, each with half a unit of its last digit (what rounding may hide;
    whole numbers such as 240,000 are rounded to their last non-zero digit)."""
    out = []
    for text in _NUMBER.findall(cell.replace("\u00a0", " ")):
        plain = text.replace(",", "")
        if "." in plain:
            step = 10.0 ** -len(plain.split(".")[1])
        else:
            digits = plain.lstrip("+-")
            step = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
        out.append((float(plain), step / 2))
    return out


def factor(heading: str) -> float:
    """What a column's numbers were divided by, from its unit in the heading."""
    if heading.endswith("[%]") or heading.endswith("[percentage points]"):
        return 0.01
    return 1e6 if "[million " in heading else 1.0


def close(shown: tuple[float, float], value: float, scale: float) -> bool:
    number, slack = shown
    return math.isclose(number * scale, value, abs_tol=slack * scale * 1.000001 + 1e-9)


def test_one_chart_per_kpi_after_the_fan(stored_experiment: StoredRun) -> None:
    """Compact: the fan, then one chart per KPI holding every variant, titled in words."""
    page = render_report(stored_experiment)
    kpis = [k for k in REPORT_KPIS if k in stored_experiment.table.columns]
    assert chart_ids(page) == ["chart-fan", *(f"chart-kpi-{i}" for i in range(len(kpis)))]
    for kpi in kpis:
        assert kpi not in re.sub(r"<script.*?</script>", "", page, flags=re.S)  # no raw key
        label = kpi_label(kpi)
        assert f"<h2>{label[:1].upper() + label[1:]}</h2>" in unescape(page)
    one = render_report(stored_experiment, kpis=["output.units_stored"])
    assert chart_ids(one) == ["chart-fan", "chart-kpi-0"]
    with pytest.raises(ValueError, match="no such KPI"):
        render_report(stored_experiment, kpis=["output.nope"])


def test_means_table_has_the_variants_as_rows_and_the_statistics_of_the_table(
    stored_experiment: StoredRun,
) -> None:
    kpis = list(REPORT_KPIS)
    kpis = [k for k in kpis if k in stored_experiment.table.columns]
    page = render_report(stored_experiment, kpis=kpis)
    head, *rows = table_starting(page, "Mean and 95 % CI")
    unit = stored_experiment.scenario.plant.unit
    assert head[0] == "variant"
    assert [r[0] for r in rows] == list(stored_experiment.variants or {})
    summary = summarize(stored_experiment.table, kpis).set_index(["variant", "kpi"])
    for j, kpi in enumerate(kpis, start=1):
        words = kpi_unit(kpi, unit)
        assert head[j].startswith(kpi_label(kpi))
        assert head[j].endswith("[%]" if is_fraction(kpi) else f"{words}]")
        for row in rows:
            s = summary.loc[(row[0], kpi)]
            low, high = clip_ci(kpi, s["ci_low"], s["ci_high"])
            shown = numbers(row[j])
            assert len(shown) == 3, row[j]
            for got, want in zip(shown, (s["mean"], low, high), strict=True):
                assert close(got, want, factor(head[j])), (kpi, row[j], want)


def test_differences_table_is_paired_against_the_base(stored_experiment: StoredRun) -> None:
    kpis = [k for k in REPORT_KPIS if k in stored_experiment.table.columns]
    page = render_report(stored_experiment, kpis=kpis)
    head, *rows = table_starting(page, "Paired differences against 'base'")
    names = list(stored_experiment.variants or {})
    assert [r[0] for r in rows] == names[1:]
    diff = paired_differences(stored_experiment.table, kpis, names[0]).set_index(["variant", "kpi"])
    for j, kpi in enumerate(kpis, start=1):
        if is_fraction(kpi):
            assert head[j].endswith("[percentage points]")
        for row in rows:
            d = diff.loc[(row[0], kpi)]
            shown = numbers(row[j])
            for got, want in zip(shown, (d["mean_diff"], d["ci_low"], d["ci_high"]), strict=True):
                assert close(got, want, factor(head[j])), (kpi, row[j], want)
            assert row[j].split("\u00a0")[0].endswith("*") == (not d["ci_low"] <= 0 <= d["ci_high"])


def test_a_fraction_and_its_ci_are_percentages_within_0_and_100(
    stored_experiment: StoredRun,
) -> None:
    """A share near 1 whose Student-t interval passes 100 %: the report clips it there."""
    table = stored_experiment.table.copy()
    table["output.attainment"] = [1.0, 1.0, 0.99, 0.7] * (len(table) // 4)
    stored = StoredRun(**{**vars(stored_experiment), "table": table})
    s = summarize(table, ["output.attainment"])
    assert (s["ci_high"] > 1).all()  # the unclipped interval leaves [0, 1]
    page = render_report(stored, kpis=["output.attainment"])
    head, *rows = table_starting(page, "Mean and 95 % CI")
    assert head[1] == f"{kpi_label('output.attainment')} [%]"
    for row in rows:
        mean, low, high = (n for n, _ in numbers(row[1]))
        assert 0 <= low <= mean <= high == 100.0
    # the chart's error bars too: mean + upper arm at most 1, on a percent axis
    data, layout = figure(page, "chart-kpi-0")
    means = next(t for t in data if t.get("name") == "mean, 95 % CI")
    arms = zip(
        values(means["x"]),
        values(means["error_x"]["array"]),
        values(means["error_x"]["arrayminus"]),
        strict=True,
    )
    for mean, up, down in arms:
        assert mean + up == pytest.approx(1.0) and mean - down >= 0
    assert layout["xaxis"]["tickformat"].endswith("%")  # ticks in percent, as many digits as
    assert layout["xaxis"]["tickformat"] != ".0%"  # they need: never "100 %" twice side by side


def test_clip_ci_keeps_each_kpi_within_its_values() -> None:
    assert clip_ci("orders.fill_rate", -0.2, 1.3) == (0.0, 1.0)
    assert clip_ci("lines.L1.availability", 0.4, 0.6) == (0.4, 0.6)
    assert clip_ci("orders.backorders", -50.0, 900.0) == (0.0, 900.0)  # a count is never < 0
    assert clip_ci("conservation.by_product.ball.difference", -2.0, 1.0) == (-2.0, 1.0)
    low, high = clip_ci("orders.fill_rate", math.nan, math.nan)
    assert math.isnan(low) and math.isnan(high)


def test_kpi_names_in_words() -> None:
    assert kpi_label("output.units_stored") == "units into storage"
    assert kpi_label("orders.fill_rate") == "fill rate (on time)"
    assert kpi_label("lines.L1.availability") == "L1 availability"
    assert kpi_label("output.by_product.ball.units_stored") == "units into storage, ball"
    assert kpi_label("something.new_thing") == "something new thing"  # readable, not raw
    assert is_fraction("iso22400.plant.oee_index") and not is_fraction("storage.mean")
    assert kpi_unit("storage.mean", "cartridges") == "cartridges"
    assert kpi_unit("grid.hours_without_power") == "h"
    assert kpi_unit("orders.fill_rate") == "%"
    assert kpi_unit("range.lots_rejected") == "lots"
    assert kpi_unit("grid.cuts") == ""


def test_the_fan_has_a_panel_per_variant_with_the_base_for_reference(
    stored_experiment: StoredRun,
) -> None:
    fan = cumulative_fan(stored_experiment.table)
    data, layout = figure(render_report(stored_experiment), "chart-fan")
    names = list(stored_experiment.variants or {})
    assert [a["text"] for a in layout["annotations"]] == names  # one titled panel each
    medians = [t for t in data if t.get("name") == "median"]
    for trace, name in zip(medians, names, strict=True):
        assert values(trace["y"]) == pytest.approx(list(fan[fan.variant == name]["p50"]))
    reference = [t for t in data if t.get("name") == f"median of {names[0]}"]
    assert len(reference) == len(names) - 1
    assert values(reference[0]["y"]) == pytest.approx(list(fan[fan.variant == names[0]]["p50"]))


def test_a_build_study_reports_commissioning_dates_and_the_first_year(
    build_study: StoredRun,
) -> None:
    page = render_report(build_study)
    head, *rows = table_starting(page, "Commissioning dates")
    assert head == ["milestone", "variant", "P10", "P50", "P90", "never"]
    table, start = build_study.table, build_study.scenario.plant.start
    lines = [f"lines.{x}.commissioned_hours" for x in build_study.scenario.line_ids()]
    dates = [*lines, "output.opening_hours", "output.complete_hours"]
    dates.append("output.nameplate_pace_hours")
    q = quantiles(table, dates).set_index(["kpi", "variant"])
    assert len(rows) == len(q)
    labels = {"output.opening_hours": "opening (first line)"}
    labels |= {"output.complete_hours": "complete (all lines)"}
    labels |= {"output.nameplate_pace_hours": "nameplate pace"}
    labels |= {k: f"line {k.split('.')[1]} commissioned" for k in lines}
    names = list(build_study.variants or {})
    keys = [(k, v) for k in dates for v in names]  # milestone by milestone, every variant
    assert [(r[0], r[1]) for r in rows] == [(labels[k], v) for k, v in keys]
    for row, key in zip(rows, keys, strict=True):
        want = q.loc[key]
        for cell, h in zip(row[2:5], (want["p10"], want["p50"], want["p90"]), strict=True):
            day = "after the horizon" if math.isinf(h) else moment_at(start, h).date().isoformat()
            assert cell == day
        assert row[5] == (f"{want['never']} of {want['n']}" if want["never"] else "–")
    head, *rows = table_starting(page, "P(first-year output >= X)")
    nameplate = build_study.scenario.plant.nameplate
    thresholds = [share * nameplate for share in (0.25, 0.5, 0.75, 1.0)]
    assert len(rows) == 2 * len(thresholds)
    for i, x in enumerate(thresholds):
        e = exceedance(table, "output.first_year_units", x)
        for row, (_, want) in zip(rows[2 * i : 2 * i + 2], e.iterrows(), strict=True):
            assert row[0].startswith(f"{x / 1e6:,.3g} million")
            assert row[1] == want["variant"]
            p, low, high = (n for n, _ in numbers(row[2] + " " + row[3]))
            assert p == pytest.approx(100 * want["p"], abs=0.5)
            assert low == pytest.approx(100 * want["ci_low"], abs=0.5)
            assert high == pytest.approx(100 * want["ci_high"], abs=0.5)
            assert row[4] == f"{want['n']} of {build_study.replications}"
    chosen = render_report(build_study, first_year=2e7)
    assert len(table_starting(chosen, "P(first-year output >= X)")) == 1 + 2


def test_a_plant_running_from_the_start_has_no_build_section(
    stored_experiment: StoredRun,
) -> None:
    page = render_report(stored_experiment)
    assert "Commissioning dates" not in page
    assert "first-year output" not in page


def test_report_id_and_experiment_report_give_the_same_content(tmp_path: Path) -> None:
    """Both commands go through plantwin.report: the same tables and charts."""
    db = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    direct = tmp_path / "direct.html"
    result = runner.invoke(
        app,
        ["experiment", "maracay-build", "--reps", "2", "--horizon", "30mo", "--db", db,
         "--report", str(direct)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    later = tmp_path / "later.html"
    result = runner.invoke(app, ["report", "1", "-o", str(later), "--db", db])
    assert result.exit_code == 0, result.output
    one, two = direct.read_text(encoding="utf-8"), later.read_text(encoding="utf-8")
    assert "Commissioning dates" in one
    assert tables(one) == tables(two)
    assert chart_ids(one) == chart_ids(two)


def test_sweep_variants_with_long_names_stay_rows(tmp_path: Path) -> None:
    """Long sweep names are row labels, never cut to identical column headers."""
    variants = {
        "base": [],
        "storage.capacity=10000000.0": [("storage.capacity", 1e7)],
        "storage.capacity=20000000.0": [("storage.capacity", 2e7)],
    }
    exp = Experiment(builtin("maracay"), variants, replications=2, seed=1, horizon="40d")
    stored = StoredRun.from_resultset(exp.run(SerialExecutor()))
    page = render_report(stored)
    _, *rows = table_starting(page, "Mean and 95 % CI")
    assert [r[0] for r in rows] == list(variants)
    frame = pd.DataFrame(rows)
    assert len(frame) == 3


def test_the_default_kpis_without_values_are_left_out() -> None:
    """In 20 days no order is due: the report shows the default KPIs that have values."""
    variants = {"base": [], "restart 2 h": [("grid.restart", 2.0)]}
    exp = Experiment(builtin("maracay"), variants, replications=2, seed=1, horizon="20d")
    stored = StoredRun.from_resultset(exp.run(SerialExecutor()))
    assert stored.table is not None and "orders.fill_rate" not in stored.table.columns
    page = render_report(stored)
    shown = sum(k in stored.table.columns for k in REPORT_KPIS)
    assert chart_ids(page) == ["chart-fan", *(f"chart-kpi-{i}" for i in range(shown))]
    assert kpi_label("orders.fill_rate") not in page
