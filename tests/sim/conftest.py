"""Small scenarios for engine tests, built as dicts so each test states what it changes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from plantwin.scenario import Scenario, validate_data

ScenarioFactory = Callable[..., Scenario]

BASE: dict[str, Any] = {
    "plant": {"name": "test plant", "start": "2025-07-01", "horizon": "1y", "nameplate": 1e6},
    "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "shifts": ["06:00-22:00"]},
    "products": [{"id": "a"}, {"id": "b"}],
    "lines": [
        {"id": "L1", "products": ["a"], "rate": 1000, "performance": 0.9, "lot_size": 10_000},
    ],
    "range": {
        "lanes": 50,
        "test_time": {"dist": "constant", "value": 0.5},
        "sampling": {"plan": {"n": 20, "ac": 0, "re": 1}},
    },
    "buffer": {"lots": 1000},
}


def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``patch`` into a copy of ``base``; a None value deletes the key."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


@pytest.fixture
def make_scenario() -> ScenarioFactory:
    """``make_scenario(lines=[...], grid={...})``: the base test plant with sections replaced."""

    def build(**patch: Any) -> Scenario:
        return validate_data(merge(BASE, patch), "<test>")

    return build


TWENTY_FOUR_SEVEN = {
    "workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "shifts": ["00:00-24:00"],
}
