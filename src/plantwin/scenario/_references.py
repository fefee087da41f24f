"""Cross-references inside a scenario: every id a field names must exist, and ids are unique.

These checks need the whole scenario, so they run after the fields are valid; each problem
keeps the path of the field it concerns, so loaders can place it in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from plantwin.scenario._models import Order, Recurring, Scenario

__all__ = ["Reference", "ReferenceErrors", "check_references", "duplicate_ids"]


class Reference(NamedTuple):
    """A cross-reference problem: where it is, the bad value, and what is allowed."""

    path: tuple[str | int, ...]
    value: Any
    message: str


class ReferenceErrors(ValueError):
    """Cross-reference problems, carried through pydantic so loaders can place each one."""

    def __init__(self, problems: list[Reference]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, p.path))}: {p.message}" for p in problems))
        self.problems = problems


def duplicate_ids(kind: str, ids: Sequence[str]) -> list[Reference]:
    """A problem for every id of ``kind`` that an earlier item already has."""
    seen: set[str] = set()
    out = []
    for i, x in enumerate(ids):
        if x in seen:
            out.append(Reference((kind, i, "id"), x, f"duplicate id {x!r}: ids must be unique"))
        seen.add(x)
    return out


def check_references(s: Scenario) -> list[Reference]:
    """Every cross-reference problem of a scenario whose fields are valid."""
    products = s.product_ids()
    allowed = ", ".join(products)
    out = duplicate_ids("products", products) + duplicate_ids("lines", [ln.id for ln in s.lines])
    made: set[str] = set()
    for i, line in enumerate(s.lines):
        for j, p in enumerate(line.products):
            if p not in products:
                out.append(
                    Reference(("lines", i, "products", j), p, f"unknown product; known: {allowed}")
                )
        made.update(line.products)
        if line.initial_product is not None and line.initial_product not in line.products:
            out.append(
                Reference(
                    ("lines", i, "initial_product"),
                    line.initial_product,
                    f"line {line.id} does not make it; it makes: {', '.join(line.products)}",
                )
            )
    for i, pair in enumerate(s.changeover.pairs):
        for key, p in (("from", pair.from_), ("to", pair.to)):
            if p not in products:
                out.append(
                    Reference(
                        ("changeover", "pairs", i, key), p, f"unknown product; known: {allowed}"
                    )
                )
    suppliers = [x.id for x in s.suppliers]
    out += duplicate_ids("suppliers", suppliers)
    line_ids = [ln.id for ln in s.lines]
    for i, line in enumerate(s.lines):
        project = line.project
        if project is None:
            continue
        if line.commissioned is not None:
            out.append(
                Reference(
                    ("lines", i, "commissioned"),
                    line.commissioned,
                    "a line with a project is commissioned by it; drop commissioned",
                )
            )
        if project.supplier is not None and project.supplier not in suppliers:
            known = ", ".join(suppliers) or "none defined (add [[suppliers]])"
            out.append(
                Reference(
                    ("lines", i, "project", "supplier"),
                    project.supplier,
                    f"unknown supplier; known: {known}",
                )
            )
    backup = s.grid.backup
    for j, name in enumerate(backup.lines if backup else []):
        if name not in line_ids:
            out.append(
                Reference(
                    ("grid", "backup", "lines", j),
                    name,
                    f"unknown line; known: {', '.join(line_ids)}",
                )
            )
    makers = ", ".join(sorted(made))
    demand: tuple[tuple[str, Sequence[Recurring | Order]], ...] = (
        ("recurring", s.demand.recurring),
        ("orders", s.demand.orders),
    )
    for kind, items in demand:
        for i, o in enumerate(items):
            if o.product not in made:
                out.append(
                    Reference(
                        ("demand", kind, i, "product"),
                        o.product,
                        f"no line makes this product; lines make: {makers}",
                    )
                )
    seen: set[str] = set()
    for i, o in enumerate(s.demand.orders):
        if o.id is not None and o.id in seen:
            out.append(Reference(("demand", "orders", i, "id"), o.id, "duplicate order id"))
        seen.add(o.id or "")
    smallest = min(line.lot_size for line in s.lines)
    fixed = s.range.sampling.plan
    if fixed is not None and fixed.n >= smallest:
        out.append(
            Reference(
                ("range", "sampling", "plan", "n"),
                fixed.n,
                f"the sample must be smaller than every lot (the smallest lot is {smallest})",
            )
        )
    biggest = max(line.lot_size for line in s.lines)
    if s.storage.capacity is not None and s.storage.capacity < biggest:
        out.append(
            Reference(
                ("storage", "capacity"),
                s.storage.capacity,
                f"smaller than the largest lot ({biggest} units): no such lot could ever be stored",
            )
        )
    return out
