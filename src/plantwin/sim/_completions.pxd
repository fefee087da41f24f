cimport cython
from cpython cimport array

@cython.final
cdef class Completions:
    cdef public array.array times
    cdef public array.array units

    cpdef add(self, double time, double units)
