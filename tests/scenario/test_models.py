"""The scenario models: the built-in plant, distributions and durations."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from plantwin.scenario import (
    DIST_NAMES,
    Distribution,
    Scenario,
    builtin,
    duration_hours,
    parse_duration,
    parse_scenario,
)

DIST = TypeAdapter(Distribution)

# --- the built-in scenario carries DESIGN.md's assumed values ---------------------------------


@pytest.fixture(scope="module")
def maracay() -> Scenario:
    return builtin("maracay")


def test_builtin_parses_from_its_text(maracay_text: str, maracay: Scenario) -> None:
    assert parse_scenario(maracay_text, "maracay.toml") == maracay


def test_builtin_plant_and_calendar(maracay: Scenario) -> None:
    assert maracay.plant.start == date(2025, 7, 1)
    assert duration_hours(maracay.plant.horizon, maracay.plant.start) == 365 * 24
    assert maracay.plant.nameplate == 70_000_000
    assert maracay.calendar.workdays == ["mon", "tue", "wed", "thu", "fri"]
    assert maracay.calendar.shift_hours() == [(6.0, 14.0), (14.0, 22.0)]


def test_builtin_lines(maracay: Scenario) -> None:
    assert [line.id for line in maracay.lines] == ["L1", "L2", "L3", "L4"]
    for line in maracay.lines:
        assert line.rate == 4200
        assert line.performance == 0.95
        assert line.lot_size == 100_000
        assert line.failures is not None
        assert line.failures.between.dist == "exponential"
        assert line.failures.between.expectation() == 60
        assert line.failures.repair.dist == "lognormal"
        assert (line.failures.repair.mean, line.failures.repair.cv) == (1.5, 1.0)
    ball, _, tracer_blank, _ = (line.products for line in maracay.lines)
    assert [line.products for line in maracay.lines] == [ball, ball, tracer_blank, tracer_blank]
    assert ball == ["ball"]
    assert sorted(tracer_blank) == ["blank", "tracer"]
    assert maracay.lines[2].initial_product == "tracer"
    assert maracay.lines[3].initial_product == "blank"


def test_builtin_nameplate_matches_the_rate(maracay: Scenario) -> None:
    # DESIGN.md: 4 lines x 4,200 units/h x 16 h x 5 d x 52 weeks is about 70 million a year.
    hours_per_year = 16 * 5 * 52
    ideal = sum(line.rate for line in maracay.lines) * hours_per_year
    assert maracay.plant.nameplate is not None
    assert ideal == pytest.approx(maracay.plant.nameplate, rel=0.01)


def test_builtin_products_and_defects(maracay: Scenario) -> None:
    assert maracay.product_ids() == ["ball", "tracer", "blank"]
    for product in maracay.products:
        d = product.defect_fraction
        assert d.dist == "beta"
        assert d.expectation() == pytest.approx(0.003)
        a, b = d.shapes()
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        assert sd / d.expectation() == pytest.approx(1.0)


def test_builtin_changeover_and_grid(maracay: Scenario) -> None:
    assert maracay.changeover.campaign_lots == 5
    assert maracay.changeover.time.dist == "constant"
    assert maracay.changeover.time.expectation() == 4
    grid = maracay.grid
    assert grid.restart == 0.5
    assert grid.cuts is not None and grid.standstills is not None
    assert grid.cuts.between.dist == "exponential"
    assert grid.cuts.between.expectation() == 240
    assert grid.cuts.duration.dist == "lognormal"
    assert (grid.cuts.duration.mean, grid.cuts.duration.cv) == (4, 1.5)
    assert grid.standstills.per_year == 0.25
    assert grid.standstills.duration.dist == "uniform"
    assert (grid.standstills.duration.low, grid.standstills.duration.high) == (168, 720)


def test_builtin_range_buffer_storage(maracay: Scenario) -> None:
    r = maracay.range
    assert r.lanes == 2
    assert r.test_time.dist == "constant"
    assert r.test_time.expectation() == 2
    assert r.sampling.plan is None
    assert r.sampling.aql == 0.65
    assert r.sampling.level == "II"
    assert r.sampling.standard == "iso2859-1"
    assert r.sampling.switching is True
    assert maracay.buffer.lots == 20
    assert maracay.storage.capacity == 20e6


def test_builtin_demand(maracay: Scenario) -> None:
    recurring = maracay.demand.recurring
    assert {o.product: o.quantity for o in recurring} == {
        "ball": 2_600_000,
        "tracer": 1_200_000,
        "blank": 1_200_000,
    }
    assert len(recurring) == 3
    assert all(o.every == "month" and o.day == 1 for o in recurring)
    assert maracay.demand.orders == []


# --- distributions ----------------------------------------------------------------------------

DISTRIBUTIONS: dict[str, dict[str, Any]] = {
    "constant": {"dist": "constant", "value": 2.5},
    "exponential": {"dist": "exponential", "mean": 60},
    "lognormal": {"dist": "lognormal", "mean": 4, "cv": 1.5},
    "gamma": {"dist": "gamma", "mean": 3, "cv": 0.5},
    "weibull": {"dist": "weibull", "shape": 1.8, "scale": 100},
    "uniform": {"dist": "uniform", "low": 168, "high": 720},
    "triangular": {"dist": "triangular", "low": 1, "mode": 2, "high": 6},
    "beta": {"dist": "beta", "mean": 0.003, "cv": 1.0},
    "empirical": {"dist": "empirical", "values": [1, 2, 10], "weights": [5, 3, 2]},
}

# Expected values worked out by hand from the parameters above.
EXPECTED_MEANS = {
    "constant": 2.5,
    "exponential": 60.0,
    "lognormal": 4.0,
    "gamma": 3.0,
    "weibull": 100 * math.gamma(1 + 1 / 1.8),
    "uniform": (168 + 720) / 2,
    "triangular": (1 + 2 + 6) / 3,
    "beta": 0.003,
    "empirical": (1 * 5 + 2 * 3 + 10 * 2) / 10,
}

Z_999 = 3.2905  # two-sided 99.9 % normal quantile


def test_every_distribution_name_is_covered() -> None:
    assert set(DISTRIBUTIONS) == set(DIST_NAMES)


@pytest.mark.parametrize("name", sorted(DISTRIBUTIONS))
def test_distribution_validates_and_samples_its_expectation(name: str) -> None:
    d = DIST.validate_python(DISTRIBUTIONS[name])
    assert d.dist == name
    assert d.expectation() == pytest.approx(EXPECTED_MEANS[name], rel=1e-12)
    n = 200_000
    x = d.sample(np.random.default_rng(20250701), n)
    assert x.shape == (n,)
    assert np.all(x >= 0)
    assert np.all(x <= d.upper)
    half_width = Z_999 * x.std(ddof=1) / math.sqrt(n)
    assert abs(x.mean() - d.expectation()) <= half_width + 1e-12


def test_distribution_from_toml_text(small_toml: str) -> None:
    text = small_toml.replace(
        'test_time = { dist = "constant", value = 1 }',
        'test_time = { dist = "triangular", low = 0.5, mode = 1, high = 3 }',
    )
    s = parse_scenario(text)
    assert s.range.test_time.dist == "triangular"
    assert s.range.test_time.expectation() == pytest.approx((0.5 + 1 + 3) / 3)


def test_distribution_needs_a_known_name() -> None:
    with pytest.raises(ValidationError, match="exponentail"):
        DIST.validate_python({"dist": "exponentail", "mean": 1})


def test_beta_by_moments_and_by_shapes_agree() -> None:
    # mean 0.2, cv 0.5: variance 0.01 = ab / ((a+b)^2 (a+b+1)) with a/(a+b) = 0.2 gives a=3, b=12.
    by_moments = DIST.validate_python({"dist": "beta", "mean": 0.2, "cv": 0.5})
    by_shapes = DIST.validate_python({"dist": "beta", "a": 3, "b": 12})
    assert by_moments.shapes() == pytest.approx((3.0, 12.0))
    assert by_shapes.shapes() == (3, 12)
    assert by_moments.expectation() == pytest.approx(by_shapes.expectation())
    x = by_moments.sample(np.random.default_rng(7), 1000)
    y = by_shapes.sample(np.random.default_rng(7), 1000)
    np.testing.assert_allclose(x, y, rtol=1e-9)


@pytest.mark.parametrize(
    "params",
    [
        {"mean": 0.2},
        {"a": 1},
        {"mean": 0.2, "cv": 0.5, "a": 3},
        {"mean": 0.5, "cv": 1.0},  # cv must be below sqrt((1 - m) / m) = 1
    ],
    ids=["mean-only", "a-only", "both-forms", "cv-too-large"],
)
def test_beta_rejects_incomplete_or_impossible_forms(params: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        DIST.validate_python({"dist": "beta", **params})


@pytest.mark.parametrize(
    "params",
    [
        {"dist": "uniform", "low": 5, "high": 1},
        {"dist": "triangular", "low": 1, "mode": 7, "high": 6},
        {"dist": "triangular", "low": 2, "mode": 2, "high": 2},
        {"dist": "exponential", "mean": 0},
        {"dist": "constant", "value": -1},
        {"dist": "empirical", "values": []},
        {"dist": "empirical", "values": [1, 2], "weights": [1]},
        {"dist": "lognormal", "mean": 1},
    ],
    ids=lambda p: p["dist"],
)
def test_distribution_rejects_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DIST.validate_python(params)


# --- durations --------------------------------------------------------------------------------

JULY_1 = date(2025, 7, 1)


def _days(a: date, b: date) -> float:
    return (b - a) / timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "start", "hours"),
    [
        ("1y", JULY_1, _days(JULY_1, date(2026, 7, 1))),
        ("1y", JULY_1, 8760.0),
        ("6mo", JULY_1, 184 * 24.0),
        ("90d", JULY_1, 2160.0),
        ("8760h", JULY_1, 8760.0),
        ("2w", JULY_1, 2 * 7 * 24.0),
        ("1y", date(2024, 1, 1), 366 * 24.0),  # a leap year
        ("1mo", date(2025, 1, 31), 28 * 24.0),  # 31 Jan + 1 month ends on 28 Feb
        ("1y", date(2024, 2, 29), 365 * 24.0),  # 29 Feb + 1 year ends on 28 Feb
        (" 12 h ", JULY_1, 12.0),
        (12.5, JULY_1, 12.5),
        (48, JULY_1, 48.0),
    ],
)
def test_duration_hours(text: str | float, start: date, hours: float) -> None:
    assert duration_hours(text, start) == hours


def test_parse_duration_splits_amount_and_unit() -> None:
    assert parse_duration("6mo") == (6.0, "mo")
    assert parse_duration("1.5d") == (1.5, "d")
    assert parse_duration(30) == (30.0, "h")


@pytest.mark.parametrize("text", ["1.5y", "2.5mo", "-3d", "3x", "0h", "", "d", -4, 0, True])
def test_bad_durations_raise(text: str | float) -> None:
    with pytest.raises(ValueError):
        duration_hours(text, JULY_1)


def test_bad_horizon_is_rejected_in_a_scenario(small_toml: str) -> None:
    with pytest.raises(ValueError, match=r"1\.5y"):
        parse_scenario(small_toml.replace('horizon = "7d"', 'horizon = "1.5y"'))


@pytest.mark.parametrize("horizon", ["nan", "inf", "true"])
def test_non_finite_or_boolean_horizon_is_rejected(small_toml: str, horizon: str) -> None:
    with pytest.raises(ValueError):
        parse_scenario(small_toml.replace('horizon = "7d"', f"horizon = {horizon}"))
