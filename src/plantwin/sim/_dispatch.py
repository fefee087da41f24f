"""What a multi-product line makes next: a dispatcher's decision, the campaign rule by default.

A dispatcher sees the line's products, its current product and campaign, and the plant's net
requirement per product; it answers with the product of the next lot, or None to leave the
line starved. A production plan (later) is another dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

__all__ = ["CampaignRule", "DispatchView", "Dispatcher"]


class DispatchView(Protocol):
    """What a dispatcher may read of a line."""

    @property
    def products(self) -> list[str]: ...
    @property
    def product(self) -> str: ...
    @property
    def campaign_done(self) -> int: ...
    @property
    def campaign_lots(self) -> int: ...
    @property
    def make_to_order(self) -> bool: ...


class Dispatcher(Protocol):
    """Chooses the product of a line's next lot."""

    def next_product(self, line: DispatchView, need: Callable[[str], float]) -> str | None:
        """The product of the next lot (a changeover follows if it differs), or None: nothing.

        ``need(p)`` is product p's net requirement: open orders - stock - units in process.
        """
        ...


class CampaignRule:
    """The campaign rule (docs/model.md): within a campaign, the same product; after it, switch
    only when another product's net requirement is positive and the current one's is not (to
    the largest of those). A make-to-order line makes nothing while no product it makes is
    needed. Compiled, it reads the line's fields in C, so its line must be one the engine hands
    a dispatcher (a station); a dispatcher of one's own may pass that line on to it."""

    def next_product(self, line: DispatchView, need: Callable[[str], float]) -> str | None:
        cur = line.product
        if len(line.products) == 1:
            if line.make_to_order and need(cur) <= 0:
                return None
            return cur
        in_campaign = line.campaign_done < line.campaign_lots
        if in_campaign and (not line.make_to_order or need(cur) > 0):
            return cur
        if need(cur) > 0:
            return cur
        best, best_need = None, 0.0
        for p in line.products:
            if p != cur and need(p) > best_need:
                best, best_need = p, need(p)
        if best is not None:
            return best
        return None if line.make_to_order else cur
