"""The plant of one run: the nodes of a network (stations, buffers, test stations, storage,
orders, crews, projects) built from its scenario and wired port to port.

Each node knows only its ports (its input buffer, the output port of each product) and the
kernel; nothing here runs during the run except ``balance``, which accounts for every unit.
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
from plantwin.sim._counts import Counts
from plantwin.sim._crew import Crew
from plantwin.sim._demand import Orders, order_book
from plantwin.sim._dispatch import Dispatcher
from plantwin.sim._inspection import FixedInspection, Inspection
from plantwin.sim._kernel import Kernel
from plantwin.sim._memo import per_object
from plantwin.sim._node import Node
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
        start = net.plant.start
        products = net.product_ids()
        self.products = products
        self.in_process: dict[str, float] = dict.fromkeys(products, 0.0)
        self.completions: list[tuple[float, int]] = []  # (time, units) of end products' lots
        self.storage = Storage(kernel, products, net.storage.capacity, self.in_process)
        components = {c.product for part in net.bom for c in part.components}
        self.end_products = [p for p in products if p not in components]
        bills = {part.product: [(c.product, c.units) for c in part.components] for part in net.bom}
        routed = self._routed_products()
        lanes = lane_names(net)

        self.stations: list[Station] = []  # every station but the test stations
        self.testers: list[TestStation] = []
        self.ready: list[Station] = []
        quality = {
            p.id: streams.draws(f"product:{p.id}:quality", p.defect_fraction) for p in net.products
        }
        samples = {p: Counts(streams.generator(f"product:{p}:sample")) for p in products}
        for spec in net.stations:
            if spec.role == "test":
                first = not self.testers
                prefix = "range" if first else f"range:{spec.id}"
                lane_ids = [lane for lane, of in lanes.items() if of == spec.id]
                assert spec.test_time is not None and spec.sampling is not None
                tester = TestStation(
                    kernel,
                    len(self.testers),
                    spec.id,
                    lane_ids,
                    frozenset(spec.products),
                    streams.draws(f"{prefix}:test_time", spec.test_time),
                    inspection_for(spec, products),
                    quality,
                    samples,
                    streams.draws(f"{prefix}:resume", spec.sampling.resume_after),
                    products,
                    self.demand_changed,
                    self.in_process,
                )
                self.testers.append(tester)
                continue
            station = self._station(
                kernel, len(self.stations), spec, streams, dispatcher, routed, bills
            )
            if all(p in self.end_products for p in station.products):
                station.completions = self.completions
            ready = spec.project is None and (
                spec.commissioned is None or hours_at(spec.commissioned, start) <= 0
            )
            if ready:
                self.ready.append(station)
            elif spec.commissioned is not None:
                kernel.schedule(hours_at(spec.commissioned, start), station.commission, 0)
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
                kernel,
                by_id[spec.id],
                spec.project,
                start,
                streams,
                blocks.get(spec.project.supplier or ""),
            )
            for spec in net.stations
            if spec.project is not None
        ]
        backup = net.grid.backup
        for name in backup.lines if backup else []:
            by_id[name].on_backup = True
        for tester in self.testers:
            tester.on_backup = backup is not None and backup.range

        self.buffers = [Buffer(kernel, b.id, b.lots, b.units) for b in net.buffers]
        self._wire({**by_id, **{t.id: t for t in self.testers}})
        self.crews = [Crew(kernel, c.id, c.count, c.calendar is None) for c in net.crews]
        crews = {c.id: c for c in self.crews}
        for spec in net.stations:
            if spec.crew is not None:
                by_id[spec.id].crew = crews[spec.crew]
        self.orders = Orders(
            kernel,
            self.storage,
            products,
            order_book(net.demand, start, horizon),
            self.demand_changed,
        )
        self.storage.ship = self.orders.ship

    def _routed_products(self) -> dict[str, list[str]]:
        """The products routed through each station, in scenario order."""
        out: dict[str, list[str]] = {}
        for r in self.net.routings:
            for stage in r.stages:
                for name in stage.stations:
                    have = out.setdefault(name, [])
                    have += [p for p in r.products if p not in have]
        order = self.products
        return {k: sorted(v, key=order.index) for k, v in out.items()}

    def _station(
        self,
        kernel: Kernel,
        i: int,
        spec: StationSpec,
        streams: Streams,
        dispatcher: Dispatcher,
        routed: dict[str, list[str]],
        bills: dict[str, list[tuple[str, int]]],
    ) -> Station:
        net = self.net
        products = (
            list(spec.products)
            if spec.role != "process" or spec.products
            else routed.get(spec.id, [])
        )
        fails = spec.failures
        prefix = f"line:{spec.id}"
        changeover = spec.changeover or net.changeover
        draws = {
            (a, b): streams.draws(
                f"{prefix}:changeover:{a}->{b}", _changeover_time(changeover, a, b)
            )
            for a in products
            for b in products
            if a != b
        }
        assert spec.rate is not None
        args: tuple[Any, ...] = (
            kernel,
            i,
            spec.id,
            products,
            spec.initial_product or products[0],
            spec.rate * spec.performance,
            spec.lot_size or 0,
            spec.campaign_lots or changeover.campaign_lots,
            spec.make_to == "order",
            streams.draws(f"{prefix}:failure", fails.between) if fails else None,
            streams.draws(f"{prefix}:repair", fails.repair) if fails else None,
            draws,
            dispatcher,
            self.net_requirement,
            self.in_process,
        )
        if spec.role == "process":
            return ProcessStation(*args, takes=frozenset(spec.products))
        if spec.role == "assemble":
            return AssembleStation(*args, bills=bills)
        return ProduceStation(*args)

    def _wire(self, by_id: dict[str, Station | TestStation]) -> None:
        """Each stage's stations read its buffer; each puts a product's lots into the next
        stage's buffer, the routing's ``to`` buffer, or storage."""
        buffers = {b.id: b for b in self.buffers}
        for r in self.net.routings:
            for k, stage in enumerate(r.stages):
                nxt: Node
                if k + 1 < len(r.stages):
                    nxt = buffers[r.stages[k + 1].buffer or ""]
                elif r.to is not None:
                    nxt = buffers[r.to]
                else:
                    nxt = self.storage
                for name in stage.stations:
                    node = by_id[name]
                    for p in r.products:
                        node.out[p] = nxt
                    if stage.buffer is None:
                        continue
                    buf = buffers[stage.buffer]
                    node.inp = buf
                    if isinstance(node, AssembleStation):
                        buf.per_product = True
                        if node not in buf.assemblers:
                            buf.assemblers.append(node)
                    elif node not in buf.readers:
                        assert isinstance(node, ProcessStation | TestStation)
                        buf.readers.append(node)

    def _supplier_blocks(self, streams: Streams) -> dict[str, float]:
        """For each blocked supplier, the re-sourcing time its shipments wait."""
        out = {}
        for sup in self.net.suppliers:
            blocked = streams.generator(f"supplier:{sup.id}:block").random() < sup.block_probability
            if blocked and sup.resource_time is not None:
                out[sup.id] = streams.draws(f"supplier:{sup.id}:resource", sup.resource_time).next()
        return out

    # --- what nodes ask of the plant ----------------------------------------------------------

    def net_requirement(self, product: str) -> float:
        """Open orders - stock - units in process (lots counted whole as they were made)."""
        return (
            self.orders.open_units[product] - self.storage.stock[product] - self.in_process[product]
        )

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
        for p in self.products:
            made = sum(s.made.get(p, 0.0) for s in self.stations if s.role != "process") + sum(
                s.partial() for s in self.stations if s.lot is not None and s.lot.product == p
            )
            parts = {
                "in_process": sum(u.get(p, 0.0) for u in on_stations)
                + sum(u.get(p, 0.0) for u in elsewhere),
                "sampled": sum(t.sampled[p] for t in self.testers),
                "scrapped": sum(t.scrapped[p] for t in self.testers),
                "in_storage": self.storage.stock[p],
                "shipped": self.orders.shipped[p],
            }
            if self.net.bom:
                parts["consumed"] = consumed.get(p, 0.0)
            out[p] = {"made": made, **parts, "difference": made - sum(parts.values())}
        return out
