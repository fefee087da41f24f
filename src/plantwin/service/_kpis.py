"""KPI names a request may ask for: glob patterns checked against what a result has."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from plantwin.service._errors import BadInput

if TYPE_CHECKING:
    from plantwin.results import StoredRun
    from plantwin.scenario import Network, Scenario

__all__ = ["experiment_kpis", "kpi_names", "match_kpis", "unknown_kpi"]


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


def kpi_names(scenarios: Iterable[Scenario | Network]) -> list[str]:
    """The KPI columns an experiment of these scenarios has, from a one-hour run of each: the
    numeric KPIs, and those without a value after an hour (an OEE, a lead time) but dates."""
    from plantwin.kpis import flat_names
    from plantwin.sim import simulate

    names: dict[str, None] = {}
    for s in scenarios:
        names.update(dict.fromkeys(flat_names(simulate(s, 0, horizon=1.0, event_log=False).kpis)))
    return list(names)


def experiment_kpis(stored: StoredRun, patterns: Iterable[str]) -> list[str]:
    """The KPIs ``patterns`` (``--kpi``) select from a stored experiment; a run is refused."""
    if stored.kind != "experiment":
        raise BadInput(
            f"--kpi selects KPIs of an experiment, and {stored.id} is a single run "
            f"(plantwin show {stored.id} --json prints all its KPIs)"
        )
    result: Any = stored.resultset()  # a plantwin.experiment.ResultSet
    return match_kpis(patterns, result.kpis(), "--kpi")
