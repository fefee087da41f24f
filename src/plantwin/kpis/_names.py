"""KPI names: the flat dotted form of an experiment's table, and today's names for old ones."""

from __future__ import annotations

from typing import Any

__all__ = ["flatten", "upgrade_kpi_name", "upgrade_kpis"]


def flatten(kpis: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric KPIs as one flat mapping with dotted keys (``lines.L1.availability``)."""
    out: dict[str, float] = {}
    for key, value in kpis.items():
        name = f"{prefix}{key}"
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
