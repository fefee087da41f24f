"""KPI names in words, their units, and which are fractions: the one place every table, chart
and terminal line takes them from, so that a KPI reads the same wherever it is shown."""

from __future__ import annotations

import math

__all__ = ["EXPERIMENT_KPIS", "clip_ci", "is_fraction", "kpi_label", "kpi_unit"]

EXPERIMENT_KPIS = (
    "output.units_stored",
    "output.attainment",
    "orders.fill_rate",
    "orders.backorders",
    "storage.mean",
    "range.lots_rejected",
    "grid.hours_without_power",
)
"""The KPIs an experiment shows, in the terminal and in its report, unless told otherwise."""

# Words for a KPI's last key, by the group it sits in ("" for any group). A time of an event
# (hours since the start) or a duration says "(h)" unless its words already name hours.
_WORDS: dict[str, str] = {
    "output.units_made": "units made",
    "output.units_stored": "units into storage",
    "output.defectives_passed": "defectives passed inspection",
    "output.outgoing_defective_fraction": "outgoing defective fraction",
    "output.nameplate_per_year": "nameplate capacity a year",
    "output.nameplate_units": "nameplate output over the horizon",
    "output.attainment": "attainment (stored / nameplate)",
    "output.nameplate_units_from_opening": "nameplate output since the opening",
    "output.attainment_from_opening": "attainment since the opening",
    "output.opening_hours": "opening, first line commissioned (h)",
    "output.complete_hours": "complete, all lines commissioned (h)",
    "output.nameplate_pace_share": "share of the nameplate pace",
    "output.nameplate_pace_hours": "nameplate pace reached (h)",
    "output.first_year_units": "first-year output",
    "storage.capacity": "storage capacity",
    "storage.min": "storage level (min)",
    "storage.mean": "storage level (mean)",
    "storage.max": "storage level (max)",
    "storage.end": "storage level at the end",
    "orders.released": "orders released",
    "orders.due_in_horizon": "orders due",
    "orders.completed": "orders completed",
    "orders.completed_on_time": "orders completed on time",
    "orders.units_ordered": "units ordered (orders due)",
    "orders.units_shipped": "units shipped",
    "orders.units_shipped_on_time": "units shipped on time",
    "orders.fill_rate": "fill rate (on time)",
    "orders.fill_rate_from_opening": "fill rate (on time) since the opening",
    "orders.backorders": "backorders",
    "orders.lead_time_mean_hours": "lead time, mean (h)",
    "orders.lead_time_max_hours": "lead time, max (h)",
    "grid.cuts": "power cuts",
    "grid.standstills": "long standstills",
    "grid.hours_without_power": "hours without power",
    "range.lots_tested": "lots tested",
    "range.lots_accepted": "lots accepted",
    "range.lots_rejected": "lots rejected",
    "range.units_sampled": "units sampled",
    "range.units_scrapped": "units scrapped",
    "range.defectives_passed": "defectives passed inspection",
    "range.switches": "inspection switches",
    # a station (``lines.<id>``), a buffer, a crew
    "availability": "availability",
    "performance": "performance",
    "quality": "quality",
    "oee": "OEE",
    "commissioned_hours": "commissioned (h)",
    "failures": "failures",
    "lots_made": "lots made",
    "units_made": "units made",
    "units_stored": "units into storage",
    "capacity_lots": "capacity (lots)",
    "capacity_units": "capacity (units)",
    "end_lots": "lots at the end",
    "end_units": "units at the end",
    "max_lots": "lots (max)",
    "mean_lots": "lots (mean)",
    "busy_hours": "busy hours",
    "count": "size",
    "mean_wait_hours": "mean wait (h)",
    "repairs": "repairs",
    "utilisation": "utilisation",
    # ISO 22400-2 (``iso22400.plant`` and ``iso22400.stations.<id>``)
    "planned_busy_hours": "planned busy hours",
    "processing_hours": "processing hours",
    "production_hours": "production hours",
    "setup_hours": "setup hours",
    "delay_hours": "delay hours",
    "down_hours": "down hours",
    "order_execution_hours": "order execution hours",
    "produced_units": "produced quantity",
    "good_units": "good quantity",
    "scrap_units": "scrap quantity",
    "consumed_units": "consumed quantity",
    "oee_index": "OEE index",
    "nee_index": "NEE index",
    "effectiveness": "effectiveness",
    "quality_ratio": "quality ratio",
    "setup_ratio": "setup ratio",
    "technical_efficiency": "technical efficiency",
    "production_process_ratio": "production process ratio",
    "allocation_ratio": "allocation ratio",
    "allocation_efficiency": "allocation efficiency",
    "utilisation_efficiency": "utilisation efficiency",
    "throughput_rate": "throughput rate",
    "scrap_ratio": "scrap ratio",
    "finished_goods_ratio": "finished goods ratio",
    "mtbf_hours": "MTBF (h)",
    "mttr_hours": "MTTR (h)",
    "first_pass_yield": "first-pass yield",
    "defectives_passed": "defectives passed inspection",
    "outgoing_defective_fraction": "outgoing defective fraction",
}

_FRACTIONS = frozenset(
    {
        "availability",
        "performance",
        "quality",
        "oee",
        "attainment",
        "attainment_from_opening",
        "nameplate_pace_share",
        "fill_rate",
        "fill_rate_from_opening",
        "outgoing_defective_fraction",
        "utilisation",
        "oee_index",
        "nee_index",
        "effectiveness",
        "quality_ratio",
        "setup_ratio",
        "technical_efficiency",
        "production_process_ratio",
        "allocation_ratio",
        "allocation_efficiency",
        "utilisation_efficiency",
        "scrap_ratio",
        "finished_goods_ratio",
        "first_pass_yield",
    }
)
"""Last keys of the KPIs that are shares of a whole, between 0 and 1."""

_SIGNED = frozenset({"difference"})
"""Last keys of the KPIs that can be negative."""

# last keys counted in the plant's unit (cartridges, units); the rest are counts of other things
_UNIT_KEYS = frozenset(
    {
        "units_made",
        "units_stored",
        "defectives_passed",
        "nameplate_per_year",
        "nameplate_units",
        "nameplate_units_from_opening",
        "first_year_units",
        "capacity",
        "min",
        "mean",
        "max",
        "end",
        "units_ordered",
        "units_shipped",
        "units_shipped_on_time",
        "backorders",
        "units_sampled",
        "units_scrapped",
        "end_units",
        "capacity_units",
        "produced_units",
        "good_units",
        "scrap_units",
        "consumed_units",
    }
)
_LOT_KEYS = frozenset(
    {"lots_tested", "lots_accepted", "lots_rejected", "lots_made", "capacity_lots"}
    | {"end_lots", "max_lots", "mean_lots"}
)
# groups whose second key is an id (a station, a buffer, a crew, a tester, a product)
_ID_GROUPS = {"lines": "", "buffers": "buffer ", "crews": "crew ", "testers": "tester "}


def _split(name: str) -> tuple[str, str, str]:
    """(group, qualifier in words, last key) of a flat KPI name."""
    parts = name.split(".")
    group = parts[0] if len(parts) > 1 else ""
    rest = parts[1:] if group else parts
    qualifiers: list[str] = []
    if group in _ID_GROUPS and len(rest) > 1:
        qualifiers.append(f"{_ID_GROUPS[group]}{rest[0]}")
        rest = rest[1:]
    elif group == "iso22400" and len(rest) > 1:
        if rest[0] == "stations" and len(rest) > 2:
            qualifiers.append(rest[1])
            rest = rest[2:]
        elif rest[0] == "plant":
            qualifiers.append("plant")
            rest = rest[1:]
    if group == "testers":  # a tester's KPIs read as the range's
        group = "range"
    while len(rest) > 1:
        head = rest.pop(0)
        if head == "by_product":
            qualifiers.append(rest.pop(0))
        else:
            qualifiers.append(head.replace("_", " "))
    return group, ", ".join(qualifiers), rest[0] if rest else ""


def kpi_label(name: str) -> str:
    """A flat KPI name (``output.units_stored``) in words (``units into storage``); a station's,
    buffer's or product's KPI names it (``L1 availability``, ``units into storage, ball``);
    a name without words of its own reads as its dotted keys with spaces."""
    parts = name.split(".")
    if name.startswith("output.monthly.") and len(parts) == 3:
        return f"units into storage in {parts[2]}"
    if name in _WORDS:
        return _WORDS[name]
    group, qualifier, last = _split(name)
    words = _WORDS.get(f"{group}.{last}") or _WORDS.get(last)
    if group == "lines" and parts[2:3] == ["hours"]:
        return f"{parts[1]} hours {last.replace('_', ' ')}"
    if len(parts) > 2 and parts[-2] == "by_product" and group in ("lines", "storage"):
        # a station's units made of one product; storage's stock of one at the end
        what = f"{parts[1]} units made" if group == "lines" else "storage level at the end"
        return f"{what}, {parts[-1]}"
    if len(parts) > 2 and parts[-2] in ("inspection_hours", "inspection_lots"):
        what = "hours" if parts[-2] == "inspection_hours" else "lots"
        return f"{what} on {last} inspection, {qualifier.rpartition(', ')[0]}"
    if words is None:
        return " ".join(p.replace("_", " ") for p in parts)
    if group in _ID_GROUPS or group == "iso22400":
        head, _, tail = qualifier.partition(", ")
        return f"{head} {words}" + (f", {tail}" if tail else "")
    return f"{words}, {qualifier}" if qualifier else words


def is_fraction(name: str) -> bool:
    """Whether the KPI is a share of a whole (availability, fill rate, ...): shown as a
    percentage, its confidence interval kept within [0, 1]."""
    return name.rpartition(".")[2] in _FRACTIONS


def kpi_unit(name: str, unit: str = "units") -> str:
    """The unit a KPI's values are shown in: "%" for a fraction, "h" for hours, ``unit`` (the
    scenario's: cartridges) for quantities of product, "lots", "<unit>/h" for a throughput;
    "" for plain counts (orders, failures, cuts)."""
    parts = name.split(".")
    last = parts[-1]
    if is_fraction(name):
        return "%"
    if name.startswith("output.monthly.") or (last in _UNIT_KEYS and parts[0] != "crews"):
        return unit
    if last == "throughput_rate":
        return f"{unit}/h"
    if any(p.startswith("hours") or p.endswith("hours") for p in parts[1:]):
        return "h"
    if last in _LOT_KEYS or "inspection_lots" in parts:
        return "lots"
    if parts[0] == "storage" and "by_product" in parts:
        return unit
    if parts[0] == "lines" and "by_product" in parts:
        return unit
    return ""


def clip_ci(name: str, low: float, high: float) -> tuple[float, float]:
    """A KPI's confidence interval kept within the values the KPI can take: [0, 1] for a
    fraction, at least 0 for the rest (counts, quantities, hours), since a Student-t interval
    of a skewed KPI near its bound can leave it; a signed KPI (a conservation difference)
    as given. NaN stays NaN."""
    if name.rpartition(".")[2] in _SIGNED:
        return low, high
    top = 1.0 if is_fraction(name) else math.inf
    return (
        low if math.isnan(low) else min(max(low, 0.0), top),
        high if math.isnan(high) else min(max(high, 0.0), top),
    )
