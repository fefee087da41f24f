cdef class Draws:
    cdef object _dist
    cdef object _streams
    cdef object _name
    cdef object _rng
    cdef Py_ssize_t _block
    cdef list _buf
    cdef Py_ssize_t _i

    cpdef double next(self) except? -1.0
