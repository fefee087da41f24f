from plantwin.sim._kernel cimport Kernel

cdef class TestStation:
    cdef public Kernel k
    cdef public long index
    cdef public object id
    cdef public list lanes
    cdef public long idle_lanes
    cdef public object takes
    cdef public object test_time
    cdef public object inspection
    cdef public object defect_fraction
    cdef public object sample_rng
    cdef public object resume_after
    cdef public object _on_scrap
    cdef public object _in_process
    cdef public object out
    cdef public object inp
    cdef public double idle_since
    cdef public bint open
    cdef public bint on_backup
    cdef public object state
    cdef public object tested
    cdef public object accepted
    cdef public object sampled
    cdef public object scrapped
    cdef public object defectives_passed
    cdef public object lots_by_state
    cdef public object hours_by_state
    cdef public object _state_since
    cdef public object switches
    cdef dict __dict__
