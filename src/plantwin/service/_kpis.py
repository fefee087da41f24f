"""KPI names a request may ask for: glob patterns checked against what a result has."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from plantwin.service._errors import BadInput

if TYPE_CHECKING:
    from plantwin.results import StoredRun
    from plantwin.scenario import Network, Scenario

__all__ = ["check_experiment_kpis", "experiment_kpis", "match_kpis", "unknown_kpi"]


def unknown_kpi(option: str, name: str, available: list[str]) -> BadInput:
    """The error for a KPI name that ``option`` gave and no KPI has, with the closest names."""
    close = difflib.get_close_matches(name, available, n=4)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return BadInput(f"{option} {name!r} matches no KPI{hint}")


def match_kpis(patterns: Iterable[str], available: list[str], option: str) -> list[str]:
    """The KPIs that glob ``patterns`` select from ``available``, in order; a pattern that
    selects none is BadInput naming the closest."""
    chosen: list[str] = []
    for pattern in patterns:
        hits = [k for k in available if fnmatch.fnmatchcase(k, pattern)]
        if not hits:
            raise unknown_kpi(option, pattern, available)
        chosen += [h for h in hits if h not in chosen]
    return chosen


def check_experiment_kpis(
    scenarios: Iterable[Scenario | Network], precision: str | None, patterns: Sequence[str]
) -> None:
    """BadInput unless the KPI ``precision`` (``--precision``) and each glob of ``patterns``
    (``--kpi``) name KPIs that an experiment of these scenarios has.

    The KPIs come from a one-hour run of each scenario in turn (the numeric KPIs, and those
    without a value after an hour, an OEE or a lead time, but dates), until every name asked
    for is found: a sweep's variants mostly have the same KPIs, so the first run settles it,
    and only a name that none has costs a run of each (for the closest names)."""
    from plantwin.kpis import flat_names
    from plantwin.sim import simulate

    names: dict[str, None] = {}

    def found() -> bool:
        return (precision is None or precision in names) and all(
            any(fnmatch.fnmatchcase(k, pattern) for k in names) for pattern in patterns
        )

    for s in scenarios:
        names.update(dict.fromkeys(flat_names(simulate(s, 0, horizon=1.0, event_log=False).kpis)))
        if found():
            return
    if precision is not None and precision not in names:
        raise unknown_kpi("--precision", precision, list(names))
    match_kpis(patterns, list(names), "--kpi")


def experiment_kpis(stored: StoredRun, patterns: Iterable[str]) -> list[str]:
    """The KPIs ``patterns`` (``--kpi``) select from a stored experiment; a run is refused."""
    if stored.kind != "experiment":
        raise BadInput(
            f"--kpi selects KPIs of an experiment, and {stored.id} is a single run "
            f"(plantwin show {stored.id} --json prints all its KPIs)"
        )
    result: Any = stored.resultset()  # a plantwin.experiment.ResultSet
    return match_kpis(patterns, result.kpis(), "--kpi")
