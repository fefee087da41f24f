"""The errors of the service: each carries the message a user reads, ready to print as it is.

Shells map them to their own signals (the CLI to exit codes, a web app to status codes); the
service itself prints nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plantwin.scenario import Problem, ScenarioError

__all__ = ["BadInput", "EngineFailed", "RunFailed", "ServiceError", "bad_scenario"]


class ServiceError(Exception):
    """A request the service could not carry out; ``str(error)`` says why and what to do."""

    @property
    def message(self) -> str:
        """The user-facing message."""
        return str(self)


class BadInput(ServiceError):
    """The request is wrong (a scenario, an option, a path, an id): nothing was run for it.

    ``problems`` holds a bad scenario's problems one by one, for a shell that shows them by
    field; the message lists them all."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class RunFailed(ServiceError):
    """The request was right but its work failed: the engine, the store, an output file."""


class EngineFailed(RunFailed):
    """The engine raised what no input explains (a defect); the cause is chained."""


def bad_scenario(exc: ScenarioError) -> BadInput:
    """A scenario's problems as bad input: the count, then every problem on its own lines."""
    n = len(exc.problems)
    return BadInput(
        f"{n} problem{'s' if n > 1 else ''} in the scenario:\n{exc}", tuple(exc.problems)
    )
