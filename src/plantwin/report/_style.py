"""The look the report's charts share: the page's fonts, a palette readable with colour-blind
eyes (Okabe-Ito) and the base Plotly layout, so that every chart and the OC plot match."""

from __future__ import annotations

from typing import Any

__all__ = ["FONT", "LAYOUT", "PALETTE", "rgba"]

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
"""The report page's font stack (its CSS), used inside the charts too."""

PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",
)
"""Okabe-Ito's colours: one per variant or series, in this order."""

LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "font": {"family": FONT, "size": 13, "color": "#212121"},
    "height": 420,
    "margin": {"l": 70, "r": 30, "t": 60, "b": 100},
    # the legend under the whole chart (the container), never over an axis title
    "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
}
"""The base layout of every chart (height and legend may be overridden per chart)."""


def rgba(hex_color: str, alpha: float) -> str:
    """A ``#rrggbb`` colour with transparency, for bands and points."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
