"""Draws of one distribution from one named stream, value by value, for the engine's hot path.

Two implementations of the same draws: this module, which the interpreted engine runs (numpy
fills growing blocks through ``DistributionBase.sample``), and ``_draws.pyx``, which the
compiled engine runs (one value at a time from the C function that the distribution's numpy
method calls, on the same stream of bits, without numpy's per-call array work). numpy fills a
block value by value, so both give the same numbers in the same order whatever the blocks;
tests/sim/test_draws.py checks every kind of distribution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from plantwin.scenario import DistributionBase
    from plantwin.sim._streams import Streams

__all__ = ["Draws"]

_MAX_BLOCK = 1024


class Draws:
    """An endless supply of draws from one distribution and one stream; the stream's generator
    is made at the first draw (many sources never draw in a run)."""

    __slots__ = ("_block", "_buf", "_dist", "_i", "_name", "_rng", "_streams")

    def __init__(self, dist: DistributionBase, streams: Streams, name: str, block: int) -> None:
        self._dist = dist
        self._streams = streams
        self._name = name
        self._rng: np.random.Generator | None = None
        self._block = block
        self._buf: list[float] = []
        self._i = 0

    def next(self) -> float:
        """The next value."""
        i = self._i
        if i == len(self._buf):
            if self._rng is None:
                self._rng = self._streams.generator(self._name)
            self._buf = self._dist.sample(self._rng, self._block).tolist()
            # a stream that keeps drawing draws in larger blocks
            self._block = min(2 * self._block, _MAX_BLOCK)
            i = 0
        self._i = i + 1
        return self._buf[i]
