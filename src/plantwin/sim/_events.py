"""The names in the event log: object types and event types, shared by the engine and the
exports so that no package spells them (or parses them out of ids) on its own."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Event", "ObjectType"]


class ObjectType(StrEnum):
    """What an event log record is about (its ``object_type``)."""

    LINE = "line"
    LOT = "lot"
    ORDER = "order"
    GRID = "grid"
    RANGE = "range"
    INSPECTION = "inspection"  # a product's switching state
    # objects of the OCEL export that no record is about: named in records' ``related``
    BUFFER = "buffer"
    CREW = "crew"


class Event(StrEnum):
    """What happened (a record's ``event``); a state name is logged when the state begins."""

    # a station's states, in order of precedence (``LINE_STATES``); a station that makes or
    # works on lots is a ``line`` object, a test station a ``range`` object
    NOT_COMMISSIONED = "not_commissioned"
    OFF_SHIFT = "off_shift"
    POWER_OUT = "power_out"
    FAILED = "failed"
    WAITING_FOR_CREW = "waiting_for_crew"
    RESTARTING = "restarting"
    BLOCKED = "blocked"
    CHANGEOVER = "changeover"
    STARVED = "starved"
    PRODUCING = "producing"
    # what happens to a line
    FAILURE = "failure"
    REPAIR_STARTED = "repair_started"  # a crew member arrived; ``related`` is the crew
    REPAIRED = "repaired"
    SETUP = "setup"  # a changeover begins; ``related`` is the previous product
    COMMISSIONED = "commissioned"
    SHIPMENT_BLOCKED = "shipment_blocked"
    RESOURCED = "resourced"
    DELIVERED = "delivered"
    INSTALLATION_STARTED = "installation_started"
    INSTALLATION_PAUSED = "installation_paused"
    INSTALLATION_RESUMED = "installation_resumed"
    INSTALLATION_FINISHED = "installation_finished"
    QUALIFIED = "qualified"
    RAMP_UP_REACHED = "ramp_up_reached"
    # a lot's way: ``related`` is the station, the buffer, the lane or storage
    LOT_STARTED = "lot_started"
    COMPONENT_CONSUMED = "component_consumed"  # ``lot`` is the component lot, into object_id
    LOT_PRODUCED = "lot_produced"
    PROCESS_STARTED = "process_started"
    LOT_PROCESSED = "lot_processed"
    LOT_HELD_ON_LINE = "lot_held_on_line"
    LOT_QUEUED = "lot_queued"
    TEST_STARTED = "test_started"
    LOT_ACCEPTED = "lot_accepted"
    LOT_REJECTED = "lot_rejected"
    LOT_SCRAPPED = "lot_scrapped"
    LOT_STORED = "lot_stored"
    # orders
    ORDER_RELEASED = "order_released"
    SHIPPED = "shipped"
    ORDER_COMPLETED = "order_completed"
    # the grid and the generators
    POWER_OFF = "power_off"
    POWER_ON = "power_on"
    BACKUP_STARTED = "backup_started"
    BACKUP_FAILED_TO_START = "backup_failed_to_start"
    # the range's state (besides off_shift and power_out)
    OPEN = "open"
    # a product's inspection state
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"
    DISCONTINUED = "discontinued"
