"""The grid: plant-wide power-off intervals from cuts and long standstills.

The grid does not depend on what the plant does, so its whole timeline is drawn before the run.
"""

from __future__ import annotations

from plantwin.scenario import Exponential, Grid
from plantwin.sim._budget import EventBudgetExceeded
from plantwin.sim._calendar import merge
from plantwin.sim._memo import per_object
from plantwin.sim._streams import Streams

__all__ = ["GridTimeline", "grid_timeline"]

HOURS_PER_YEAR = 8760.0


class GridTimeline:
    """Cuts, standstills and the merged power-off intervals of one run."""

    def __init__(
        self, cuts: list[tuple[float, float]], stops: list[tuple[float, float]], horizon: float
    ) -> None:
        self.cuts = cuts
        self.standstills = stops
        self.off = merge(cuts + stops, horizon)


@per_object
def _arrivals(grid: Grid) -> Exponential:
    """Gaps between the grid's standstills (Poisson arrivals), made once per scenario."""
    assert grid.standstills is not None
    return Exponential(mean=HOURS_PER_YEAR / grid.standstills.per_year)


def grid_timeline(grid: Grid, streams: Streams, horizon: float, budget: int) -> GridTimeline:
    """Draw the grid's cuts (gap measured from the end of the previous cut) and standstills.

    Each interval costs two engine events; more than ``budget`` events stop the drawing.
    """
    cuts: list[tuple[float, float]] = []
    stops: list[tuple[float, float]] = []

    def check(t: float) -> None:
        if 2 * (len(cuts) + len(stops)) >= budget:
            raise EventBudgetExceeded(budget, "the power cuts of the horizon", t)

    if grid.cuts is not None:
        gap = streams.draws("grid:cuts:between", grid.cuts.between)
        length = streams.draws("grid:cuts:duration", grid.cuts.duration)
        t = 0.0
        while True:
            t += gap.next()
            if t >= horizon:
                break
            check(t)
            d = length.next()
            cuts.append((t, t + d))
            t += d
    if grid.standstills is not None and grid.standstills.per_year > 0:
        arrive = streams.draws("grid:standstills:arrival", _arrivals(grid))
        length = streams.draws("grid:standstills:duration", grid.standstills.duration)
        t = 0.0
        while True:
            t += arrive.next()
            if t >= horizon:
                break
            check(t)
            stops.append((t, t + length.next()))
    return GridTimeline(cuts, stops, horizon)
