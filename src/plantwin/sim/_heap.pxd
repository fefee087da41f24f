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

    cdef void _grow(self) except *
    cpdef void push(self, double time, object callback, object arg) except *
    cpdef double first(self) except? -1.0
    cpdef tuple pop(self)
