from cpython.object cimport PyObject

cdef class EventLog:
    cdef double** _times  # blocks of times
    cdef PyObject*** _refs  # blocks of references, seven a record
    cdef Py_ssize_t _n
    cdef Py_ssize_t _blocks
    cdef Py_ssize_t _cap

    cdef void _grow(self) except *
    cpdef void add(self, double time, object object_type, object object_id, object event, object product=*, object lot_id=*, object quantity=*, object related=*) except *
    cpdef tuple columns(self)
