"""What a multi-product line makes next is a dispatcher's decision (``simulate(dispatcher=)``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from plantwin.scenario import Scenario
from plantwin.sim import CampaignRule, DispatchView, simulate

from .conftest import TWENTY_FOUR_SEVEN, ScenarioFactory


class Alternate:
    """Switches product after every lot."""

    def next_product(self, line: DispatchView, need: Callable[[str], float]) -> str | None:
        others = [p for p in line.products if p != line.product]
        return others[0]


class Nothing:
    """Never starts a lot."""

    def next_product(self, line: DispatchView, need: Callable[[str], float]) -> str | None:
        return None


@pytest.fixture
def two_products(make_scenario: ScenarioFactory) -> Scenario:
    """One line making a and b, 1,000 units an hour in lots of 1,000, changeover 1 h."""
    return make_scenario(
        calendar=TWENTY_FOUR_SEVEN,
        lines=[{"id": "L1", "products": ["a", "b"], "rate": 1000, "lot_size": 1000}],
        changeover={"campaign_lots": 5, "time": {"dist": "constant", "value": 1}},
    )


def test_a_dispatcher_decides_every_lot(two_products: Scenario) -> None:
    """Alternating from the first lot: a 1 h changeover before every 1 h lot, the first too
    (it is of the other product than the line is set up for)."""
    result = simulate(two_products, 1, horizon="20h", dispatcher=Alternate())
    events = result.events().to_pylist()
    started = [r["product"] for r in events if r["event"] == "lot_started"]
    assert started[:4] == ["b", "a", "b", "a"]
    setups = [r for r in events if r["event"] == "setup"]
    assert len(setups) == len(started)
    hours = result.kpis["lines"]["L1"]["hours"]
    assert hours["changeover"] == pytest.approx(10.0)
    assert hours["producing"] == pytest.approx(10.0)


def test_a_dispatcher_that_chooses_nothing_starves_the_line(two_products: Scenario) -> None:
    result = simulate(two_products, 1, horizon="20h", dispatcher=Nothing())
    assert result.kpis["lines"]["L1"]["hours"]["starved"] == pytest.approx(20.0)


def test_the_default_is_the_campaign_rule(two_products: Scenario) -> None:
    default = simulate(two_products, 1, horizon="20h")
    explicit = simulate(two_products, 1, horizon="20h", dispatcher=CampaignRule())
    assert default.kpis == explicit.kpis
    assert default.events().equals(explicit.events())
    # nothing is ordered: the line keeps to its initial product, with no changeover
    assert default.kpis["lines"]["L1"]["hours"]["changeover"] == 0


class CampaignUnlessStarved:
    """The campaign rule, but never leaves a line idle: a dispatcher of one's own that hands
    the line it is given on to the campaign rule."""

    def __init__(self) -> None:
        self.rule = CampaignRule()
        self.asked = 0

    def next_product(self, line: DispatchView, need: Callable[[str], float]) -> str | None:
        self.asked += 1
        return self.rule.next_product(line, need) or line.product


def test_a_dispatcher_may_hand_its_line_on_to_the_campaign_rule(two_products: Scenario) -> None:
    wrapped = CampaignUnlessStarved()
    result = simulate(two_products, 1, horizon="20h", dispatcher=wrapped)
    default = simulate(two_products, 1, horizon="20h")
    assert wrapped.asked == result.kpis["lines"]["L1"]["lots_made"] + 1  # and the lot in work
    assert result.kpis == default.kpis  # the rule never answers None for a make-to-stock line
