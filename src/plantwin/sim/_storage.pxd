from plantwin.sim._kernel cimport Kernel

cdef class Storage:
    cdef public Kernel k
    cdef public object _in_process
    cdef public object makers
    cdef public object ship
    cdef public object waiting
    cdef public object stored
    cdef public bint _retrying
    cdef public double capacity
    cdef public object slices
    cdef public object stock
    cdef public double level
    cdef public double min
    cdef public double max
    cdef public double area
    cdef public double _t
