"""The plant of one run: the nodes of a network (stations, buffers, test stations, storage,
orders, crews, projects) built from its scenario and wired port to port.

Each node knows only its ports (its input buffer, the output port of each product) and the
kernel; nothing here runs during the run except ``balance``, which accounts for every unit.
Products are numbered in scenario order: a lot carries its product's index, and the nodes keep
their tallies, ports and random streams by product in arrays and lists indexed by it.
A format 1 scenario is built as its default network (``to_network``), so the same seed gives
the same run in either format. The first test station keeps format 1's names for its random
streams and its lanes (``range:test_time``, ``lane-1``); others prefix them with their id.
"""

from __future__ import annotations

from typing import Any

from plantwin.scenario import Changeover, Network, Scenario, to_network
from plantwin.scenario import Station as StationSpec
from plantwin.sim._buffer import Buffer
from plantwin.sim._calendar import hours_at
from plantwin.sim._completions import Completions
from plantwin.sim._counts import Counts
from plantwin.sim._crew import Crew
from plantwin.sim._demand import NetRequirement, Orders, order_book
from plantwin.sim._dispatch import Dispatcher
from plantwin.sim._draws import Draws
from plantwin.sim._inspection import FixedInspection, Inspection
from plantwin.sim._kernel import Kernel
from plantwin.sim._lot import zeros
from plantwin.sim._memo import per_object
from plantwin.sim._project import Commissioning
from plantwin.sim._station import (
    AssembleStation,
    ProcessStation,
    ProduceStation,
    Station,
)
from plantwin.sim._storage import Storage
from plantwin.sim._streams import Streams
from plantwin.sim._tester import TestStation

__all__ = ["Plant", "lane_names", "network_of"]


def network_of(scenario: Scenario | Network) -> Network:
    """The network a scenario describes (a format 1 scenario's default network)."""
    return scenario if isinstance(scenario, Network) else _default_network(scenario)


_default_network = per_object(to_network)


def lane_names(net: Network) -> dict[str, str]:
    """Each test lane's id and its test station's: the first test station keeps format 1's
    names (``lane-1``), the others prefix theirs with the station id (``T2.lane-1``)."""
    out: dict[str, str] = {}
    for k, spec in enumerate(net.stations_of("test")):
        for j in range(spec.lanes or 1):
            out[f"lane-{j + 1}" if k == 0 else f"{spec.id}.lane-{j + 1}"] = spec.id
    return out


def inspection_for(station: StationSpec, products: list[str]) -> Inspection:
    """The sampling scheme of a test station."""
    sampling = station.sampling
    assert sampling is not None
    if sampling.plan is not None:
        return FixedInspection(sampling.plan.n, sampling.plan.ac, sampling.plan.re)
    from plantwin.sim._standard import StandardInspection

    return StandardInspection(sampling, products)


def _changeover_time(c: Changeover, a: str, b: str) -> Any:
    for pair in c.pairs:
        if pair.from_ == a and pair.to == b:
            return pair.time
    return c.time


def _routed_products(net: Network) -> dict[str, list[str]]:
    """The products routed through each station, in scenario order."""
    out: dict[str, list[str]] = {}
    for r in net.routings:
        for stage in r.stages:
            for name in stage.stations:
                have = out.setdefault(name, [])
                have += [p for p in r.products if p not in have]
    order = net.product_ids()
    return {k: sorted(v, key=order.index) for k, v in out.items()}


_Source = tuple[str, Any]  # a random stream's name and the distribution it draws


class _TesterPlan:
    """What a test station is built from in every run (lane ids, stream names)."""

    __slots__ = ("lanes", "resume", "spec", "takes", "test_time")

    def __init__(self, spec: StationSpec, first: bool, lanes: dict[str, str]) -> None:
        assert spec.test_time is not None and spec.sampling is not None
        prefix = "range" if first else f"range:{spec.id}"
        self.spec = spec
        self.lanes = [lane for lane, of in lanes.items() if of == spec.id]
        self.takes = frozenset(spec.products)
        self.test_time: _Source = (f"{prefix}:test_time", spec.test_time)
        self.resume: _Source = (f"{prefix}:resume", spec.sampling.resume_after)


class _StationPlan:
    """What a station is built from in every run: its arguments but the kernel, the random
    streams and the plant's callbacks, and when it is commissioned."""

    __slots__ = (
        "args", "changeover", "commission_at", "end", "failure", "kind", "products", "ready",
        "repair", "spec",
    )  # fmt: skip

    def __init__(
        self,
        net: Network,
        spec: StationSpec,
        routed: dict[str, list[str]],
        end_products: list[str],
    ) -> None:
        products = (
            list(spec.products)
            if spec.role != "process" or spec.products
            else routed.get(spec.id, [])
        )
        fails = spec.failures
        prefix = f"line:{spec.id}"
        changeover = spec.changeover or net.changeover
        assert spec.rate is not None
        start = net.plant.start
        self.spec = spec
        self.kind = spec.role
        self.products = products
        # (initial product, effective rate, lot size, campaign lots, make to order)
        self.args = (
            spec.initial_product or products[0],
            spec.rate * spec.performance,
            spec.lot_size or 0,
            spec.campaign_lots or changeover.campaign_lots,
            spec.make_to == "order",
        )
        self.failure: _Source | None = (f"{prefix}:failure", fails.between) if fails else None
        self.repair: _Source | None = (f"{prefix}:repair", fails.repair) if fails else None
        self.changeover: list[tuple[tuple[str, str], _Source]] = [
            ((a, b), (f"{prefix}:changeover:{a}->{b}", _changeover_time(changeover, a, b)))
            for a in products
            for b in products
            if a != b
        ]
        self.end = all(p in end_products for p in products)  # its lots count as completions
        self.ready = spec.project is None and (
            spec.commissioned is None or hours_at(spec.commissioned, start) <= 0
        )
        self.commission_at = (
            hours_at(spec.commissioned, start)
            if not self.ready and spec.commissioned is not None
            else None
        )


class _Layout:
    """Everything about a network's plant that no random draw changes, worked out once per
    network object and shared by all its runs (an experiment runs one object many times)."""

    def __init__(self, net: Network) -> None:
        products = net.product_ids()
        self.products = products
        self.index = {p: i for i, p in enumerate(products)}  # each product's index
        components = {c.product for part in net.bom for c in part.components}
        self.end_products = [p for p in products if p not in components]
        self.bills = {  # each product's (component's index, units of it a unit)
            part.product: [(self.index[c.product], c.units) for c in part.components]
            for part in net.bom
        }
        self.quality: list[_Source] = [
            (f"product:{p.id}:quality", p.defect_fraction) for p in net.products
        ]  # by product index, as ``samples``
        self.samples = [f"product:{p}:sample" for p in products]
        routed = _routed_products(net)
        lanes = lane_names(net)
        self.nodes: list[_TesterPlan | _StationPlan] = []
        for spec in net.stations:
            if spec.role == "test":
                first = not any(isinstance(n, _TesterPlan) for n in self.nodes)
                self.nodes.append(_TesterPlan(spec, first, lanes))
            else:
                self.nodes.append(_StationPlan(net, spec, routed, self.end_products))
        self.projects = [(spec.id, spec.project) for spec in net.stations if spec.project]
        backup = net.grid.backup
        self.backup_lines = list(backup.lines) if backup else []
        self.backup_range = backup is not None and backup.range
        self.crew_of = [(spec.id, spec.crew) for spec in net.stations if spec.crew is not None]
        self.outs, self.inputs, self.readers, self.assemblers = _wiring(net, self.nodes)


_Wiring = tuple[
    list[tuple[str, str, str | None]],  # (node, product, buffer or None for storage)
    dict[str, str],  # node -> the buffer it reads
    dict[str, list[str]],  # buffer -> the nodes that read it, in the order they were wired
    dict[str, list[str]],  # buffer -> the assemblers that read it (its lots kept per product)
]


def _wiring(net: Network, nodes: list[_TesterPlan | _StationPlan]) -> _Wiring:
    """Each stage's stations read its buffer; each puts a product's lots into the next stage's
    buffer, the routing's ``to`` buffer, or storage (``None``)."""
    assembles = {n.spec.id for n in nodes if n.spec.role == "assemble"}
    outs: list[tuple[str, str, str | None]] = []
    inputs: dict[str, str] = {}
    readers: dict[str, list[str]] = {}
    assemblers: dict[str, list[str]] = {}
    for r in net.routings:
        for k, stage in enumerate(r.stages):
            nxt = (r.stages[k + 1].buffer or "") if k + 1 < len(r.stages) else r.to
            for name in stage.stations:
                outs += [(name, p, nxt) for p in r.products]
                if stage.buffer is None:
                    continue
                inputs[name] = stage.buffer
                which = assemblers if name in assembles else readers
                have = which.setdefault(stage.buffer, [])
                if name not in have:
                    have.append(name)
    return outs, inputs, readers, assemblers


_layout = per_object(_Layout)


class Plant:
    """Every node of one run, in scenario order, and where each product's lots go."""

    def __init__(
        self,
        kernel: Kernel,
        net: Network,
        streams: Streams,
        dispatcher: Dispatcher,
        horizon: float,
    ) -> None:
        self.k = kernel
        self.net = net
        lay = _layout(net)
        start = net.plant.start
        products = list(lay.products)
        self.products = products
        self.in_process = zeros(len(products))  # units in process, by product index
        self.completions = Completions()  # end products' lots, as they finish
        self.storage = Storage(kernel, products, net.storage.capacity, self.in_process)
        self.need = NetRequirement(lay.index, self.storage.stock_by_index, self.in_process)
        self.end_products = list(lay.end_products)

        self.stations: list[Station] = []  # every station but the test stations
        self.testers: list[TestStation] = []
        self.ready: list[Station] = []
        draws = streams.draws
        quality = [draws(*source) for source in lay.quality]
        samples = [Counts(streams, name) for name in lay.samples]
        for plan in lay.nodes:
            if isinstance(plan, _TesterPlan):
                tester = TestStation(
                    kernel,
                    len(self.testers),
                    plan.spec.id,
                    plan.lanes,
                    plan.takes,
                    draws(*plan.test_time),
                    inspection_for(plan.spec, products),
                    quality,
                    samples,
                    draws(*plan.resume),
                    products,
                    self.demand_changed,
                    self.in_process,
                )
                self.testers.append(tester)
                continue
            station = self._station(kernel, plan, streams, dispatcher, lay)
            if plan.end:
                station.completions = self.completions
            if plan.ready:
                self.ready.append(station)
            elif plan.commission_at is not None:
                station.commission_at(plan.commission_at)
            self.stations.append(station)
        self.storage.makers = self.stations
        for tester in self.testers:
            tester.makers = self.stations
        for station in self.stations:
            if isinstance(station, AssembleStation):
                station.makers = self.stations
        self.to_order = [s for s in self.stations if s.make_to_order]

        blocks = self._supplier_blocks(streams)
        # test stations have no project, crew or backup of their own (validation refuses them)
        by_id = {s.id: s for s in self.stations}
        self.projects = [
            Commissioning(
                kernel, by_id[sid], project, start, streams, blocks.get(project.supplier or "")
            )
            for sid, project in lay.projects
        ]
        for name in lay.backup_lines:
            by_id[name].on_backup = True
        for tester in self.testers:
            tester.on_backup = lay.backup_range

        self.buffers = [Buffer(kernel, b.id, b.lots, b.units, products) for b in net.buffers]
        self._wire(lay, {**by_id, **{t.id: t for t in self.testers}})
        self.crews = [Crew(kernel, c.id, c.count, c.calendar is None) for c in net.crews]
        crews = {c.id: c for c in self.crews}
        for sid, crew in lay.crew_of:
            by_id[sid].crew = crews[crew]
        self.orders = Orders(
            kernel,
            self.storage,
            products,
            order_book(net.demand, start, horizon),
            self.demand_changed,
        )
        self.storage.ship = self.orders.ship
        self.need.open_units = self.orders.open_units

    def _station(
        self,
        kernel: Kernel,
        plan: _StationPlan,
        streams: Streams,
        dispatcher: Dispatcher,
        lay: _Layout,
    ) -> Station:
        draws = streams.draws
        index = lay.index
        changeover: list[list[Draws | None]] = [[None] * len(index) for _ in index]
        for (a, b), source in plan.changeover:
            changeover[index[a]][index[b]] = draws(*source)
        args: tuple[Any, ...] = (
            kernel,
            len(self.stations),
            plan.spec.id,
            list(plan.products),
            *plan.args,
            draws(*plan.failure) if plan.failure else None,
            draws(*plan.repair) if plan.repair else None,
            changeover,
            dispatcher,
            self.need,
            self.in_process,
            index,
        )
        if plan.kind == "process":
            return ProcessStation(*args, takes=frozenset(plan.spec.products))
        if plan.kind == "assemble":
            return AssembleStation(*args, bills=lay.bills)
        return ProduceStation(*args)

    def _wire(self, lay: _Layout, by_id: dict[str, Station | TestStation]) -> None:
        """Connect the nodes as the layout's wiring says."""
        buffers = {b.id: b for b in self.buffers}
        for name, product, to in lay.outs:
            by_id[name].out[lay.index[product]] = self.storage if to is None else buffers[to]
        for name, buffer in lay.inputs.items():
            by_id[name].inp = buffers[buffer]
        for buffer, names in lay.readers.items():
            for name in names:
                reader = by_id[name]
                assert isinstance(reader, ProcessStation | TestStation)
                buffers[buffer].readers.append(reader)
        for buffer, names in lay.assemblers.items():
            buffers[buffer].per_product = True
            for name in names:
                assembler = by_id[name]
                assert isinstance(assembler, AssembleStation)
                buffers[buffer].assemblers.append(assembler)

    def _supplier_blocks(self, streams: Streams) -> dict[str, float]:
        """For each blocked supplier, the re-sourcing time its shipments wait."""
        out = {}
        for sup in self.net.suppliers:
            blocked = streams.generator(f"supplier:{sup.id}:block").random() < sup.block_probability
            if blocked and sup.resource_time is not None:
                out[sup.id] = streams.draws(f"supplier:{sup.id}:resource", sup.resource_time).next()
        return out

    # --- what nodes ask of the plant ----------------------------------------------------------

    def demand_changed(self) -> None:
        """Orders came in or a lot was scrapped: make-to-order stations may have work again."""
        for station in self.to_order:
            station.wake()

    def balance(self) -> dict[str, dict[str, float]]:
        """Where every unit made is now, per product (conservation: made = the sum of the rest)."""
        out: dict[str, dict[str, float]] = {}
        on_stations = [s.units_in_process() for s in self.stations]
        elsewhere = [b.units_in_process() for b in self.buffers]
        elsewhere += [t.units_in_process() for t in self.testers]
        consumed: dict[str, float] = {}
        for s in self.stations:
            if isinstance(s, AssembleStation):
                for c, u in s.consumed.items():
                    consumed[c] = consumed.get(c, 0.0) + u
        made_by = [s.made for s in self.stations if s.role != "process"]
        stock, shipped = self.storage.stock, self.orders.shipped
        for p in self.products:
            made = sum(m.get(p, 0.0) for m in made_by) + sum(
                s.partial() for s in self.stations if s.lot is not None and s.lot.product == p
            )
            parts = {
                "in_process": sum(u.get(p, 0.0) for u in on_stations)
                + sum(u.get(p, 0.0) for u in elsewhere),
                "sampled": sum(t.sampled[p] for t in self.testers),
                "scrapped": sum(t.scrapped[p] for t in self.testers),
                "in_storage": stock[p],
                "shipped": shipped[p],
            }
            if self.net.bom:
                parts["consumed"] = consumed.get(p, 0.0)
            out[p] = {"made": made, **parts, "difference": made - sum(parts.values())}
        return out
