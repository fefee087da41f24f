"""The KPIs of ISO 22400-2:2014 from a run record: each station but the test stations is a work
unit, whose state hours map onto the standard's time model, and the plant is the sum of its
work units. docs/kpis.md gives each KPI's definition and how plantwin measures it."""

from __future__ import annotations

from typing import Any, NamedTuple

from plantwin.kpis._models import IsoKpis, IsoPlantKpis, IsoStationKpis, OutputKpis
from plantwin.sim import Event, LineRecord, RunRecord

__all__ = ["iso22400", "ratio"]

_DELAY = (Event.FAILED, Event.WAITING_FOR_CREW, Event.RESTARTING, Event.POWER_OUT)


def ratio(a: float, b: float) -> float | None:
    """``a / b``, or None when there is nothing to divide by."""
    return a / b if b > 0 else None


def _times(*factors: float | None) -> float | None:
    """The product of the factors, None when one is."""
    out = 1.0
    for f in factors:
        if f is None:
            return None
        out *= f
    return out


class _Work(NamedTuple):
    """A work unit's time elements (hours) and quantities (units), or several units' summed.
    A quantity a unit does not have is None (a sum: of the units that have it), and each ratio
    divides by the units' own denominator (``judged``, ``assembled_good``)."""

    pbt: float  # planned busy time
    apt: float  # actual production time
    aust: float  # actual unit setup time
    adet: float  # actual unit delay time
    adot: float  # actual unit down time
    blocked: float  # part of the down time in which the unit holds a finished lot
    ideal: float  # produced quantity at the ideal rate (PRI x PQ), hours
    pq: float
    gq: float | None
    sq: float | None
    cm: float | None
    judged: float  # PQ of the units with a good quantity
    assembled_good: float | None  # GQ of the units with consumed material
    failures: int
    repairs: int
    restoration: float  # hours from failure to repair, of the repairs finished


_OPTIONAL = frozenset({"gq", "sq", "cm", "assembled_good"})  # the fields that may be None


def _work(ln: LineRecord, horizon: float) -> _Work:
    """A station's time elements and quantities (its state hours map onto the time model)."""
    h = ln.hours
    made = sum(ln.made.values()) + ln.partial
    # a process station passes on lots other stations made: their fate is their maker's
    judged = ln.role != "process"
    consumed = sum(ln.consumed.values()) if ln.role == "assemble" else None
    return _Work(
        pbt=horizon - h[Event.OFF_SHIFT] - h[Event.NOT_COMMISSIONED],
        apt=h[Event.PRODUCING],
        aust=h[Event.CHANGEOVER],
        adet=sum([h[s] for s in _DELAY]),
        adot=h[Event.BLOCKED] + h[Event.STARVED],
        blocked=h[Event.BLOCKED],
        ideal=made / ln.rate,
        pq=made,
        gq=ln.stored if judged else None,
        sq=ln.scrapped if judged else None,
        cm=consumed,
        judged=made if judged else 0.0,
        assembled_good=ln.stored if consumed is not None else None,
        failures=ln.failures,
        repairs=ln.repairs,
        restoration=ln.restoration_hours,
    )


def _sum(works: list[_Work]) -> _Work:
    """The work units as one: every element summed (an optional one over the units with it)."""
    total: list[Any] = []
    for i, name in enumerate(_Work._fields):
        values = [w[i] for w in works]
        if name in _OPTIONAL:
            values = [v for v in values if v is not None]
            total.append(sum(values) if values else None)
        else:
            total.append(sum(values))
    return _Work(*total)


def _kpis(w: _Work, effectiveness: float | None) -> dict[str, Any]:
    """The time elements, quantities and KPIs of ``w`` by the standard's formulas, as fields."""
    aupt = w.apt + w.aust
    aubt = aupt + w.adet
    aoet = aubt + w.blocked
    availability = ratio(w.apt, w.pbt)
    quality = None if w.gq is None else ratio(w.gq, w.judged)
    return {
        "planned_busy_hours": w.pbt,
        "busy_hours": aubt,
        "processing_hours": aupt,
        "production_hours": w.apt,
        "setup_hours": w.aust,
        "delay_hours": w.adet,
        "down_hours": w.adot,
        "order_execution_hours": aoet,
        "produced_units": w.pq,
        "good_units": w.gq,
        "scrap_units": w.sq,
        "consumed_units": w.cm,
        "failures": w.failures,
        "oee_index": _times(availability, effectiveness, quality),
        "nee_index": _times(ratio(aupt, w.pbt), effectiveness, quality),
        "availability": availability,
        "effectiveness": effectiveness,
        "quality_ratio": quality,
        "setup_ratio": ratio(w.aust, aupt),
        "technical_efficiency": ratio(w.apt, w.apt + w.adet),
        "production_process_ratio": ratio(w.apt, aoet),
        "allocation_ratio": ratio(aubt, aoet),
        "allocation_efficiency": ratio(aubt, w.pbt),
        "utilisation_efficiency": ratio(w.apt, aubt),
        "throughput_rate": ratio(w.pq, aoet),
        "scrap_ratio": None if w.sq is None else ratio(w.sq, w.judged),
        "finished_goods_ratio": (
            None if w.cm is None or w.assembled_good is None else ratio(w.assembled_good, w.cm)
        ),
        "mtbf_hours": ratio(w.apt, w.failures),
        "mttr_hours": ratio(w.restoration, w.repairs),
    }


def iso22400(record: RunRecord, output: OutputKpis) -> IsoKpis:
    """The ISO 22400-2 KPIs of every station but the test stations and of the plant; the
    plant's outgoing quality is ``output``'s."""
    horizon = record.horizon
    works = [_work(ln, horizon) for ln in record.lines]
    stations = {
        # effectiveness as PQ / (rate x APT): bit for bit the performance lines.* always had
        ln.id: IsoStationKpis(**_kpis(w, ratio(w.pq, ln.rate * w.apt)))
        for ln, w in zip(record.lines, works, strict=True)
    }
    plant = _sum(works)
    tests = record.range
    return IsoKpis(
        plant=IsoPlantKpis(
            **_kpis(plant, ratio(plant.ideal, plant.apt)),
            first_pass_yield=ratio(tests.units_first_passed, tests.units_first_tested),
            defectives_passed=output.defectives_passed,
            outgoing_defective_fraction=output.outgoing_defective_fraction,
        ),
        stations=stations,
    )
