"""Named random streams from one seed, so variants of a scenario share random numbers.

Each source of randomness (``line:L1:failure``, ``grid:cuts:between``, ...) gets its own numpy
Generator, keyed by a stable CRC32 of its name: adding a source shifts no other.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from plantwin.scenario import DistributionBase
from plantwin.sim._seeding import seed_words

__all__ = ["Draws", "Streams"]


class Streams:
    """Generators for one replication of one seed, one per named source."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = seed
        self.replication = replication

    def generator(self, name: str) -> np.random.Generator:
        """The Generator of source ``name``; the same name always gives the same sequence."""
        key = zlib.crc32(name.encode("utf-8"))
        # = PCG64(SeedSequence(self.seed, spawn_key=(self.replication, key))), 10 x faster
        words = seed_words(self.seed, self.replication, key)
        # numpy takes any ISeedSequence (its stubs name SeedSequence only)
        return np.random.Generator(np.random.PCG64(_Seeded(words)))  # type: ignore[arg-type]

    def draws(self, name: str, dist: DistributionBase, block: int = 64) -> Draws:
        """Values of ``dist`` from source ``name``, drawn in blocks (scalar draws are slow);
        the stream's generator is made at the first draw (many sources never draw in a run)."""
        return Draws(dist, self, name, block)


class _Seeded(ISeedSequence):
    """A seed sequence whose state words are computed already (``_seeding``): PCG64 asks for
    them once, as four uint64 words."""

    def __init__(self, words: list[int]) -> None:
        self._words = words

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:  # only PCG64's request is known
            raise ValueError(f"only 4 uint64 words, not {n_words} {np.dtype(dtype)}")
        return np.array(self._words, dtype=np.uint64)


class Draws:
    """An endless supply of draws from one distribution and one stream."""

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
            i = 0
        self._i = i + 1
        return self._buf[i]
