"""A lot: the unit of flow, from the station that makes it until it is stored, scrapped or
consumed into an assembly. It keeps its id through processing and testing."""

from __future__ import annotations

__all__ = ["Lot"]


class Lot:
    """A lot's product, its units now, and where it came from."""

    __slots__ = (
        "counted",
        "defect_factor",
        "defectives",
        "id",
        "made_at",
        "maker",
        "product",
        "size",
        "units",
    )

    def __init__(self, lot_id: str, product: str, size: int, maker: int) -> None:
        self.id = lot_id
        self.product = product
        self.size = size  # units made
        self.units = size  # units now: fewer after a test's sample or a partial consumption
        self.counted = size  # units it still counts in the plant's units in process
        self.maker = maker  # index of the station that made it, among the non-test stations
        self.made_at = -1.0
        self.defect_factor = 1.0  # above 1 for lots made during a ramp-up
        self.defectives = -1  # defective units in it, drawn at its first test (-1: not yet)
