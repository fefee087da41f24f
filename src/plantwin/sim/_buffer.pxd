from plantwin.sim._kernel cimport Kernel

cdef class Buffer:
    cdef public Kernel k
    cdef public object id
    cdef public object cap_lots
    cdef public object cap_units
    cdef public object lots
    cdef public object units
    cdef public double level
    cdef public object waiting
    cdef public list readers
    cdef public list assemblers
    cdef public bint per_product
    cdef public object count
    cdef public double area_lots
    cdef public long max_lots
    cdef public double _t
