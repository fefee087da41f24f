# cython: language_level=3
"""Draws of the compiled engine: one value at a time from the C function that the
distribution's numpy ``Generator`` method calls for scalar parameters (numpy's static
``npyrandom`` library), on the stream's own bit generator, times the distribution's factor.
A distribution without a numpy form (constant, empirical) draws in blocks as ``_draws.py``
does; that module is the interpreted twin."""

from cpython.pycapsule cimport PyCapsule_GetPointer

__all__ = ["Draws"]

cdef extern from "numpy/random/distributions.h":
    double random_exponential(bitgen_t *bitgen_state, double scale) nogil
    double random_lognormal(bitgen_t *bitgen_state, double mean, double sigma) nogil
    double random_gamma(bitgen_t *bitgen_state, double shape, double scale) nogil
    double random_weibull(bitgen_t *bitgen_state, double a) nogil
    double random_uniform(bitgen_t *bitgen_state, double lower, double range) nogil
    double random_triangular(bitgen_t *bitgen_state, double left, double mode, double right) nogil
    double random_beta(bitgen_t *bitgen_state, double a, double b) nogil

cdef enum:
    _UNSTARTED, _BLOCKS, _EXPONENTIAL, _LOGNORMAL, _GAMMA, _WEIBULL, _UNIFORM, _TRIANGULAR, _BETA

_KINDS = {
    "exponential": _EXPONENTIAL,
    "lognormal": _LOGNORMAL,
    "gamma": _GAMMA,
    "weibull": _WEIBULL,
    "uniform": _UNIFORM,
    "triangular": _TRIANGULAR,
    "beta": _BETA,
}
_MAX_BLOCK = 1024


cdef class Draws:
    """An endless supply of draws from one distribution and one stream; the stream's generator
    is made at the first draw (many sources never draw in a run)."""

    def __init__(self, dist, streams, name, Py_ssize_t block):
        self._dist = dist
        self._streams = streams
        self._name = name
        self._rng = None
        self._block = block
        self._buf = []
        self._i = 0
        self._kind = _UNSTARTED
        self._bitgen = NULL

    cdef void _start(self) except *:
        self._rng = self._streams.generator(self._name)
        form = self._dist.numpy_form()
        if form is None or form[0] not in _KINDS:
            self._kind = _BLOCKS
            return
        method, params, factor = form
        self._kind = _KINDS[method]
        self._factor = factor
        if self._kind == _UNIFORM:
            # Generator.uniform(low, high) draws low + (high - low) * u
            self._a, self._b = params[0], params[1] - params[0]
        else:
            self._a = params[0]
            if len(params) > 1:
                self._b = params[1]
            if len(params) > 2:
                self._c = params[2]
        capsule = self._rng.bit_generator.capsule
        self._bitgen = <bitgen_t*> PyCapsule_GetPointer(capsule, "BitGenerator")

    cpdef double next(self) except? -1.0:
        """The next value."""
        cdef double x
        cdef Py_ssize_t i
        if self._kind == _UNSTARTED:
            self._start()
        if self._kind == _EXPONENTIAL:
            x = random_exponential(self._bitgen, self._a)
        elif self._kind == _WEIBULL:
            x = random_weibull(self._bitgen, self._a)
        elif self._kind == _LOGNORMAL:
            x = random_lognormal(self._bitgen, self._a, self._b)
        elif self._kind == _GAMMA:
            x = random_gamma(self._bitgen, self._a, self._b)
        elif self._kind == _UNIFORM:
            x = random_uniform(self._bitgen, self._a, self._b)
        elif self._kind == _TRIANGULAR:
            x = random_triangular(self._bitgen, self._a, self._b, self._c)
        elif self._kind == _BETA:
            x = random_beta(self._bitgen, self._a, self._b)
        else:
            i = self._i
            if i == len(self._buf):
                self._buf = self._dist.sample(self._rng, self._block).tolist()
                self._block = min(2 * self._block, _MAX_BLOCK)
                i = 0
            self._i = i + 1
            return self._buf[i]
        return x if self._factor == 1.0 else self._factor * x
