"""A named stream is numpy's: the words that seed its PCG64 are SeedSequence's, whichever engine
computes them, so a run's random numbers are what numpy's documented seeding gives."""

from __future__ import annotations

import random

import numpy as np
import pytest

from plantwin.sim import Streams
from plantwin.sim._seeding import seed_words


def _numpy(seed: int, replication: int, key: int) -> list[int]:
    seq = np.random.SeedSequence(seed, spawn_key=(replication, key))
    return [int(w) for w in seq.generate_state(4, np.uint64)]


def _cases() -> list[tuple[int, int, int]]:
    rnd = random.Random(12)
    edges = [(0, 0, 0), (1, 0, 0), (2**32 - 1, 0, 2**32 - 1), (2**32, 5, 7), (2**63 - 1, 10**6, 1)]
    drawn = [
        (rnd.getrandbits(rnd.choice([1, 31, 32, 33, 63, 64, 100])), rnd.getrandbits(40), k)
        for k in (rnd.getrandbits(32) for _ in range(2000))
    ]
    return edges + drawn


def test_the_seed_words_are_seed_sequences() -> None:
    for seed, replication, key in _cases():
        assert seed_words(seed, replication, key) == _numpy(seed, replication, key)


@pytest.mark.parametrize("name", ["line:L1:failure", "grid:cuts:between", "product:P:sample"])
def test_a_stream_draws_what_numpy_seeded_the_documented_way_draws(name: str) -> None:
    import zlib

    key = zlib.crc32(name.encode("utf-8"))
    expected = np.random.Generator(np.random.PCG64(np.random.SeedSequence(7, spawn_key=(3, key))))
    got = Streams(7, 3).generator(name)
    assert got.random(50).tolist() == expected.random(50).tolist()
    assert got.integers(0, 10**9, 50).tolist() == expected.integers(0, 10**9, 50).tolist()
