cdef struct Entry:
    double time
    long long seq
    Py_ssize_t slot

cdef class Heap:
    cdef Entry* _entries
    cdef Py_ssize_t _n
    cdef Py_ssize_t _cap
    cdef long long _seq
    cdef list _callbacks
    cdef list _args
    cdef Py_ssize_t* _free
    cdef Py_ssize_t _nfree
    cdef Entry* _early
    cdef Py_ssize_t _n_early
    cdef Py_ssize_t _next_early
    cdef Py_ssize_t _cap_early
    cdef Py_ssize_t _cap_free
    cdef bint _sorted

    cdef void _grow(self) except *
    cdef void _grow_early(self) except *
    cdef void _sort(self) noexcept
    cdef Entry* _head(self) noexcept
    cdef tuple _take(self, Entry top)
    cpdef void push(self, double time, object callback, object arg) except *
    cpdef double first(self) except? -1.0
    cpdef tuple pop(self)
