cimport cython
from cpython.object cimport PyObject

cdef struct Record:
    double time
    double quantity
    PyObject* refs[6]  # object_type, object_id, event, product, lot, related

@cython.final
cdef class EventLog:
    cdef Record** _blocks  # blocks of records
    cdef Py_ssize_t _n
    cdef Py_ssize_t _nblocks
    cdef Py_ssize_t _cap

    cdef void _grow(self) except *
    cpdef int add(self, double time, object object_type, object object_id, object event, object product=*, object lot_id=*, double quantity=*, object related=*) except -1
    cpdef tuple columns(self)
