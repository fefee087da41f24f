cimport cython

from plantwin.sim._heap cimport Heap
from plantwin.sim._log cimport EventLog

cdef class Kernel:
    cdef public double horizon
    cdef public long max_events
    cdef public double now
    cdef public long events
    cdef public bint working
    cdef public bint powered
    cdef public bint backup_on
    cdef public Heap _heap
    cdef public EventLog event_log

    cpdef void log(self, double time, object object_type, object object_id, object event, object product=*, object lot_id=*, object quantity=*, object related=*)
    cpdef void schedule(self, double time, object callback, object arg)
    @cython.locals(t=double, n=long, left=long, heap=Heap)
    cpdef run_until(self, double until)

cdef class Work:
    cdef public Kernel _k
    cdef public object _done
    cdef public double left
    cdef public bint running
    cdef public double since
    cdef public long version
