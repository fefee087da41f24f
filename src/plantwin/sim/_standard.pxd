cimport cython

from plantwin.sampling._switching cimport SwitchingRules as _Rules

cdef class StandardInspection:
    cdef dict _rules
    cdef dict _state
    cdef dict _plans

    cpdef plan(self, product, lot_size)
    @cython.locals(rules=_Rules)
    cpdef record(self, product, plan, defectives)
    cpdef state(self, product)
    cpdef resume(self, product)
    cpdef _switched(self, product, t)
