"""KPIs come from the run record alone: a record made by hand gives the KPIs its numbers mean."""

from __future__ import annotations

from dataclasses import replace

import pytest

from plantwin import simulate
from plantwin.kpis import compute_kpis, flatten
from plantwin.scenario import parse_scenario
from plantwin.sim import (
    LINE_STATES,
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
    units made (57 lots of 100) of which 5,415 stored; one order of 3,000 due at hour 50, 2,000
    of it shipped on time and 1,000 after."""
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
        crews=(),
        end_products=("a",),
        storage=StorageRecord(
            capacity=None, min=0.0, mean=1000.0, max=3000.0, end=2415.0, by_product={"a": 2415.0}
        ),
        orders=(OrderRecord("o1", "a", 3000, 0.0, 50.0, 2000.0, 0.0, 80.0),),
        shipped={"a": 3000.0},
        grid=GridRecord(cuts=0, standstills=0, off=()),
        completions=tuple((float(t), 100) for t in range(1, 58)),
        balance={"a": {"made": 5700.0, "difference": 0.0}},
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


def test_a_broken_balance_is_reported(small_toml: str) -> None:
    r = _record(small_toml)
    broken = replace(r, balance={"a": {"made": 5700.0, "difference": 1.0}})
    assert compute_kpis(broken)["conservation"]["ok"] is False


def test_a_run_s_kpis_are_those_of_its_record(small_toml: str) -> None:
    result = simulate(parse_scenario(small_toml), 1, horizon="2d")
    assert compute_kpis(result.record) == result.kpis
    assert flatten(result.kpis)["lines.L1.units_made"] == result.kpis["lines"]["L1"]["units_made"]
