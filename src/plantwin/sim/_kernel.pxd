cdef class Kernel:
    cdef public double horizon
    cdef public long max_events
    cdef public double now
    cdef public long events
    cdef public bint working
    cdef public bint powered
    cdef public bint backup_on
    cdef public list _heap
    cdef public object _seq
    cdef public object event_log
    cdef public object log

cdef class Work:
    cdef public Kernel _k
    cdef public object _done
    cdef public double left
    cdef public bint running
    cdef public double since
    cdef public long version
