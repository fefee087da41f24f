"""One run of a scenario: simulate, then save before anything else is written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from plantwin.service._errors import EngineFailed, RunFailed
from plantwin.service._load import LoadedScenario
from plantwin.service._outcome import RunOutcome
from plantwin.service._store import save

if TYPE_CHECKING:
    from plantwin.results import Store
    from plantwin.sim import Progress

__all__ = ["run"]


def run(
    loaded: LoadedScenario,
    *,
    seed: int = 1,
    replication: int = 0,
    progress: Progress | None = None,
    store: Store | None = None,
    label: str | None = None,
) -> RunOutcome:
    """Simulate ``loaded`` once (``replication`` reproduces that replication of an experiment)
    and save it in ``store`` when given. ``progress(now, horizon)`` is called about a hundred
    times; ``label`` (checked by :func:`check_label`) is stored with it. A run the engine
    stops or fails is RunFailed and saves nothing; KeyboardInterrupt propagates."""
    from plantwin.sim import EventBudgetExceeded, simulate

    started = datetime.now(UTC)
    try:
        result = simulate(
            loaded.scenario,
            seed,
            replication=replication,
            horizon=loaded.horizon,
            progress=progress,
        )
    except EventBudgetExceeded as exc:
        raise RunFailed(f"the run was stopped: {exc}; nothing was saved") from exc
    except Exception as exc:  # an engine failure is not the user's mistake
        raise EngineFailed(f"the run failed: {type(exc).__name__}: {exc}") from exc
    outcome = RunOutcome(
        loaded=loaded,
        result=result,
        started_at=started,
        finished_at=datetime.now(UTC),
        label=label,
    )
    if store is not None:
        outcome.saved = save(store, outcome.stored)
    return outcome
