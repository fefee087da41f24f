"""The seed of a named stream's PCG64 as numpy's SeedSequence computes it, at a fraction of
the cost.

``Generator(PCG64(SeedSequence(seed, spawn_key=(replication, key))))`` costs about 45 us, nearly
all of it SeedSequence hashing its entropy in Python-level loops; a run makes some twenty of
them, which alone would be half of a compiled plant-year. This module is numpy's algorithm
(``numpy/random/bit_generator.pyx``: SeedSequence.mix_entropy and generate_state, pool size 4)
on 32-bit words; ``_seeding.pyx``, its compiled twin, does it on C words in half a microsecond.
``Streams`` hands the words to PCG64 through numpy's own seed-sequence interface, so the bit
generator is seeded by numpy's code with the very state SeedSequence would give it
(tests/sim/test_seeding.py compares the two on thousands of seeds).
"""

from __future__ import annotations

__all__ = ["seed_words"]

MASK32 = 0xFFFFFFFF
INIT_A = 0x43B0D7E5
MULT_A = 0x931E8875
INIT_B = 0x8B51F9DD
MULT_B = 0x58F38DED
MIX_MULT_L = 0xCA01F9DD
MIX_MULT_R = 0x4973F715
POOL = 4  # numpy's DEFAULT_POOL_SIZE

_hash = 0  # the running hash constant of hashmix


def _hashmix(value: int) -> int:
    global _hash
    value = (value ^ _hash) & MASK32
    _hash = (_hash * MULT_A) & MASK32
    value = (value * _hash) & MASK32
    return value ^ (value >> 16)


def _mix(x: int, y: int) -> int:
    result = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK32
    return result ^ (result >> 16)


def _words(n: int) -> list[int]:
    """The 32-bit words of a non-negative int, least significant first ([0] for 0)."""
    if n == 0:
        return [0]
    out = []
    while n > 0:
        out.append(n & MASK32)
        n >>= 32
    return out


def seed_words(seed: int, replication: int, key: int) -> list[int]:
    """The four 64-bit words that PCG64 takes from ``SeedSequence(seed, spawn_key=(replication,
    key)).generate_state(4, np.uint64)``."""
    global _hash
    run = _words(seed)
    # with a spawn key, SeedSequence pads the run entropy with zeros to the pool size
    entropy = run + [0] * (POOL - len(run)) + _words(replication) + _words(key)
    _hash = INIT_A
    pool = [_hashmix(entropy[i] if i < len(entropy) else 0) for i in range(POOL)]
    for i_src in range(POOL):
        for i_dst in range(POOL):
            if i_src != i_dst:
                pool[i_dst] = _mix(pool[i_dst], _hashmix(pool[i_src]))
    for i_src in range(POOL, len(entropy)):
        for i_dst in range(POOL):
            pool[i_dst] = _mix(pool[i_dst], _hashmix(entropy[i_src]))
    h = INIT_B
    state = []
    for i in range(2 * POOL):
        value = (pool[i % POOL] ^ h) & MASK32
        h = (h * MULT_B) & MASK32
        value = (value * h) & MASK32
        state.append(value ^ (value >> 16))
    return [state[2 * i] | (state[2 * i + 1] << 32) for i in range(POOL)]
