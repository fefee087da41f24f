"""Switching rules between normal, tightened and reduced inspection, one state per product.

Implements the compact state machine of ``switching_rules.md`` section 7 for single sampling.
Decisions where the standards are silent or need data we do not have:

- The 2-of-5 window counts only lots inspected since the stream last entered normal inspection.
- "Steady production" and "the responsible authority agrees" are assumed to hold throughout.
- ISO 2859-1 (switching score, 9.3.3): the score is kept against the normal plan of the lot's
  code letter. When that plan has Ac >= 2, a lot adds 3 if d is also at most the Ac of the normal
  plan in the next smaller AQL column of the same code letter; if that tighter cell's plan has
  a different sample size (an arrow region of the table), the comparison is not meaningful and
  the score is reset to 0 (the conservative choice of a public implementation).
- MIL-STD-105E normal -> reduced needs the Table VIII limit numbers, which are not available;
  ANSI/ASQ Z1.4 8.5 allows dropping that condition by agreement, so "10 consecutive lots
  accepted on normal inspection" is used (the Table VIII note asking for more lots is ignored).
- After discontinuation, :meth:`SwitchingRules.resume` (corrective action taken) restarts on
  tightened inspection with fresh counters. Lots that finish while discontinued (they were
  already under test) are not counted.
- The outcome of a lot comes from the plan it was inspected with (accepted iff d < Re); the
  counters of the *current* state take it, even if the state changed while the lot was tested.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from enum import StrEnum

from plantwin.sampling._tables import (
    AQL_VALUES,
    SamplingError,
    SamplingPlan,
    Scheme,
    _Cell,
    _cell,
    _normalize_inspection,
    _normalize_level,
    _normalize_scheme,
    normalize_aql,
    plan,
)

__all__ = ["InspectionState", "SwitchingRules", "Transition"]

_WINDOW = 5  # normal -> tightened: 2 not accepted among the last <= 5 lots
_NOT_ACCEPTED_TO_TIGHTEN = 2
_ACCEPTED_TO_NORMAL = 5  # tightened -> normal: 5 consecutive accepted
_NOT_ACCEPTED_TO_STOP = 5  # tightened -> discontinued: 5 not accepted in one tightened period
_SCORE_TO_REDUCE = 30  # ISO 2859-1 switching score limit
_MIL_ACCEPTED_TO_REDUCE = 10  # MIL-STD-105E without Table VIII: 10 consecutive accepted


class InspectionState(StrEnum):
    """Severity of inspection for a product stream, or discontinued inspection."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"
    DISCONTINUED = "discontinued"


# the states as module constants: reading an Enum member from its class runs a descriptor in
# Python 3.11 (about 0.3 us), and the range asks for the state at every lot it tests
_NORMAL = InspectionState.NORMAL
_TIGHTENED = InspectionState.TIGHTENED
_REDUCED = InspectionState.REDUCED
_DISCONTINUED = InspectionState.DISCONTINUED


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of inspection state and the rule that caused it, in a few words."""

    from_state: InspectionState
    to_state: InspectionState
    reason: str


class SwitchingRules:
    """The switching state machine of one product stream (one AQL, level and scheme).

    Ask :meth:`plan` for the plan of the next lot, then :meth:`record` the lot's nonconforming
    count ``d`` with the plan it was inspected with. With ``switching=False`` inspection stays
    normal forever. Counters are readable for tests and reports. ``aql``, ``level`` and
    ``scheme`` are the stream's for its life: a plan found to belong to it is not checked again,
    and the table cells of the switching score are kept by code letter.
    """

    def __init__(
        self,
        aql: float | str,
        level: str = "II",
        scheme: str = "iso2859-1",
        start: str = "normal",
        *,
        switching: bool = True,
    ) -> None:
        self.aql: str = normalize_aql(aql)
        self.level: str = _normalize_level(level)
        self.scheme: Scheme = _normalize_scheme(scheme)
        self.switching: bool = switching
        first = InspectionState(_normalize_inspection(start))
        if not switching and first is not _NORMAL:
            raise SamplingError(
                f"start {start!r} needs switching rules; without them inspection is normal"
            )
        self._state = first
        # the plan last found to belong to this stream, its n and Ac, and its verdicts by
        # count so far: a stream is asked for the same few (immutable) plan objects again and
        # again, so a lot's check of its plan is an identity test, and accepts(), the one
        # definition of acceptance, is asked once per plan and count
        self._checked: SamplingPlan | None = None
        self._checked_n = 0
        self._checked_ac = 0
        self._verdicts: dict[int, bool] = {}
        # the ISO score's cells by code letter: the normal plan, and the normal plan of the
        # next tighter AQL where the score needs it (None: no such column, or not needed)
        self._score_cells: dict[str, tuple[_Cell, _Cell | None]] = {}
        # the last <= 5 lots since entering normal as bits, the newest in bit 0 (1: not
        # accepted), how many there are and how many of them were not accepted: counted as
        # they come, not by scanning a deque at every lot
        self._window = 0
        self._window_lots = 0
        self._window_rejected = 0
        self._score = 0
        self._accepted_in_a_row = 0
        self._not_accepted_on_tightened = 0

    @property
    def state(self) -> InspectionState:
        """The current inspection state."""
        return self._state

    @property
    def score(self) -> int:
        """ISO 2859-1 switching score on normal inspection (0 under the MIL scheme)."""
        return self._score

    @property
    def accepted_in_a_row(self) -> int:
        """Consecutive accepted lots in the current normal or tightened period."""
        return self._accepted_in_a_row

    @property
    def not_accepted_on_tightened(self) -> int:
        """Lots not accepted during the current tightened period (5 discontinue inspection)."""
        return self._not_accepted_on_tightened

    @property
    def recent(self) -> tuple[bool, ...]:
        """Accepted (True) / not accepted of the last <= 5 lots since entering normal."""
        return tuple(not (self._window >> i) & 1 for i in range(self._window_lots - 1, -1, -1))

    def plan(self, lot_size: int) -> SamplingPlan:
        """Return the plan of the current state for a lot; raises while discontinued."""
        if self._state is _DISCONTINUED:
            raise SamplingError(
                "inspection is discontinued (5 lots not accepted on tightened inspection); "
                "call resume() after corrective action"
            )
        return plan(lot_size, self.aql, self.level, self._state.value, self.scheme)

    def record(self, d: int, lot_plan: SamplingPlan) -> Transition | None:
        """Record a lot's nonconforming count ``d`` and return the switch it causes, if any.

        The lot is accepted iff ``d < lot_plan.re``; under MIL-STD-105E reduced inspection a
        count with Ac < d < Re accepts the lot but reinstates normal inspection.
        """
        count = self._check(d, lot_plan)  # lot_plan is now the checked plan
        accepted = self._verdicts.get(count)
        if accepted is None:
            accepted = self._verdicts[count] = lot_plan.accepts(count)
        if not self.switching or self._state is _DISCONTINUED:
            return None
        if self._state is _NORMAL:
            return self._on_normal(count, accepted, lot_plan)
        if self._state is _TIGHTENED:
            return self._on_tightened(accepted)
        return self._on_reduced(count, accepted)

    def resume(self) -> Transition:
        """Resume discontinued inspection on tightened, after the supplier's corrective action."""
        if self._state is not _DISCONTINUED:
            raise SamplingError(
                f"resume() needs state 'discontinued'; the state is {self._state.value!r}"
            )
        return self._switch(_TIGHTENED, "resumed after corrective action")

    def _check(self, d: int, lot_plan: SamplingPlan) -> int:
        """``d`` as an int, after checking that ``lot_plan`` belongs to this stream and that
        0 <= d <= n; raises :class:`SamplingError` otherwise."""
        if lot_plan is not self._checked:
            self._check_plan(lot_plan)
        if type(d) is int and 0 <= d <= self._checked_n:
            return d
        return _count(d, lot_plan.n)  # anything else an integer may be, or a bad count

    def _check_plan(self, lot_plan: SamplingPlan) -> None:
        if (lot_plan.aql, lot_plan.level, lot_plan.scheme) != (self.aql, self.level, self.scheme):
            raise SamplingError(
                f"plan for AQL {lot_plan.aql}, level {lot_plan.level}, scheme {lot_plan.scheme} "
                f"does not belong to this stream (AQL {self.aql}, level {self.level}, "
                f"scheme {self.scheme})"
            )
        self._checked = lot_plan
        self._checked_n = lot_plan.n
        self._checked_ac = lot_plan.ac
        self._verdicts = {}

    def _switch(self, to_state: InspectionState, reason: str) -> Transition:
        transition = Transition(self._state, to_state, reason)
        self._state = to_state
        self._window = self._window_lots = self._window_rejected = 0
        self._score = 0
        self._accepted_in_a_row = 0
        self._not_accepted_on_tightened = 0
        return transition

    def _on_normal(self, d: int, accepted: bool, lot_plan: SamplingPlan) -> Transition | None:
        if self._window_lots == _WINDOW:  # the oldest lot leaves the window
            self._window_rejected -= (self._window >> (_WINDOW - 1)) & 1
        else:
            self._window_lots += 1
        self._window = ((self._window << 1) | (not accepted)) & ((1 << _WINDOW) - 1)
        self._window_rejected += not accepted
        self._accepted_in_a_row = self._accepted_in_a_row + 1 if accepted else 0
        if self.scheme == "iso2859-1":
            self._score = self._next_score(d, accepted, lot_plan.code_letter)
        rejected = self._window_rejected
        if rejected >= _NOT_ACCEPTED_TO_TIGHTEN:
            return self._switch(
                _TIGHTENED,
                f"{rejected} of last {self._window_lots} lots not accepted",
            )
        if self.scheme == "iso2859-1" and self._score >= _SCORE_TO_REDUCE:
            return self._switch(_REDUCED, f"switching score {self._score} >= 30")
        if self.scheme == "mil-std-105e" and self._accepted_in_a_row >= _MIL_ACCEPTED_TO_REDUCE:
            return self._switch(_REDUCED, f"{self._accepted_in_a_row} lots accepted in a row")
        return None

    def _next_score(self, d: int, accepted: bool, letter: str) -> int:
        """ISO 2859-1 9.3.3 score update for single sampling, against the normal plan."""
        cells = self._score_cells.get(letter)
        if cells is None:
            cells = self._score_cells[letter] = self._cells_for_score(letter)
        normal, tighter = cells
        if normal.ac >= 2:
            if tighter is None:
                return 0  # no tighter column; does not occur in the tables
            if tighter.n != normal.n:
                return 0  # arrow region: different sample size, reset (module docstring)
            return self._score + 3 if accepted and d <= tighter.ac else 0
        return self._score + 2 if accepted and d <= normal.ac else 0

    def _cells_for_score(self, letter: str) -> tuple[_Cell, _Cell | None]:
        """The normal plan of a code letter and, when its Ac >= 2, the normal plan of the next
        tighter AQL (None when there is none)."""
        normal = _cell(self.scheme, "normal", letter, self.aql)
        index = AQL_VALUES.index(self.aql)
        if normal.ac < 2 or index == 0:
            return normal, None
        return normal, _cell(self.scheme, "normal", letter, AQL_VALUES[index - 1])

    def _on_tightened(self, accepted: bool) -> Transition | None:
        if accepted:
            self._accepted_in_a_row += 1
        else:
            self._accepted_in_a_row = 0
            self._not_accepted_on_tightened += 1
        if self._accepted_in_a_row >= _ACCEPTED_TO_NORMAL:
            return self._switch(_NORMAL, "5 consecutive lots accepted")
        if self._not_accepted_on_tightened >= _NOT_ACCEPTED_TO_STOP:
            return self._switch(_DISCONTINUED, "5 lots not accepted on tightened")
        return None

    def _on_reduced(self, d: int, accepted: bool) -> Transition | None:
        ac = self._checked_ac  # of the lot's plan: record() checked it
        if not accepted:
            return self._switch(_NORMAL, "lot not accepted on reduced")
        if d > ac:
            return self._switch(_NORMAL, f"Ac < d < Re on reduced ({ac} < {d})")
        return None


def _count(d: int, n: int) -> int:
    """``d`` as an int if it is one (not a bool) in 0..n; raises :class:`SamplingError` else."""
    try:
        count = None if isinstance(d, bool) else operator.index(d)
    except TypeError:
        count = None
    if count is None or not 0 <= count <= n:
        raise SamplingError(f"nonconforming count d={d!r} is invalid; allowed: integers 0..{n}")
    return count
