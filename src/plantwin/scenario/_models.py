"""The plant as a validated pydantic model: calendar, products, lines, grid, range, storage, demand.

A ``Scenario`` is immutable once validated. Cross-references (a line's products, an order's
product) are checked here too, so any Scenario the engine receives is consistent.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationInfo, field_validator, model_validator

from plantwin.scenario._base import LAST_DAY, Id, Model, stored
from plantwin.scenario._dist import Constant, Distribution
from plantwin.scenario._duration import duration_hours, parse_duration
from plantwin.scenario._limits import (
    MAX_EVENTS_PER_HOUR,
    MAX_LANES,
    MAX_LOT_SIZE,
    MAX_PER_YEAR,
    MIN_PER_YEAR,
    check_limits,
)
from plantwin.scenario._project import Backup, Project, Supplier
from plantwin.scenario._references import ReferenceErrors, check_references

__all__ = [
    "WEEKDAYS",
    "Buffer",
    "Calendar",
    "Changeover",
    "ChangeoverPair",
    "Cuts",
    "Demand",
    "Failures",
    "FixedPlan",
    "Grid",
    "Line",
    "Order",
    "Plant",
    "Product",
    "Range",
    "Recurring",
    "Sampling",
    "Scenario",
    "Standstills",
    "Storage",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_SHIFT = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])")
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*")


class Plant(Model):
    """Name, start date, horizon, time zone and the nameplate capacity output is measured against.

    Every date and time in a scenario is plant time: local time in ``timezone``.
    """

    name: str = "plant"
    start: date = Field(description="day the run starts, at 00:00 plant time")
    horizon: str | float = Field(
        default="1y", description=f"duration: 8760h, 90d, 6mo, 1y; the run must end by {LAST_DAY}"
    )
    nameplate: float | None = Field(default=None, ge=1, description="units per year")
    pace_share: float = Field(
        default=1.0, gt=0, le=1,
        description="share of the nameplate pace that counts as reaching it (rolling 4 weeks)",
    )  # fmt: skip
    unit: str = "units"
    timezone: str = Field(
        default="UTC",
        description="the plant's time zone, an IANA name such as America/Caracas (default UTC)",
    )

    @field_validator("horizon", mode="before")
    @classmethod
    def _horizon(cls, v: Any) -> Any:
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            raise ValueError("a duration is a string such as 1y, 6mo, 90d, 8760h, or hours")
        parse_duration(v)
        return v

    @field_validator("horizon")
    @classmethod
    def _horizon_ends(cls, v: str | float, info: ValidationInfo) -> str | float:
        start = info.data.get("start")  # absent when the start itself is wrong
        if start is not None:
            duration_hours(v, start)
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        # "localtime" is the machine's own zone, which would make results depend on the machine
        if v == "UTC" or (_ZONE.fullmatch(v) and v != "localtime" and _zone_info(v)):
            return v
        raise ValueError(
            "unknown time zone: use an IANA name such as America/Caracas, Europe/Madrid or UTC"
        )

    @property
    def tzinfo(self) -> tzinfo:
        """The plant's time zone, for turning plant time into absolute time (e.g. in exports)."""
        return UTC if self.timezone == "UTC" else ZoneInfo(self.timezone)


def _zone_info(name: str) -> bool:
    """Whether zoneinfo knows ``name`` (it raises one of several errors when not)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


class Calendar(Model):
    """Weekly working pattern: working days and shifts (HH:MM-HH:MM, local time), and holidays."""

    workdays: list[Weekday] = Field(default=["mon", "tue", "wed", "thu", "fri"], min_length=1)
    shifts: list[str] = Field(default=["06:00-14:00", "14:00-22:00"], min_length=1)
    holidays: list[date] = []

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, v: list[str]) -> list[str]:
        for s in v:
            m = _SHIFT.fullmatch(s)
            if not m:
                raise ValueError(f"shift {s!r} must look like 06:00-14:00 (24-hour clock)")
            if m.group(1, 2) == m.group(3, 4):
                raise ValueError(f"shift {s!r} has no length")
        return v

    def shift_hours(self) -> list[tuple[float, float]]:
        """Shifts as (start, end) hours after midnight; a shift past midnight ends after 24."""
        out = []
        for s in self.shifts:
            m = _SHIFT.fullmatch(s)
            assert m
            a = int(m.group(1)) + int(m.group(2)) / 60
            b = int(m.group(3)) + int(m.group(4)) / 60
            out.append((a, b if b > a else b + 24))
        return out


class Product(Model):
    """A product: what is counted, and the distribution of each lot's defective fraction."""

    id: Id
    name: str = ""
    defect_fraction: Distribution = Field(
        default=Constant(value=0.0), description="fraction in [0, 1] drawn once per lot"
    )

    @field_validator("defect_fraction")
    @classmethod
    def _fraction(cls, v: Any) -> Any:
        if v.upper > 1:
            raise ValueError(
                f"a defective fraction must lie in [0, 1], but {v.dist} reaches {v.upper}; "
                "use beta, uniform, triangular, constant or empirical with values up to 1"
            )
        return v


class Failures(Model):
    """Breakdowns: time between failures in producing hours, repair time in calendar hours."""

    between: Distribution = Field(
        description=f"producing hours; a mean of at least {1 / MAX_EVENTS_PER_HOUR:g} h"
    )
    repair: Distribution


class Line(Model):
    """A production line: products it can make, ideal rate, performance factor, lot size."""

    id: Id
    products: list[Id] = Field(min_length=1)
    rate: float = Field(gt=0, description="ideal units per hour")
    performance: float = Field(default=1.0, gt=0, le=1, description="share of ideal rate")
    lot_size: int = Field(
        gt=0, le=MAX_LOT_SIZE,
        description=(
            f"units per lot, at most {MAX_LOT_SIZE:,}; a line may finish at most"
            f" {MAX_EVENTS_PER_HOUR:g} lots an hour (rate x performance / lot_size)"
        ),
    )  # fmt: skip
    failures: Failures | None = None
    commissioned: date | None = Field(default=None, description="idle as not_commissioned before")
    initial_product: Id | None = Field(default=None, description="set-up product at the start")
    campaign_lots: int | None = Field(default=None, gt=0, description="overrides changeover's")
    project: Project | None = Field(
        default=None, description="commissioning: delivery, installation, ramp-up"
    )
    make_to: Literal["stock", "order"] = Field(
        default="stock",
        description="stock: always produce; order: only while net requirements are positive",
    )


class ChangeoverPair(Model):
    """A changeover time for one ordered pair of products, overriding the default."""

    from_: Id = Field(alias="from")
    to: Id
    time: Distribution


class Changeover(Model):
    """Product changes on multi-product lines: campaign length in whole lots and the time."""

    campaign_lots: int = Field(default=1, gt=0)
    time: Distribution = Field(default=Constant(value=0.0), description="hours")
    pairs: list[ChangeoverPair] = []


class Cuts(Model):
    """Plant-wide grid power cuts: gap from the end of one cut to the next, and duration."""

    between: Distribution = Field(
        description=(
            "hours from the end of one cut to the start of the next; mean gap plus mean duration"
            f" at least {1 / MAX_EVENTS_PER_HOUR:g} h"
        )
    )
    duration: Distribution = Field(description="hours")


class Standstills(Model):
    """Long plant-wide standstills arriving as a Poisson process."""

    per_year: float = Field(
        ge=0, description=f"mean number a year: 0, or {MIN_PER_YEAR:g} to {MAX_PER_YEAR:,.0f}"
    )
    duration: Distribution


class Grid(Model):
    """Power: cuts, long standstills, and each line's restart time after power returns."""

    cuts: Cuts | None = None
    standstills: Standstills | None = None
    restart: float = Field(default=0.0, ge=0, description="hours per line")
    backup: Backup | None = None


class FixedPlan(Model):
    """A sampling plan given directly: sample size n, accept on d <= ac, reject on d >= re."""

    n: int = Field(gt=0)
    ac: int = Field(ge=0)
    re: int = Field(gt=0)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.re <= self.ac:
            raise ValueError(f"re ({self.re}) must be greater than ac ({self.ac})")
        return self


class Sampling(Model):
    """How lots are sampled: a fixed plan, or the standard's plans from level and AQL."""

    plan: FixedPlan | None = None
    standard: Literal["iso2859-1", "mil-std-105e"] = "iso2859-1"
    level: Literal["S-1", "S-2", "S-3", "S-4", "I", "II", "III"] = "II"
    aql: float | None = Field(default=None, gt=0, description="percent nonconforming")
    switching: bool = True
    resume_after: Distribution = Field(
        default=Constant(value=168.0),
        description="hours of corrective action after discontinuation; then tightened again",
    )

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.plan is None) == (self.aql is None):
            raise ValueError("give either plan = {n, ac, re} or aql (with level and standard)")
        if self.aql is not None:
            from plantwin.sampling import SamplingError, normalize_aql

            try:
                normalize_aql(self.aql)
            except SamplingError as exc:
                raise ValueError(str(exc)) from None
        return self


class Range(Model):
    """The test range: lanes working in parallel, test time per lot, sampling."""

    lanes: int = Field(default=1, gt=0, le=MAX_LANES)
    test_time: Distribution = Field(description="working, powered hours per lot")
    sampling: Sampling


class Buffer(Model):
    """Finished lots waiting for the range; a line whose lot finds it full is blocked."""

    lots: int = Field(ge=0)


class Storage(Model):
    """Finished-goods storage shared by all products; no capacity means unlimited."""

    capacity: float | None = Field(default=None, gt=0, description="units")


class Recurring(Model):
    """An order released every month (on ``day``) or week (ISO weekday ``day``), due at the next."""

    product: Id
    quantity: int = Field(gt=0)
    every: Literal["month", "week"] = "month"
    day: int = Field(default=1, ge=1, le=28)
    first: date | None = Field(default=None, description="no release before this date")

    @model_validator(mode="after")
    def _day(self) -> Self:
        if self.every == "week" and self.day > 7:
            raise ValueError(f"day {self.day} is not an ISO weekday: use 1 (Monday) to 7")
        return self


class Order(Model):
    """A one-off order."""

    id: Id | None = None
    product: Id
    quantity: int = Field(gt=0)
    release: datetime | date
    due: datetime | date

    @field_validator("release", "due")
    @classmethod
    def _local(cls, v: datetime | date) -> datetime | date:
        if isinstance(v, datetime) and v.tzinfo is not None:
            raise ValueError("use plant time without a time zone, e.g. 2025-07-01T06:00")
        return v

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if _as_dt(self.due) < _as_dt(self.release):
            raise ValueError(f"due ({self.due}) is before release ({self.release})")
        return self


def _as_dt(d: datetime | date) -> datetime:
    return d if isinstance(d, datetime) else datetime(d.year, d.month, d.day)


class Demand(Model):
    """Customer orders: recurring and one-off."""

    recurring: list[Recurring] = []
    orders: list[Order] = []


class Scenario(Model):
    """A whole plant. Build one with ``load_scenario``, ``parse_scenario`` or ``builtin``."""

    plant: Plant
    calendar: Calendar = Calendar()
    products: list[Product] = Field(min_length=1)
    suppliers: list[Supplier] = []
    lines: list[Line] = Field(min_length=1)
    changeover: Changeover = Changeover()
    grid: Grid = Grid()
    range: Range
    buffer: Buffer
    storage: Storage = Storage()
    demand: Demand = Demand()

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Self:
        problems = check_references(self) + ([] if stored(info) else check_limits(self))
        if problems:
            raise ReferenceErrors(problems)
        return self

    def product_ids(self) -> list[str]:
        """Product ids in scenario order."""
        return [p.id for p in self.products]

    def line_ids(self) -> list[str]:
        """Ids of the stations that make or work on lots: the lines."""
        return [line.id for line in self.lines]
