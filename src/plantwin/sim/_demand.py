"""Customer orders: release, allocation of stock to the oldest open order, shipments."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from plantwin.scenario import Demand
from plantwin.sim._calendar import hours_at
from plantwin.sim._events import Event, ObjectType
from plantwin.sim._heap import Target
from plantwin.sim._kernel import Kernel
from plantwin.sim._lot import by_name, zeros
from plantwin.sim._memo import per_object
from plantwin.sim._storage import Storage

if TYPE_CHECKING:
    from array import array

__all__ = ["CustomerOrder", "NetRequirement", "Orders", "order_book"]

# the event log's names as module constants: reading an Enum class attribute costs about
# 0.2 us, which the engine would pay on every record
_ORDER_COMPLETED = Event.ORDER_COMPLETED
_ORDER_RELEASED = Event.ORDER_RELEASED
_SHIPPED = Event.SHIPPED
_ORDER = ObjectType.ORDER

_Release = tuple[str, str, int, float, float]  # id, product, quantity, release, due


class CustomerOrder:
    """One order and how it was filled."""

    __slots__ = ("completed", "due", "id", "on_time", "product", "quantity", "release", "remaining")

    def __init__(self, order_id: str, product: str, quantity: int, release: float, due: float):
        self.id = order_id
        self.product = product
        self.quantity = quantity
        self.release = release
        self.due = due
        self.remaining = float(quantity)
        self.on_time = 0.0  # units shipped at or before the due time
        self.completed: float | None = None


def _month_add(d: date, months: int, day: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, day)


def order_book(demand: Demand, start: date, horizon: float) -> list[CustomerOrder]:
    """Every order released within [0, horizon), in release order (ties keep scenario order):
    new orders for each run, from releases computed once per scenario."""
    return [CustomerOrder(*r) for r in _releases(demand, start, horizon)]


@per_object
def _releases(demand: Demand, start: date, horizon: float) -> list[_Release]:
    """(id, product, quantity, release, due) of every order ``order_book`` makes."""
    orders: list[tuple[float, int, _Release]] = []
    seq = 0

    def before_end(d: date) -> bool:  # released before the horizon, which may end mid-day
        return hours_at(d, start) < horizon

    for r in demand.recurring:
        if r.every == "month":
            first = 0 if start.day <= r.day else 1
            dates = []
            k = first
            while before_end(d := _month_add(start, k, r.day)):
                dates.append(d)
                k += 1
            dates.append(_month_add(start, k, r.day))
        else:
            d = start + timedelta(days=(r.day - 1 - start.weekday()) % 7)
            dates = []
            while before_end(d):
                dates.append(d)
                d += timedelta(days=7)
            dates.append(d)
        for a, b in itertools.pairwise(dates):
            if r.first is not None and a < r.first:
                continue
            seq += 1
            t = hours_at(a, start)
            oid = f"{r.product}-{a.isoformat()}"
            orders.append((t, seq, (oid, r.product, r.quantity, t, hours_at(b, start))))
    for i, o in enumerate(demand.orders):
        t = hours_at(o.release, start)
        if 0 <= t < horizon:
            seq += 1
            oid = o.id or f"order-{i + 1}"
            orders.append((t, seq, (oid, o.product, o.quantity, t, hours_at(o.due, start))))
    orders.sort(key=lambda x: (x[0], x[1]))
    return [o for _, _, o in orders]


class NetRequirement:
    """A product's net requirement, which the dispatcher asks at every lot a line starts: open
    orders - stock - units in process (lots counted whole as they were made). Made before the
    orders are (``open_units`` is theirs, set when they are), so that stations can hold it.
    The tallies are arrays by product index; the dispatcher names the product."""

    __slots__ = ("in_process", "index", "open_units", "stock")

    def __init__(
        self, index: dict[str, int], stock: array[float], in_process: array[float]
    ) -> None:
        self.index = index  # each product's index
        self.stock = stock
        self.in_process = in_process
        self.open_units = zeros(len(index))

    def __call__(self, product: str) -> float:
        i = self.index[product]
        return self.open_units[i] - self.stock[i] - self.in_process[i]


class Orders(Target):
    """Open orders per product, filled oldest first as stock appears (the tallies by product
    index, as the storage's; ``shipped`` gives them by name)."""

    def __init__(
        self,
        kernel: Kernel,
        storage: Storage,
        products: list[str],
        book: list[CustomerOrder],
        demand_changed: Callable[[], None],
    ) -> None:
        self.k = kernel
        self.storage = storage
        self.demand_changed = demand_changed  # make-to-order stations may have work again
        self.book = book
        self.products = products
        self.open: list[list[CustomerOrder]] = [[] for _ in products]  # oldest first
        self.open_units = zeros(len(products))
        self.shipped_by_index = zeros(len(products))
        for i, o in enumerate(book):
            kernel.fire_at(o.release, self, 0, i)

    def fire(self, kind: int, arg: int) -> None:
        """The release of order ``arg`` of the book."""
        self._release(self.book[arg])

    @property
    def shipped(self) -> dict[str, float]:
        """Units shipped, by product."""
        return by_name(self.products, self.shipped_by_index)

    def _release(self, order: CustomerOrder) -> None:
        k = self.k
        i = self.products.index(order.product)  # a few orders a month: no lookup table
        self.open[i].append(order)
        self.open_units[i] += order.quantity
        k.log(k.now, _ORDER, order.id, _ORDER_RELEASED, order.product, "", order.quantity)
        self.ship(i)
        self.demand_changed()

    def ship(self, product: int) -> None:
        """Ship stock of product index ``product`` to its open orders, oldest first, partial
        allowed."""
        k = self.k
        queue = self.open[product]
        storage = self.storage
        name = self.products[product]
        now = k.now
        while queue and storage.stock_by_index[product] > 0:
            order = queue[0]
            while order.remaining > 0:
                lot = storage.take_oldest(now, product, order.remaining)
                if lot is None:
                    break
                units = storage.taken
                order.remaining -= units
                self.open_units[product] -= units
                self.shipped_by_index[product] += units
                if now <= order.due:
                    order.on_time += units
                if k.event_log is not None:
                    k.event_log.add(now, _ORDER, order.id, _SHIPPED, name, lot.ident(), units)
            if order.remaining <= 0:
                order.remaining = 0.0
                order.completed = now
                del queue[0]
                if k.event_log is not None:
                    k.event_log.add(
                        now, _ORDER, order.id, _ORDER_COMPLETED, name, "", order.quantity
                    )
        if storage.waiting:
            storage.retry()  # shipments freed room: passed lots waiting may now fit
