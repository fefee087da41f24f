"""Scenario format 2: the plant as a network of stations, buffers, routings, bills and crews.

A ``Network`` reuses format 1's models for everything but the plant's shape (plant, calendar,
products, suppliers, changeover, grid, storage, demand), so both formats validate a field the
same way. Its cross-references are checked here, each problem at the path of the field it
concerns; docs/model.md "Format 2: the plant as a network" describes the tables.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal, Self

from pydantic import Field, ValidationInfo, model_validator

from plantwin.scenario._base import Id, Model, stored
from plantwin.scenario._dist import Distribution
from plantwin.scenario._limits import MAX_LANES, MAX_LOT_SIZE, check_network_limits
from plantwin.scenario._models import (
    Calendar,
    Changeover,
    Demand,
    Failures,
    Grid,
    Order,
    Plant,
    Product,
    Recurring,
    Sampling,
    Storage,
)
from plantwin.scenario._project import Project, Supplier
from plantwin.scenario._references import Reference, ReferenceErrors, duplicate_ids

__all__ = [
    "ROLES",
    "Component",
    "Crew",
    "Network",
    "NetworkBuffer",
    "Part",
    "Routing",
    "Stage",
    "Station",
    "network_warnings",
]

Role = Literal["produce", "process", "assemble", "test"]
ROLES: tuple[Role, ...] = ("produce", "process", "assemble", "test")

# what each role needs and what it may not have (the rest applies to every role)
_NEEDS: dict[str, tuple[str, ...]] = {
    "produce": ("products", "rate", "lot_size"),
    "process": ("rate",),
    "assemble": ("products", "rate", "lot_size"),
    "test": ("test_time", "sampling"),
}
_TEST_ONLY = ("lanes", "test_time", "sampling")
_FORBIDS: dict[str, tuple[str, ...]] = {
    "produce": _TEST_ONLY,
    "process": ("lot_size", *_TEST_ONLY),
    "assemble": _TEST_ONLY,
    "test": ("rate", "lot_size"),
}
_WHY = {
    "lot_size": "it works on whole lots as they come",
    "rate": "its test_time sets how long a lot takes",
}


class Station(Model):
    """A machine or group of machines with a role: produce, process, assemble or test."""

    id: Id
    role: Role = Field(description="produce, process, assemble or test")
    products: list[Id] = Field(
        default=[],
        description="produce/assemble: what it makes; process/test: what it takes (default any)",
    )
    rate: float | None = Field(default=None, gt=0, description="ideal units per hour")
    performance: float = Field(default=1.0, gt=0, le=1, description="share of ideal rate")
    lot_size: int | None = Field(
        default=None, gt=0, le=MAX_LOT_SIZE, description="units per lot it makes"
    )
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
    changeover: Changeover | None = Field(
        default=None, description="this station's own changeovers, instead of [changeover]"
    )
    crew: Id | None = Field(default=None, description="the crew that repairs it")
    changeover_crew: Id | None = Field(default=None, description="the crew its changeovers need")
    lanes: int | None = Field(
        default=None, gt=0, le=MAX_LANES, description="test: lots tested at once (default 1)"
    )
    test_time: Distribution | None = Field(
        default=None, description="test: working, powered hours per lot"
    )
    sampling: Sampling | None = Field(default=None, description="test: the sampling plan")


class NetworkBuffer(Model):
    """Lots waiting first in, first out, with a capacity in lots or in units (one of the two)."""

    id: Id
    lots: int | None = Field(default=None, ge=0, description="lots it holds")
    units: int | None = Field(default=None, gt=0, description="units it holds")

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.lots is None) == (self.units is None):
            raise ValueError("give the capacity as either lots or units")
        return self


class Stage(Model):
    """Parallel stations sharing one input buffer (none for a routing's produce stage)."""

    buffer: Id | None = Field(default=None, description="the input buffer")
    stations: list[Id] = Field(description="the parallel stations")


class Routing(Model):
    """The stages the lots of some products go through, in order; then into ``to``."""

    products: list[Id] = Field(min_length=1, description="products that follow this routing")
    stages: list[Stage] = Field(min_length=1)
    to: Id | None = Field(
        default=None, description="the buffer the last stage puts lots into (default storage)"
    )


class Component(Model):
    """One line of a bill of materials: units of ``product`` per unit assembled."""

    product: Id
    units: int = Field(gt=0, description="units of the component per unit assembled")


class Part(Model):
    """The bill of materials of an assembled product."""

    product: Id
    components: list[Component] = Field(min_length=1)


class Crew(Model):
    """Shared repair (and changeover) people: how many, and when they work."""

    id: Id
    count: int = Field(gt=0)
    calendar: Calendar | None = Field(default=None, description="default: always there")


class Network(Model):
    """A whole plant in scenario format 2 (``format = 2``)."""

    format: Literal[2]
    plant: Plant
    calendar: Calendar = Calendar()
    products: list[Product] = Field(min_length=1)
    suppliers: list[Supplier] = Field(default=[])
    stations: list[Station] = Field(min_length=1)
    buffers: list[NetworkBuffer] = Field(default=[])
    routings: list[Routing] = Field(min_length=1)
    bom: list[Part] = Field(default=[])
    crews: list[Crew] = Field(default=[])
    changeover: Changeover = Changeover()
    grid: Grid = Grid()
    storage: Storage = Storage()
    demand: Demand = Demand()

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Self:
        checks = _Checks(self)
        problems = checks.run()
        if not problems and not stored(info):  # the limits need sound references
            problems = checks.lot_sizes() + check_network_limits(self)
        if problems:
            raise ReferenceErrors(problems)
        return self

    def product_ids(self) -> list[str]:
        """Product ids in scenario order."""
        return [p.id for p in self.products]

    def line_ids(self) -> list[str]:
        """Ids of the stations that make or work on lots (every role but test), the ``lines``
        of the KPIs."""
        return [s.id for s in self.stations if s.role != "test"]

    def stations_of(self, role: Role) -> list[Station]:
        """The stations of one role, in scenario order."""
        return [s for s in self.stations if s.role == role]


def network_warnings(net: Network) -> list[Reference]:
    """What is valid but probably not meant: crews no station uses."""
    used = {x for s in net.stations for x in (s.crew, s.changeover_crew)}
    return [
        Reference(("crews", i, "id"), c.id, "no station uses this crew")
        for i, c in enumerate(net.crews)
        if c.id not in used
    ]


def _known(ids: Iterable[str], what: str, value: str) -> str:
    """What an unknown id could have been: a close one, and all that are defined."""
    known = list(ids)
    if not known:
        return f"none defined (add [[{what}]])"
    hint = difflib.get_close_matches(value, known, n=1)
    did = f"did you mean {hint[0]!r}? " if hint else ""
    return f"{did}known: {', '.join(known)}"


class _Checks:
    """Every cross-reference problem of a network whose fields are valid."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.out: list[Reference] = []
        self.products = net.product_ids()
        self.stations = {s.id: s for s in net.stations}
        self.buffers = [b.id for b in net.buffers]
        # product -> index of its routing
        self.routing: dict[str, int] = {}
        for i, r in enumerate(net.routings):
            for p in r.products:
                self.routing.setdefault(p, i)

    def add(self, path: tuple[str | int, ...], value: object, message: str) -> None:
        self.out.append(Reference(path, value, message))

    def product(self, path: tuple[str | int, ...], p: str) -> bool:
        if p in self.products:
            return True
        self.add(path, p, f"unknown product; {_known(self.products, 'products', p)}")
        return False

    def run(self) -> list[Reference]:
        net = self.net
        self.out += duplicate_ids("products", self.products)
        self.out += duplicate_ids("stations", [s.id for s in net.stations])
        self.out += duplicate_ids("buffers", self.buffers)
        self.out += duplicate_ids("crews", [c.id for c in net.crews])
        self.out += duplicate_ids("suppliers", [s.id for s in net.suppliers])
        for i, s in enumerate(net.stations):
            self.station(i, s)
        self.changeovers(("changeover",), net.changeover)
        backup = net.grid.backup
        for j, name in enumerate(backup.lines if backup else []):
            if name not in self.stations:
                self.add(
                    ("grid", "backup", "lines", j),
                    name,
                    f"unknown station; {_known(self.stations, 'stations', name)}",
                )
        for i, r in enumerate(net.routings):
            self.routing_(i, r)
        self.unrouted_stations()
        self.unread_buffers()
        self.bills()
        self.demand()
        return self.out

    def kits(self, makers: dict[str, int]) -> None:
        """An assembly's kit must hold one lot's worth of each component (its capacity counts
        per component): else the assembly starves for good."""
        net = self.net
        where = {b.id: i for i, b in enumerate(net.buffers)}
        for part in net.bom:
            first = self._first_stage(part.product)
            if first is None or first.buffer is None:
                continue
            k = where[first.buffer]
            kit = net.buffers[k]
            sizes = [
                self.stations[n].lot_size or 0
                for n in first.stations
                if part.product in self.stations[n].products
            ]
            for c in part.components:
                need = max(sizes, default=0) * c.units
                field, holds = ("units", kit.units) if kit.units is not None else ("lots", None)
                if holds is None:
                    holds = (kit.lots or 0) * makers.get(c.product, 0)
                if holds < need:
                    self.add(
                        ("buffers", k, field),
                        getattr(kit, field),
                        f"an assembly lot of {part.product} takes {need:,} units of"
                        f" {c.product}, but this kit holds at most {holds:,} of it (its capacity"
                        " counts for each component): the assembly would starve for good",
                    )

    def lot_sizes(self) -> list[Reference]:
        """A fixed sample must be smaller than every lot a test station gets, and storage must
        hold the largest lot routed into it."""
        net = self.net
        makers: dict[str, int] = {}  # product -> largest lot made of it
        smallest: dict[str, int] = {}
        for s in net.stations:
            for p in s.products if s.role in ("produce", "assemble") else []:
                size = s.lot_size or 0
                makers[p] = max(makers.get(p, 0), size)
                smallest[p] = min(smallest.get(p, size), size)
        for r in net.routings:
            lots = [smallest[p] for p in r.products if p in smallest]
            for stage in r.stages:
                for name in stage.stations:
                    s = self.stations[name]
                    plan = s.sampling.plan if s.sampling is not None else None
                    if plan is not None and lots and plan.n >= min(lots):
                        i = net.stations.index(s)
                        self.add(
                            ("stations", i, "sampling", "plan", "n"),
                            plan.n,
                            f"the sample must be smaller than every lot it tests (the smallest"
                            f" is {min(lots)})",
                        )
        self.kits(makers)
        into = [makers[p] for r in net.routings if r.to is None for p in r.products if p in makers]
        cap = net.storage.capacity
        if cap is not None and into and cap < max(into):
            self.add(
                ("storage", "capacity"),
                cap,
                f"smaller than the largest lot ({max(into)} units): no such lot could ever be"
                " stored",
            )
        return self.out

    def station(self, i: int, s: Station) -> None:
        at: tuple[str | int, ...] = ("stations", i)
        for j, p in enumerate(s.products):
            self.product((*at, "products", j), p)
        for field in _NEEDS[s.role]:
            if not getattr(s, field):
                self.add((*at, field), None, f"a {s.role} station needs {field}")
        for field in _FORBIDS[s.role]:
            value = getattr(s, field)
            if value is not None:
                why = _WHY.get(field, f"only test stations have {field}")
                self.add((*at, field), value, f"not allowed on a {s.role} station: {why}")
        if s.initial_product is not None and s.initial_product not in s.products:
            self.add(
                (*at, "initial_product"),
                s.initial_product,
                f"station {s.id} does not make it; it makes: {', '.join(s.products) or 'nothing'}",
            )
        if s.project is not None:
            if s.commissioned is not None:
                self.add(
                    (*at, "commissioned"),
                    s.commissioned,
                    "a station with a project is commissioned by it; drop commissioned",
                )
            suppliers = [x.id for x in self.net.suppliers]
            if s.project.supplier is not None and s.project.supplier not in suppliers:
                self.add(
                    (*at, "project", "supplier"),
                    s.project.supplier,
                    f"unknown supplier; {_known(suppliers, 'suppliers', s.project.supplier)}",
                )
        crews = [c.id for c in self.net.crews]
        for field in ("crew", "changeover_crew"):
            name = getattr(s, field)
            if name is not None and name not in crews:
                self.add((*at, field), name, f"unknown crew; {_known(crews, 'crews', name)}")
        if s.changeover is not None:
            self.changeovers((*at, "changeover"), s.changeover)

    def changeovers(self, at: tuple[str | int, ...], c: Changeover) -> None:
        for i, pair in enumerate(c.pairs):
            self.product((*at, "pairs", i, "from"), pair.from_)
            self.product((*at, "pairs", i, "to"), pair.to)

    def routing_(self, i: int, r: Routing) -> None:
        at: tuple[str | int, ...] = ("routings", i)
        for j, p in enumerate(r.products):
            if self.product((*at, "products", j), p) and self.routing[p] != i:
                self.add(
                    (*at, "products", j),
                    p,
                    f"routings[{self.routing[p]}] routes this product already: one routing each",
                )
        seen_buffers: set[str] = set()
        seen_stations: set[str] = set()
        for k, stage in enumerate(r.stages):
            self.stage((*at, "stages", k), k, r, stage, seen_buffers, seen_stations)
        if r.to is not None:
            if r.to not in self.buffers:
                known = _known(self.buffers, "buffers", r.to)
                self.add((*at, "to"), r.to, f"unknown buffer; {known}")
            elif r.to in seen_buffers:
                self.add(
                    (*at, "to"), r.to, "routing cycle: its lots would come back to this buffer"
                )

    def stage(
        self,
        at: tuple[str | int, ...],
        k: int,
        r: Routing,
        stage: Stage,
        seen_buffers: set[str],
        seen_stations: set[str],
    ) -> None:
        if not stage.stations:
            self.add((*at, "stations"), [], "a stage needs at least one station")
        if stage.buffer is not None:
            if stage.buffer not in self.buffers:
                self.add(
                    (*at, "buffer"),
                    stage.buffer,
                    f"unknown buffer; {_known(self.buffers, 'buffers', stage.buffer)}",
                )
            elif stage.buffer in seen_buffers:
                self.add((*at, "buffer"), stage.buffer, "routing cycle: this buffer comes twice")
            seen_buffers.add(stage.buffer)
        roles = set()
        for j, name in enumerate(stage.stations):
            where = (*at, "stations", j)
            s = self.stations.get(name)
            if s is None:
                known = _known(self.stations, "stations", name)
                self.add(where, name, f"unknown station; {known}")
                continue
            if name in seen_stations:
                self.add(where, name, "routing cycle: this station comes twice in the routing")
            seen_stations.add(name)
            roles.add(s.role)
            first = s.role in ("produce", "assemble")
            if first and k > 0:
                self.add(where, name, f"a {s.role} station can only be in a routing's first stage")
            elif not first and k == 0:
                self.add(
                    where,
                    name,
                    f"a {s.role} station takes lots from an input buffer: it cannot be in a"
                    " routing's first stage",
                )
            elif s.role in ("process", "test") and s.products:
                for p in r.products:
                    if p not in s.products:
                        self.add(
                            where, name, f"station {name} does not take {p}, which this routes"
                        )
        if k == 0:
            for p in r.products:
                if p in self.products and not any(
                    p in self.stations[n].products for n in stage.stations if n in self.stations
                ):
                    self.add(
                        (*at, "stations"),
                        stage.stations,
                        f"no station of this first stage makes {p}",
                    )
        needs_buffer = k > 0 or "assemble" in roles
        if needs_buffer and stage.buffer is None:
            self.add((*at, "buffer"), None, "this stage needs an input buffer")
        if not needs_buffer and stage.buffer is not None and roles == {"produce"}:
            self.add(
                (*at, "buffer"),
                stage.buffer,
                "produce stations make lots from raw material: they read no buffer",
            )

    def unrouted_stations(self) -> None:
        routed = {n for r in self.net.routings for st in r.stages for n in st.stations}
        for i, s in enumerate(self.net.stations):
            if s.id not in routed:
                self.add(("stations", i, "id"), s.id, "no routing's stage names this station")
                continue
            if s.role not in ("produce", "assemble"):
                continue
            for j, p in enumerate(s.products):
                first = self._first_stage(p)
                if p in self.products and (first is None or s.id not in first.stations):
                    self.add(
                        ("stations", i, "products", j),
                        p,
                        f"no routing takes {p} from station {s.id}: name the station in the"
                        f" first stage of {p}'s routing",
                    )

    def unread_buffers(self) -> None:
        read = {st.buffer for r in self.net.routings for st in r.stages}
        for i, b in enumerate(self.net.buffers):
            if b.id not in read:
                self.add(("buffers", i, "id"), b.id, "no stage reads this buffer")

    def bills(self) -> None:
        net = self.net
        bills: dict[str, Part] = {}
        for i, part in enumerate(net.bom):
            at: tuple[str | int, ...] = ("bom", i)
            if not self.product((*at, "product"), part.product):
                continue
            if part.product in bills:
                self.add((*at, "product"), part.product, "this product has a bill already")
            bills[part.product] = part
            first = self._first_stage(part.product)
            if first is None or not any(
                self.stations[n].role == "assemble" for n in first.stations if n in self.stations
            ):
                self.add(
                    (*at, "product"),
                    part.product,
                    "no assemble station makes this product (its routing's first stage)",
                )
                continue
            for j, c in enumerate(part.components):
                self.component((*at, "components", j), part.product, c, first.buffer)
        for i, s in enumerate(net.stations):
            if s.role == "assemble":
                for j, p in enumerate(s.products):
                    if p in self.products and p not in bills:
                        self.add(
                            ("stations", i, "products", j),
                            p,
                            "an assembled product needs a bill of materials ([[bom]])",
                        )
        self.bill_cycles(bills)

    def _first_stage(self, product: str) -> Stage | None:
        i = self.routing.get(product)
        return None if i is None else self.net.routings[i].stages[0]

    def component(self, at: tuple[str | int, ...], of: str, c: Component, into: str | None) -> None:
        if not self.product((*at, "product"), c.product):
            return
        if c.product == of:
            return  # a cycle, reported by bill_cycles
        i = self.routing.get(c.product)
        if i is None:
            self.add((*at, "product"), c.product, "no station produces this component")
            return
        to = self.net.routings[i].to
        if into is not None and to != into:
            self.add(
                (*at, "product"),
                c.product,
                f"this component's routing (routings[{i}]) ends in {to or 'storage'}, not in"
                f" the assembly's input buffer: set its to = {into!r}",
            )

    def bill_cycles(self, bills: dict[str, Part]) -> None:
        index = {part.product: i for i, part in enumerate(self.net.bom)}

        def path_back(start: str, node: str, trail: list[str]) -> list[str] | None:
            for c in bills[node].components if node in bills else []:
                if c.product == start:
                    return [*trail, start]
                if c.product not in trail:
                    found = path_back(start, c.product, [*trail, c.product])
                    if found:
                        return found
            return None

        for p in bills:
            cycle = path_back(p, p, [p])
            if cycle:
                self.add(
                    ("bom", index[p], "components"),
                    " -> ".join(cycle),
                    "bill of materials cycle: a product cannot be its own component",
                )

    def demand(self) -> None:
        made = [p for p in self.products if p in self.routing]
        makers = ", ".join(made) or "nothing"
        d = self.net.demand
        kinds: tuple[tuple[str, Sequence[Recurring | Order]], ...] = (
            ("recurring", d.recurring),
            ("orders", d.orders),
        )
        for kind, items in kinds:
            for i, o in enumerate(items):
                if o.product not in self.routing:
                    self.add(
                        ("demand", kind, i, "product"),
                        o.product,
                        f"no routing makes this product; routings make: {makers}",
                    )
        seen: set[str] = set()
        for i, order in enumerate(d.orders):
            if order.id is not None and order.id in seen:
                self.add(("demand", "orders", i, "id"), order.id, "duplicate order id")
            seen.add(order.id or "")
