"""The HTML report: a stored run or experiment as one self-contained page with Plotly charts."""

from plantwin.report._oc import oc_figure, write_oc_plot
from plantwin.report._page import (
    REPORT_KPIS,
    Chart,
    render_report,
    render_report_body,
    write_report,
)

__all__ = [
    "REPORT_KPIS",
    "Chart",
    "oc_figure",
    "render_report",
    "render_report_body",
    "write_oc_plot",
    "write_report",
]
