"""The KPIs of one run as typed, frozen models, one per part of the plant; ``to_dict`` gives the
JSON-ready dict with the stable keys the README documents (a field's name is its key)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, ClassVar, get_args, get_origin, get_type_hints

from plantwin._frozen import quick_init

__all__ = [
    "BufferKpis",
    "ConservationKpis",
    "CrewKpis",
    "EngineKpis",
    "GridKpis",
    "IsoKpis",
    "IsoPlantKpis",
    "IsoStationKpis",
    "LineKpis",
    "OrderKpis",
    "OutputKpis",
    "ProductBalance",
    "ProductOutput",
    "ProductTests",
    "RangeKpis",
    "RunKpis",
    "StorageKpis",
]


class Shape:
    """A model type's fields in order (its base's first), a getter of their values, and which
    of them nest; found once a type from its annotations, not once a call, since a run's KPIs
    make some 40 models."""

    __slots__ = ("copied", "mapped", "names", "nested", "texts", "to_dict", "values")

    def __init__(self, model: type) -> None:
        self.names = tuple(f.name for f in fields(model))
        getter = attrgetter(*self.names)
        self.values: Callable[[Any], tuple[Any, ...]] = (
            getter if len(self.names) > 1 else lambda m: (getter(m),)
        )
        hints = get_type_hints(model)
        self.nested: list[str] = []  # a model
        self.mapped: list[str] = []  # a dict of models
        self.copied: list[str] = []  # a dict of plain values
        self.texts: list[str] = []  # a str (or None); the other fields are numbers (or None)
        for name in self.names:
            hint = hints[name]
            if isinstance(hint, type) and issubclass(hint, Model):
                self.nested.append(name)
            elif get_origin(hint) is dict:
                value = get_args(hint)[1]
                is_model = isinstance(value, type) and issubclass(value, Model)
                (self.mapped if is_model else self.copied).append(name)
            elif str in (hint, *get_args(hint)):
                self.texts.append(name)
        self.to_dict = self._dict_maker()

    def _dict_maker(self) -> Callable[[Any], dict[str, Any]]:
        """A function that makes a model's dict in one dict display, written for this type
        (as dataclasses writes its ``__init__``) rather than a loop over the fields: a run's
        dicts 0.57 -> 0.33 M instructions a plant-year of ``maracay``."""
        items = []
        for name in self.names:  # field names are identifiers: safe to write into code
            if name in self.nested:
                value = f"m.{name}.to_dict()"
            elif name in self.mapped:
                value = f"{{k: v.to_dict() for k, v in m.{name}.items()}}"
            elif name in self.copied:
                value = f"m.{name}.copy()"
            else:
                value = f"m.{name}"
            items.append(f"{name!r}: {value}")
        namespace: dict[str, Any] = {}
        exec(f"def to_dict(m):\n    return {{{', '.join(items)}}}", namespace)
        made: Callable[[Any], dict[str, Any]] = namespace["to_dict"]
        return made


_SHAPES: dict[type, Shape] = {}


def shape(model: type) -> Shape:
    """The shape of a model type (kept)."""
    out = _SHAPES.get(model)
    if out is None:
        out = _SHAPES[model] = Shape(model)
    return out


class Model:
    """A KPI model: its fields, in order, are the keys of its dict."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The model as nested plain dicts (dicts copied), fields in order: JSON-ready."""
        return shape(type(self)).to_dict(self)


@quick_init
@dataclass(frozen=True)
class ProductOutput(Model):
    """Output of one product."""

    units_made: float
    units_stored: float
    defectives_passed: float
    outgoing_defective_fraction: float | None  # defectives passed / units of passed lots


@quick_init
@dataclass(frozen=True)
class OutputKpis(Model):
    """The plant's output: units made and stored, outgoing quality, against the nameplate."""

    units_made: float  # of end products (products no bill uses), partial lots included
    units_stored: float
    defectives_passed: float
    outgoing_defective_fraction: float | None
    nameplate_per_year: float | None
    nameplate_units: float | None  # the nameplate's pace over the horizon
    attainment: float | None  # units stored / nameplate_units
    nameplate_units_from_opening: float | None
    attainment_from_opening: float | None
    by_product: dict[str, ProductOutput]
    opening_hours: float | None  # first station commissioned
    opening_date: str | None
    complete_hours: float | None  # every station commissioned
    complete_date: str | None
    nameplate_pace_share: float
    nameplate_pace_hours: float | None  # units over a rolling 4 weeks first reach that share
    nameplate_pace_date: str | None
    first_year_units: float | None  # None: the year after the opening ends after the horizon
    monthly: dict[str, float]  # units of finished lots, keyed YYYY-MM


@quick_init
@dataclass(frozen=True)
class LineKpis(Model):
    """One station (every role but test): output, OEE, failures and hours in each state."""

    role: str
    units_made: float  # process: units processed
    units_stored: float  # into storage or consumed into assemblies
    lots_made: int
    by_product: dict[str, float]
    availability: float | None  # producing / (horizon - off shift - not commissioned)
    performance: float | None  # units made / (rate x producing hours)
    quality: float | None  # units stored or consumed / units made (None on process stations)
    oee: float | None
    failures: int
    commissioned_hours: float | None
    commissioned_date: str | None
    hours: dict[str, float]  # by state (LINE_STATES), summing to the horizon


@quick_init
@dataclass(frozen=True)
class IsoStationKpis(Model):
    """One work unit (a station, every role but test) after ISO 22400-2: its time elements in
    hours, its quantities in units, and the KPIs computed from them (docs/kpis.md); a ratio
    whose denominator is 0, or whose quantity the station does not have, is None."""

    # the time elements and quantities: an experiment's rows leave them out (lines.* has them)
    ELEMENTS: ClassVar[tuple[str, ...]] = (
        "planned_busy_hours",
        "busy_hours",
        "processing_hours",
        "production_hours",
        "setup_hours",
        "delay_hours",
        "down_hours",
        "order_execution_hours",
        "produced_units",
        "good_units",
        "scrap_units",
        "consumed_units",
        "failures",
    )

    planned_busy_hours: float  # PBT: horizon - off shift - not commissioned
    busy_hours: float  # AUBT = processing + delay
    processing_hours: float  # AUPT = production + setup
    production_hours: float  # APT: producing
    setup_hours: float  # AUST: changeover
    delay_hours: float  # ADET: failed, waiting for crew, restarting, power out
    down_hours: float  # ADOT: blocked, starved
    order_execution_hours: float  # AOET = busy + blocked
    produced_units: float  # PQ, the partial lot included
    good_units: float | None  # GQ: stored or consumed into assemblies (None: process)
    scrap_units: float | None  # SQ: of its lots scrapped by a rejected test (None: process)
    consumed_units: float | None  # CM: components consumed (assemble only)
    failures: int
    oee_index: float | None
    nee_index: float | None
    availability: float | None
    effectiveness: float | None
    quality_ratio: float | None
    setup_ratio: float | None
    technical_efficiency: float | None
    production_process_ratio: float | None
    allocation_ratio: float | None
    allocation_efficiency: float | None
    utilisation_efficiency: float | None
    throughput_rate: float | None  # units an hour
    scrap_ratio: float | None
    finished_goods_ratio: float | None
    mtbf_hours: float | None
    mttr_hours: float | None


@quick_init
@dataclass(frozen=True)
class IsoPlantKpis(IsoStationKpis):
    """The plant as the sum of its work units (time elements and quantities summed, every ratio
    a ratio of the sums), with its first-pass yield and outgoing quality."""

    ELEMENTS: ClassVar[tuple[str, ...]] = (*IsoStationKpis.ELEMENTS, "defectives_passed")

    first_pass_yield: float | None  # units of lots passed at their first test / units tested
    defectives_passed: float  # as output.defectives_passed
    outgoing_defective_fraction: float | None  # as output.outgoing_defective_fraction


@quick_init
@dataclass(frozen=True)
class IsoKpis(Model):
    """The KPIs of ISO 22400-2 for the plant and for each station but the test stations."""

    plant: IsoPlantKpis
    stations: dict[str, IsoStationKpis]


@quick_init
@dataclass(frozen=True)
class ProductTests(Model):
    """Testing of one product: lots, outgoing quality and the switching rules' state."""

    lots_tested: int
    lots_accepted: int
    lots_rejected: int
    defectives_passed: float
    inspection_state: str  # at the end
    inspection_hours: dict[str, float]  # by inspection state
    inspection_lots: dict[str, int]  # lots tested in each inspection state
    switches: int


@quick_init
@dataclass(frozen=True)
class RangeKpis(Model):
    """One test station, or the plant's test stations together (``range``)."""

    lots_tested: int
    lots_accepted: int
    lots_rejected: int
    units_sampled: float  # destroyed as samples
    units_scrapped: float
    by_product: dict[str, ProductTests]


@quick_init
@dataclass(frozen=True)
class BufferKpis(Model):
    """One buffer: its capacity and the lots it held."""

    capacity_lots: int | None
    capacity_units: int | None
    mean_lots: float  # time-weighted
    max_lots: int
    end_lots: int
    end_units: float


@quick_init
@dataclass(frozen=True)
class CrewKpis(Model):
    """One repair crew: size, repairs, how busy it was and how long stations waited for it."""

    count: int
    repairs: int
    busy_hours: float  # member-hours on repairs
    utilisation: float | None  # busy hours / (count x horizon)
    mean_wait_hours: float | None  # hours stations waited for a member, per repair


@quick_init
@dataclass(frozen=True)
class StorageKpis(Model):
    """The storage level in units."""

    capacity: float | None  # None: unlimited
    min: float
    mean: float  # time-weighted
    max: float
    end: float
    by_product: dict[str, float]  # at the end


@quick_init
@dataclass(frozen=True)
class OrderKpis(Model):
    """Customer orders: counts, fill rate, backorders and lead times."""

    released: int
    due_in_horizon: int
    completed: int
    completed_on_time: int
    units_ordered: int  # of the orders due in the horizon
    units_shipped: float
    units_shipped_on_time: float  # of the orders due in the horizon
    fill_rate: float | None  # shipped on time / ordered
    fill_rate_from_opening: float | None  # of the orders released at or after the opening
    backorders: float  # open units of the orders due in the horizon
    lead_time_mean_hours: float | None  # release to completion
    lead_time_max_hours: float | None


@quick_init
@dataclass(frozen=True)
class GridKpis(Model):
    """The grid's disruptions."""

    cuts: int
    standstills: int
    hours_without_power: float


@quick_init
@dataclass(frozen=True)
class ProductBalance(Model):
    """Where the units made of one product are at the end: made = the sum of the rest."""

    made: float
    in_process: float
    sampled: float
    scrapped: float
    in_storage: float
    shipped: float
    consumed: float | None  # into assemblies; None (and no key) when the plant has no bill
    difference: float

    def to_dict(self) -> dict[str, Any]:
        """The balance as a dict; ``consumed`` only when the plant has a bill of materials."""
        out = Model.to_dict(self)  # not super(): a slotted dataclass is a copy of its class
        if self.consumed is None:
            del out["consumed"]
        return out


@quick_init
@dataclass(frozen=True)
class ConservationKpis(Model):
    """Conservation of units, per product."""

    ok: bool  # every product's difference is within CONSERVATION_TOLERANCE
    by_product: dict[str, ProductBalance]


@quick_init
@dataclass(frozen=True)
class EngineKpis(Model):
    """The engine's work."""

    events: int
    log_records: int


@quick_init
@dataclass(frozen=True)
class RunKpis(Model):
    """Every KPI of one run."""

    scenario: str  # the plant's name
    seed: int
    replication: int
    start: str  # ISO date
    end: str  # ISO date of the horizon
    horizon_hours: float
    unit: str
    output: OutputKpis
    lines: dict[str, LineKpis]  # by station
    iso22400: IsoKpis
    range: RangeKpis  # the test stations together
    testers: dict[str, RangeKpis]  # by test station
    buffers: dict[str, BufferKpis]  # by buffer
    crews: dict[str, CrewKpis]  # by crew
    storage: StorageKpis
    orders: OrderKpis
    grid: GridKpis
    conservation: ConservationKpis
    engine: EngineKpis
