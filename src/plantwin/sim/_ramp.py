"""A line's ramp-up: the rate factor rises from ``start`` to 1 over ``duration`` calendar hours.

Shapes, with u the elapsed share of the ramp: linear f = s + (1 - s) u; learning
f = 1 - (1 - s)(1 - u)^2 (fast at first, flattening). Output over producing time is the exact
integral of the rate, so a lot's end is found by inverting that integral. The defect fraction
multiplier falls from ``defect_factor`` to 1 the same way the rate rises.
"""

from __future__ import annotations

import math

from plantwin.scenario import RampUp

__all__ = ["Ramp"]


class Ramp:
    """The ramp of one line, from its qualification time ``t0``."""

    __slots__ = ("_full", "defect_factor", "duration", "end", "learning", "start", "t0")

    def __init__(self, spec: RampUp, t0: float) -> None:
        self.t0 = t0
        self.duration = spec.duration
        self.end = t0 + spec.duration
        self.start = spec.start
        self.learning = spec.shape == "learning"
        self.defect_factor = spec.defect_factor
        self._full = self._partial(1.0)

    def _progress(self, u: float) -> float:
        """The shape's share of the way from start to 1 at elapsed share u."""
        return 1 - (1 - u) ** 2 if self.learning else u

    def factor(self, t: float) -> float:
        """The rate factor at time t."""
        if t >= self.end:
            return 1.0
        u = max(0.0, (t - self.t0) / self.duration)
        return self.start + (1 - self.start) * self._progress(u)

    def defect(self, t: float) -> float:
        """The defect fraction multiplier at time t."""
        if t >= self.end:
            return 1.0
        u = max(0.0, (t - self.t0) / self.duration)
        return 1 + (self.defect_factor - 1) * (1 - self._progress(u))

    def _partial(self, u: float) -> float:
        """Integral of the factor from t0 to t0 + u * duration, for 0 <= u <= 1."""
        s, d = self.start, self.duration
        if self.learning:
            return d * (u - (1 - s) * (1 - (1 - u) ** 3) / 3)
        return d * (s * u + (1 - s) * u * u / 2)

    def integral(self, t: float) -> float:
        """Integral of the factor from t0 to t (full-rate hours equivalent)."""
        if t >= self.end:
            return self._full + (t - self.end)
        return self._partial(max(0.0, (t - self.t0) / self.duration))

    def solve(self, target: float) -> float:
        """The time at which ``integral`` reaches ``target``."""
        if target >= self._full:
            return self.end + (target - self._full)
        d, s = self.duration, self.start
        if not self.learning:
            a, b, c = (1 - s) / 2, s, -target / d
            u = -c / b if a == 0 else (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
            return self.t0 + u * d
        lo, hi = 0.0, 1.0  # the integral is increasing: bisect to the last bit
        for _ in range(64):
            mid = (lo + hi) / 2
            if self._partial(mid) < target:
                lo = mid
            else:
                hi = mid
        return self.t0 + hi * d
