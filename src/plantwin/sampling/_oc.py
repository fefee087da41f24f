"""Performance of a single sampling plan (n, Ac): OC curve, AOQ, AOQL, ATI and the two risks.

Pure functions on numpy arrays, vectorised over the quality ``p``. Every quality argument is a
**fraction** nonconforming in [0, 1] (AQL 0.65 % is ``0.0065``), never a percent. Probabilities
are summed in log space (``math.lgamma``), so sample sizes of several thousand are exact to
rounding; no scipy is needed.
"""

from __future__ import annotations

import math
import operator
from functools import cache
from typing import Final, Literal, NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from plantwin.sampling._tables import SamplingError

__all__ = [
    "MODELS",
    "AOQLResult",
    "Model",
    "OCCurve",
    "aoq",
    "aoql",
    "ati",
    "consumers_risk",
    "oc_curve",
    "p_accept",
    "p_at_pa",
    "producers_risk",
]

Model = Literal["binomial", "hypergeometric", "poisson"]
MODELS: Final[tuple[Model, ...]] = ("binomial", "hypergeometric", "poisson")

FloatArray = NDArray[np.float64]

_CHUNK = 4096  # columns of p evaluated at once, to bound memory for large Ac


class OCCurve(NamedTuple):
    """Operating characteristic: quality ``p`` (fractions) and probability of acceptance."""

    p: FloatArray
    pa: FloatArray


class AOQLResult(NamedTuple):
    """Average outgoing quality limit (a fraction) and the incoming ``p`` where it occurs."""

    aoql: float
    p: float


# ---------------------------------------------------------------------------- validation


def _count(value: int, name: str, minimum: int) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        number = operator.index(value)
    except TypeError:
        raise SamplingError(f"{name}={value!r} is not a whole number (>= {minimum})") from None
    if number < minimum:
        raise SamplingError(f"{name}={number} is invalid; allowed: integers >= {minimum}")
    return number


def _model(model: str) -> Model:
    for value in MODELS:
        if model == value:
            return value
    raise SamplingError(f"model {model!r} is unknown; allowed models: {', '.join(MODELS)}")


def _plan_args(
    n: int, ac: int, lot_size: int | None, model: str, *, need_lot: bool = False
) -> tuple[int, int, int | None, Model]:
    """Validate (n, Ac, lot size, model) and return them normalised."""
    size = _count(n, "n", 1)
    accept = _count(ac, "ac", 0)
    kind = _model(model)
    lot = None if lot_size is None else _count(lot_size, "lot_size", 1)
    if lot is None and (need_lot or kind == "hypergeometric"):
        raise SamplingError(f"lot_size is required (model {kind!r}); allowed: integers >= n")
    if lot is not None and lot < size:
        raise SamplingError(f"lot_size={lot} is smaller than n={size}; allowed: integers >= n")
    return size, accept, lot, kind


def _fractions(p: ArrayLike, name: str = "p") -> FloatArray:
    """Return ``p`` as a float array, checking it holds fractions in [0, 1]."""
    arr = np.asarray(p, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0.0) or np.any(arr > 1.0):
        bad = float(arr[~(np.isfinite(arr) & (arr >= 0.0) & (arr <= 1.0))].ravel()[0])
        raise SamplingError(
            f"{name}={bad!r} is not a fraction in [0, 1]; give fractions "
            "(0.0065 for 0.65 %), not percent"
        )
    return arr


# ---------------------------------------------------------------------------- log pmf


@cache
def _lf_table(size: int) -> FloatArray:
    table = np.array([math.lgamma(k + 1.0) for k in range(size)], dtype=np.float64)
    table.setflags(write=False)
    return table


def _log_factorial(m: int) -> FloatArray:
    """Return log(k!) for k = 0..m (math.lgamma, memoised in power-of-two blocks)."""
    return _lf_table(1 << (m + 1).bit_length())[: m + 1]


def _log_pmf(
    n: int, k: NDArray[np.int64], p: FloatArray, model: Model, lot_size: int | None
) -> FloatArray:
    """log P(d = k) for samples of ``n`` at quality ``p``; ``k`` and ``p`` broadcast together.

    Values where the probability is zero are ``-inf``; p = 0 and p = 1 are handled exactly.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if model == "hypergeometric":
            assert lot_size is not None
            lf = _log_factorial(lot_size)
            big_d = np.rint(p * lot_size).astype(np.int64)
            good = lot_size - big_d
            ok = (k <= big_d) & (n - k <= good) & (k >= 0)
            kk = np.where(ok, k, 0)
            dk = np.where(ok, big_d - kk, 0)
            gk = np.where(ok, good - (n - kk), 0)
            out = (
                lf[big_d]
                - lf[kk]
                - lf[dk]
                + lf[good]
                - lf[n - kk]
                - lf[gk]
                - (lf[lot_size] - lf[n] - lf[lot_size - n])
            )
            return np.where(ok, out, -np.inf)
        if model == "poisson":  # counts of nonconformities may exceed n
            lf = _log_factorial(max(n, int(np.max(k, initial=0))))
            lam = n * p
            out = -lam + k * np.log(lam) - lf[k]
            return np.where(lam == 0.0, np.where(k == 0, 0.0, -np.inf), out)
        lf = _log_factorial(n)
        out = lf[n] - lf[k] - lf[n - k] + k * np.log(p) + (n - k) * np.log1p(-p)
        out = np.where(p == 0.0, np.where(k == 0, 0.0, -np.inf), out)
        return np.where(p == 1.0, np.where(k == n, 0.0, -np.inf), out)


def _pa(n: int, ac: int, p: FloatArray, model: Model, lot_size: int | None) -> FloatArray:
    """P(d <= ac) for every entry of ``p`` (any shape)."""
    flat = p.ravel()
    if model != "poisson" and ac >= n:
        return np.ones_like(p)  # d can never exceed n
    k = np.arange(ac + 1, dtype=np.int64)[:, None]
    result = np.empty_like(flat)
    for start in range(0, flat.size, _CHUNK):
        block = flat[start : start + _CHUNK][None, :]
        result[start : start + _CHUNK] = np.exp(_log_pmf(n, k, block, model, lot_size)).sum(0)
    return np.minimum(result, 1.0).reshape(p.shape)


def _cdf_over_k(n: int, kmax: int, p: FloatArray, model: Model, lot_size: int | None) -> FloatArray:
    """P(d <= k) for k = 0..kmax (rows) at each quality in the 1-D ``p`` (columns)."""
    k = np.arange(kmax + 1, dtype=np.int64)[:, None]
    pmf = np.exp(_log_pmf(n, k, p[None, :], model, lot_size))
    cdf: FloatArray = np.minimum(np.cumsum(pmf, axis=0), 1.0)
    return cdf


# ---------------------------------------------------------------------------- public API


@overload
def p_accept(
    n: int, ac: int, p: float, *, lot_size: int | None = None, model: str = "binomial"
) -> float: ...
@overload
def p_accept(
    n: int, ac: int, p: ArrayLike, *, lot_size: int | None = None, model: str = "binomial"
) -> FloatArray: ...
def p_accept(
    n: int, ac: int, p: ArrayLike, *, lot_size: int | None = None, model: str = "binomial"
) -> float | FloatArray:
    """Probability of accepting a lot of quality ``p`` (fraction nonconforming) with (n, Ac).

    ``model``: "binomial" (large lots), "poisson" (nonconformities, lambda = n p) or
    "hypergeometric" (finite lot: needs ``lot_size``, with D = round(p * lot_size) nonconforming
    items, rounding half to even). Returns a float for a float ``p``, else an array like ``p``.
    """
    size, accept, lot, kind = _plan_args(n, ac, lot_size, model)
    arr = _fractions(p)
    pa = _pa(size, accept, arr, kind, lot)
    return float(pa) if isinstance(p, int | float) else pa


def p_at_pa(
    n: int, ac: int, pa: float, *, lot_size: int | None = None, model: str = "binomial"
) -> float:
    """Smallest quality ``p`` (fraction) at which the acceptance probability falls to ``pa``.

    Found by bisection on the non-increasing OC curve; e.g. ``pa=0.95`` gives the quality the
    plan accepts 95 % of the time, ``pa=0.10`` the LTPD-like point. Returns 1.0 if never reached.
    """
    size, accept, lot, kind = _plan_args(n, ac, lot_size, model)
    if not 0.0 < pa < 1.0:
        raise SamplingError(f"pa={pa!r} is invalid; allowed: a probability in (0, 1)")
    lo, hi = 0.0, 1.0
    if _pa(size, accept, np.array(hi), kind, lot) > pa:
        return 1.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if _pa(size, accept, np.array(mid), kind, lot) > pa:
            lo = mid
        else:
            hi = mid
    return hi


def oc_curve(
    n: int,
    ac: int,
    p_grid: ArrayLike | None = None,
    *,
    points: int = 101,
    lot_size: int | None = None,
    model: str = "binomial",
) -> OCCurve:
    """Return the OC curve of (n, Ac) as arrays (p as fractions, Pa).

    Without ``p_grid`` the grid has ``points`` evenly spaced qualities from 0 to where the
    acceptance probability has fallen to 0.1 % (or to 1), the part of the curve worth drawing.
    """
    size, accept, lot, kind = _plan_args(n, ac, lot_size, model)
    if p_grid is None:
        count = _count(points, "points", 2)
        p_max = p_at_pa(size, accept, 0.001, lot_size=lot, model=kind)
        grid = np.linspace(0.0, p_max, count)
    else:
        grid = _fractions(p_grid, "p_grid")
    return OCCurve(grid, _pa(size, accept, grid, kind, lot))


@overload
def aoq(n: int, ac: int, p: float, lot_size: int, *, model: str = "binomial") -> float: ...
@overload
def aoq(n: int, ac: int, p: ArrayLike, lot_size: int, *, model: str = "binomial") -> FloatArray: ...
def aoq(
    n: int, ac: int, p: ArrayLike, lot_size: int, *, model: str = "binomial"
) -> float | FloatArray:
    """Average outgoing quality (fraction) under rectifying inspection: p * Pa * (N - n) / N.

    Rejected lots are screened 100 % and nonconforming items replaced, so only the uninspected
    part of accepted lots carries nonconforming items out.
    """
    size, accept, lot, kind = _plan_args(n, ac, lot_size, model, need_lot=True)
    assert lot is not None
    arr = _fractions(p)
    out = arr * _pa(size, accept, arr, kind, lot) * (lot - size) / lot
    return float(out) if isinstance(p, int | float) else out


@overload
def ati(n: int, ac: int, p: float, lot_size: int, *, model: str = "binomial") -> float: ...
@overload
def ati(n: int, ac: int, p: ArrayLike, lot_size: int, *, model: str = "binomial") -> FloatArray: ...
def ati(
    n: int, ac: int, p: ArrayLike, lot_size: int, *, model: str = "binomial"
) -> float | FloatArray:
    """Average total inspection per lot under rectifying inspection: n + (1 - Pa)(N - n)."""
    size, accept, lot, kind = _plan_args(n, ac, lot_size, model, need_lot=True)
    assert lot is not None
    arr = _fractions(p)
    out = size + (1.0 - _pa(size, accept, arr, kind, lot)) * (lot - size)
    return float(out) if isinstance(p, int | float) else out


def aoql(n: int, ac: int, lot_size: int, *, model: str = "binomial") -> AOQLResult:
    """Maximum of the AOQ over incoming quality, and where it occurs (both fractions).

    Searched numerically: a dense grid up to where Pa is negligible, then golden-section
    refinement around the best grid point (hypergeometric: every D/N, exactly).
    """
    size, accept, lot, kind = _plan_args(n, ac, lot_size, model, need_lot=True)
    assert lot is not None
    factor = (lot - size) / lot
    p_hi = p_at_pa(size, accept, 1e-9, lot_size=lot, model=kind)

    def curve(p: FloatArray) -> FloatArray:
        return p * _pa(size, accept, p, kind, lot) * factor

    if kind == "hypergeometric":
        grid = np.arange(min(lot, math.ceil(p_hi * lot) + 1) + 1, dtype=np.float64) / lot
        values = curve(grid)
        best = int(np.argmax(values))
        return AOQLResult(float(values[best]), float(grid[best]))
    grid = np.linspace(0.0, p_hi, 2001)
    values = curve(grid)
    best = int(np.argmax(values))
    lo, hi = float(grid[max(best - 1, 0)]), float(grid[min(best + 1, grid.size - 1)])
    best_p, best_v = float(grid[best]), float(values[best])
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    for _ in range(100):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        va, vb = curve(np.array([a, b]))
        for x, v in ((a, float(va)), (b, float(vb))):
            if v > best_v:
                best_p, best_v = x, v
        if va >= vb:
            hi = b
        else:
            lo = a
    return AOQLResult(best_v, best_p)


def producers_risk(
    n: int, ac: int, aql: float, *, lot_size: int | None = None, model: str = "binomial"
) -> float:
    """Producer's risk: probability of rejecting a lot at the AQL (a fraction), 1 - Pa(aql)."""
    return 1.0 - p_accept(n, ac, float(_fractions(aql, "aql")), lot_size=lot_size, model=model)


def consumers_risk(
    n: int, ac: int, ltpd: float, *, lot_size: int | None = None, model: str = "binomial"
) -> float:
    """Consumer's risk: probability of accepting a lot at the LTPD (a fraction), Pa(ltpd)."""
    return p_accept(n, ac, float(_fractions(ltpd, "ltpd")), lot_size=lot_size, model=model)
