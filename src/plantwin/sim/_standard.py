"""The standard's sampling for the range: ISO 2859-1 / MIL-STD-105E plans and switching rules.

One ``SwitchingRules`` state machine per product (by product index), from ``plantwin.sampling``.
The range asks for a plan at every test start: each product keeps the plan it last handed out
(lots of a product mostly come in one size and state), and plans are cached for the process, as
every replication of a scenario asks for the same few.
"""

from __future__ import annotations

import functools

from plantwin.sampling import SamplingPlan, SwitchingRules, Transition, plan
from plantwin.scenario import Sampling
from plantwin.sim._inspection import Inspection, Plan, Switch

__all__ = ["StandardInspection"]


@functools.lru_cache(maxsize=1024)
def _plan(lot_size: int, aql: str, level: str, state: str, scheme: str) -> Plan:
    """The plan of the standard's tables for a lot in an inspection state."""
    sp = plan(lot_size, aql, level, state, scheme)
    return Plan(sp.n, sp.ac, sp.re, state, sp)


class _Stream:
    """One product's switching rules, its state by name, and the plan it last handed out."""

    __slots__ = ("last", "last_size", "last_state", "rules", "state")

    def __init__(self, rules: SwitchingRules) -> None:
        self.rules = rules
        self.state: str = rules.state.value  # kept here: the range reads it at every lot
        self.last: Plan | None = None
        self.last_size = 0  # the lot size and the state object ``last`` was asked for
        self.last_state = ""


class StandardInspection(Inspection):
    """Single sampling by the standard's tables, one switching state per product."""

    def __init__(self, sampling: Sampling, products: list[str]) -> None:
        assert sampling.aql is not None
        self._products = products
        self._streams = [
            _Stream(
                SwitchingRules(
                    sampling.aql, sampling.level, sampling.standard, switching=sampling.switching
                )
            )
            for _ in products
        ]

    def plan(self, product: int, lot_size: int) -> Plan | None:
        s = self._streams[product]
        # ``is``: the state object the last plan was asked for, not set again since
        if s.state is not s.last_state or lot_size != s.last_size:
            if s.state == "discontinued":
                return None
            rules = s.rules
            s.last = _plan(lot_size, rules.aql, rules.level, s.state, rules.scheme)
            s.last_size, s.last_state = lot_size, s.state
        return s.last

    def record(self, product: int, plan: Plan, defectives: int) -> Switch | None:
        source = plan.source
        assert isinstance(source, SamplingPlan)
        s = self._streams[product]
        t = s.rules.record(defectives, source)
        return None if t is None else self._switched(product, t)

    def state(self, product: int) -> str:
        s = self._streams[product]
        return s.state

    def resume(self, product: int) -> Switch:
        s = self._streams[product]
        return self._switched(product, s.rules.resume())

    def _switched(self, product: int, t: Transition) -> Switch:
        s = self._streams[product]
        s.state = t.to_state.value
        return Switch(self._products[product], t.from_state.value, t.to_state.value, t.reason)
