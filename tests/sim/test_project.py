"""Building the plant: deliveries, blocks, installation in powered working time, ramp-up, backup."""

from __future__ import annotations

import pytest

from plantwin.kpis import monthly, pace_reached
from plantwin.scenario import builtin
from plantwin.scenario._project import Backup, RampUp
from plantwin.sim import Simulation, simulate
from plantwin.sim._ramp import Ramp

from .conftest import TWENTY_FOUR_SEVEN, ScenarioFactory

LINE = {"id": "L1", "products": ["a"], "rate": 1000, "performance": 0.9, "lot_size": 10_000}


def _project(**kw: object) -> dict[str, object]:
    return {
        "delivery": "2025-07-05",  # 96 h after the start
        "delivery_delay": {"dist": "constant", "value": 48},
        "installation": {"dist": "constant", "value": 100},
        **kw,
    }


def _commissioned(s: object, horizon: str = "60d") -> float:
    hours = simulate(s, 0, horizon=horizon).kpis["lines"]["L1"]["commissioned_hours"]  # type: ignore[arg-type]
    assert hours is not None
    return float(hours)


def test_fixed_delays_give_the_exact_commissioning_time(make_scenario: ScenarioFactory) -> None:
    s = make_scenario(calendar=TWENTY_FOUR_SEVEN, lines=[{**LINE, "project": _project()}])
    assert _commissioned(s) == pytest.approx(96 + 48 + 100)


def test_installation_counts_working_hours_only(make_scenario: ScenarioFactory) -> None:
    # delivered Sat 2025-07-05 00:00 (no delay); 40 working hours on Mon-Fri 06:00-22:00:
    # Mon 16 h + Tue 16 h + 8 h on Wed -> Wed 2025-07-09 14:00 = 8 d 14 h after the start
    s = make_scenario(lines=[{**LINE, "project": _project(
        delivery_delay={"dist": "constant", "value": 0},
        installation={"dist": "constant", "value": 40})}])  # fmt: skip
    assert _commissioned(s) == pytest.approx(8 * 24 + 14)


def test_an_outage_during_installation_delays_it_by_the_hours_lost(
    make_scenario: ScenarioFactory,
) -> None:
    quiet = make_scenario(calendar=TWENTY_FOUR_SEVEN, lines=[{**LINE, "project": _project()}])
    # one 10-hour cut from 150 h to 160 h, inside the installation (144 h to 244 h)
    cut = {"cuts": {"between": {"dist": "constant", "value": 150},
                    "duration": {"dist": "constant", "value": 10}}}  # fmt: skip
    cut_s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN, lines=[{**LINE, "project": _project()}], grid=cut
    )
    assert _commissioned(cut_s, "12d") - _commissioned(quiet, "12d") == pytest.approx(10)
    rows = simulate(cut_s, 0, horizon="12d").event_log.rows()  # type: ignore[union-attr]
    events = [(r.time, r.event) for r in rows if r.event.startswith("installation")]
    assert events == [
        (144.0, "installation_started"),
        (150.0, "installation_paused"),
        (160.0, "installation_resumed"),
        (254.0, "installation_finished"),
    ]


def test_a_blocked_shipment_shifts_the_line_by_the_resourcing_time(
    make_scenario: ScenarioFactory,
) -> None:
    free = make_scenario(calendar=TWENTY_FOUR_SEVEN, lines=[{**LINE, "project": _project()}])
    blocked = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        suppliers=[{"id": "S", "block_probability": 1.0,
                    "resource_time": {"dist": "constant", "value": 500}}],
        lines=[{**LINE, "project": _project(supplier="S")}],
    )  # fmt: skip
    assert _commissioned(blocked) - _commissioned(free) == pytest.approx(500)
    rows = simulate(blocked, 0, horizon="60d").event_log.rows()  # type: ignore[union-attr]
    assert [(r.time, r.event) for r in rows if r.event in ("shipment_blocked", "resourced")] == [
        (144.0, "shipment_blocked"),
        (644.0, "resourced"),
    ]


@pytest.mark.parametrize("shape", ["linear", "learning"])
def test_ramp_output_equals_its_analytic_integral(
    make_scenario: ScenarioFactory, shape: str
) -> None:
    s0, d, rate = 0.25, 300.0, 1000 * 0.9
    ramp = {"start": s0, "duration": d, "shape": shape}
    s = make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        lines=[{**LINE, "project": _project(
            delivery="2025-07-01", delivery_delay={"dist": "constant", "value": 0},
            installation={"dist": "constant", "value": 0}, ramp_up=ramp)}],
    )  # fmt: skip

    def integral(u: float) -> float:  # of the rate factor over the first u*d hours
        if shape == "linear":
            return d * (s0 * u + (1 - s0) * u * u / 2)
        return d * (u - (1 - s0) * (1 - (1 - u) ** 3) / 3)

    sim = Simulation(s, 0, horizon=500)
    for t in (50.0, 150.0, 299.0):
        sim.run_until(t)
        made = sim.balance()["a"]["made"]
        assert made == pytest.approx(rate * integral(t / d), rel=1e-9)
    k = sim.run().kpis
    assert k["output"]["units_made"] == pytest.approx(rate * (integral(1) + 200), rel=1e-9)
    # performance shows the ramp as a speed loss
    assert k["lines"]["L1"]["performance"] == pytest.approx(0.9 * (integral(1) + 200) / 500)


def test_ramp_defect_factor_falls_with_the_rate() -> None:
    ramp = Ramp(RampUp(start=0.5, duration=100, defect_factor=4.0), t0=10)
    assert ramp.defect(10) == pytest.approx(4.0)
    assert ramp.defect(60) == pytest.approx(2.5)
    assert ramp.defect(110) == 1.0
    assert ramp.factor(60) == pytest.approx(0.75)
    assert ramp.solve(ramp.integral(37.5)) == pytest.approx(37.5)


def test_backup_that_carries_every_line_removes_power_out() -> None:
    s = builtin("maracay")
    backup = Backup(lines=[ln.id for ln in s.lines], range=True)
    grid = s.grid.model_copy(update={"backup": backup})
    with_backup = s.model_copy(update={"grid": grid})
    base = simulate(s, 2, horizon="120d").kpis
    k = simulate(with_backup, 2, horizon="120d").kpis
    assert k["grid"]["cuts"] == base["grid"]["cuts"] > 0  # the same cuts happened
    assert sum(v["hours"]["power_out"] for v in base["lines"].values()) > 0
    for v in k["lines"].values():
        assert v["hours"]["power_out"] == 0
        assert v["hours"]["restarting"] == 0
    assert k["output"]["units_made"] > base["output"]["units_made"]


def test_backup_after_a_start_delay_costs_the_delay_and_a_restart(
    make_scenario: ScenarioFactory,
) -> None:
    cut = {"restart": 0.5, "cuts": {"between": {"dist": "constant", "value": 30},
                                    "duration": {"dist": "constant", "value": 10}},
           "backup": {"lines": ["L1"], "start_delay": 0.25}}  # fmt: skip
    s = make_scenario(calendar=TWENTY_FOUR_SEVEN, grid=cut)
    hours = simulate(s, 0, horizon=45).kpis["lines"]["L1"]["hours"]
    assert hours["power_out"] == pytest.approx(0.25)
    assert hours["restarting"] == pytest.approx(0.5)  # after the generators take over only


def test_pace_and_monthly_helpers() -> None:
    lots = [(float(t), 100) for t in range(0, 2000, 10)]  # 10 units an hour
    # a 672-hour window ending on a lot holds 68 lots: 0, 10, ..., 670
    assert pace_reached(lots, 100 * 68) == 670.0
    assert pace_reached(lots, 100 * 69) is None
    from datetime import date

    m = monthly(lots, date(2025, 2, 1), 2000.0)
    assert sum(m.values()) == 100 * 200
    assert m["2025-02"] == 100 * len(range(0, 672, 10))
