cdef class Inspection:
    cpdef plan(self, product, lot_size)
    cpdef record(self, product, plan, defectives)
    cpdef state(self, product)
    cpdef resume(self, product)

cdef class FixedInspection(Inspection):
    cdef object _n
    cdef object _ac
    cdef object _re
