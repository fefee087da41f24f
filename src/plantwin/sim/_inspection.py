"""How the range decides a lot: the sampling plan per product and the switching state.

The range asks for the plan when a test starts and reports the sample's defectives when it
ends; an inspection scheme answers with the plan and any switch of inspection state. The range
names a product by its index among the plant's products (a lot's ``product_index``); a switch
names it by its id.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FixedInspection", "Inspection", "Plan", "Switch"]


class Plan:
    """A single sampling plan: sample n units; accept when d < re (d <= ac on most plans).

    ``state`` is the inspection state the plan belongs to (e.g. "normal"), ``source`` the
    sampling library's own plan object, when there is one. Fields typed in C when compiled
    (the range reads them at every lot); compared and hashed by value, as a tuple would be."""

    __slots__ = ("ac", "n", "re", "source", "state")

    def __init__(self, n: int, ac: int, re: int, state: str, source: object = None) -> None:
        self.n = n
        self.ac = ac
        self.re = re
        self.state = state
        self.source = source

    def _key(self) -> tuple[int, int, int, str, object]:
        return (self.n, self.ac, self.re, self.state, self.source)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Plan(n={self.n}, ac={self.ac}, re={self.re}, state={self.state!r})"


class Switch(NamedTuple):
    """A change of inspection state for one product."""

    product: str
    before: str
    after: str
    reason: str


class Inspection:
    """A sampling scheme, one switching state per product (the schemes derive from it, so that
    the compiled test station calls them through C); ``product`` is the product's index."""

    __slots__ = ()

    def plan(self, product: int, lot_size: int) -> Plan | None:
        """The plan for a lot now, or None while acceptance of the product is discontinued."""
        raise NotImplementedError

    def record(self, product: int, plan: Plan, defectives: int) -> Switch | None:
        """Note a finished test; return the switch it causes, if any."""
        raise NotImplementedError

    def state(self, product: int) -> str:
        """The product's current inspection state."""
        raise NotImplementedError

    def resume(self, product: int) -> Switch:
        """Resume a discontinued product's inspection after corrective action."""
        raise NotImplementedError


class FixedInspection(Inspection):
    """The same plan for every lot, no switching."""

    __slots__ = ("_ac", "_n", "_re")

    def __init__(self, n: int, ac: int, re: int) -> None:
        self._n, self._ac, self._re = n, ac, re

    def plan(self, product: int, lot_size: int) -> Plan | None:
        return Plan(min(self._n, lot_size), self._ac, self._re, "fixed")

    def record(self, product: int, plan: Plan, defectives: int) -> Switch | None:
        return None

    def state(self, product: int) -> str:
        return "fixed"

    def resume(self, product: int) -> Switch:
        raise ValueError("a fixed plan is never discontinued")
