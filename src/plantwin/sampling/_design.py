"""Design of a single sampling plan from two points of the OC curve (producer's and consumer's).

Searches exactly (no normal approximation): the smallest sample size ``n`` for which some
acceptance number meets both risks, then the smallest such ``Ac``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from plantwin.sampling._oc import Model, _cdf_over_k, _count, _model
from plantwin.sampling._tables import SamplingError

__all__ = ["PlanDesign", "design_plan"]


class PlanDesign(NamedTuple):
    """A designed single sampling plan: sample size and acceptance number (Re = ac + 1)."""

    n: int
    ac: int


def _check_probability(value: float, name: str) -> float:
    number = float(value)
    if not 0.0 < number < 1.0:
        raise SamplingError(f"{name}={value!r} is invalid; allowed: a probability in (0, 1)")
    return number


def design_plan(
    aql: float,
    alpha: float,
    ltpd: float,
    beta: float,
    model: str = "binomial",
    *,
    lot_size: int | None = None,
    max_n: int = 100_000,
) -> PlanDesign:
    """Return the smallest (n, Ac) with Pa(aql) >= 1 - alpha and Pa(ltpd) <= beta.

    ``aql`` and ``ltpd`` are fractions nonconforming (0.01 = 1 %), with 0 < aql < ltpd < 1;
    ``alpha`` is the producer's risk, ``beta`` the consumer's. Among plans of the smallest
    feasible ``n`` the smallest ``Ac`` is returned. The "hypergeometric" model needs
    ``lot_size`` and limits ``n`` to it. Raises :class:`SamplingError` when no plan with
    ``n <= max_n`` exists.
    """
    kind = _model(model)
    p_good = float(aql)
    p_bad = float(ltpd)
    if not (math.isfinite(p_good) and math.isfinite(p_bad) and 0.0 < p_good < p_bad < 1.0):
        raise SamplingError(
            f"aql={aql!r}, ltpd={ltpd!r} are invalid; allowed: fractions with "
            "0 < aql < ltpd < 1 (0.01 = 1 %)"
        )
    risk_a = _check_probability(alpha, "alpha")
    risk_b = _check_probability(beta, "beta")
    limit = _count(max_n, "max_n", 1)
    lot = None if lot_size is None else _count(lot_size, "lot_size", 1)
    if kind == "hypergeometric":
        if lot is None:
            raise SamplingError("lot_size is required (model 'hypergeometric'); allowed: integers")
        limit = min(limit, lot)
    quality = np.array([p_good, p_bad])
    for n in range(1, limit + 1):
        found = _best_ac(n, quality, risk_a, risk_b, kind, lot)
        if found is not None:
            return PlanDesign(n, found)
    raise SamplingError(
        f"no plan with n <= {limit} meets aql={p_good}, alpha={risk_a}, ltpd={p_bad}, "
        f"beta={risk_b}; allowed: a wider gap between aql and ltpd, or a larger max_n"
    )


def _best_ac(
    n: int,
    quality: NDArray[np.float64],
    alpha: float,
    beta: float,
    kind: Model,
    lot_size: int | None,
) -> int | None:
    """Smallest Ac meeting both risks at sample size ``n``, or None.

    Pa(ltpd) grows with Ac, so only Ac below the first one with Pa(ltpd) > beta can qualify;
    the CDF is computed up to a few standard deviations past n * ltpd and extended if needed.
    """
    bounded = kind != "poisson"
    mean = n * float(quality[1])
    spread = 10.0 * math.sqrt(mean) + 10.0
    kmax = math.ceil(mean + spread)
    while True:
        if bounded:
            kmax = min(kmax, n)
        cdf = _cdf_over_k(n, kmax, quality, kind, lot_size)
        if cdf[-1, 1] > beta or (bounded and kmax == n):
            break
        kmax *= 2
    good = np.flatnonzero(cdf[:, 0] >= 1.0 - alpha)
    if good.size == 0:
        return None
    ac = int(good[0])
    return ac if cdf[ac, 1] <= beta else None
