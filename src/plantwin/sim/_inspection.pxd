cdef class Plan:
    cdef readonly long n
    cdef readonly long ac
    cdef readonly long re
    cdef readonly str state
    cdef readonly object source

    cpdef tuple _key(self)

cdef class Inspection:
    cpdef plan(self, long product, long lot_size)
    cpdef record(self, long product, Plan plan, defectives)
    cpdef state(self, long product)
    cpdef resume(self, long product)

cdef class FixedInspection(Inspection):
    cdef object _n
    cdef object _ac
    cdef object _re
