"""Plan performance: acceptance probabilities against scipy.stats, AOQ/ATI/AOQL identities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from plantwin.sampling import (
    AQL_VALUES,
    LEVELS,
    MODELS,
    SamplingError,
    aoq,
    aoql,
    ati,
    consumers_risk,
    oc_curve,
    p_accept,
    p_at_pa,
    plan,
    producers_risk,
)

GRID = np.linspace(0.0, 1.0, 401)
FINE = np.concatenate([np.linspace(0.0, 0.02, 201), np.linspace(0.02, 0.2, 181)])
PLANS = [(2, 0), (13, 1), (50, 3), (125, 5), (500, 7), (1250, 21), (2000, 21), (3150, 44)]


@pytest.mark.parametrize(("n", "ac"), PLANS)
def test_binomial_matches_scipy(n: int, ac: int) -> None:
    for grid in (GRID, FINE):
        got = p_accept(n, ac, grid)
        np.testing.assert_allclose(got, stats.binom.cdf(ac, n, grid), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("n", "ac"), PLANS)
def test_poisson_matches_scipy(n: int, ac: int) -> None:
    for grid in (GRID, FINE):
        got = p_accept(n, ac, grid, model="poisson")
        np.testing.assert_allclose(got, stats.poisson.cdf(ac, n * grid), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("n", "ac", "lot"),
    [(5, 0, 5), (13, 1, 40), (125, 3, 1000), (500, 7, 100_000), (2000, 21, 2500)],
)
def test_hypergeometric_matches_scipy(n: int, ac: int, lot: int) -> None:
    for grid in (GRID, FINE):
        defectives = np.array([round(p * lot) for p in grid])
        expected = stats.hypergeom.cdf(ac, lot, defectives, n)
        got = p_accept(n, ac, grid, lot_size=lot, model="hypergeometric")
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_scalar_in_float_out_and_shapes_kept() -> None:
    value = p_accept(50, 1, 0.02)
    assert isinstance(value, float)
    assert value == pytest.approx(stats.binom.cdf(1, 50, 0.02), rel=1e-12)
    grid = np.linspace(0.0, 0.1, 12).reshape(3, 4)
    assert p_accept(50, 1, grid).shape == (3, 4)
    assert p_accept(50, 1, [0.0, 0.5]).shape == (2,)


def test_end_points() -> None:
    assert p_accept(50, 1, 0.0) == 1.0
    assert p_accept(50, 1, 1.0) == 0.0
    assert p_accept(5, 5, 1.0) == 1.0  # Ac >= n accepts everything
    assert p_accept(5, 0, 0.0, model="poisson") == 1.0
    assert p_accept(5, 0, 1.0, lot_size=10, model="hypergeometric") == 0.0


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 3000),
    ac_frac=st.floats(0.0, 1.0),
    ps=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=30),
    model=st.sampled_from(MODELS),
    extra=st.integers(0, 5000),
)
def test_pa_non_increasing_in_p(
    n: int, ac_frac: float, ps: list[float], model: str, extra: int
) -> None:
    ac = int(ac_frac * min(n, 60))
    grid = np.sort(np.array(ps))
    pa = p_accept(n, ac, grid, lot_size=n + extra, model=model)
    assert np.all(np.diff(pa) <= 1e-12)
    assert np.all((pa >= 0.0) & (pa <= 1.0))


@settings(max_examples=80, deadline=None)
@given(
    lot=st.integers(2, 2_000_000),
    level=st.sampled_from(LEVELS),
    aql=st.sampled_from(AQL_VALUES[:15]),  # percent nonconforming: AQL <= 10
)
def test_tightened_never_more_lenient_than_normal(lot: int, level: str, aql: str) -> None:
    normal = plan(lot, aql, level)
    tightened = plan(lot, aql, level, inspection="tightened")
    pa_n = p_accept(normal.n, normal.ac, FINE)
    pa_t = p_accept(tightened.n, tightened.ac, FINE)
    assert np.all(pa_t <= pa_n + 1e-12)


def test_aoq_and_ati_formulas() -> None:
    n, ac, lot = 125, 3, 2000
    pa = stats.binom.cdf(ac, n, FINE)
    np.testing.assert_allclose(aoq(n, ac, FINE, lot), FINE * pa * (lot - n) / lot, atol=1e-15)
    np.testing.assert_allclose(ati(n, ac, FINE, lot), n + (1 - pa) * (lot - n), rtol=1e-12)
    assert isinstance(aoq(n, ac, 0.01, lot), float)
    assert isinstance(ati(n, ac, 0.01, lot), float)


@pytest.mark.parametrize("model", MODELS)
def test_ati_and_aoq_at_the_ends(model: str) -> None:
    n, ac, lot = 80, 2, 1000
    assert ati(n, ac, 0.0, lot, model=model) == pytest.approx(n)
    assert aoq(n, ac, 0.0, lot, model=model) == 0.0
    if model != "poisson":
        assert ati(n, ac, 1.0, lot, model=model) == pytest.approx(lot)
        assert aoq(n, ac, 1.0, lot, model=model) == pytest.approx(0.0)
    assert ati(lot, ac, 0.3, lot, model=model) == pytest.approx(lot)  # 100 % inspection
    assert aoq(lot, ac, 0.3, lot, model=model) == 0.0


@pytest.mark.parametrize(("n", "ac", "lot"), [(13, 0, 100), (125, 3, 2000), (500, 7, 100_000)])
@pytest.mark.parametrize("model", ["binomial", "poisson"])
def test_aoql_is_the_maximum_of_aoq(n: int, ac: int, lot: int, model: str) -> None:
    result = aoql(n, ac, lot, model=model)
    grid = np.linspace(0.0, 0.5, 200_001)
    curve = aoq(n, ac, grid, lot, model=model)
    assert result.aoql >= curve.max() * (1 - 1e-12)
    assert result.aoql == pytest.approx(curve.max(), rel=1e-6)
    assert aoq(n, ac, result.p, lot, model=model) == pytest.approx(result.aoql, rel=1e-12)


def test_hypergeometric_aoql_by_brute_force() -> None:
    n, ac, lot = 20, 1, 200
    defectives = np.arange(lot + 1)
    p = defectives / lot
    brute = p * stats.hypergeom.cdf(ac, lot, defectives, n) * (lot - n) / lot
    result = aoql(n, ac, lot, model="hypergeometric")
    assert result.aoql == pytest.approx(brute.max(), rel=1e-9)
    assert result.p == pytest.approx(p[np.argmax(brute)])


def test_risks() -> None:
    n, ac = 500, 7
    assert producers_risk(n, ac, 0.0065) == pytest.approx(
        1 - stats.binom.cdf(ac, n, 0.0065), rel=1e-9
    )
    assert consumers_risk(n, ac, 0.03) == pytest.approx(stats.binom.cdf(ac, n, 0.03), rel=1e-9)
    assert consumers_risk(n, ac, 0.03, model="poisson") == pytest.approx(
        stats.poisson.cdf(ac, n * 0.03), rel=1e-9
    )


def test_oc_curve_default_grid() -> None:
    curve = oc_curve(500, 7)
    assert curve.p.shape == curve.pa.shape == (101,)
    assert curve.p[0] == 0.0 and curve.pa[0] == 1.0
    assert curve.pa[-1] == pytest.approx(0.001, rel=1e-6)
    np.testing.assert_allclose(curve.pa, stats.binom.cdf(7, 500, curve.p), rtol=1e-9, atol=1e-12)
    given_grid = oc_curve(500, 7, [0.01, 0.02], lot_size=10_000, model="hypergeometric")
    assert given_grid.p.tolist() == [0.01, 0.02]
    assert len(oc_curve(500, 7, points=7).p) == 7


@pytest.mark.parametrize("pa", [0.95, 0.5, 0.1])
def test_p_at_pa_inverts_the_oc_curve(pa: float) -> None:
    p = p_at_pa(200, 5, pa)
    assert stats.binom.cdf(5, 200, p) == pytest.approx(pa, abs=1e-9)
    assert p_at_pa(3, 3, pa) == 1.0  # Ac >= n never falls


def test_percent_instead_of_fraction_is_refused() -> None:
    with pytest.raises(SamplingError, match=r"p=65\.0 is not a fraction.*0\.0065"):
        p_accept(500, 7, 65.0)
    with pytest.raises(SamplingError, match="aql"):
        producers_risk(500, 7, 0.65 * 100)
    with pytest.raises(SamplingError, match="fraction"):
        p_accept(500, 7, [0.1, float("nan")])


def test_bad_arguments_list_what_is_allowed() -> None:
    with pytest.raises(SamplingError, match="binomial, hypergeometric, poisson"):
        p_accept(10, 1, 0.1, model="normal")
    with pytest.raises(SamplingError, match="lot_size is required"):
        p_accept(10, 1, 0.1, model="hypergeometric")
    with pytest.raises(SamplingError, match="smaller than n"):
        aoq(10, 1, 0.1, 5)
    with pytest.raises(SamplingError, match="n=0"):
        p_accept(0, 0, 0.1)
    with pytest.raises(SamplingError, match="ac=-1"):
        p_accept(10, -1, 0.1)
    with pytest.raises(SamplingError, match=r"\(0, 1\)"):
        p_at_pa(10, 1, 1.5)


def test_poisson_allows_more_nonconformities_than_items() -> None:
    # nonconformities per 100 units (AQL > 10): Ac may exceed n, as in Table II-A
    np.testing.assert_allclose(
        p_accept(2, 5, GRID, model="poisson"), stats.poisson.cdf(5, 2 * GRID), rtol=1e-9
    )
