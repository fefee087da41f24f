cimport cython

cdef class SwitchingRules:
    cdef public object aql
    cdef public object level
    cdef public object scheme
    cdef public bint switching
    cdef object _state
    cdef object _checked
    cdef long _checked_n
    cdef long _checked_ac
    cdef dict _verdicts
    cdef dict _score_cells
    cdef long _window
    cdef long _window_lots
    cdef long _window_rejected
    cdef long _score
    cdef long _accepted_in_a_row
    cdef long _not_accepted_on_tightened

    @cython.locals(count=long)
    cpdef record(self, d, lot_plan)
    cpdef long _check(self, d, lot_plan) except? -1
    cpdef _check_plan(self, lot_plan)
    cpdef _switch(self, to_state, reason)
    cpdef _on_normal(self, long d, bint accepted, lot_plan)
    cpdef long _next_score(self, long d, bint accepted, letter) except? -1
    cpdef tuple _cells_for_score(self, letter)
    cpdef _on_tightened(self, bint accepted)
    @cython.locals(ac=long)
    cpdef _on_reduced(self, long d, bint accepted)
