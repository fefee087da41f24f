"""Two engines, one semantics: every built-in (cut to 90 days) and every generated scenario
(``tests/sim/scenarios.py``), with seeds 1 and 2, gives the same KPIs (as JSON text) and the
same event log (every column, floats bit for bit) from both ``ENGINES``, and every run keeps
the invariants: units conserved, each station's state hours summing to the horizon, KPIs that
are strict JSON, no buffer or storage level below zero.

The reference is the interpreted engine, run in a process of its own (``tests/sim/
interpreted.py``, ``PLANTWIN_ENGINE=python``); the candidate is the engine this process runs:
the compiled one where it was built (``plantwin.sim.ENGINE``), else the interpreted one again,
which still pins that a run depends on nothing but its scenario and seed.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import plantwin.sim
from plantwin import RunResult
from plantwin._build import COMPILED
from plantwin.scenario import (
    Network,
    Scenario,
    builtin,
    builtin_names,
    duration_hours,
)

from .scenarios import FEATURES, Model, features, generated

Engine = Callable[..., RunResult]  # called as simulate(scenario, seed, horizon=...)
ENGINES: tuple[Engine, Engine] = (plantwin.sim.simulate, plantwin.sim.simulate)  # in process

SEEDS = (1, 2)
BUILTIN_HOURS = 90 * 24.0  # the built-ins run a year or more: 90 days of each
MIN_COVER = 10  # scenarios of the generated list that each feature or behaviour needs
REL = 1e-6  # relative tolerance of sums of hours and units

# generated scenario -> why it crashes the engine or breaks an invariant: kept in the list, its
# cases marked xfail(strict=True) until the engine is fixed
KNOWN: dict[str, str] = {}

GENERATED = generated()
CASES: list[tuple[str, Model, float | None]] = [
    (f"builtin-{name}", builtin(name), BUILTIN_HOURS) for name in builtin_names()
] + [(name, model, None) for name, model in GENERATED]

# behaviours the generated scenarios must show in their runs (not only have in their fields),
# by the event that shows each: seed 1's events of each generated scenario, filled as it runs
BEHAVIOURS = (
    "qualified",  # a project's line commissioned
    "ramp_up_reached",
    "shipment_blocked",  # a blocked supplier
    "resourced",
    "backup_started",
    "backup_failed_to_start",
    "starved",  # make-to-order stations (and assemblies) waiting
    "tightened",
    "reduced",
    "discontinued",
    "waiting_for_crew",
    "component_consumed",
    "lot_processed",
    "setup",  # a changeover
    "restarting",
    "blocked",  # a full buffer
    "lot_rejected",
    "shipped",
    "storage full",  # not an event: storage came within a lot of its capacity
)
SEEN: dict[str, frozenset[str]] = {}


def run(engine: Engine, model: Model, seed: int, horizon: float | None) -> RunResult:
    """One run of ``model`` by ``engine`` (to the scenario's own horizon when None)."""
    return engine(model, seed, horizon=horizon)


# --- comparing two runs -----------------------------------------------------------------------


def kpi_difference(a: Any, b: Any, path: str = "kpis") -> str | None:
    """Where two KPI trees first differ as JSON (None when their JSON texts are equal: NaN
    equals NaN, 0.0 differs from -0.0, every float to its last bit, keys in order)."""
    if json.dumps(a) == json.dumps(b):
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} != {list(b)}"
        for key in a:
            found = kpi_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
    return f"{path}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"


def _plain(column: pa.ChunkedArray) -> pa.Array:
    """A column as one array of its values (dictionaries decoded: the codes may differ)."""
    array = column.combine_chunks()
    return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array


def table_difference(a: pa.Table, b: pa.Table) -> str | None:
    """Where two event logs first differ (None when they are equal: the same schema, rows and
    values, floats bit for bit)."""
    if a.schema != b.schema:
        return f"schemas differ: {a.schema} != {b.schema}"
    if a.num_rows != b.num_rows:
        return f"{a.num_rows} rows != {b.num_rows} rows"
    for name in a.column_names:
        x, y = _plain(a.column(name)), _plain(b.column(name))
        if pa.types.is_floating(x.type):
            bits_x = np.asarray(x.fill_null(0.0)).view(np.int64)
            bits_y = np.asarray(y.fill_null(0.0)).view(np.int64)
            nulls = np.asarray(x.is_null()) != np.asarray(y.is_null())
            rows = np.flatnonzero((bits_x != bits_y) | nulls)
        else:
            rows = np.flatnonzero(~np.asarray(_equal(x, y)))
        if rows.size:
            i = int(rows[0])
            return (
                f"column {name}, row {i} (of {rows.size} differing): {x[i]!r} != {y[i]!r}\n"
                f"  {a.slice(i, 1).to_pylist()}\n  {b.slice(i, 1).to_pylist()}"
            )
    return None


def _equal(x: pa.Array, y: pa.Array) -> pa.Array:
    """Element by element, null equal to null."""
    both = pc.and_(x.is_null(), y.is_null())
    return pc.or_(both, pc.fill_null(pc.equal(x, y), False))


def difference(a: RunResult, b: RunResult) -> str | None:
    """How two runs differ in their KPIs or event logs, or None."""
    return kpi_difference(a.kpis, b.kpis) or table_difference(a.events(), b.events())


# --- invariants of one run ----------------------------------------------------------------------


def broken_invariants(result: RunResult) -> list[str]:
    """What of the invariants one run breaks (an empty list when it keeps them all)."""
    k, horizon, out = result.kpis, result.horizon_hours, []
    if not k["conservation"]["ok"]:
        out.append(f"conservation: {k['conservation']}")
    for station, line in k["lines"].items():
        total = sum(line["hours"].values())
        if not math.isclose(total, horizon, rel_tol=REL):
            out.append(f"lines.{station}: state hours sum to {total!r}, horizon {horizon!r}")
    for product, row in k["range"]["by_product"].items():
        total = sum(row["inspection_hours"].values())
        if row["inspection_hours"] and not math.isclose(total, horizon, rel_tol=REL):
            out.append(f"range.{product}: inspection hours sum to {total!r}")
    try:
        json.dumps(k, allow_nan=False)
    except (TypeError, ValueError) as exc:
        out.append(f"KPIs are not strict JSON: {exc}")
    out += _negative_levels(result)
    return out


def _negative_levels(result: RunResult) -> list[str]:
    """Levels below zero, in the record and replayed from the event log (which must then agree
    with the record): storage from the units stored and shipped, each buffer from the lots
    queued into it and taken out (tested, processed, or consumed piece by piece)."""
    rec, out = result.record, []
    s = rec.storage
    if min(s.min, s.end, *s.by_product.values(), 0.0) < 0:
        out.append(f"storage below zero: {s}")
    for b in rec.buffers:
        if min(b.mean_lots, b.end_lots, b.end_units) < 0:
            out.append(f"buffer {b.id} below zero: {b}")
    log = result.events().to_pylist()
    level, lowest = 0.0, 0.0
    for row in log:
        if row["event"] in ("lot_stored", "shipped"):
            level += row["quantity"] if row["event"] == "lot_stored" else -row["quantity"]
            lowest = min(lowest, level)
    tolerance = REL * max(1.0, s.max)
    if lowest < -tolerance or abs(level - s.end) > tolerance:
        out.append(f"storage replayed from the log: lowest {lowest}, end {level} (record {s.end})")
    ends = {b.id: b for b in rec.buffers}
    for b, replayed in _buffers_replayed(log).items():
        end, units = ends[b], replayed.units
        if replayed.least < 0 or replayed.lowest < -1e-6:
            out.append(f"buffer {b} replayed from the log goes below zero: {replayed.least}"
                       f" lots, {replayed.lowest} units")  # fmt: skip
        if (replayed.lots, replayed.most) != (end.end_lots, end.max_lots):
            out.append(f"buffer {b} replayed from the log: {replayed.lots} lots at the end,"
                       f" {replayed.most} at most; the record: {end}")  # fmt: skip
        elif units is not None and not math.isclose(units, end.end_units, abs_tol=1e-6):
            out.append(f"buffer {b} replayed from the log ends with {units} units: {end}")
    return out


class _Replayed:
    """One buffer replayed from the log: lots in it, most lots at once, units in it (None once
    a lot came in whose size the log does not tell: a tested lot's sample size is not in it)."""

    def __init__(self) -> None:
        self.lots, self.most, self.least = 0, 0, 0
        self.units: float | None = 0.0
        self.lowest = 0.0  # units

    def add(self, lots: int, units: float | None) -> None:
        self.lots += lots
        self.most, self.least = max(self.most, self.lots), min(self.least, self.lots)
        self.units = None if self.units is None or units is None else self.units + units
        self.lowest = min(self.lowest, self.units or 0.0)


def _buffers_replayed(log: list[dict[str, Any]]) -> dict[str, _Replayed]:
    """The buffers as the log tells: a lot comes in when queued and leaves when a test or a
    process starts on it, or when an assembly has consumed all its units. A buffer that held
    a component lot of unknown size is left out (when it leaves is not known)."""
    sizes: dict[str, float | None] = {}  # lot -> its units as far as the log tells
    where: dict[str, str] = {}  # lot -> the buffer it waits in
    out: dict[str, _Replayed] = {}
    unknown: set[str] = set()
    for row in log:
        lot, event, quantity = row["lot"], row["event"], row["quantity"]
        size = sizes.get(lot)
        if event == "lot_queued":
            where[lot] = row["related"]
            out.setdefault(row["related"], _Replayed()).add(1, size)
        elif event in ("test_started", "process_started") and lot in where:
            out[where.pop(lot)].add(-1, None if size is None else -size)
        elif event == "component_consumed":
            left = sizes[lot] = None if size is None else size - quantity
            if left is None:
                unknown.add(where[lot])
            out[where[lot]].add(0, -quantity)
            if left is not None and left <= 1e-9:
                out[where.pop(lot)].add(-1, 0.0)
        if event in ("lot_produced", "lot_processed"):
            sizes[lot] = quantity
        elif event == "test_started":
            sizes[lot] = None
    return {b: r for b, r in out.items() if b not in unknown}


# --- the differential test ----------------------------------------------------------------------


def _cases() -> Iterator[Any]:
    for name, model, horizon in CASES:
        for seed in SEEDS:
            known = KNOWN.get(name)
            marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
            yield pytest.param(name, model, horizon, seed, id=f"{name}-seed{seed}", marks=marks)


@dataclasses.dataclass(frozen=True)
class Reference:
    """A run of the interpreted engine, as its process wrote it."""

    kpis: dict[str, Any]
    log: pa.Table

    def events(self) -> pa.Table:
        return self.log


@pytest.fixture(scope="module")
def interpreted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, bytes]]:
    """Every case run by the interpreted engine in a process of its own."""
    out = tmp_path_factory.mktemp("interpreted") / "runs.pickle"
    root = Path(__file__).parents[2]
    env = {**os.environ, "PLANTWIN_ENGINE": "python"}
    subprocess.run(
        [sys.executable, "-m", "tests.sim.interpreted", str(out)], cwd=root, env=env, check=True
    )
    with out.open("rb") as f:
        runs: dict[str, tuple[str, bytes]] = pickle.load(f)
    return runs


@pytest.mark.parametrize(("name", "model", "horizon", "seed"), list(_cases()))
def test_the_engines_agree_bit_for_bit_and_keep_the_invariants(
    name: str,
    model: Model,
    horizon: float | None,
    seed: int,
    interpreted: dict[str, tuple[str, bytes]],
) -> None:
    text, log = interpreted[f"{name}-seed{seed}"]
    reference = Reference(json.loads(text), pa.ipc.open_stream(log).read_all())
    first, second = (run(engine, model, seed, horizon) for engine in ENGINES)
    for other in (reference, second):
        found = difference(first, other)  # type: ignore[arg-type]
        assert found is None, f"{name}, seed {seed}: {found}"
    for which, result in (("first", first), ("second", second)):
        broken = broken_invariants(result)
        assert not broken, f"{name}, seed {seed}, {which} run:\n" + "\n".join(broken)
    if seed == 1:
        SEEN[name] = shown(first)


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="CI builds the engine from nothing")
def test_ci_compares_the_engine_its_build_compiled_with_the_interpreted_one() -> None:
    """On CI's fresh install the candidate is compiled as soon as a module is to be."""
    expected = ("compiled", "") if COMPILED else ("interpreted", "no module is compiled yet")
    assert expected == (plantwin.sim.ENGINE, plantwin.sim.ENGINE_NOTE)


def shown(result: RunResult) -> frozenset[str]:
    """What a run shows: its log's events, and "storage full" when storage came within a lot
    of its capacity."""
    events = set(result.events().column("event").to_pylist())
    storage, makers = result.record.storage, result.record.lines
    room = (storage.capacity or math.inf) - max(x.lot_size for x in makers)
    return frozenset(events | ({"storage full"} if storage.max > room else set()))


def test_the_generated_runs_show_every_behaviour() -> None:
    """Each behaviour of ``BEHAVIOURS`` happens in seed 1's run of at least MIN_COVER generated
    scenarios, so the comparison covers it (the fields alone do not make it happen)."""
    counts = Counter[str]()
    for name, model in GENERATED:
        if name not in SEEN:  # this test run alone
            SEEN[name] = shown(run(ENGINES[0], model, 1, None))
        counts.update(SEEN[name] & set(BEHAVIOURS))
    rare = {b: counts[b] for b in BEHAVIOURS if counts[b] < MIN_COVER}
    assert not rare, f"behaviours seen in fewer than {MIN_COVER} generated runs: {rare}"


# --- the generator ------------------------------------------------------------------------------


def test_the_generated_scenarios_cover_every_feature() -> None:
    counts = Counter(f for _, model in GENERATED for f in features(model))
    rare = {f: counts[f] for f in FEATURES if counts[f] < MIN_COVER}
    assert not rare, f"features in fewer than {MIN_COVER} generated scenarios: {rare}"


def test_the_generator_draws_200_short_named_plants_of_both_formats() -> None:
    names = [name for name, _ in GENERATED]
    assert len(names) == len(set(names)) == 200
    forms = Counter(type(model) for _, model in GENERATED)
    assert forms[Scenario] == forms[Network] == 100
    for name, model in GENERATED:
        assert model.plant.name == name
        assert 14 * 24 <= duration_hours(model.plant.horizon, model.plant.start) <= 60 * 24


def test_the_generator_is_deterministic_and_the_seed_matters() -> None:
    again = generated(20, seed=0)
    assert again == GENERATED[:20]
    other = generated(20, seed=1)
    assert [m for _, m in other] != [m for _, m in again]


# --- the comparison sees what it must -----------------------------------------------------------


@pytest.fixture(scope="module")
def assembly() -> tuple[RunResult, RunResult]:
    """The built-in assembly plant, 30 days, seeds 1 and 2."""
    model = builtin("assembly")
    return run(ENGINES[0], model, 1, 720.0), run(ENGINES[0], model, 2, 720.0)


def test_runs_of_other_seeds_differ(assembly: tuple[RunResult, RunResult]) -> None:
    one, two = assembly
    assert difference(one, one) is None
    assert kpi_difference(one.kpis, two.kpis) is not None
    assert table_difference(one.events(), two.events()) is not None


def _with_time(table: pa.Table, row: int, value: float) -> pa.Table:
    times = table.column("time").to_numpy().copy()
    times[row] = value
    return table.set_column(0, "time", pa.array(times))


def test_a_float_differing_in_its_last_bit_is_a_difference(
    assembly: tuple[RunResult, RunResult],
) -> None:
    table = assembly[0].events()
    t = table.column("time")[100].as_py()
    assert table_difference(table, _with_time(table, 100, t)) is None
    changed = table_difference(table, _with_time(table, 100, float(np.nextafter(t, math.inf))))
    assert changed is not None and changed.startswith("column time, row 100 ")
    assert kpi_difference({"x": 0.0}, {"x": -0.0}) == "kpis.x: 0.0 != -0.0"
    assert kpi_difference({"x": math.nan}, {"x": math.nan}) is None
    assert kpi_difference({"x": {"y": 1}}, {"x": {"y": 1, "z": 2}}) is not None


def test_a_broken_invariant_is_reported(assembly: tuple[RunResult, RunResult]) -> None:
    result = assembly[0]
    assert broken_invariants(result) == []
    kpis = json.loads(json.dumps(result.kpis))
    kpis["lines"]["final-asm"]["hours"]["producing"] += 1.0
    kpis["storage"]["nan"] = math.nan
    bad = dataclasses.replace(result, kpis=kpis)
    broken = broken_invariants(bad)
    assert len(broken) == 2
    assert broken[0].startswith("lines.final-asm: state hours sum to")
    assert broken[1].startswith("KPIs are not strict JSON")


def test_a_record_the_log_does_not_replay_is_reported(
    assembly: tuple[RunResult, RunResult],
) -> None:
    result = assembly[0]
    rec = result.record
    storage = dataclasses.replace(rec.storage, end=rec.storage.end + 1)
    buffers = (dataclasses.replace(rec.buffers[0], max_lots=rec.buffers[0].max_lots + 1),)
    record = dataclasses.replace(rec, storage=storage, buffers=buffers + rec.buffers[1:])
    broken = broken_invariants(dataclasses.replace(result, record=record))
    assert len(broken) == 2
    assert broken[0].startswith("storage replayed from the log: ")
    assert broken[1].startswith(f"buffer {rec.buffers[0].id} replayed from the log: ")
