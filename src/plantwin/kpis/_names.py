"""KPI names: the flat dotted form of an experiment's table, and today's names for old ones."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from plantwin.kpis._models import IsoPlantKpis, Model, RunKpis, Shape, shape

__all__ = ["flat_names", "flatten", "upgrade_kpi_name", "upgrade_kpis"]

# left out of the flat rows, which stay small: each station's ISO 22400 KPIs repeat lines.*, and
# the plant's time elements and quantities are sums of lines.* (the plant's KPIs go in)
_NOT_FLAT = frozenset(
    {"iso22400.stations", *(f"iso22400.plant.{k}" for k in IsoPlantKpis.ELEMENTS)}
)


def flatten(kpis: dict[str, Any] | RunKpis, prefix: str = "") -> dict[str, float]:
    """Numeric KPIs as one flat mapping with dotted keys (``lines.L1.availability``), but for
    the ISO 22400 KPIs of each station and the plant's time elements and quantities. Of the
    typed KPIs the same as of their dict (``flatten(compute(r)) == flatten(compute_kpis(r))``),
    without making the dict."""
    out: dict[str, float | None] = {}
    _leaves(kpis, prefix, out, False)
    return out  # type: ignore[return-value]  # no None: only names of missing values get one


def flat_names(kpis: dict[str, Any]) -> list[str]:
    """The columns :func:`flatten` gives runs of these KPIs: the numeric KPIs, and those without
    a value in this run (an OEE, a lead time after an hour), dates and texts left out."""
    out: dict[str, float | None] = {}
    _leaves(kpis, "", out, True)
    return list(out)


_NUMBER = (bool, int, float)
_NESTED = (dict, Model)


def _leaves(
    kpis: dict[str, Any] | Model, prefix: str, out: dict[str, float | None], missing: bool
) -> None:
    """Every numeric leaf of the KPIs into ``out`` by its dotted name (as a float), and with
    ``missing`` every None but a date's, the ones the rows leave out skipped. A model's leaves
    are its dict's (a key its dict leaves out is None: no number)."""
    if isinstance(kpis, dict):
        names: Iterable[str] = [f"{prefix}{k}" for k in kpis]
        values: Iterable[Any] = kpis.values()
    else:
        of = shape(type(kpis))
        names, values = _names_under(of, prefix), of.values(kpis)
    for name, value in zip(names, values, strict=True):
        if name in _NOT_FLAT:
            continue
        if isinstance(value, _NUMBER):
            out[name] = float(value)
        elif isinstance(value, _NESTED):
            _leaves(value, f"{name}.", out, missing)
        elif missing and value is None and not name.endswith("_date"):
            out[name] = None


@functools.lru_cache(maxsize=4096)
def _names_under(of: Shape, prefix: str) -> tuple[str, ...]:
    """The dotted names of a model's fields under ``prefix``, kept: an experiment's replications
    name the same stations and products."""
    return tuple(f"{prefix}{name}" for name in of.names)


_RENAMED = {"units_good": "units_stored"}  # it counted units into storage, defectives included


def upgrade_kpi_name(name: str) -> str:
    """A KPI key (``units_good``) or flat name (``output.units_good``) as plantwin names it now."""
    head, dot, last = name.rpartition(".")
    return f"{head}{dot}{_RENAMED[last]}" if last in _RENAMED else name


def upgrade_kpis(value: Any) -> Any:
    """KPIs (nested, or flat names as keys) stored by an older plantwin, under today's names.

    KPIs added since are absent; readers show them as unknown.
    """
    if isinstance(value, dict):
        return {upgrade_kpi_name(str(k)): upgrade_kpis(v) for k, v in value.items()}
    return value
