cdef class Inspection:
    cpdef plan(self, long product, lot_size)
    cpdef record(self, long product, plan, defectives)
    cpdef state(self, long product)
    cpdef resume(self, long product)

cdef class FixedInspection(Inspection):
    cdef object _n
    cdef object _ac
    cdef object _re
