"""The typed KPI models and their dict: a field's name is its key, in order, with the same
value; the dict of a built-in's run is the run's KPIs (the README's stable keys)."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

import pytest

from plantwin import builtin, simulate
from plantwin.kpis import ProductBalance, RunKpis, compute, compute_kpis
from plantwin.sim import RunRecord


@pytest.fixture(scope="module", params=["maracay", "assembly"])
def record(request: pytest.FixtureRequest) -> RunRecord:
    """A built-in's record after 60 days (the KPIs of every part of the plant, a month boundary)."""
    return simulate(builtin(request.param), 1, horizon="60d", event_log=False).record


def _faithful(model: Any, plain: Any, path: str) -> None:
    """``plain`` is ``model`` as dicts: the fields' names as keys, in order, same values."""
    if is_dataclass(model):
        assert isinstance(plain, dict), path
        names = [f.name for f in fields(model)]
        if isinstance(model, ProductBalance) and model.consumed is None:
            names.remove("consumed")  # a plant without a bill has no key for it
        assert list(plain) == names, path
        for name in names:
            _faithful(getattr(model, name), plain[name], f"{path}.{name}")
    elif isinstance(model, dict):
        assert isinstance(plain, dict), path
        assert list(plain) == list(model), path
        for key, value in model.items():
            _faithful(value, plain[key], f"{path}.{key}")
    else:
        assert type(plain) is type(model), path  # an int stays an int in the JSON
        assert plain == model, path


def test_to_dict_is_the_model_field_by_field(record: RunRecord) -> None:
    k = compute(record)
    assert isinstance(k, RunKpis)
    _faithful(k, k.to_dict(), "kpis")


def test_to_dict_is_compute_kpis_and_the_run_s_kpis(record: RunRecord) -> None:
    d = compute(record).to_dict()
    assert d == compute_kpis(record)
    assert json.dumps(d) == json.dumps(compute_kpis(record))
    assert json.loads(json.dumps(d)) == d  # plain JSON values only


def test_the_dict_is_a_copy(record: RunRecord) -> None:
    k = compute(record)
    station = next(iter(k.lines))
    d = k.to_dict()
    d["lines"][station]["hours"]["producing"] = -1.0
    d["output"]["monthly"].clear()
    assert k.lines[station].hours["producing"] >= 0
    assert k.output.monthly
    assert k.to_dict()["lines"][station]["hours"] == k.lines[station].hours


def test_consumed_only_where_a_bill_consumes() -> None:
    """``assembly`` consumes components into assemblies; ``maracay`` has no bill."""
    assembly = compute(simulate(builtin("assembly"), 1, horizon="30d", event_log=False).record)
    consumed = {p: b.consumed for p, b in assembly.conservation.by_product.items()}
    assert all(isinstance(u, float) for u in consumed.values())
    assert any(u and u > 0 for u in consumed.values())
    assert all("consumed" in b for b in assembly.to_dict()["conservation"]["by_product"].values())
    maracay = compute(simulate(builtin("maracay"), 1, horizon="30d", event_log=False).record)
    assert all(b.consumed is None for b in maracay.conservation.by_product.values())
    by_product = maracay.to_dict()["conservation"]["by_product"]
    assert all("consumed" not in b for b in by_product.values())
