cdef class SwitchingRules:
    cdef public object aql
    cdef public object level
    cdef public object scheme
    cdef public bint switching
    cdef object _state
    cdef object _window
    cdef long _score
    cdef long _accepted_in_a_row
    cdef long _not_accepted_on_tightened

    cpdef record(self, d, lot_plan)
    cpdef _check(self, d, lot_plan)
    cpdef _switch(self, to_state, reason)
    cpdef _on_normal(self, d, bint accepted, lot_plan)
    cpdef long _next_score(self, d, bint accepted, letter) except? -1
    cpdef _on_tightened(self, bint accepted)
    cpdef _on_reduced(self, d, bint accepted, lot_plan)
