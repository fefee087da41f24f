"""KPI names: the flat dotted form of an experiment's table, and today's names for old ones."""

from __future__ import annotations

from typing import Any

from plantwin.kpis._models import IsoPlantKpis

__all__ = ["flatten", "upgrade_kpi_name", "upgrade_kpis"]

# left out of the flat rows, which stay small: each station's ISO 22400 KPIs repeat lines.*, and
# the plant's time elements and quantities are sums of lines.* (the plant's KPIs go in)
_NOT_FLAT = frozenset(
    {"iso22400.stations", *(f"iso22400.plant.{k}" for k in IsoPlantKpis.ELEMENTS)}
)


def flatten(kpis: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric KPIs as one flat mapping with dotted keys (``lines.L1.availability``), but for
    the ISO 22400 KPIs of each station and the plant's time elements and quantities."""
    out: dict[str, float] = {}
    for key, value in kpis.items():
        name = f"{prefix}{key}"
        if name in _NOT_FLAT:
            continue
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, (bool, int | float)):
            out[name] = float(value)
    return out


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
