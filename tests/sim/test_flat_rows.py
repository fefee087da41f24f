"""An experiment's rows are flattened from the typed KPIs without making their dict: on
scenarios that together have every feature (crews, projects, process and assembly stations,
two test stations), so that every kind of field is met with a value and without one."""

from __future__ import annotations

import pytest

from plantwin.kpis import compute, compute_kpis, flatten
from plantwin.scenario import Network, Scenario
from plantwin.sim import simulate

from .test_setup import COVERING


@pytest.mark.parametrize(("name", "scenario"), COVERING)
def test_the_typed_kpis_flatten_as_their_dict(name: str, scenario: Scenario | Network) -> None:
    record = simulate(scenario, 1, horizon="60d", event_log=False).record
    from_model = flatten(compute(record))
    assert list(from_model.items()) == list(flatten(compute_kpis(record)).items())
    assert all(type(v) is float for v in from_model.values())
