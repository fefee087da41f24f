"""Results that last: exports of runs (and, later, the results store)."""

from plantwin.results._export import write_events_csv

__all__ = ["write_events_csv"]
