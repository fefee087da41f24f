"""A lot: the unit of flow, from the station that makes it until it is stored, scrapped or
consumed into an assembly. It keeps its id through processing and testing.

The plant numbers its products in scenario order; a lot carries its product's number, so that
the nodes keep their tallies by product in arrays indexed by it (``zeros``; ``by_name`` turns
one into a dict by name), not in dicts looked up by the product's name on every lot.
"""

from __future__ import annotations

from array import array

__all__ = ["Lot", "by_name", "new_lot", "zeros"]


def zeros(n: int) -> array[float]:
    """``n`` doubles, all 0.0: a tally by product index (a C array to the compiled engine)."""
    return array("d", bytes(8 * n))


def by_name(products: list[str], tally: array[float]) -> dict[str, float]:
    """A tally by product index as a dict by product name (what the run's record reads)."""
    return {p: tally[i] for i, p in enumerate(products)}


class Lot:
    """A lot's product (its name and index), its units now, and where it came from.

    Made by :func:`new_lot`. Its id, ``<station id>-<number, five digits>``, is written out at
    the first reading (``ident``): a run without its event log reads few
    (an assembly's genealogy), and formatting every lot's was a twentieth of such a run's loop.
    """

    __slots__ = (
        "_id",
        "counted",
        "defect_factor",
        "defectives",
        "in_storage",
        "made_at",
        "maker",
        "maker_id",
        "number",
        "product",
        "product_index",
        "size",
        "units",
    )
    _id: str | None
    counted: int  # units it still counts in the plant's units in process
    defect_factor: float  # above 1 for lots made during a ramp-up
    defectives: int  # defective units in it, drawn at its first test (-1: not yet)
    made_at: float
    maker: int  # index of the station that made it, among the non-test stations
    maker_id: str
    number: int
    product: str
    product_index: int  # the product's index among the plant's products
    size: int  # units made
    in_storage: float  # units of it in storage, not yet shipped (set when it is stored)
    units: int  # units now: fewer after a test's sample or a partial consumption

    def ident(self) -> str:
        """The lot's id, written out once (a method, not a property: the compiled engine calls
        it through C)."""
        if self._id is None:
            self._id = f"{self.maker_id}-{self.number:05d}"
        return self._id


def new_lot(
    maker_id: str, number: int, product: str, product_index: int, size: int, maker: int
) -> Lot:
    """Lot ``number`` of the station ``maker_id`` (``maker``: its index among the non-test
    stations), of ``size`` units of ``product`` (``product_index``: its index among the
    plant's products). A function, not ``Lot(...)``: compiled, it fills the lot's C fields
    without a call through Python's protocol."""
    lot = Lot.__new__(Lot)
    lot._id = None
    lot.maker_id = maker_id
    lot.number = number
    lot.product = product
    lot.product_index = product_index
    lot.size = size
    lot.units = size
    lot.counted = size
    lot.maker = maker
    lot.made_at = -1.0
    lot.defect_factor = 1.0
    lot.defectives = -1
    lot.in_storage = 0.0
    return lot
