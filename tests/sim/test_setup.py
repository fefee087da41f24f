"""The set-up of a run: what it works out once per scenario object and shares between runs, and
the random streams it seeds, must leave every run exactly what it would be on its own.

Runs are compared whole: KPIs and the event log, column by column (floats bit for bit).
"""

from __future__ import annotations

import zlib
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantwin import RunResult
from plantwin.scenario import Network, Scenario, apply_overrides, builtin
from plantwin.sim import ENGINE, Simulation, Streams, simulate

from .scenarios import FEATURES, features, generated

Model = Scenario | Network
HORIZON = "45d"


def _same(a: RunResult, b: RunResult) -> bool:
    return a.kpis == b.kpis and a.events().equals(b.events())


def _fresh(model: Model) -> Model:
    """An equal scenario that shares no object with ``model`` (nothing memoised for it)."""
    return model.model_copy(deep=True)


def _covering() -> list[tuple[str, Model]]:
    """A few generated scenarios that together have every feature some of the first 60 have
    (projects, crews, assembly, backup power, two test stations, ...)."""
    pool = generated(60)
    left = set().union(*(features(m) for _, m in pool))
    chosen = []
    while left:
        name, model = max(pool, key=lambda nm: len(features(nm[1]) & left))
        chosen.append((name, model))
        left -= features(model)
    return chosen


COVERING = _covering()
MODELS = [("maracay", builtin("maracay")), ("assembly", builtin("assembly")), *COVERING]


def test_the_covering_scenarios_exercise_most_features() -> None:
    have = set().union(*(features(m) for _, m in COVERING))
    assert len(have) >= len(FEATURES) - 3, set(FEATURES) - have


# --- streams ------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    seed=st.one_of(st.integers(0, 2**32), st.integers(0, 2**130)),
    replication=st.one_of(st.integers(0, 2000), st.integers(0, 2**70)),
    name=st.text(max_size=30),
)
def test_a_stream_is_numpys_seed_sequence_stream(seed: int, replication: int, name: str) -> None:
    """The documented stream of a source: PCG64 seeded by SeedSequence(seed, spawn_key=
    (replication, crc32(name))), in the same state and giving the same numbers."""
    key = zlib.crc32(name.encode("utf-8"))
    ref = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(replication, key)))
    )
    got = Streams(seed, replication).generator(name)
    assert got.bit_generator.state == ref.bit_generator.state
    assert got.random(5).tolist() == ref.random(5).tolist()


@pytest.mark.skipif(ENGINE != "compiled", reason="only the compiled engine seeds its own PCG64")
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**64),
    replication=st.integers(0, 2**40),
    name=st.text(max_size=20),
    pattern=st.lists(st.sampled_from([32, 64]), min_size=1, max_size=40),
)
def test_the_compiled_engines_bits_are_numpys_pcg64(
    seed: int, replication: int, name: str, pattern: list[int]
) -> None:
    """The compiled engine draws from a PCG64 of its own, seeded with the stream's words: its
    64-bit and 32-bit values, however they interleave, are those numpy's PCG64 of the same
    stream hands numpy's C distributions (its own functions, called through ctypes)."""
    from plantwin.sim._draws import Bits

    streams = Streams(seed, replication)
    bits = Bits(streams.words(name))
    ref = streams.generator(name).bit_generator.ctypes
    for width in pattern:
        if width == 64:
            assert bits.random_raw(1) == [ref.next_uint64(ref.state)]
        else:
            assert bits.next32(1) == [ref.next_uint32(ref.state)]


def test_streams_of_one_run_are_independent_of_the_order_they_are_made() -> None:
    names = ["grid:cuts:between", "line:L1:failure", "product:ball:sample"]
    one, two = Streams(7, 3), Streams(7, 3)
    first = {n: one.generator(n).random() for n in names}
    assert {n: two.generator(n).random() for n in reversed(names)} == first
    assert len(set(first.values())) == len(names)


def test_a_negative_seed_or_replication_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        Streams(-1, 0)
    with pytest.raises(ValueError, match="non-negative"):
        Streams(1, -2)


# --- what set-up shares between runs --------------------------------------------------------


@pytest.mark.parametrize(("name", "model"), MODELS, ids=[n for n, _ in MODELS])
def test_runs_of_one_scenario_object_equal_runs_of_fresh_copies(name: str, model: Model) -> None:
    """Two replications set up from one object, both before either runs and then run in the
    reverse order, equal the same replications of copies that share nothing with it."""
    horizon = HORIZON if name in ("maracay", "assembly") else None
    sims = [Simulation(model, 5, replication=r, horizon=horizon) for r in (0, 1)]
    shared = [sim.run() for sim in reversed(sims)][::-1]
    alone = [simulate(_fresh(model), 5, replication=r, horizon=horizon) for r in (0, 1)]
    assert _same(shared[0], alone[0])
    assert _same(shared[1], alone[1])
    assert not _same(shared[0], shared[1])  # the replications do differ


@pytest.mark.parametrize(
    ("overrides", "changed"),
    [
        ([("lines.L1.rate", 1000)], ["lines", "L1", "units_made"]),
        ([("lines.L1.failures.between.mean", 6)], ["lines", "L1", "failures"]),
        (
            [
                ("lines.L3.initial_product", "blank"),  # L3 and L4 on blank: L3 changes over
                ("changeover.time", {"dist": "constant", "value": 40}),
            ],
            ["lines", "L3", "hours"],
        ),
        (
            [("range.lanes", 1), ("range.test_time", {"dist": "constant", "value": 9})],
            ["range", "lots_tested"],
        ),
        ([("calendar.shifts", ["06:00-14:00"])], ["lines", "L1", "hours"]),
        ([("grid.standstills.per_year", 12)], ["grid", "standstills"]),
        ([("demand.recurring[0].quantity", 100_000)], ["orders"]),
    ],
)
def test_a_variant_is_not_served_its_base_scenarios_set_up(
    overrides: list[tuple[str, object]], changed: list[str]
) -> None:
    """After runs of the base scenario, a variant that changes what set-up works out once per
    scenario runs as a copy of it that nothing was memoised for, and not as the base."""
    base = builtin("maracay")
    before = simulate(base, 3, horizon=HORIZON, event_log=False)
    variant = apply_overrides(base, overrides)
    after = simulate(variant, 3, horizon=HORIZON)
    assert _same(after, simulate(_fresh(variant), 3, horizon=HORIZON))

    def part(kpis: Any) -> Any:
        for key in changed:
            kpis = kpis[key]
        return kpis

    assert part(after.kpis) != part(before.kpis)


def test_many_scenarios_in_turn_each_run_as_their_own() -> None:
    """More scenario objects than set-up keeps (it forgets the oldest), run in turn and then
    again: every run equals the first run of its scenario."""
    models = [m for _, m in generated(20)]
    first = [simulate(m, 2, event_log=False).kpis for m in models]
    for model, kpis in zip(reversed(models), reversed(first), strict=True):
        assert simulate(model, 2, event_log=False).kpis == kpis
    for a, b in pairwise(first):
        assert a != b
