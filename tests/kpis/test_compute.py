"""KPIs come from the run record alone: a record made by hand gives the KPIs its numbers mean,
as typed models (``compute``) and as their dict (``compute_kpis``)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantwin import simulate
from plantwin.kpis import (
    CrewKpis,
    LineKpis,
    ProductBalance,
    RangeKpis,
    RunKpis,
    compute,
    compute_kpis,
    flatten,
    pace_reached,
)
from plantwin.scenario import parse_scenario
from plantwin.sim import (
    LINE_STATES,
    Completions,
    CrewRecord,
    GridRecord,
    LineRecord,
    OrderRecord,
    RangeRecord,
    RunRecord,
    StorageRecord,
)

_RANGE = RangeRecord(
    tested={"a": 57},
    accepted={"a": 57},
    sampled={"a": 285.0},
    scrapped={"a": 0.0},
    defectives_passed={"a": 54.15},
    stored={"a": 5415.0},
    held={"a": 0.0},
    inspection_state={"a": "normal"},
    inspection_hours={"a": {"normal": 100.0}},
    inspection_lots={"a": {"normal": 57}},
    switches={"a": 0},
)


def _record(small_toml: str) -> RunRecord:
    """100 h of line L1 (ideal 100 units/h): 60 h producing, 20 off shift, 20 failed; 5,700
    units made (57 lots of 100) of which 285 sampled and 5,415 stored; one order of 3,000 due
    at hour 50, 2,000 of it shipped on time and 1,000 after; one crew of 2 busy 30 h on 4
    repairs that stations waited 6 h for."""
    hours = dict.fromkeys(LINE_STATES, 0.0)
    hours.update(producing=60.0, off_shift=20.0, failed=20.0)
    return RunRecord(
        scenario=parse_scenario(small_toml),
        seed=3,
        replication=0,
        horizon=100.0,
        lines=(
            LineRecord(
                id="L1",
                role="produce",
                rate=100.0,
                lot_size=100,
                made={"a": 5700.0},
                lots=57,
                partial=0.0,
                stored=5415.0,
                failures=4,
                commissioned_at=0.0,
                hours=hours,
                consumed={},
            ),
        ),
        range=_RANGE,
        testers=(_RANGE,),
        buffers=(),
        crews=(CrewRecord(id="fitters", count=2, repairs=4, busy_hours=30.0, wait_hours=6.0),),
        end_products=("a",),
        storage=StorageRecord(
            capacity=None, min=0.0, mean=1000.0, max=3000.0, end=2415.0, by_product={"a": 2415.0}
        ),
        orders=(OrderRecord("o1", "a", 3000, 0.0, 50.0, 2000.0, 0.0, 80.0),),
        shipped={"a": 3000.0},
        grid=GridRecord(cuts=0, standstills=0, off=()),
        completions=Completions((float(t), 100) for t in range(1, 58)),
        balance={
            "a": {
                "made": 5700.0,
                "in_process": 0.0,
                "sampled": 285.0,
                "scrapped": 0.0,
                "in_storage": 2415.0,
                "shipped": 3000.0,
                "difference": 0.0,
            }
        },
        genealogy=(),
        events=200,
        log_records=400,
    )


def test_oee_and_orders_from_a_hand_made_record(small_toml: str) -> None:
    k = compute_kpis(_record(small_toml))
    line = k["lines"]["L1"]
    assert line["availability"] == pytest.approx(60 / (100 - 20))
    assert line["performance"] == pytest.approx(5700 / (100 * 60))
    assert line["quality"] == pytest.approx(5415 / 5700)
    assert line["oee"] == pytest.approx(0.75 * 0.95 * 0.95)
    assert line["lots_made"] == 57
    assert k["output"]["outgoing_defective_fraction"] == pytest.approx(0.01)
    assert k["orders"]["fill_rate"] == pytest.approx(2000 / 3000)
    assert k["orders"]["completed_on_time"] == 0
    assert k["orders"]["lead_time_mean_hours"] == 80.0
    assert k["conservation"]["ok"]


def test_the_typed_kpis_of_a_hand_made_record(small_toml: str) -> None:
    k = compute(_record(small_toml))
    assert isinstance(k, RunKpis)
    line = k.lines["L1"]
    assert isinstance(line, LineKpis)
    assert line.role == "produce"
    assert line.availability == pytest.approx(0.75)
    assert line.oee == pytest.approx(0.75 * 0.95 * 0.95)
    assert (line.lots_made, line.failures) == (57, 4)
    assert isinstance(line.lots_made, int)
    assert line.hours["failed"] == 20.0
    assert line.commissioned_date == "2025-01-06 00:00"
    assert k.output.units_made == 5700.0
    assert k.output.by_product["a"].units_stored == 5415.0
    assert k.output.monthly == {"2025-01": 5700.0}  # 57 lots in the first 100 h of January
    assert isinstance(k.range, RangeKpis)
    assert (k.range.lots_tested, k.range.lots_rejected) == (57, 0)
    assert k.range.by_product["a"].inspection_state == "normal"
    assert k.testers["range"].units_sampled == 285.0
    crew = k.crews["fitters"]
    assert isinstance(crew, CrewKpis)
    assert crew.utilisation == pytest.approx(30 / (2 * 100))
    assert crew.mean_wait_hours == pytest.approx(6 / 4)
    assert k.storage.capacity is None
    assert k.orders.units_ordered == 3000
    assert k.orders.backorders == 0.0
    assert k.grid.hours_without_power == 0
    balance = k.conservation.by_product["a"]
    assert isinstance(balance, ProductBalance)
    assert (balance.sampled, balance.in_storage, balance.shipped) == (285.0, 2415.0, 3000.0)
    assert balance.consumed is None  # no bill of materials
    assert k.conservation.ok is True
    assert (k.engine.events, k.engine.log_records) == (200, 400)


def test_the_models_are_frozen(small_toml: str) -> None:
    k = compute(_record(small_toml))
    with pytest.raises(FrozenInstanceError):
        k.lines["L1"].oee = 1.0  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        k.output = k.output  # type: ignore[misc]


def test_the_record_is_frozen(small_toml: str) -> None:
    r = _record(small_toml)
    with pytest.raises(FrozenInstanceError):
        r.horizon = 0.0  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        r.lines[0].failures = 0  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del r.storage.max


def test_a_broken_balance_is_reported(small_toml: str) -> None:
    r = _record(small_toml)
    broken = replace(r, balance={"a": {**r.balance["a"], "difference": 1.0}})
    assert compute(broken).conservation.ok is False
    assert compute_kpis(broken)["conservation"]["ok"] is False


def _nothing(small_toml: str) -> RunRecord:
    """A record of a plant with a nameplate that has run 0 hours: every denominator is 0."""
    with_nameplate = small_toml.replace('horizon = "7d"', 'horizon = "7d"\nnameplate = 1000')
    r = _record(with_nameplate)
    zero = {"a": 0.0}
    return replace(
        r,
        horizon=0.0,
        lines=(
            replace(
                r.lines[0],
                made=zero,
                lots=0,
                stored=0.0,
                failures=0,
                hours=dict.fromkeys(LINE_STATES, 0.0),
            ),
        ),
        range=replace(
            _RANGE,
            tested={"a": 0},
            accepted={"a": 0},
            sampled=zero,
            defectives_passed=zero,
            stored=zero,
            held=zero,
        ),
        crews=(CrewRecord(id="fitters", count=2, repairs=0, busy_hours=0.0, wait_hours=0.0),),
        orders=(),
        completions=Completions(),
    )


def test_every_ratio_is_none_when_its_denominator_is_zero(small_toml: str) -> None:
    k = compute(_nothing(small_toml))
    line, crew, out, orders = k.lines["L1"], k.crews["fitters"], k.output, k.orders
    ratios = {
        "lines.L1.availability": line.availability,  # producing / (horizon - off - not comm.)
        "lines.L1.performance": line.performance,  # made / (rate x producing)
        "lines.L1.quality": line.quality,  # stored / made
        "lines.L1.oee": line.oee,
        "output.outgoing_defective_fraction": out.outgoing_defective_fraction,
        "output.by_product.a.outgoing_defective_fraction": (
            out.by_product["a"].outgoing_defective_fraction
        ),
        "output.attainment": out.attainment,  # nameplate pace over 0 h
        "output.attainment_from_opening": out.attainment_from_opening,
        "crews.fitters.utilisation": crew.utilisation,  # busy / (count x 0 h)
        "crews.fitters.mean_wait_hours": crew.mean_wait_hours,  # per repair, of 0
        "orders.fill_rate": orders.fill_rate,  # of 0 units ordered
        "orders.fill_rate_from_opening": orders.fill_rate_from_opening,
        "orders.lead_time_mean_hours": orders.lead_time_mean_hours,  # over 0 completed orders
    }
    assert {name: value for name, value in ratios.items() if value is not None} == {}
    assert out.nameplate_units == 0.0  # the nameplate is there: only the window is empty
    flat = flatten(k.to_dict())
    assert [name for name in ratios if name in flat] == []  # and no number in the flat table


def test_a_ratio_with_a_denominator_is_a_number_even_when_zero(small_toml: str) -> None:
    """A station failed all the time has availability 0, not None; its performance and quality
    have no producing hours or units to divide by."""
    r = _nothing(small_toml)
    failed = dict.fromkeys(LINE_STATES, 0.0) | {"failed": 100.0}
    k = compute(replace(r, horizon=100.0, lines=(replace(r.lines[0], hours=failed),)))
    line = k.lines["L1"]
    assert line.availability == 0.0
    assert (line.performance, line.quality, line.oee) == (None, None, None)
    assert k.crews["fitters"].utilisation == 0.0


def test_a_run_s_kpis_are_those_of_its_record(small_toml: str) -> None:
    result = simulate(parse_scenario(small_toml), 1, horizon="2d")
    assert compute_kpis(result.record) == result.kpis
    assert compute(result.record).to_dict() == result.kpis
    assert flatten(result.kpis)["lines.L1.units_made"] == result.kpis["lines"]["L1"]["units_made"]


def _pace_by_definition(
    lots: list[tuple[float, int]], target: float, window: float
) -> float | None:
    """The first lot's time at which the lots finished in the trailing window (those later than
    its time - ``window``) reach ``target``: every window summed, lot by lot."""
    for t, _ in lots:
        if sum(u for s, u in lots if t - window < s <= t) >= target:
            return t
    return None


@settings(max_examples=300, deadline=None)
@given(
    gaps=st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0, 10.0, 40.0]), max_size=60),
    sizes=st.lists(st.integers(1, 500), min_size=60, max_size=60),
    target=st.integers(0, 3000),
    window=st.sampled_from([0.5, 1.0, 10.0, 24.0, 100.0]),
)
def test_the_pace_is_the_first_window_that_reaches_the_target(
    gaps: list[float], sizes: list[int], target: int, window: float
) -> None:
    lots = list(zip(accumulate(gaps), sizes, strict=False))  # times may tie (gap 0)
    expected = _pace_by_definition(lots, target, window)
    assert pace_reached(lots, target, window) == expected
    assert pace_reached(Completions(lots), target, window) == expected  # as a run records them
