cdef class Lot:
    cdef public object counted
    cdef public double defect_factor
    cdef public long defectives
    cdef public object id
    cdef public double made_at
    cdef public long maker
    cdef public object product
    cdef public long product_index
    cdef public object size
    cdef public object units
