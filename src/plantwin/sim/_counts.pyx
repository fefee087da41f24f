# cython: language_level=3
"""Random counts of a lot's defectives for the compiled engine: numpy's own C distribution
functions (``random_binomial``, ``random_hypergeometric``, from numpy's static ``npyrandom``
library), as ``Generator.binomial`` and ``Generator.hypergeometric`` call them for scalars, on
the stream's bits (``_draws.Bits``: numpy's PCG64 in C); ``_counts.py`` is the interpreted
twin."""

from libc.stdint cimport int64_t
from libc.string cimport memset

__all__ = ["Counts"]


cdef extern from "numpy/random/distributions.h":
    int64_t random_binomial(bitgen_t *bitgen_state, double p, int64_t n, binomial_t *binomial) nogil
    int64_t random_hypergeometric(bitgen_t *bitgen_state, int64_t good, int64_t bad, int64_t sample) nogil


cdef class Counts:
    """Binomial and hypergeometric draws from the stream of source ``name``."""

    def __init__(self, streams, name):
        self._bits = Bits(streams.words(name))  # keeps the bits (and their state) alive
        self._bitgen = &self._bits.bitgen
        memset(&self._binomial, 0, sizeof(binomial_t))

    cpdef long long binomial(self, long long n, double p) except? -1:
        """Successes in ``n`` trials of probability ``p``."""
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p < 0, p > 1 or p is NaN: {p}")
        if n < 0:
            raise ValueError(f"n < 0: {n}")
        return random_binomial(self._bitgen, p, n, &self._binomial)

    cpdef long long hypergeometric(self, long long good, long long bad, long long sample) except? -1:
        """Good items among ``sample`` drawn without replacement from ``good + bad``."""
        if good < 0 or bad < 0 or sample < 0:
            raise ValueError("ngood, nbad and nsample must be non-negative")
        if good >= 1_000_000_000 or bad >= 1_000_000_000:
            raise ValueError("both ngood and nbad must be less than 1000000000")
        if good + bad < sample:
            raise ValueError("ngood + nbad < nsample")
        return random_hypergeometric(self._bitgen, good, bad, sample)
