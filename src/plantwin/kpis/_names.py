"""KPI names: the flat dotted form of an experiment's table, and today's names for old ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plantwin.kpis._models import IsoPlantKpis

__all__ = ["flat_names", "flatten", "upgrade_kpi_name", "upgrade_kpis"]

# left out of the flat rows, which stay small: each station's ISO 22400 KPIs repeat lines.*, and
# the plant's time elements and quantities are sums of lines.* (the plant's KPIs go in)
_NOT_FLAT = frozenset(
    {"iso22400.stations", *(f"iso22400.plant.{k}" for k in IsoPlantKpis.ELEMENTS)}
)


def flatten(kpis: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric KPIs as one flat mapping with dotted keys (``lines.L1.availability``), but for
    the ISO 22400 KPIs of each station and the plant's time elements and quantities."""
    return {
        name: float(value)
        for name, value in _flat(kpis, prefix)
        if isinstance(value, (bool, int | float))
    }


def flat_names(kpis: dict[str, Any]) -> list[str]:
    """The columns :func:`flatten` gives runs of these KPIs: the numeric KPIs, and those without
    a value in this run (an OEE, a lead time after an hour), dates and texts left out."""
    return [
        name
        for name, value in _flat(kpis, "")
        if isinstance(value, (bool, int | float)) or (value is None and not name.endswith("_date"))
    ]


def _flat(kpis: dict[str, Any], prefix: str) -> Iterator[tuple[str, Any]]:
    """Every leaf of the KPIs with its dotted name, the ones the rows leave out skipped."""
    for key, value in kpis.items():
        name = f"{prefix}{key}"
        if name in _NOT_FLAT:
            continue
        if isinstance(value, dict):
            yield from _flat(value, f"{name}.")
        else:
            yield name, value


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
