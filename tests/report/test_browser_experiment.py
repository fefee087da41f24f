"""The experiment's report and the OC plot opened in Debian's Chromium: offline, no console
errors, every chart drawn, a screenshot kept in PLANTWIN_SCREENSHOTS when it is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from plantwin.cli import app
from plantwin.report import REPORT_KPIS, write_report
from plantwin.results import StoredRun

from .test_browser import check_charts, check_not_blank, open_report


def test_experiment_report_in_chromium(
    browser: Any, stored_experiment: StoredRun, tmp_path: Path
) -> None:
    path = write_report(stored_experiment, tmp_path / "experiment.html")
    assert stored_experiment.table is not None
    expected = 1 + sum(k in stored_experiment.table.columns for k in REPORT_KPIS)  # fan + KPIs
    page, problems = open_report(browser, path, expected)
    charts = check_charts(page, expected)
    assert charts[0]["id"] == "chart-fan"
    assert problems == []
    check_not_blank(page.screenshot(full_page=True), "experiment-report")
    page.close()


def test_build_study_report_in_chromium(
    browser: Any, build_study: StoredRun, tmp_path: Path
) -> None:
    path = write_report(build_study, tmp_path / "build-experiment.html")
    assert build_study.table is not None
    expected = 1 + sum(k in build_study.table.columns for k in REPORT_KPIS)  # fan + KPIs
    page, problems = open_report(browser, path, expected)
    check_charts(page, expected)
    assert problems == []
    tables = page.locator("table caption, h3, table").all_inner_texts()
    text = "\n".join(tables)
    assert "Commissioning dates over replications" in text
    assert "P(first-year output >= X)" in text
    check_not_blank(page.screenshot(full_page=True), "build-experiment-report")
    page.close()


def test_oc_plot_in_chromium(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "oc.html"
    result = CliRunner().invoke(
        app, ["sampling", "oc", "--n", "50", "--ac", "1", "--lot-size", "1000", "--plot", str(path)]
    )
    assert result.exit_code == 0, result.output
    page, problems = open_report(browser, path, 1)
    (chart,) = check_charts(page, 1)
    assert chart["id"] == "oc-plot"
    assert problems == []
    check_not_blank(page.screenshot(full_page=True), "oc-plot")
    page.close()
