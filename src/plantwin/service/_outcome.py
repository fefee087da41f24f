"""What a finished run or experiment leaves: its result, when it ran, and where it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from plantwin.service._load import LoadedScenario

if TYPE_CHECKING:
    from plantwin.experiment import ResultSet
    from plantwin.results import Overrides, StoredRun
    from plantwin.sim import RunResult

__all__ = ["ExperimentOutcome", "Outcome", "RunOutcome"]


@dataclass(kw_only=True)
class Outcome:
    """A finished request: ``saved`` is its id in the store, None when it was not saved;
    ``label`` the user's name for it."""

    loaded: LoadedScenario
    started_at: datetime
    finished_at: datetime
    saved: int | None = None
    label: str | None = None

    @property
    def overrides(self) -> Overrides:
        """The options that changed the scenario, as typed (``--set``)."""
        return {"set": list(self.loaded.sets)} if self.loaded.sets else {}

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
            label=self.label,
            overrides=self.overrides,
        )


@dataclass(kw_only=True)
class ExperimentOutcome(Outcome):
    """A finished experiment: ``sweeps`` are its ``--sweep`` options as typed, ``first_year``
    the X of P(first-year output >= X) asked for."""

    result: ResultSet
    sweeps: tuple[str, ...] = ()
    first_year: float | None = None

    @property
    def overrides(self) -> Overrides:
        """The options that changed the scenario, as typed (``--set``, ``--sweep``)."""
        return {**super().overrides, **({"sweep": list(self.sweeps)} if self.sweeps else {})}

    @cached_property
    def stored(self) -> StoredRun:
        from plantwin.results import StoredRun

        return StoredRun.from_resultset(
            self.result,
            source_text=self.loaded.source_text,
            started_at=self.started_at,
            finished_at=self.finished_at,
            label=self.label,
            overrides=self.overrides,
            first_year=self.first_year,
        )
