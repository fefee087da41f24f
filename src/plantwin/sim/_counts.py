"""Random counts of a lot's defectives: binomial and hypergeometric draws on one stream.

Two implementations of the same draws: this module, which the interpreted engine runs
(numpy's ``Generator.binomial`` and ``Generator.hypergeometric``), and ``_counts.pyx``, which
the compiled engine runs (the very C functions those methods call, on the same stream of bits,
without numpy's per-call array conversions: a tenth of the compiled engine's time). Both
consume the stream identically and give the same numbers; the differential test checks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plantwin.sim._streams import Streams

__all__ = ["Counts"]


class Counts:
    """Binomial and hypergeometric draws from the stream of source ``name``."""

    __slots__ = ("_generator",)

    def __init__(self, streams: Streams, name: str) -> None:
        self._generator = streams.generator(name)

    def binomial(self, n: int, p: float) -> int:
        """Successes in ``n`` trials of probability ``p``."""
        return int(self._generator.binomial(n, p))

    def hypergeometric(self, good: int, bad: int, sample: int) -> int:
        """Good items among ``sample`` drawn without replacement from ``good + bad``."""
        return int(self._generator.hypergeometric(good, bad, sample))
