"""The OC plot of a single sampling plan (n, Ac): Pa and, with a lot size, the AOQ, each in its
own panel on an axis from 0, with the AQL, the LTPD and the AOQL marked, in the report's style
and as one offline HTML page."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from plantwin.report._style import FONT, LAYOUT, PALETTE
from plantwin.results import atomic_write
from plantwin.sampling import aoq, aoql, oc_curve, p_at_pa

__all__ = ["AQL_PA", "LTPD_PA", "oc_figure", "write_oc_plot"]

AQL_PA = 0.95
"""Pa at the AQL as the plot marks it: the producer's risk of 5 %."""
LTPD_PA = 0.10
"""Pa at the LTPD as the plot marks it: the consumer's risk of 10 %."""

_POINTS = 201
_MARK = "#212121"


def oc_figure(
    n: int,
    ac: int,
    *,
    lot_size: int | None = None,
    model: str = "binomial",
    p_max: float | None = None,
) -> go.Figure:
    """The OC curve of (n, Ac) for incoming quality 0 to ``p_max`` (a fraction; default: where
    Pa has fallen to about 0), with the AQL (Pa = 95 %) and LTPD (Pa = 10 %) marked; with
    ``lot_size`` a second panel holds the AOQ (rectifying inspection) with its AOQL.

    Raises :class:`plantwin.sampling.SamplingError` for an impossible plan.
    """
    aql = p_at_pa(n, ac, AQL_PA, lot_size=lot_size, model=model)
    ltpd = p_at_pa(n, ac, LTPD_PA, lot_size=lot_size, model=model)
    top = (
        p_max
        if p_max is not None
        else min(1.0, 1.5 * p_at_pa(n, ac, 0.01, lot_size=lot_size, model=model))
    )
    curve = oc_curve(
        n, ac, [top * i / (_POINTS - 1) for i in range(_POINTS)], lot_size=lot_size, model=model
    )
    x = curve.p * 100.0
    panels = 2 if lot_size is not None else 1
    fig = make_subplots(
        rows=panels,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(
            ["probability of acceptance Pa", "average outgoing quality AOQ"]
            if panels == 2
            else None
        ),
    )
    fig.add_scatter(
        x=x, y=curve.pa, mode="lines", name="Pa", line={"color": PALETTE[0], "width": 2.5},
        hovertemplate="p %{x:.3f} %: Pa %{y:.1%}<extra></extra>", row=1, col=1,
    )  # fmt: skip
    for name, p, pa, color in (
        ("AQL", aql, AQL_PA, PALETTE[2]),
        ("LTPD", ltpd, LTPD_PA, PALETTE[5]),
    ):
        fig.add_scatter(
            x=[100 * p], y=[pa], mode="markers+text", name=f"{name} (Pa = {pa:.0%})",
            marker={"size": 10, "color": color, "line": {"color": _MARK, "width": 1}},
            text=[f"{name} {100 * p:.3g} % (Pa {pa:.0%})"], textposition="middle right",
            hovertemplate=f"{name}: p %{{x:.3f}} %, Pa %{{y:.0%}}<extra></extra>", row=1, col=1,
        )  # fmt: skip
    fig.update_yaxes(title="Pa", range=[0, 1.05], tickformat=".0%", row=1, col=1)
    if lot_size is not None:
        outgoing = aoq(n, ac, curve.p, lot_size, model=model) * 100.0
        limit = aoql(n, ac, lot_size, model=model)
        fig.add_scatter(
            x=x, y=outgoing, mode="lines", name="AOQ", line={"color": PALETTE[1], "width": 2.5},
            hovertemplate="p %{x:.3f} %: AOQ %{y:.3f} %<extra></extra>", row=2, col=1,
        )  # fmt: skip
        fig.add_scatter(
            x=[100 * limit.p], y=[100 * limit.aoql], mode="markers+text", name="AOQL",
            marker={"size": 10, "color": PALETTE[1], "line": {"color": _MARK, "width": 1}},
            text=[f"AOQL {100 * limit.aoql:.3g} % at p = {100 * limit.p:.3g} %"],
            textposition="top right", row=2, col=1,
            hovertemplate="AOQL %{y:.3f} % at p %{x:.3f} %<extra></extra>",
        )  # fmt: skip
        fig.add_hline(
            y=100 * limit.aoql, line={"color": PALETTE[1], "dash": "dot", "width": 1}, row=2, col=1
        )
        fig.update_yaxes(
            title="AOQ (% nonconforming)", range=[0, 100 * limit.aoql * 1.25], row=2, col=1
        )
    for p, color in ((aql, PALETTE[2]), (ltpd, PALETTE[5])):  # through both panels
        line = {"color": color, "dash": "dash", "width": 1}
        fig.add_vline(x=100 * p, line=line, row="all", col=1)
    fig.update_xaxes(range=[0, 100 * top])
    fig.update_xaxes(title="incoming quality p (% nonconforming)", row=panels, col=1)
    lot = f", lot size {lot_size:,}" if lot_size is not None else ""
    fig.update_layout(
        **{**LAYOUT, "height": 380 * panels + 80},
        title=f"OC curve of n = {n}, Ac = {ac} ({model}{lot})",
        showlegend=False,  # every marker carries its label
    )
    return fig


def write_oc_plot(path: str | Path, fig: go.Figure) -> Path:
    """Write the OC figure as one offline HTML page in the report's look (Plotly's JavaScript
    inside, nothing fetched), atomically; returns the path."""
    import plotly.offline

    from plantwin.report._page import environment

    chart = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id="oc-plot",
        config={"displaylogo": False, "responsive": True},
    )
    html = (
        environment()
        .get_template("oc.html.j2")
        .render(
            title=fig.layout.title.text,
            note=f"The AQL is the quality accepted with Pa = {AQL_PA:.0%} (producer's risk "
            f"{1 - AQL_PA:.0%}), the LTPD the one accepted with Pa = {LTPD_PA:.0%} (consumer's "
            "risk); the AOQL is the worst average outgoing quality when rejected lots are "
            "inspected in full.",
            font=FONT,
            chart=chart,
            plotly_js=plotly.offline.get_plotlyjs(),
        )
    )
    return atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
