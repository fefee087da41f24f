cimport cython
from libc.stdint cimport uint32_t, uint64_t
from numpy.random cimport bitgen_t

cdef extern from *:
    """
    #ifndef PLANTWIN_PCG64_DEFINED
    #define PLANTWIN_PCG64_DEFINED
    /* a PCG64 state in 64-bit halves: a 128-bit field would need an alignment that an
       object's memory need not have */
    typedef struct {
        uint64_t state_high, state_low, inc_high, inc_low;
        int has_uint32;
        uint32_t uinteger;
    } plantwin_pcg64;
    #endif
    """
    ctypedef struct plantwin_pcg64:
        int has_uint32

@cython.final
cdef class Bits:
    cdef plantwin_pcg64 _state
    cdef bitgen_t bitgen

@cython.final
cdef class Draws:
    cdef object _dist
    cdef object _streams
    cdef object _name
    cdef object _rng
    cdef Bits _bits
    cdef Py_ssize_t _block
    cdef list _buf
    cdef Py_ssize_t _i
    cdef int _kind
    cdef bitgen_t* _bitgen
    cdef double _a, _b, _c, _factor

    cdef void _start(self) except *
    cpdef double next(self) except? -1.0
