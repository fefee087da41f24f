cimport cython

from plantwin.sampling._switching cimport SwitchingRules as _Rules
from plantwin.sim._inspection cimport Inspection, Plan

@cython.final
cdef class _Stream:
    cdef public _Rules rules
    cdef public str state
    cdef public object last
    cdef public long last_size
    cdef public str last_state

cdef class StandardInspection(Inspection):
    cdef list _products
    cdef list _streams

    @cython.locals(s=_Stream, rules=_Rules)
    cpdef plan(self, long product, long lot_size)
    @cython.locals(s=_Stream)
    cpdef record(self, long product, Plan plan, defectives)
    @cython.locals(s=_Stream)
    cpdef state(self, long product)
    @cython.locals(s=_Stream)
    cpdef resume(self, long product)
    @cython.locals(s=_Stream)
    cpdef _switched(self, long product, t)
