from numpy.random cimport bitgen_t

cdef class Draws:
    cdef object _dist
    cdef object _streams
    cdef object _name
    cdef object _rng
    cdef Py_ssize_t _block
    cdef list _buf
    cdef Py_ssize_t _i
    cdef int _kind
    cdef bitgen_t* _bitgen
    cdef double _a, _b, _c, _factor

    cdef void _start(self) except *
    cpdef double next(self) except? -1.0
