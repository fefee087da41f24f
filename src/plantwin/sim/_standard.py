"""The standard's sampling for the range: ISO 2859-1 / MIL-STD-105E plans and switching rules.

One ``SwitchingRules`` state machine per product, from ``plantwin.sampling``; plans are cached
per (lot size, state) because the range asks for one at every test start.
"""

from __future__ import annotations

from plantwin.sampling import InspectionState, SamplingPlan, SwitchingRules
from plantwin.scenario import Sampling
from plantwin.sim._inspection import Plan, Switch

__all__ = ["StandardInspection"]

# the states' names: an Enum member's ``value`` is a property, slow on the range's hot path
_NAMES = {state: state.value for state in InspectionState}


class StandardInspection:
    """Single sampling by the standard's tables, one switching state per product."""

    def __init__(self, sampling: Sampling, products: list[str]) -> None:
        assert sampling.aql is not None
        self._rules = {
            p: SwitchingRules(
                sampling.aql, sampling.level, sampling.standard, switching=sampling.switching
            )
            for p in products
        }
        self._plans: dict[tuple[str, int, InspectionState], Plan] = {}

    def plan(self, product: str, lot_size: int) -> Plan | None:
        rules = self._rules[product]
        state = rules.state
        if state is InspectionState.DISCONTINUED:
            return None
        key = (product, lot_size, state)
        cached = self._plans.get(key)
        if cached is None:
            sp = rules.plan(lot_size)
            cached = self._plans[key] = Plan(sp.n, sp.ac, sp.re, state.value, sp)
        return cached

    def record(self, product: str, plan: Plan, defectives: int) -> Switch | None:
        assert isinstance(plan.source, SamplingPlan)
        t = self._rules[product].record(defectives, plan.source)
        if t is None:
            return None
        return Switch(product, t.from_state.value, t.to_state.value, t.reason)

    def state(self, product: str) -> str:
        return _NAMES[self._rules[product].state]

    def resume(self, product: str) -> Switch:
        t = self._rules[product].resume()
        return Switch(product, t.from_state.value, t.to_state.value, t.reason)
