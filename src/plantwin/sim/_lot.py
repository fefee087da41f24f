"""A lot: the unit of flow, from the station that makes it until it is stored, scrapped or
consumed into an assembly. It keeps its id through processing and testing.

The plant numbers its products in scenario order; a lot carries its product's number, so that
the nodes keep their tallies by product in arrays indexed by it (``zeros``; ``by_name`` turns
one into a dict by name), not in dicts looked up by the product's name on every lot.
"""

from __future__ import annotations

from array import array

__all__ = ["Lot", "by_name", "zeros"]


def zeros(n: int) -> array[float]:
    """``n`` doubles, all 0.0: a tally by product index (a C array to the compiled engine)."""
    return array("d", bytes(8 * n))


def by_name(products: list[str], tally: array[float]) -> dict[str, float]:
    """A tally by product index as a dict by product name (what the run's record reads)."""
    return {p: tally[i] for i, p in enumerate(products)}


class Lot:
    """A lot's product (its name and index), its units now, and where it came from."""

    __slots__ = (
        "counted",
        "defect_factor",
        "defectives",
        "id",
        "made_at",
        "maker",
        "product",
        "product_index",
        "size",
        "units",
    )

    def __init__(
        self, lot_id: str, product: str, product_index: int, size: int, maker: int
    ) -> None:
        self.id = lot_id
        self.product = product
        self.product_index = product_index  # the product's index among the plant's products
        self.size = size  # units made
        self.units = size  # units now: fewer after a test's sample or a partial consumption
        self.counted = size  # units it still counts in the plant's units in process
        self.maker = maker  # index of the station that made it, among the non-test stations
        self.made_at = -1.0
        self.defect_factor = 1.0  # above 1 for lots made during a ramp-up
        self.defectives = -1  # defective units in it, drawn at its first test (-1: not yet)
