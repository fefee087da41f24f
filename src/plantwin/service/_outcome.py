"""What a finished run or experiment leaves: its result, when it ran, and where it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from plantwin.service._load import LoadedScenario

if TYPE_CHECKING:
    from plantwin.experiment import ResultSet
    from plantwin.results import StoredRun
    from plantwin.sim import RunResult

__all__ = ["ExperimentOutcome", "Outcome", "RunOutcome"]


@dataclass(kw_only=True)
class Outcome:
    """A finished request: ``saved`` is its id in the store, None when it was not saved."""

    loaded: LoadedScenario
    started_at: datetime
    finished_at: datetime
    saved: int | None = None

    @cached_property
    def stored(self) -> StoredRun:
        """The result as the store keeps it (and reports read it); built on first use, since
        a run's event log becomes a pyarrow table."""
        raise NotImplementedError

    @property
    def kept(self) -> str:
        """The end of an error that comes after the work is done: where its results are."""
        if self.saved is None:
            return "; the results were not saved (--no-save)"
        return f"; the results are saved as run {self.saved} (plantwin show {self.saved})"


@dataclass(kw_only=True)
class RunOutcome(Outcome):
    """A finished run."""

    result: RunResult

    @cached_property
    def stored(self) -> StoredRun:
        from plantwin.results import StoredRun

        return StoredRun.from_result(
            self.result,
            source_text=self.loaded.source_text,
            started_at=self.started_at,
            finished_at=self.finished_at,
        )


@dataclass(kw_only=True)
class ExperimentOutcome(Outcome):
    """A finished experiment."""

    result: ResultSet

    @cached_property
    def stored(self) -> StoredRun:
        from plantwin.results import StoredRun

        return StoredRun.from_resultset(
            self.result,
            source_text=self.loaded.source_text,
            started_at=self.started_at,
            finished_at=self.finished_at,
        )
