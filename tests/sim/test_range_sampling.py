"""The range under the standard's sampling: plans, switches, discontinuation and resumption."""

from __future__ import annotations

import pytest

from plantwin.sampling import plan as standard_plan
from plantwin.sim import simulate

from .conftest import TWENTY_FOUR_SEVEN, ScenarioFactory


def _standard_range(lanes: int = 1, **sampling: object) -> dict[str, object]:
    return {
        "lanes": lanes,
        "test_time": {"dist": "constant", "value": 1},
        # plan None drops the base scenario's fixed plan
        "sampling": {"plan": None, "standard": "iso2859-1", "level": "II", "aql": 0.65, **sampling},
    }


def test_every_lot_rejected_drives_the_prescribed_switches(make_scenario: ScenarioFactory) -> None:
    """All lots fail: 2 rejects -> tightened, 5 more -> discontinued, resume -> tightened, ..."""
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        products=[{"id": "a", "defect_fraction": {"dist": "constant", "value": 0.5}}],
        range=_standard_range(resume_after={"dist": "constant", "value": 100}),
    )
    result = simulate(s, 0, horizon="30d")
    rows = result.event_log.rows()
    switches = [(r.time, r.event) for r in rows if r.object_type == "inspection"]
    events = [e for _, e in switches]
    assert events[:5] == ["tightened", "discontinued", "tightened", "discontinued", "tightened"]
    tests = [r.time for r in rows if r.event == "test_started"]
    verdicts = [r.time for r in rows if r.event in ("lot_accepted", "lot_rejected")]
    assert len(tests) >= 14
    # 2 lots on normal, then 5 on tightened before discontinuation
    assert switches[0][0] == verdicts[1]
    assert switches[1][0] == verdicts[6]
    # nothing is tested while discontinued; the resumption comes resume_after hours later
    stop, resume = switches[1][0], switches[2][0]
    assert resume == pytest.approx(stop + 100)
    assert not [t for t in tests if stop < t < resume]
    assert [t for t in tests if t == resume]  # a waiting lot starts at once
    k = result.kpis["range"]["by_product"]["a"]
    assert k["lots_accepted"] == 0
    assert sum(k["inspection_hours"].values()) == pytest.approx(720)
    assert k["inspection_hours"]["discontinued"] >= 200
    assert sum(k["inspection_lots"].values()) == k["lots_tested"]


def test_samples_follow_the_standards_plan_in_each_state(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        products=[{"id": "a", "defect_fraction": {"dist": "beta", "mean": 0.004, "cv": 1.5}}],
        lines=[{"id": "L1", "products": ["a"], "rate": 20_000, "lot_size": 100_000}],
        range=_standard_range(lanes=2),
    )
    k = simulate(s, 3, horizon="1y").kpis
    by = k["range"]["by_product"]["a"]
    assert by["switches"] > 0 and len(by["inspection_lots"]) >= 2
    expected = sum(
        lots * standard_plan(100_000, 0.65, "II", state, "iso2859-1").n
        for state, lots in by["inspection_lots"].items()
    )
    assert k["range"]["units_sampled"] == expected
    assert k["conservation"]["ok"]


def test_switching_off_keeps_normal_inspection(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(
        products=[{"id": "a", "defect_fraction": {"dist": "constant", "value": 0.05}}],
        range=_standard_range(switching=False),
    )
    k = simulate(s, 0, horizon="30d").kpis["range"]["by_product"]["a"]
    assert k["lots_tested"] > 5
    assert k["switches"] == 0
    assert set(k["inspection_lots"]) == {"normal"}


def test_a_plan_is_a_value() -> None:
    """Plans compare and hash by their fields (they were tuples), and print them."""
    from plantwin.sim import Plan

    a, b = Plan(13, 0, 1, "normal"), Plan(13, 0, 1, "normal")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Plan(13, 0, 1, "tightened") and a != Plan(20, 0, 1, "normal")
    assert a != (13, 0, 1, "normal", None)
    assert (a.n, a.ac, a.re, a.state, a.source) == (13, 0, 1, "normal", None)
    assert repr(a) == "Plan(n=13, ac=0, re=1, state='normal')"
