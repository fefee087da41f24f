"""The event budget: the most events one run may take, so that no input can run away.

Validation refuses inputs whose expected number of events is too large; the budget is the last
line of defence for what an estimate from means cannot see (heavy tails, feedback between
sources). It bounds the run's time and the memory of its event log.
"""

from __future__ import annotations

from plantwin.scenario import MAX_EVENTS

__all__ = ["MAX_EVENTS", "EventBudgetExceeded"]


class EventBudgetExceeded(RuntimeError):
    """A run needed more events than its budget allows; nothing of it is kept."""

    def __init__(self, budget: int, what: str, now: float) -> None:
        super().__init__(
            f"the run needs more than {budget:,} engine events ({what}, by hour {now:,.1f} of"
            " the horizon): shorten the horizon, or make the events rarer (longer times"
            " between cuts or failures, larger lots)"
        )
        self.budget = budget
