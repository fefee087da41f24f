"""A run's event log as an object-centric event log (OCEL 2.0), in JSON or SQLite.

Every record becomes one OCEL event. Objects are the stations (``line`` objects: every station
that makes or works on lots; ``range`` objects: the test stations), lots, orders and products,
plus the grid, each product's inspection state and, for a network, its buffers and crews; ids are
prefixed with their type (``line:L1``, ``lot:L1-00001``, ``product:ball``), because the log reuses
names across types (a product's inspection has the product's id). A lot event relates the lot,
its product and the station that made it (``related`` of its lot_started, never parsed out of the
lot id), and the station that works on it when that is another one (processing, holding); a
shipment relates the order, the lot and the product; a repair relates the station and its crew.
An assembled lot relates to each component lot it consumed (object-to-object, ``consumed``).
Times are plant time (local time in the scenario's ``plant.timezone``) written with that zone's
UTC offset at the moment, as OCEL wants absolute times: ``2025-07-01T06:00:00.000000-04:00`` at
06:00 in Maracay.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pyarrow as pa

from plantwin.sim import Event, ObjectType

__all__ = [
    "OcelLog",
    "ocel_json",
    "ocel_log",
    "plant_datetime",
    "write_ocel_json",
    "write_ocel_sqlite",
]

# object types whose event names stay as they are (the others' get the type as a prefix)
_PLAIN = (ObjectType.LOT, ObjectType.ORDER, ObjectType.LINE, ObjectType.GRID)
_RANGE_EVENTS = (
    Event.TEST_STARTED,
    Event.LOT_ACCEPTED,
    Event.LOT_REJECTED,
    Event.LOT_SCRAPPED,
    Event.LOT_QUEUED,
)
# lot records whose ``related`` is a station (the lot's maker, or a station working on it)
_STATION_EVENTS = (
    Event.LOT_STARTED,
    Event.COMPONENT_CONSUMED,
    Event.LOT_PRODUCED,
    Event.PROCESS_STARTED,
    Event.LOT_PROCESSED,
    Event.LOT_HELD_ON_LINE,
)
_O2O = {
    ObjectType.LOT: ((ObjectType.LINE, "made on"), ("product", "is a")),
    ObjectType.ORDER: (("product", "for"),),
    ObjectType.INSPECTION: (("product", "of"),),
}


@dataclass
class OcelLog:
    """An OCEL 2.0 log in memory: events with their objects, and objects with theirs."""

    event_ids: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    event_times: list[str] = field(default_factory=list)
    quantities: list[float] = field(default_factory=list)
    relationships: list[list[tuple[str, str]]] = field(default_factory=list)
    objects: dict[str, str] = field(default_factory=dict)  # id -> type
    attributes: dict[str, dict[str, float]] = field(default_factory=dict)  # id -> name -> value
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> target -> qualifier
    first_seen: dict[str, str] = field(default_factory=dict)  # id -> time


def plant_datetime(hours: float, start: date, tz: tzinfo) -> datetime:
    """The moment ``hours`` of plant time after ``start`` at 00:00, as an aware datetime.

    Plant time is wall-clock time in ``tz`` (``scenario.plant.tzinfo``), so the result carries
    the zone's UTC offset at that local time (daylight saving); it is rounded to microseconds.
    """
    midnight = datetime(start.year, start.month, start.day)
    return (midnight + timedelta(microseconds=round(hours * 3.6e9))).replace(tzinfo=tz)


def ocel_log(
    events: pa.Table, start: date, tz: tzinfo = UTC, *, lanes: Mapping[str, str] | None = None
) -> OcelLog:
    """Build the OCEL 2.0 view of an event log whose time 0 is ``start`` at 00:00 in ``tz``
    (the plant's time zone: ``scenario.plant.tzinfo``).

    ``lanes`` (``plantwin.sim.lane_names``) maps each test lane to its test station: the log
    is a format 2 network's, a test event relates the station of its lane and a lot_queued
    event its buffer. Without it (a format 1 log) the export stays as it was before networks:
    the one buffer is the range's queue, so lot_queued relates the range, as test events do.
    """
    cols = {name: events.column(name).to_pylist() for name in events.column_names}
    log = OcelLog()
    times = [plant_datetime(h, start, tz).isoformat(timespec="microseconds") for h in cols["time"]]
    network = lanes is not None

    def obj(kind: str, name: str, when: str) -> str:
        oid = f"{kind}:{name}"
        if oid not in log.objects:
            log.objects[oid] = kind
            log.first_seen[oid] = when
        return oid

    rows = zip(
        times,
        cols["object_type"],
        cols["object_id"],
        cols["event"],
        cols["product"],
        cols["lot"],
        cols["quantity"],
        cols["related"],
        strict=True,
    )
    made_on: dict[str, str] = {}  # lot -> the station that started it (a lot's first event)
    for i, (when, kind, name, event, product, lot, qty, related) in enumerate(rows, start=1):
        rel: list[tuple[str, str]] = [(obj(kind, name, when), kind)]
        if product and kind != "product":
            # a component_consumed record's product is the component's, not the assembled lot's
            role = "component product" if event == Event.COMPONENT_CONSUMED else "product"
            rel.append((obj("product", product, when), role))
        if kind == ObjectType.LOT:
            if event == Event.LOT_STARTED:
                made_on[name] = related
                log.attributes.setdefault(rel[0][0], {})["size"] = float(qty)
            line = made_on.get(name)
            if line:
                rel.append((obj(ObjectType.LINE, line, when), ObjectType.LINE))
            if event in _STATION_EVENTS and related and related != line:
                rel.append((obj(ObjectType.LINE, related, when), "station"))
            if event == Event.COMPONENT_CONSUMED:
                component = obj(ObjectType.LOT, lot, when)
                rel.append((component, "component"))
                log.links.setdefault(rel[0][0], {})[component] = "consumed"
            elif event == Event.LOT_QUEUED and network:
                rel.append((obj(ObjectType.BUFFER, related, when), ObjectType.BUFFER))
            elif event in _RANGE_EVENTS:
                tester = ObjectType.RANGE.value if lanes is None else lanes.get(related)
                if tester is not None:
                    rel.append((obj(ObjectType.RANGE, tester, when), ObjectType.RANGE))
        elif kind == ObjectType.ORDER and lot:
            rel.append((obj(ObjectType.LOT, lot, when), ObjectType.LOT))
        elif kind == ObjectType.ORDER and event == Event.ORDER_RELEASED:
            log.attributes.setdefault(rel[0][0], {})["quantity"] = float(qty)
        elif kind == ObjectType.INSPECTION and lot:
            rel.append((obj(ObjectType.LOT, lot, when), ObjectType.LOT))
        elif kind == ObjectType.LINE and event == Event.SETUP and related:
            rel.append((obj("product", related, when), "previous product"))
        elif kind == ObjectType.LINE and event == Event.REPAIR_STARTED and related:
            rel.append((obj(ObjectType.CREW, related, when), ObjectType.CREW))
        for target_kind, qualifier in _O2O.get(kind, ()):
            target = next((oid for oid, q in rel if q == target_kind), None)
            if target is not None:
                log.links.setdefault(rel[0][0], {})[target] = qualifier
        log.event_ids.append(f"e{i}")
        log.event_types.append(event if kind in _PLAIN else f"{kind}_{event}")
        log.event_times.append(when)
        log.quantities.append(float(qty))
        log.relationships.append(rel)
    return log


def _object_attribute_names(log: OcelLog) -> dict[str, list[str]]:
    names: dict[str, dict[str, None]] = {kind: {} for kind in log.objects.values()}
    for oid, attrs in log.attributes.items():
        names[log.objects[oid]].update(dict.fromkeys(attrs))
    return {kind: list(v) for kind, v in names.items()}


def ocel_json(log: OcelLog) -> dict[str, Any]:
    """The OCEL 2.0 JSON document (objectTypes, eventTypes, objects, events)."""
    attr_names = _object_attribute_names(log)
    return {
        "objectTypes": [
            {"name": kind, "attributes": [{"name": n, "type": "float"} for n in names]}
            for kind, names in attr_names.items()
        ],
        "eventTypes": [
            {"name": kind, "attributes": [{"name": "quantity", "type": "float"}]}
            for kind in dict.fromkeys(log.event_types)
        ],
        "objects": [
            {
                "id": oid,
                "type": kind,
                "attributes": [
                    {"name": n, "value": v, "time": log.first_seen[oid]}
                    for n, v in log.attributes.get(oid, {}).items()
                ],
                "relationships": [
                    {"objectId": target, "qualifier": q}
                    for target, q in log.links.get(oid, {}).items()
                ],
            }
            for oid, kind in log.objects.items()
        ],
        "events": [
            {
                "id": eid,
                "type": etype,
                "time": when,
                "attributes": [{"name": "quantity", "value": qty}],
                "relationships": [{"objectId": oid, "qualifier": q} for oid, q in rel],
            }
            for eid, etype, when, qty, rel in zip(
                log.event_ids,
                log.event_types,
                log.event_times,
                log.quantities,
                log.relationships,
                strict=True,
            )
        ],
    }


def write_ocel_json(log: OcelLog, path: str | Path) -> None:
    """Write the log as OCEL 2.0 JSON to ``path`` (not atomic by itself)."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ocel_json(log), f, separators=(",", ":"))


def write_ocel_sqlite(log: OcelLog, path: str | Path) -> None:
    """Write the log as an OCEL 2.0 SQLite database to a new file ``path`` (not atomic by itself).

    One table per event type and per object type, mapped by ``event_map_type`` and
    ``object_map_type``, as the OCEL 2.0 relational format has it.
    """
    con = sqlite3.connect(path)
    try:
        with con:
            _fill_sqlite(con, log)
    finally:
        con.close()


def _fill_sqlite(con: sqlite3.Connection, log: OcelLog) -> None:
    event_kinds = list(dict.fromkeys(log.event_types))
    object_kinds = list(dict.fromkeys(log.objects.values()))
    emap = {kind: f"e{i}" for i, kind in enumerate(event_kinds)}
    omap = {kind: f"o{i}" for i, kind in enumerate(object_kinds)}
    attr_names = _object_attribute_names(log)
    con.executescript(
        """
        CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);
        CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);
        CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT, ocel_qualifier TEXT,
            PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier));
        CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT,
            ocel_qualifier TEXT, PRIMARY KEY (ocel_source_id, ocel_target_id, ocel_qualifier));
        CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
        CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);
        """
    )
    con.executemany("INSERT INTO event_map_type VALUES (?, ?)", emap.items())
    con.executemany("INSERT INTO object_map_type VALUES (?, ?)", omap.items())
    for table in emap.values():
        con.execute(
            f'CREATE TABLE "event_{table}" (ocel_id TEXT PRIMARY KEY, ocel_time TEXT, '
            "quantity REAL)"
        )
    for kind, table in omap.items():
        extra = "".join(f', "{n}" REAL' for n in attr_names[kind])
        con.execute(
            f'CREATE TABLE "object_{table}" (ocel_id TEXT, ocel_time TEXT, '
            f"ocel_changed_field TEXT{extra})"
        )
    con.executemany(
        "INSERT INTO event VALUES (?, ?)", zip(log.event_ids, log.event_types, strict=True)
    )
    rows = zip(log.event_ids, log.event_types, log.event_times, log.quantities, strict=True)
    for eid, kind, when, qty in rows:
        con.execute(f'INSERT INTO "event_{emap[kind]}" VALUES (?, ?, ?)', (eid, when, qty))
    con.executemany(
        "INSERT OR IGNORE INTO event_object VALUES (?, ?, ?)",
        (
            (eid, oid, q)
            for eid, rel in zip(log.event_ids, log.relationships, strict=True)
            for oid, q in rel
        ),
    )
    con.executemany("INSERT INTO object VALUES (?, ?)", log.objects.items())
    for oid, kind in log.objects.items():
        names = attr_names[kind]
        values = [log.attributes.get(oid, {}).get(n) for n in names]
        marks = ", ".join("?" * (3 + len(names)))
        con.execute(
            f'INSERT INTO "object_{omap[kind]}" VALUES ({marks})',
            (oid, "1970-01-01 00:00:00", None, *values),
        )
    con.executemany(
        "INSERT INTO object_object VALUES (?, ?, ?)",
        ((src, dst, q) for src, targets in log.links.items() for dst, q in targets.items()),
    )
