cimport cython

from plantwin.sim._heap cimport Heap, Target
from plantwin.sim._log cimport EventLog

cdef class Call(Target):
    cdef object _callback
    cdef object _arg

    cdef int fire(self, int kind, long arg) except -1

@cython.final
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

    cpdef int log(self, double time, object object_type, object object_id, object event, object product=*, object lot_id=*, double quantity=*, object related=*) except -1
    cpdef void schedule(self, double time, object callback, object arg) except *
    cpdef int fire_at(self, double time, Target target, int kind, long arg) except -1
    @cython.locals(n=long, left=long, heap=Heap, target=Target)
    cpdef run_until(self, double until)

cdef class Work(Target):
    cdef public Kernel _k
    cdef public Target _owner
    cdef public int _kind
    cdef public double left
    cdef public bint running
    cdef public double since
    cdef public long version

    cpdef void start(self, double hours, bint running) except *
    cpdef void run(self, bint on) except *
    cdef int fire(self, int kind, long arg) except -1
