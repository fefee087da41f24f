cimport cython

from plantwin.sampling._switching cimport SwitchingRules as _Rules
from plantwin.sim._inspection cimport Inspection

cdef class _Stream:
    cdef public _Rules rules
    cdef public str state
    cdef public object last
    cdef public object last_size
    cdef public str last_state

cdef class StandardInspection(Inspection):
    cdef dict _streams

    @cython.locals(s=_Stream, rules=_Rules)
    cpdef plan(self, product, lot_size)
    @cython.locals(s=_Stream)
    cpdef record(self, product, plan, defectives)
    @cython.locals(s=_Stream)
    cpdef state(self, product)
    @cython.locals(s=_Stream)
    cpdef resume(self, product)
    @cython.locals(s=_Stream)
    cpdef _switched(self, product, t)
