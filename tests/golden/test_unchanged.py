"""The built-ins give, for the same seed, the KPIs and event log recorded before the engine's
reorganisation (issue 11): a reorganisation changes no result. ``record.py`` beside this file
made the fixture; its manifest names the commit."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from plantwin import builtin, simulate

from .record import CASES, HERE, name, plain


def _same(recorded: Any, now: Any, path: str = "kpis") -> None:
    """Every recorded KPI has the same value now (KPIs added since are not compared)."""
    if isinstance(recorded, dict):
        assert isinstance(now, dict), path
        for key, value in recorded.items():
            assert key in now, f"{path}.{key} is gone"
            _same(value, now[key], f"{path}.{key}")
    elif isinstance(recorded, float) and math.isnan(recorded):
        assert isinstance(now, float) and math.isnan(now), path
    else:
        assert now == recorded, path


@pytest.mark.parametrize(("scenario", "seed"), CASES, ids=[name(*c) for c in CASES])
def test_same_seed_same_kpis_and_event_log(scenario: str, seed: int) -> None:
    stem = HERE / name(scenario, seed)
    result = simulate(builtin(scenario), seed)
    recorded = json.loads(stem.with_suffix(".kpis.json").read_text(encoding="utf-8"))
    _same(recorded, json.loads(json.dumps(result.kpis)))
    events = plain(result.events())
    expected = pq.read_table(stem.with_suffix(".events.parquet"))
    assert events.num_rows == expected.num_rows
    for column in expected.column_names:
        assert events[column].to_pylist() == expected[column].to_pylist(), column


def test_the_fixture_is_complete() -> None:
    manifest = json.loads((Path(__file__).parent / "manifest.json").read_text(encoding="utf-8"))
    assert [tuple(c) for c in manifest["cases"]] == CASES
