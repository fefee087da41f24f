"""The event log hands back what the engine put into it, whichever engine filled it."""

from __future__ import annotations

import importlib.util
import pickle
from pathlib import Path
from typing import Any

import pytest

import plantwin.sim
from plantwin import builtin, simulate
from plantwin.sim import EventLog, EventRecord


def _interpreted_log() -> Any:
    """The interpreted twin's EventLog, loaded from ``_log.py`` whichever engine runs."""
    path = Path(plantwin.sim.__file__).with_name("_log.py")
    spec = importlib.util.spec_from_file_location("interpreted_log", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EventLog


def test_records_come_back_in_order_with_their_values() -> None:
    log = EventLog()
    log.add(0.0, "line", "L1", "producing", "P", "", 0.0, "")
    log.add(1.5, "lot", "L1-00001", "lot_produced", "P", "L1-00001", 5000, "L1")
    assert len(log) == 2
    assert log.rows() == [
        EventRecord(0.0, "line", "L1", "producing", "P", "", 0.0, ""),
        EventRecord(1.5, "lot", "L1-00001", "lot_produced", "P", "L1-00001", 5000, "L1"),
    ]
    assert log.column("quantity") == [0.0, 5000.0]
    table = log.to_arrow()
    assert table.column("time").to_pylist() == [0.0, 1.5]
    assert table.column("object_id").to_pylist() == ["L1", "L1-00001"]


def test_a_log_grows_past_any_first_room() -> None:
    log = EventLog()
    for i in range(5000):
        log.add(float(i), "lot", f"id-{i}", "e")
    assert len(log) == 5000
    assert log.column("object_id")[4999] == "id-4999"
    assert log.column("time")[1234] == 1234.0


def test_a_pickled_log_comes_back_equal() -> None:
    log = simulate(builtin("maracay"), 1, horizon=30 * 24.0).event_log
    assert log is not None and len(log) > 100
    again = pickle.loads(pickle.dumps(log))
    assert again.rows() == log.rows()


@pytest.mark.parametrize(
    "log_class", [EventLog, _interpreted_log()], ids=["running", "interpreted"]
)
def test_a_quantity_comes_back_as_a_float(log_class: Any) -> None:
    """Both logs keep a record's quantity as a double (an int given comes back as its float), so
    that their columns hold the same values, not only their Arrow tables."""
    log = log_class()
    log.add(1.5, "lot", "L1-00001", "lot_produced", "P", "L1-00001", 5000, "L1")
    assert [(type(q), q) for q in log.column("quantity")] == [(float, 5000.0)]
