cimport cython
cdef struct Entry:
    double time
    long long seq
    long arg
    int kind
    Py_ssize_t slot

cdef class Target:
    # int, not void (as push, Kernel.fire_at and log, EventLog.add): the caller tests the result
    # for -1 rather than calling PyErr_Occurred() after each call
    cdef int fire(self, int kind, long arg) except -1

@cython.final
cdef class Heap:
    cdef Entry* _entries
    cdef Py_ssize_t _n
    cdef Py_ssize_t _cap
    cdef long long _seq
    cdef list _targets
    cdef Py_ssize_t* _free
    cdef Py_ssize_t _nfree
    cdef Entry* _early
    cdef Py_ssize_t _n_early
    cdef Py_ssize_t _next_early
    cdef Py_ssize_t _cap_early
    cdef Py_ssize_t _cap_free
    cdef bint _sorted
    cdef readonly double time
    cdef readonly int kind
    cdef readonly long arg

    cdef void _grow(self) except *
    cdef void _grow_early(self) except *
    cdef void _sort(self) except *
    cdef Entry* _head(self) noexcept
    cpdef int push(self, double time, Target target, int kind, long arg) except -1
    cpdef Target pop(self, double until)
