"""The OC plot (``plantwin sampling oc --plot``): Pa and AOQ each on an axis from 0, the AQL,
the LTPD and the AOQL marked where plantwin.sampling puts them, one offline page."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.offline
import pytest
from typer.testing import CliRunner

from plantwin.cli import app
from plantwin.report import oc_figure
from plantwin.sampling import aoq, aoql, p_at_pa


def marker(fig: object, name: str) -> tuple[float, float]:
    (trace,) = [t for t in fig.data if (t.name or "").startswith(name)]  # type: ignore[attr-defined]
    return float(trace.x[0]), float(trace.y[0])


@pytest.mark.parametrize(("n", "ac", "lot"), [(50, 1, 1000), (125, 3, 5000), (13, 0, 150)])
def test_axes_from_zero_and_markers_at_the_plans_values(n: int, ac: int, lot: int) -> None:
    fig = oc_figure(n, ac, lot_size=lot)
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] >= 1  # Pa
    assert fig.layout.yaxis2.range[0] == 0  # AOQ: never below zero
    assert fig.layout.xaxis.range[0] == 0
    aql, ltpd = p_at_pa(n, ac, 0.95, lot_size=lot), p_at_pa(n, ac, 0.10, lot_size=lot)
    assert marker(fig, "AQL") == pytest.approx((100 * aql, 0.95))
    assert marker(fig, "LTPD") == pytest.approx((100 * ltpd, 0.10))
    limit = aoql(n, ac, lot)
    assert marker(fig, "AOQL") == pytest.approx((100 * limit.p, 100 * limit.aoql))
    (curve,) = [t for t in fig.data if t.name == "AOQ"]
    assert min(curve.y) >= 0
    assert max(curve.y) <= fig.layout.yaxis2.range[1]  # the whole curve is on the axis
    p = [x / 100 for x in curve.x]
    assert list(curve.y) == pytest.approx(list(aoq(n, ac, p, lot) * 100))
    lines = {round(s.x0, 9) for s in fig.layout.shapes if s.x0 == s.x1}
    assert {round(100 * aql, 9), round(100 * ltpd, 9)} <= lines  # marked through the panels
    texts = " ".join(t.text[0] for t in fig.data if t.text)
    assert "AQL" in texts and "LTPD" in texts and "AOQL" in texts


def test_without_a_lot_size_one_panel_of_pa() -> None:
    fig = oc_figure(50, 1)
    assert {t.name for t in fig.data} >= {"Pa"} and "AOQ" not in {t.name for t in fig.data}
    assert fig.layout.yaxis.range[0] == 0


def test_the_command_writes_one_offline_page(tmp_path: Path) -> None:
    path = tmp_path / "oc.html"
    args = ["sampling", "oc", "--n", "50", "--ac", "1", "--lot-size", "1000", "--plot", str(path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page = path.read_text(encoding="utf-8")
    assert page.count(plotly.offline.get_plotlyjs()) == 1
    assert not re.search(r"<script[^>]+src=", page)
    assert 'id="oc-plot"' in page and "AOQL" in page
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    bad = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "a-file" / "oc.html")])
    assert bad.exit_code == 2 and "cannot write the plot" in bad.output
