"""The tallies by product that a run's record holds agree with its event log, product by product.

The engine keeps them by product index (a lot carries its product's index); these tests pin
that every unit and lot is credited to its own product, on the built-in plants with several
products: maracay (three products on shared lines, the standard's switching rules) and assembly
(components and assemblies, a kit buffer kept per product, a process stage).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from plantwin import RunResult, builtin, simulate
from plantwin.sim import EventRecord

PLANTS = ["maracay", "assembly"]


@pytest.fixture(scope="module", params=PLANTS)
def run(request: pytest.FixtureRequest) -> RunResult:
    return simulate(builtin(request.param), 7)


def _rows(run: RunResult) -> list[EventRecord]:
    assert run.event_log is not None
    return run.event_log.rows()


def _sums(run: RunResult, event: str, by_related: bool = False) -> dict[tuple[str, str], float]:
    """Quantities of ``event`` summed by (product, related object or "")."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for r in _rows(run):
        if r.event == event:
            out[r.product, r.related if by_related else ""] += r.quantity
    return out


def _counts(run: RunResult, event: str) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in _rows(run):
        if r.event == event:
            out[r.product] += 1
    return out


def test_tallies_are_keyed_by_product_in_scenario_order(run: RunResult) -> None:
    products = [p.id for p in run.scenario.products]
    rec = run.record
    for tally in (rec.shipped, rec.storage.by_product, rec.range.tested, rec.range.stored):
        assert list(tally) == products


def test_storage_and_shipments_by_product_match_the_log(run: RunResult) -> None:
    rec = run.record
    stored, shipped = _sums(run, "lot_stored"), _sums(run, "shipped")
    assert sum(shipped.values()) > 0
    for p in rec.shipped:
        assert rec.range.stored[p] == stored[p, ""]
        assert rec.shipped[p] == shipped[p, ""]
        assert rec.storage.by_product[p] == stored[p, ""] - shipped[p, ""]


def test_verdicts_by_product_match_the_log(run: RunResult) -> None:
    rng = run.record.range
    accepted, rejected = _counts(run, "lot_accepted"), _counts(run, "lot_rejected")
    scrapped = _sums(run, "lot_scrapped")
    assert sum(accepted.values()) > 0
    for p in rng.tested:
        assert rng.tested[p] == accepted[p] + rejected[p]
        assert rng.accepted[p] == accepted[p]
        assert rng.scrapped[p] == scrapped[p, ""]
        assert sum(rng.inspection_lots[p].values()) == rng.tested[p]


def test_inspection_state_by_product_is_its_last_switch_in_the_log(run: RunResult) -> None:
    last: dict[str, str] = {}
    for r in _rows(run):
        if r.object_type == "inspection":
            last[r.object_id] = r.event
    assert last  # the plants switch inspection state within the year
    for p, state in run.record.range.inspection_state.items():
        assert state == last.get(p, "normal")


def test_each_lines_output_and_consumption_by_product_match_the_log(run: RunResult) -> None:
    produced = _sums(run, "lot_produced", by_related=True)
    processed = _sums(run, "lot_processed", by_related=True)
    consumed = _sums(run, "component_consumed", by_related=True)
    for line in run.record.lines:
        made = processed if line.role == "process" else produced
        assert line.made == {p: u for (p, lid), u in made.items() if lid == line.id} | {
            p: 0.0 for p in line.made if (p, line.id) not in made
        }
        assert line.consumed == {p: u for (p, lid), u in consumed.items() if lid == line.id}


def test_completions_are_the_end_products_lots_in_the_order_they_were_made(run: RunResult) -> None:
    """The record's completions (what output over time is counted from) are the log's lots
    produced of end products: their times and units, in order."""
    end = set(run.record.end_products)
    expected = [
        (r.time, r.quantity) for r in _rows(run) if r.event == "lot_produced" and r.product in end
    ]
    completions = run.record.completions
    assert expected and list(completions) == expected
    assert len(completions) == len(expected)
    assert completions[len(expected) - 1] == expected[-1]


def test_a_records_completions_stay_as_they_were_when_the_run_goes_on() -> None:
    from plantwin.sim import Completions, Simulation

    sim = Simulation(builtin("maracay"), 3, event_log=False)
    sim.run_until(24 * 30)
    first = RunResult.from_simulation(sim).record.completions
    kept = list(first)
    sim.run_until(24 * 60)
    assert list(first) == kept
    assert len(RunResult.from_simulation(sim).record.completions) > len(kept)
    assert first == Completions(kept) and first != Completions(kept[:-1])
