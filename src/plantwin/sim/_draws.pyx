# cython: language_level=3
"""Draws of the compiled engine: one value at a time from the C function that the
distribution's numpy ``Generator`` method calls for scalar parameters (numpy's static
``npyrandom`` library), times the distribution's factor, on the stream's bits: numpy's PCG64
in C (``Bits``), seeded with the words numpy's would be. A constant draws nothing; an empirical
distribution draws in blocks from a numpy ``Generator`` of the stream, as ``_draws.py`` does;
that module is the interpreted twin."""

from libc.stdint cimport uint32_t, uint64_t

from plantwin.scenario import Constant

__all__ = ["Bits", "Draws"]

cdef extern from *:
    """
    /* numpy's PCG64 (XSL-RR 128/64, numpy/random/src/pcg64/pcg64.h): its stream is fixed by
       numpy's compatibility policy, so these are the numbers numpy's PCG64 gives */
    #if !defined(__SIZEOF_INT128__)
    #error "plantwin's compiled engine needs a compiler with 128-bit integers"
    #endif
    #define PLANTWIN_PCG64_MULTIPLIER \
        (((__uint128_t)2549297995355413924ULL << 64) + 4865540595714422341ULL)

    static inline __uint128_t plantwin_u128(uint64_t high, uint64_t low) {
        return ((__uint128_t)high << 64) + low;
    }

    static inline void plantwin_pcg64_step(plantwin_pcg64 *s) {
        __uint128_t state = plantwin_u128(s->state_high, s->state_low);
        state = state * PLANTWIN_PCG64_MULTIPLIER + plantwin_u128(s->inc_high, s->inc_low);
        s->state_high = (uint64_t)(state >> 64);
        s->state_low = (uint64_t)state;
    }

    static uint64_t plantwin_pcg64_next64(void *st) {
        plantwin_pcg64 *s = (plantwin_pcg64 *)st;
        plantwin_pcg64_step(s);
        uint64_t value = s->state_high ^ s->state_low;
        unsigned int rot = (unsigned int)(s->state_high >> 58);
        return (value >> rot) | (value << ((-rot) & 63));
    }

    static uint32_t plantwin_pcg64_next32(void *st) {
        plantwin_pcg64 *s = (plantwin_pcg64 *)st;
        uint64_t next;
        if (s->has_uint32) {
            s->has_uint32 = 0;
            return s->uinteger;
        }
        next = plantwin_pcg64_next64(st);
        s->has_uint32 = 1;
        s->uinteger = (uint32_t)(next >> 32);
        return (uint32_t)(next & 0xffffffff);
    }

    static double plantwin_pcg64_next_double(void *st) {
        return (plantwin_pcg64_next64(st) >> 11) * (1.0 / 9007199254740992.0);
    }

    /* pcg64_set_seed: state words (w0 w1), increment words (w2 w3), high first */
    static void plantwin_pcg64_seed(plantwin_pcg64 *s, uint64_t w0, uint64_t w1,
                                    uint64_t w2, uint64_t w3) {
        __uint128_t inc = (plantwin_u128(w2, w3) << 1) | 1u;
        __uint128_t state;
        s->inc_high = (uint64_t)(inc >> 64);
        s->inc_low = (uint64_t)inc;
        s->state_high = 0;
        s->state_low = 0;
        plantwin_pcg64_step(s);
        state = plantwin_u128(s->state_high, s->state_low) + plantwin_u128(w0, w1);
        s->state_high = (uint64_t)(state >> 64);
        s->state_low = (uint64_t)state;
        plantwin_pcg64_step(s);
        s->has_uint32 = 0;
        s->uinteger = 0;
    }
    """
    uint64_t plantwin_pcg64_next64(void *st) noexcept nogil
    uint32_t plantwin_pcg64_next32(void *st) noexcept nogil
    double plantwin_pcg64_next_double(void *st) noexcept nogil
    void plantwin_pcg64_seed(plantwin_pcg64 *s, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3) noexcept nogil

cdef extern from "numpy/random/distributions.h":
    double random_exponential(bitgen_t *bitgen_state, double scale) nogil
    double random_lognormal(bitgen_t *bitgen_state, double mean, double sigma) nogil
    double random_gamma(bitgen_t *bitgen_state, double shape, double scale) nogil
    double random_weibull(bitgen_t *bitgen_state, double a) nogil
    double random_uniform(bitgen_t *bitgen_state, double lower, double range) nogil
    double random_triangular(bitgen_t *bitgen_state, double left, double mode, double right) nogil
    double random_beta(bitgen_t *bitgen_state, double a, double b) nogil

cdef enum:
    _UNSTARTED, _BLOCKS, _CONSTANT, _EXPONENTIAL, _LOGNORMAL, _GAMMA, _WEIBULL, _UNIFORM, _TRIANGULAR, _BETA

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


cdef class Bits:
    """A stream's bits for numpy's C distributions: numpy's PCG64 seeded with ``words`` (the
    four 64-bit words numpy's PCG64 takes from its seed sequence), made in C. numpy's own costs
    some 45,000 instructions to make, and a run makes a few dozen."""

    def __cinit__(self, words):
        plantwin_pcg64_seed(&self._state, words[0], words[1], words[2], words[3])
        self.bitgen.state = &self._state
        self.bitgen.next_uint64 = plantwin_pcg64_next64
        self.bitgen.next_uint32 = plantwin_pcg64_next32
        self.bitgen.next_double = plantwin_pcg64_next_double
        self.bitgen.next_raw = plantwin_pcg64_next64

    def random_raw(self, Py_ssize_t n):
        """The next ``n`` raw 64-bit values (``PCG64.random_raw``), for tests."""
        return [plantwin_pcg64_next64(&self._state) for _ in range(n)]

    def next32(self, Py_ssize_t n):
        """The next ``n`` 32-bit values as numpy's bit generators hand them out, for tests."""
        return [plantwin_pcg64_next32(&self._state) for _ in range(n)]


cdef class Draws:
    """An endless supply of draws from one distribution and one stream; the stream's bits (or
    generator) are made at the first draw (many sources never draw in a run)."""

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
        form = self._dist.numpy_form()
        if form is None or form[0] not in _KINDS:
            if isinstance(self._dist, Constant):  # its value: it draws nothing
                self._kind = _CONSTANT
                self._a = self._dist.value
            else:
                self._kind = _BLOCKS
                self._rng = self._streams.generator(self._name)
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
        self._bits = Bits(self._streams.words(self._name))
        self._bitgen = &self._bits.bitgen

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
        elif self._kind == _CONSTANT:
            return self._a
        else:
            i = self._i
            if i == len(self._buf):
                self._buf = self._dist.sample(self._rng, self._block).tolist()
                self._block = min(2 * self._block, _MAX_BLOCK)
                i = 0
            self._i = i + 1
            return self._buf[i]
        return x if self._factor == 1.0 else self._factor * x
