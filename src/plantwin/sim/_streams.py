"""Named random streams from one seed, so variants of a scenario share random numbers.

Each source of randomness (``line:L1:failure``, ``grid:cuts:between``, ...) gets its own numpy
Generator, keyed by a stable CRC32 of its name: adding a source shifts no other. The stream of
``name`` is ``PCG64(SeedSequence(seed, spawn_key=(replication, crc32(name))))``. numpy's
SeedSequence is some 85 % of the cost of making a generator that way (a run makes dozens), so its
mixing is done here instead, word for word as numpy does it (O'Neill's seed_seq hash on 32-bit
words): what depends on the seed and the replication once per run, the name's key per stream.
A test checks the generators against numpy's own for many seeds, replications and names. The
compiled engine draws through numpy's C distributions on a PCG64 of its own (``_draws.Bits``),
seeded with the same words (``Streams.words``): the same numbers, without numpy's objects.
"""

from __future__ import annotations

import operator
import zlib

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from plantwin.scenario import DistributionBase
from plantwin.sim._draws import Draws

__all__ = ["Draws", "Streams"]

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx), pool of 4 words
_MASK = 0xFFFFFFFF
_INIT_A = 0x43B0D7E5
_MULT_A = 0x931E8875
_INIT_B = 0x8B51F9DD
_MULT_B = 0x58F38DED
_MIX_L = 0xCA01F9DD
_MIX_R = 0x4973F715
_POOL = 4


def _words(n: int) -> list[int]:
    """``n`` as 32-bit words, lowest first (numpy's ``_int_to_uint32_array``)."""
    if n < 0:
        raise ValueError("expected non-negative integer")
    out = [n & _MASK]
    n >>= 32
    while n:
        out.append(n & _MASK)
        n >>= 32
    return out


def _hashmix(value: int, h: int, mult: int) -> int:
    """numpy's ``hashmix`` of ``value`` with hash constant ``h`` (which the caller then
    multiplies by ``mult``: the constants run through the same sequence whatever the data)."""
    v = ((value ^ h) * ((h * mult) & _MASK)) & _MASK
    return v ^ (v >> 16)


def _mixed(x: int, y: int) -> int:
    """numpy's ``mix`` of two words."""
    r = (_MIX_L * x - _MIX_R * y) & _MASK
    return r ^ (r >> 16)


def _mix_in(pool: list[int], h: int, word: int) -> int:
    """Mix one more entropy word into every pool word; the hash constant after it."""
    for i in range(_POOL):
        pool[i] = _mixed(pool[i], _hashmix(word, h, _MULT_A))
        h = (h * _MULT_A) & _MASK
    return h


def _pool(seed: int, replication: int) -> tuple[list[int], int]:
    """The pool and hash constant of ``SeedSequence(seed, spawn_key=(replication, ...))`` once
    the seed and the replication are mixed in (the name's key comes after them)."""
    entropy = _words(seed)
    entropy += [0] * (_POOL - len(entropy))  # numpy pads the seed when there is a spawn key
    pool = [0] * _POOL
    h = _INIT_A
    for i in range(_POOL):
        pool[i] = _hashmix(entropy[i], h, _MULT_A)
        h = (h * _MULT_A) & _MASK
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                pool[dst] = _mixed(pool[dst], _hashmix(pool[src], h, _MULT_A))
                h = (h * _MULT_A) & _MASK
    for word in entropy[_POOL:] + _words(replication):
        h = _mix_in(pool, h, word)
    return pool, h


def _state(pool: list[int], h: int, key: int) -> list[int]:
    """PCG64's seed words: ``key`` mixed into a copy of the pool, then numpy's
    ``generate_state(4, np.uint64)`` (8 32-bit words cycling over the pool, paired low first)."""
    pool = list(pool)
    _mix_in(pool, h, key)
    h = _INIT_B
    out = []
    for i in range(0, 8, 2):
        low = _hashmix(pool[i & 3], h, _MULT_B)
        h = (h * _MULT_B) & _MASK
        high = _hashmix(pool[(i + 1) & 3], h, _MULT_B)
        h = (h * _MULT_B) & _MASK
        out.append(low | high << 32)
    return out


class _State:
    """A seed sequence that hands PCG64 the state words computed here (numpy seeds a bit
    generator from any ``ISeedSequence``). It cannot spawn: nothing spawns from a stream."""

    __slots__ = ("_words",)

    def __init__(self, words: list[int]) -> None:
        self._words = words

    def generate_state(self, n_words: int, dtype: object = np.uint32) -> np.ndarray:
        """The 4 64-bit words PCG64 asks for (``SeedSequence.generate_state(4, np.uint64)``)."""
        assert n_words == 4 and dtype is np.uint64
        return np.array(self._words, dtype=np.uint64)


ISeedSequence.register(_State)


class Streams:
    """Generators for one replication of one seed, one per named source."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = seed
        self.replication = replication
        self._pool, self._hash = _pool(operator.index(seed), operator.index(replication))

    def words(self, name: str) -> list[int]:
        """The four 64-bit words that seed the PCG64 of source ``name`` (the compiled engine
        seeds its own PCG64 with them, for numpy's C distributions)."""
        return _state(self._pool, self._hash, zlib.crc32(name.encode("utf-8")))

    def generator(self, name: str) -> np.random.Generator:
        """The Generator of source ``name``; the same name always gives the same sequence."""
        # numpy seeds a bit generator from any ISeedSequence; its stubs name SeedSequence only
        return np.random.Generator(np.random.PCG64(_State(self.words(name))))  # type: ignore[arg-type]

    def draws(self, name: str, dist: DistributionBase, block: int = 64) -> Draws:
        """Values of ``dist`` from source ``name`` (see ``_draws``: compiled one at a time,
        interpreted in blocks of ``block`` and more); the stream is seeded at the first draw
        (many sources never draw in a run)."""
        return Draws(dist, self, name, block)
