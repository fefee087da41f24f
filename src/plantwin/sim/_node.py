"""What lots move between, and the three roles a node plays toward a lot.

A port takes lots (a buffer, storage); a holder offers a lot to a port and holds it until the
port takes it (a station, a test lane); a reader works on lots from its input buffer (a process
or test station). Every node derives from one base class with the three roles' methods, so that
the compiled engine calls them through C, not by looking them up by name on every lot; the base
is an event's target, so that a node's own events are fired through C too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin.sim._heap import Target

if TYPE_CHECKING:
    from plantwin.sim._lot import Lot

__all__ = ["Node"]


class Node(Target):
    """A port, holder or reader of lots (a subclass implements the roles it plays)."""

    __slots__ = ()

    # --- a port -------------------------------------------------------------------------------

    def offer(self, lot: Lot, holder: Node) -> bool:
        """True: taken now, the holder carries on. False: the port calls ``holder.released()``
        when it takes the lot (which may happen before ``offer`` returns)."""
        raise NotImplementedError

    def admit(self) -> None:
        """Room or a reader freed: move lots up."""
        raise NotImplementedError

    # --- a holder -----------------------------------------------------------------------------

    def held_lot(self) -> Lot:
        """The lot it offered and holds."""
        raise NotImplementedError

    def released(self) -> None:
        """The port took the lot it was holding."""
        raise NotImplementedError

    # --- a reader -----------------------------------------------------------------------------

    def wants(self, lot: Lot) -> bool:
        """Idle now and able to work on ``lot``."""
        raise NotImplementedError

    def accept(self, lot: Lot) -> None:
        """Start work on ``lot``."""
        raise NotImplementedError
