"""The examples run, and what they print adds up."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hindcast_shares_add_up() -> None:
    hindcast = _load("hindcast_maracay_build").hindcast  # type: ignore[attr-defined]
    result = hindcast(reps=4, seed=3)
    assert set(result) == {"output.opening_hours", "output.complete_hours"}
    for shares in result.values():
        median = shares.pop("median")
        assert sum(shares.values()) == pytest.approx(1.0)
        assert median > 0  # nothing runs at the announcement
    # the whole plant is never complete before its first line
    assert (
        result["output.complete_hours"]["before 2025"]
        <= result["output.opening_hours"]["before 2025"]
    )
