cimport cython


@cython.final
cdef class Lot:
    cdef object _id
    cdef public long counted
    cdef public double defect_factor
    cdef public long defectives
    cdef public double made_at
    cdef public long maker
    cdef public object maker_id
    cdef public long number
    cdef public object product
    cdef public long product_index
    cdef public long size
    cdef public double in_storage
    cdef public long units

    cpdef ident(self)

@cython.locals(lot=Lot)
cpdef Lot new_lot(maker_id, long number, product, long product_index, long size, long maker)
