"""Conservation: units made = in process + sampled + scrapped + in storage + shipped, per
product, with every term worked out by hand for a plant where each of them is non-zero."""

from __future__ import annotations

import pytest

from plantwin import simulate

from .conftest import constant, fixed_range, line, order, plant


def test_every_unit_made_is_accounted_for_by_product() -> None:
    """Two lanes testing 0.5 h; storage for 300 units; 6.25 h.

    a (never defective): L1 makes a lot an hour (600 units by 6, 25 of lot 7 at the horizon).
    Lots 1-4 pass and store 95 each; the order for 100 ships lot 1 and 5 of lot 2, leaving
    280 in storage; lot 5 passes at 5.5 but 280 + 95 > 300, so it waits on its lane (95
    units, its 5 samples destroyed); lot 6 is on a lane or in the buffer (100).
    b (always defective): L2 makes a lot every 2 h (300 units by 6, 12.5 of lot 4); lots 1
    and 2 are rejected (5 sampled + 95 scrapped each); lot 3 is on a lane or in the buffer."""
    s = plant(
        products=[{"id": "a"}, {"id": "b", "defect_fraction": constant(1.0)}],
        lines=[line("L1"), line("L2", products=("b",), rate=50)],
        range=fixed_range(lanes=2),
        storage={"capacity": 300},
        demand={"orders": [order("a", 100, 0, 24)]},
    )
    k = simulate(s, horizon=6.25).kpis
    balance = k["conservation"]["by_product"]
    assert balance["a"] == pytest.approx(
        {"made": 625, "in_process": 95 + 100 + 25, "sampled": 5 * 5, "scrapped": 0,
         "in_storage": 280, "shipped": 100, "difference": 0}
    )  # fmt: skip
    assert balance["b"] == pytest.approx(
        {"made": 312.5, "in_process": 100 + 12.5, "sampled": 2 * 5, "scrapped": 2 * 95,
         "in_storage": 0, "shipped": 0, "difference": 0}
    )  # fmt: skip
    assert k["conservation"]["ok"]
    assert k["output"]["by_product"]["a"]["units_made"] == pytest.approx(625)
    assert k["output"]["by_product"]["b"]["units_made"] == pytest.approx(312.5)
    assert k["storage"]["end"] == pytest.approx(280)
    assert k["range"]["lots_rejected"] == 2
