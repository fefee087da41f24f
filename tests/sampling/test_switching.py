"""Switching rules: scripted lot sequences drive exactly the switches of switching_rules.md 7."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plantwin.sampling import InspectionState, SamplingError, SwitchingRules, Transition, plan

DATA = Path(__file__).resolve().parents[2] / "src/plantwin/sampling/data/mil_std_105e.json"
LOT = 100_000  # level II -> code letter N
N, T, R, D = (
    InspectionState.NORMAL,
    InspectionState.TIGHTENED,
    InspectionState.REDUCED,
    InspectionState.DISCONTINUED,
)
ALLOWED = {(N, T), (N, R), (T, N), (T, D), (R, N), (D, T)}


@cache
def data() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return result


def normal_cell(letter: str, aql: str) -> dict[str, int]:
    result: dict[str, int] = data()["single_normal"]["plans"][letter][aql]
    return result


def tighter_aql(aql: str) -> str:
    values: list[str] = data()["aql_values"]
    return values[values.index(aql) - 1]


def run(rules: SwitchingRules, ds: list[int]) -> list[Transition | None]:
    """Inspect one lot per d with the current plan; return what each record returned."""
    return [rules.record(d, rules.plan(LOT)) for d in ds]


def reject_d(rules: SwitchingRules) -> int:
    return rules.plan(LOT).re


def to_tightened(rules: SwitchingRules) -> None:
    bad = reject_d(rules)
    run(rules, [bad, bad])
    assert rules.state is T


def test_enum_values_are_strings() -> None:
    assert [s.value for s in InspectionState] == ["normal", "tightened", "reduced", "discontinued"]
    assert InspectionState.NORMAL == "normal"


def test_starts_normal_with_the_normal_plan() -> None:
    rules = SwitchingRules(0.65)
    assert rules.state is N
    got = rules.plan(LOT)
    assert got == plan(LOT, 0.65)
    assert (got.n, got.ac, got.re) == (500, 7, 8)


def test_two_of_five_not_accepted_tightens() -> None:
    rules = SwitchingRules(0.65)
    outcomes = run(rules, [0, 8, 0, 0])
    assert outcomes == [None] * 4
    last = rules.record(9, rules.plan(LOT))
    assert last == Transition(N, T, "2 of last 5 lots not accepted")
    assert rules.state is T
    assert rules.plan(LOT).inspection == "tightened"


def test_two_consecutive_not_accepted_tighten_at_once() -> None:
    rules = SwitchingRules(0.65)
    assert run(rules, [8, 8]) == [None, Transition(N, T, "2 of last 2 lots not accepted")]


def test_reject_outside_the_five_lot_window_does_not_count() -> None:
    rules = SwitchingRules(0.65)
    assert run(rules, [8, 0, 0, 0, 0, 8]) == [None] * 6
    assert rules.state is N
    assert rules.recent == (True, True, True, True, False)


def test_window_starts_again_on_return_to_normal() -> None:
    rules = SwitchingRules(0.65)
    to_tightened(rules)
    transitions = run(rules, [0, 0, 0, 0, 0])
    assert transitions[-1] == Transition(T, N, "5 consecutive lots accepted")
    assert run(rules, [8]) == [None]  # rejects before the return are forgotten
    assert rules.state is N


def test_five_accepted_on_tightened_return_to_normal() -> None:
    rules = SwitchingRules(0.65)
    to_tightened(rules)
    tightened = rules.plan(LOT)
    assert (tightened.n, tightened.ac, tightened.re) == (500, 5, 6)
    assert run(rules, [5, 0, 1, 5]) == [None] * 4
    assert rules.accepted_in_a_row == 4
    assert rules.record(0, rules.plan(LOT)) == Transition(T, N, "5 consecutive lots accepted")


def test_five_cumulative_rejects_on_tightened_discontinue() -> None:
    rules = SwitchingRules(0.65)
    to_tightened(rules)
    # R A R A A R A A A R | A R : never 5 accepted in a row, rejects accumulate to 5
    ds = [6, 0, 6, 0, 0, 6, 0, 0, 0, 6, 0]
    assert run(rules, ds) == [None] * len(ds)
    assert rules.not_accepted_on_tightened == 4
    assert rules.state is T
    assert rules.record(6, rules.plan(LOT)) == Transition(T, D, "5 lots not accepted on tightened")
    assert rules.state is D
    with pytest.raises(SamplingError, match="discontinued"):
        rules.plan(LOT)


def test_resume_goes_to_tightened_with_fresh_counters() -> None:
    rules = SwitchingRules(0.65, start="tightened")
    run(rules, [6] * 5)
    assert rules.state is D
    assert rules.resume() == Transition(D, T, "resumed after corrective action")
    assert (rules.not_accepted_on_tightened, rules.accepted_in_a_row) == (0, 0)
    assert rules.plan(LOT).inspection == "tightened"
    run(rules, [6] * 4)
    assert rules.state is T


def test_resume_needs_discontinued() -> None:
    with pytest.raises(SamplingError, match="discontinued"):
        SwitchingRules(0.65).resume()


def test_lots_finishing_while_discontinued_are_ignored() -> None:
    rules = SwitchingRules(0.65, start="tightened")
    in_test = rules.plan(LOT)
    run(rules, [6] * 5)
    assert rules.record(0, in_test) is None
    assert rules.state is D


def test_iso_score_reaches_30_after_ten_lots_and_reduces() -> None:
    normal = normal_cell("N", "0.65")
    tighter = normal_cell("N", tighter_aql("0.65"))
    assert normal["ac"] >= 2 and tighter["n"] == normal["n"]  # premise: +3 rule applies
    rules = SwitchingRules(0.65)
    d = tighter["ac"]
    for lot in range(1, 10):
        assert rules.record(d, rules.plan(LOT)) is None
        assert rules.score == 3 * lot
    assert rules.record(d, rules.plan(LOT)) == Transition(N, R, "switching score 30 >= 30")
    reduced = rules.plan(LOT)
    assert (reduced.inspection, reduced.n, reduced.ac, reduced.re) == ("reduced", 200, 5, 6)


def test_accepted_lot_above_tighter_ac_resets_score() -> None:
    tighter = normal_cell("N", tighter_aql("0.65"))
    rules = SwitchingRules(0.65)
    run(rules, [0] * 9)
    assert rules.score == 27
    above = tighter["ac"] + 1
    assert rules.plan(LOT).accepts(above)  # accepted, but not at the tighter AQL
    assert rules.record(above, rules.plan(LOT)) is None
    assert (rules.score, rules.state) == (0, N)
    assert run(rules, [0] * 9) == [None] * 9
    assert rules.record(0, rules.plan(LOT)) is not None
    assert rules.state is R


def test_reject_resets_score() -> None:
    rules = SwitchingRules(0.65)
    run(rules, [0, 0, 0, 8])
    assert rules.score == 0


LETTER_LOT = {"H": 500, "J": 1200, "K": 3200, "L": 10_000, "M": 35_000, "N": 150_000}
LETTER_LOT |= {"P": 500_000, "Q": 10**6}  # the largest lot of each level II letter


def _cell_where(pred: Any) -> tuple[str, str]:
    """First (letter, AQL) whose normal cell and one-step-tighter cell satisfy ``pred``."""
    for letter, lot in LETTER_LOT.items():
        for aql in data()["aql_values"][1:]:
            this, tighter = normal_cell(letter, aql), normal_cell(letter, tighter_aql(aql))
            if this["n"] < lot and pred(this, tighter):
                return letter, aql
    raise AssertionError("no such cell")


def test_small_ac_plan_adds_two_per_accepted_lot() -> None:
    letter, aql = _cell_where(lambda c, _t: c["ac"] <= 1)
    lot = LETTER_LOT[letter]
    rules = SwitchingRules(aql)
    d = normal_cell(letter, aql)["ac"]
    for i in range(1, 15):
        assert rules.record(d, rules.plan(lot)) is None
        assert rules.score == 2 * i
    assert rules.record(d, rules.plan(lot)) == Transition(N, R, "switching score 30 >= 30")


def test_arrow_region_tighter_cell_with_other_sample_size_resets_score() -> None:
    letter, aql = _cell_where(lambda c, t: c["ac"] >= 2 and t["n"] != c["n"])
    lot = LETTER_LOT[letter]
    rules = SwitchingRules(aql)
    assert rules.plan(lot).code_letter == letter
    assert run_lot(rules, lot, [0] * 20) == [None] * 20
    assert (rules.score, rules.state) == (0, N)


def run_lot(rules: SwitchingRules, lot: int, ds: list[int]) -> list[Transition | None]:
    return [rules.record(d, rules.plan(lot)) for d in ds]


def test_iso_reduced_to_normal_on_a_reject_only() -> None:
    rules = SwitchingRules(0.65, start="reduced")
    reduced = rules.plan(LOT)
    assert reduced.re == reduced.ac + 1
    assert run(rules, [reduced.ac] * 5) == [None] * 5
    assert rules.record(reduced.re, rules.plan(LOT)) == Transition(
        R, N, "lot not accepted on reduced"
    )
    assert rules.score == 0


def test_mil_ten_accepted_lots_reduce() -> None:
    rules = SwitchingRules(0.65, scheme="mil-std-105e")
    ac = rules.plan(LOT).ac
    assert run(rules, [ac] * 9) == [None] * 9  # d above the tighter Ac still counts under MIL
    assert rules.score == 0
    assert rules.record(0, rules.plan(LOT)) == Transition(N, R, "10 lots accepted in a row")
    mil = rules.plan(LOT)
    assert (mil.n, mil.ac, mil.re) == (200, 3, 6)


def test_mil_reduced_gap_accepts_lot_but_reinstates_normal() -> None:
    rules = SwitchingRules(0.65, scheme="mil-std-105e", start="reduced")
    reduced = rules.plan(LOT)
    assert reduced.re - reduced.ac > 1  # premise: the cell has a gap
    assert run(rules, [reduced.ac] * 3) == [None] * 3
    d = reduced.ac + 1
    assert reduced.accepts(d)
    transition = rules.record(d, reduced)
    assert transition is not None
    assert (transition.from_state, transition.to_state) == (R, N)
    assert "Ac < d < Re" in transition.reason


def test_mil_reduced_reject_reinstates_normal() -> None:
    rules = SwitchingRules(0.65, scheme="mil-std-105e", start="reduced")
    reduced = rules.plan(LOT)
    transition = rules.record(reduced.re, reduced)
    assert transition == Transition(R, N, "lot not accepted on reduced")


def test_switching_off_stays_normal() -> None:
    rules = SwitchingRules(0.65, switching=False)
    assert run(rules, [8, 8, 8, 8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == [None] * 17
    assert rules.state is N
    with pytest.raises(SamplingError, match="switching"):
        SwitchingRules(0.65, start="tightened", switching=False)


def test_plan_fixed_before_a_switch_is_recorded_in_the_new_state() -> None:
    rules = SwitchingRules(0.65)
    lane_a, lane_b = rules.plan(LOT), rules.plan(LOT)
    run(rules, [8, 8])
    assert rules.state is T
    assert rules.record(0, lane_a) is None
    assert rules.record(8, lane_b) is None
    assert (rules.accepted_in_a_row, rules.not_accepted_on_tightened) == (0, 1)


def test_record_checks_its_inputs() -> None:
    rules = SwitchingRules(0.65)
    with pytest.raises(SamplingError, match="does not belong"):
        rules.record(0, plan(LOT, 1.0))
    with pytest.raises(SamplingError, match=r"0\.\.500"):
        rules.record(501, rules.plan(LOT))
    with pytest.raises(SamplingError, match="d=-1"):
        rules.record(-1, rules.plan(LOT))


def test_record_checks_every_lot_with_a_plan_it_has_seen() -> None:
    rules = SwitchingRules(0.65)
    seen = rules.plan(LOT)
    assert rules.record(0, seen) is None
    for bad in (501, -1, True, 1.0, 2**70):
        with pytest.raises(SamplingError, match=r"d=.* is invalid; allowed: integers 0\.\.500"):
            rules.record(bad, seen)
    with pytest.raises(SamplingError, match="does not belong"):
        rules.record(0, plan(LOT, 1.0))
    assert rules.record(500, seen) is None  # the seen plan still belongs after a foreign one
    assert rules.recent == (True, False)


def test_constructor_validates() -> None:
    with pytest.raises(SamplingError, match=r"0\.7"):
        SwitchingRules(0.7)
    with pytest.raises(SamplingError, match="normal, tightened, reduced"):
        SwitchingRules(0.65, start="discontinued")
    with pytest.raises(SamplingError, match="iso2859-1, mil-std-105e"):
        SwitchingRules(0.65, scheme="z14")


@settings(max_examples=150, deadline=None)
@given(
    aql=st.sampled_from(["0.65", "0.10", "1.5", "4.0", "25"]),
    scheme=st.sampled_from(["iso2859-1", "mil-std-105e"]),
    lot=st.sampled_from([20, 500, 100_000]),
    draws=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=120),
)
def test_only_allowed_transitions(aql: str, scheme: str, lot: int, draws: list[float]) -> None:
    rules = SwitchingRules(aql, scheme=scheme)
    for u in draws:
        if rules.state is D:
            transition: Transition | None = rules.resume()
        else:
            lot_plan = rules.plan(lot)
            # mostly small counts, so every state is visited
            d = min(lot_plan.n, int(u**3 * (lot_plan.re + 2)))
            before = rules.state
            transition = rules.record(d, lot_plan)
            if transition is None:
                assert rules.state is before
        if transition is not None:
            assert (transition.from_state, transition.to_state) in ALLOWED
            assert transition.to_state is rules.state
            assert transition.reason
        assert len(rules.recent) <= 5
        assert rules.recent.count(False) < 2
        assert rules.not_accepted_on_tightened < 5
        if rules.state is T:
            assert rules.accepted_in_a_row < 5
        if scheme == "mil-std-105e" and rules.state is N:
            assert rules.accepted_in_a_row < 10
        assert rules.score < 30
        if scheme == "mil-std-105e":
            assert rules.score == 0
