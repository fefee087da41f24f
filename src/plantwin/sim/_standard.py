"""The standard's sampling for the range: ISO 2859-1 / MIL-STD-105E plans and switching rules.

One ``SwitchingRules`` state machine per product, from ``plantwin.sampling``; plans are cached
per (lot size, state) because the range asks for one at every test start.
"""

from __future__ import annotations

from plantwin.sampling import SamplingPlan, SwitchingRules, Transition
from plantwin.scenario import Sampling
from plantwin.sim._inspection import Plan, Switch

__all__ = ["StandardInspection"]


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
        # each product's state by name, kept here: the range reads it at every lot
        self._state = {p: rules.state.value for p, rules in self._rules.items()}
        self._plans: dict[tuple[str, int, str], Plan] = {}

    def plan(self, product: str, lot_size: int) -> Plan | None:
        state = self._state[product]
        if state == "discontinued":
            return None
        key = (product, lot_size, state)
        cached = self._plans.get(key)
        if cached is None:
            sp = self._rules[product].plan(lot_size)
            cached = self._plans[key] = Plan(sp.n, sp.ac, sp.re, state, sp)
        return cached

    def record(self, product: str, plan: Plan, defectives: int) -> Switch | None:
        assert isinstance(plan.source, SamplingPlan)
        rules = self._rules[product]
        t = rules.record(defectives, plan.source)
        return None if t is None else self._switched(product, t)

    def state(self, product: str) -> str:
        return self._state[product]

    def resume(self, product: str) -> Switch:
        return self._switched(product, self._rules[product].resume())

    def _switched(self, product: str, t: Transition) -> Switch:
        self._state[product] = t.to_state.value
        return Switch(product, t.from_state.value, t.to_state.value, t.reason)
