"""The lots of end products as they finish, for the KPIs that count output over time.

Two implementations of the same sequence: this module, which the interpreted engine runs, and
``_completions.pyx``, which the compiled engine runs (it writes each value into the arrays'
memory: ``array.append`` is a call by name from C, some 700 instructions).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

__all__ = ["Completions"]


class Completions:
    """The lots of end products in the order they finished: when (hours) and their units, as
    arrays of doubles that numpy reads without a copy (the KPIs bisect them). A sequence of
    (time, units) pairs."""

    __slots__ = ("times", "units")

    def __init__(self, pairs: Iterable[tuple[float, float]] = ()) -> None:
        self.times = array("d")
        self.units = array("d")
        for time, units in pairs:
            self.add(time, units)

    def add(self, time: float, units: float) -> None:
        """A lot of ``units`` finished at ``time``."""
        # compiled, each is a C store into the array's memory: its append is a call by name
        self.times.append(time)
        self.units.append(units)

    def copy(self) -> Completions:
        """The completions so far, kept apart from those still to come."""
        out = Completions()
        out.times = array("d", self.times)
        out.units = array("d", self.units)
        return out

    def __len__(self) -> int:
        return len(self.times)

    def __getitem__(self, i: int) -> tuple[float, float]:
        return self.times[i], self.units[i]

    def __iter__(self) -> Iterator[tuple[float, float]]:
        return zip(self.times, self.units, strict=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Completions):
            return NotImplemented
        return self.times == other.times and self.units == other.units

    def __repr__(self) -> str:
        return f"Completions({list(self)!r})"
