"""Distributions as small scenario tables, e.g. ``{dist = "lognormal", mean = 1.5, cv = 1.0}``.

Every distribution here has non-negative support: scenarios use them for durations, gaps and
fractions. Each knows its mean (for analytic checks) and draws arrays from a numpy Generator.
Parameters are bounded so that no draw overflows and none degenerates (a gamma of cv 100 draws
exactly 0 most of the time): cv from ``MIN_CV`` to ``MAX_CV``, Weibull shape from
``MIN_WEIBULL_SHAPE``.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Self

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from plantwin.scenario._base import Model

__all__ = [
    "DIST_CLASSES",
    "DIST_NAMES",
    "MAX_CV",
    "MIN_CV",
    "MIN_WEIBULL_SHAPE",
    "Beta",
    "Constant",
    "Distribution",
    "DistributionBase",
    "Empirical",
    "Exponential",
    "Gamma",
    "Lognormal",
    "Triangular",
    "Uniform",
    "Weibull",
]

Floats = NDArray[np.float64]
NonNeg = Annotated[float, Field(ge=0)]
Pos = Annotated[float, Field(gt=0)]

MIN_CV = 1e-6
MAX_CV = 10.0
MIN_WEIBULL_SHAPE = 0.1
Cv = Annotated[
    float,
    Field(
        ge=MIN_CV, le=MAX_CV,
        description=f"coefficient of variation, {MIN_CV:g} to {MAX_CV:g} (below: use constant)",
    ),
]  # fmt: skip


class DistributionBase(Model):
    """What every distribution offers: draws, its mean and the top of its support."""

    def sample(self, rng: np.random.Generator, size: int) -> Floats:
        """Draw ``size`` independent values."""
        form = self.numpy_form()
        if form is None:
            raise NotImplementedError
        method, params, factor = form
        values: Floats = getattr(rng, method)(*params, size)
        return values if factor == 1.0 else factor * values

    def numpy_form(self) -> tuple[str, tuple[float, ...], float] | None:
        """How ``sample`` draws: the numpy ``Generator`` method, its parameters and a factor
        each value is multiplied by (None: it draws otherwise). The compiled engine draws one
        value at a time with the C function that method calls, so from these same numbers."""
        return None

    def expectation(self) -> float:
        """The distribution's expected value (used by analytic checks and summaries)."""
        raise NotImplementedError

    @property
    def upper(self) -> float:
        """The upper end of the support (``inf`` when unbounded)."""
        return math.inf


class Constant(DistributionBase):
    """Always ``value``."""

    dist: Literal["constant"] = "constant"
    value: NonNeg

    def sample(self, rng: np.random.Generator, size: int) -> Floats:
        return np.full(size, self.value)

    def expectation(self) -> float:
        return self.value

    @property
    def upper(self) -> float:
        return self.value


class Exponential(DistributionBase):
    """Exponential with the given mean (memoryless gaps, e.g. time between failures)."""

    dist: Literal["exponential"] = "exponential"
    mean: Pos

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        return "exponential", (self.mean,), 1.0

    def expectation(self) -> float:
        return self.mean


class Lognormal(DistributionBase):
    """Lognormal given by its own mean and coefficient of variation (not those of the log)."""

    dist: Literal["lognormal"] = "lognormal"
    mean: Pos
    cv: Cv

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        s2 = math.log1p(self.cv**2)
        return "lognormal", (math.log(self.mean) - s2 / 2, math.sqrt(s2)), 1.0

    def expectation(self) -> float:
        return self.mean


class Gamma(DistributionBase):
    """Gamma given by mean and coefficient of variation."""

    dist: Literal["gamma"] = "gamma"
    mean: Pos
    cv: Cv

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        return "gamma", (1 / self.cv**2, self.mean * self.cv**2), 1.0

    def expectation(self) -> float:
        return self.mean


class Weibull(DistributionBase):
    """Weibull with ``shape`` k and ``scale`` (wear-out failures have k > 1)."""

    dist: Literal["weibull"] = "weibull"
    shape: float = Field(
        ge=MIN_WEIBULL_SHAPE,
        description=f"k, at least {MIN_WEIBULL_SHAPE:g} (smaller draws nearly all 0 or huge)",
    )
    scale: Pos

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        return "weibull", (self.shape,), self.scale

    def expectation(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)


class Uniform(DistributionBase):
    """Uniform on [low, high]."""

    dist: Literal["uniform"] = "uniform"
    low: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must not be below low ({self.low})")
        return self

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        return "uniform", (self.low, self.high), 1.0

    def expectation(self) -> float:
        return (self.low + self.high) / 2

    @property
    def upper(self) -> float:
        return self.high


class Triangular(DistributionBase):
    """Triangular on [low, high] with peak at ``mode``."""

    dist: Literal["triangular"] = "triangular"
    low: NonNeg
    mode: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(
                f"need low <= mode <= high and low < high, got {self.low}, {self.mode}, {self.high}"
            )
        return self

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        return "triangular", (self.low, self.mode, self.high), 1.0

    def expectation(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def upper(self) -> float:
        return self.high


class Beta(DistributionBase):
    """Beta on [0, 1], given either by ``mean`` and ``cv`` or by its shapes ``a`` and ``b``."""

    dist: Literal["beta"] = "beta"
    mean: float | None = Field(default=None, gt=0, lt=1)
    cv: Cv | None = None
    a: float | None = Field(default=None, gt=0)
    b: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        moments = (self.mean, self.cv)
        shapes = (self.a, self.b)
        by_moments = None not in moments
        by_shapes = None not in shapes
        stray = any(x is not None for x in (shapes if by_moments else moments))
        if by_moments == by_shapes or stray:
            raise ValueError("give either mean and cv, or a and b (not both forms)")
        if by_moments:
            m, cv = self.mean, self.cv
            assert m is not None and cv is not None
            limit = math.sqrt((1 - m) / m)
            if cv >= limit:
                raise ValueError(f"cv {cv} is too large for mean {m}: it must be below {limit:.4g}")
            if not all(math.isfinite(x) for x in self.shapes()):
                raise ValueError(
                    f"mean {m} and cv {cv} give shapes beyond floating point; use a larger cv"
                )
        return self

    def shapes(self) -> tuple[float, float]:
        """The shape parameters (a, b)."""
        if self.a is not None and self.b is not None:
            return self.a, self.b
        m, cv = self.mean, self.cv
        assert m is not None and cv is not None
        k = (1 - m) / m / cv**2 - 1  # in this order a tiny mean gives inf, never a 0 divisor
        return m * k, (1 - m) * k

    def numpy_form(self) -> tuple[str, tuple[float, ...], float]:
        return "beta", self.shapes(), 1.0

    def expectation(self) -> float:
        a, b = self.shapes()
        return a / (a + b)

    @property
    def upper(self) -> float:
        return 1.0


class Empirical(DistributionBase):
    """Draws from observed ``values``, with optional ``weights`` (relative frequencies)."""

    dist: Literal["empirical"] = "empirical"
    values: list[NonNeg] = Field(min_length=1)
    weights: list[Pos] | None = None

    @model_validator(mode="after")
    def _same_length(self) -> Self:
        if self.weights is not None and len(self.weights) != len(self.values):
            raise ValueError(
                f"weights has {len(self.weights)} entries but values has {len(self.values)}"
            )
        return self

    def _p(self) -> Floats | None:
        if self.weights is None:
            return None
        w = np.asarray(self.weights, dtype=np.float64)
        out: Floats = w / w.sum()
        return out

    def sample(self, rng: np.random.Generator, size: int) -> Floats:
        return rng.choice(np.asarray(self.values, dtype=float), size=size, p=self._p())

    def expectation(self) -> float:
        p = self._p()
        v = np.asarray(self.values, dtype=float)
        return float(v.mean() if p is None else v @ p)

    @property
    def upper(self) -> float:
        return max(self.values)


Distribution = Annotated[
    Constant | Exponential | Lognormal | Gamma | Weibull | Uniform | Triangular | Beta | Empirical,
    Field(discriminator="dist"),
]

DIST_CLASSES: dict[str, type[DistributionBase]] = {
    cls.model_fields["dist"].default: cls
    for cls in (
        Constant,
        Exponential,
        Lognormal,
        Gamma,
        Weibull,
        Uniform,
        Triangular,
        Beta,
        Empirical,
    )
}

DIST_NAMES = tuple(DIST_CLASSES)
