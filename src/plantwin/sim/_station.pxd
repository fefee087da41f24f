from plantwin.sim._kernel cimport Kernel

cdef int NOT_COMMISSIONED, OFF_SHIFT, POWER_OUT, FAILED, WAITING_FOR_CREW, RESTARTING, BLOCKED, CHANGEOVER, STARVED, PRODUCING
cdef int _END_LOT, _END_FAIL, _END_RESTART, _END_CHANGEOVER

cdef class Station:
    cdef public Kernel k
    cdef public long index
    cdef public object id
    cdef public object products
    cdef public object product
    cdef public double eff_rate
    cdef public long lot_size
    cdef public long campaign_lots
    cdef public bint make_to_order
    cdef public object _between
    cdef public object _repair
    cdef public object _changeover
    cdef public object _next_product
    cdef public object _need
    cdef public object _in_process
    cdef public object out
    cdef public object inp
    cdef public object completions
    cdef public bint commissioned
    cdef public bint failed
    cdef public bint waiting_crew
    cdef public double restart_debt
    cdef public double changeover_left
    cdef public object blocked_lot
    cdef public bint _offering
    cdef public bint _pulling
    cdef public object lot
    cdef public double lot_done
    cdef public double ttf
    cdef public long campaign_done
    cdef public long lots_started
    cdef public int state
    cdef public double since
    cdef public double idle_since
    cdef public list hours
    cdef public object made
    cdef public double good
    cdef public long failures
    cdef public object crew
    cdef public object _repair_work
    cdef public double _repair_hours
    cdef public long _version
    cdef public int _pending
    cdef public object _log
    cdef public object _schedule
    cdef public object ramp
    cdef public bint on_backup
    cdef public object commissioned_at
    cdef dict __dict__
