cimport cython

from plantwin.sim._heap cimport Target
from plantwin.sim._kernel cimport Kernel
from plantwin.sim._station cimport Station
from plantwin.sim._tester cimport TestStation

cdef int _BEGIN, _SHIFT, _POWER, _BACKUP_START, _DUTY_ON, _DUTY_OFF, _REPORT

cdef class Simulation(Target):
    cdef public object scenario
    cdef public object network
    cdef public object seed
    cdef public object replication
    cdef public double horizon
    cdef public Kernel kernel
    cdef public object event_log
    cdef public object plant
    cdef public list _stations
    cdef public list _testers
    cdef public list _projects
    cdef public double _restart
    cdef public object _backup
    cdef public object _backup_start_fails
    cdef public long _cut
    cdef public object grid
    cdef public object _progress

    @cython.locals(station=Station)
    cpdef run_until(self, double until)
    cdef int fire(self, int kind, long arg) except -1
    @cython.locals(station=Station, tester=TestStation)
    cpdef _begin(self)
    @cython.locals(tester=TestStation)
    cpdef _changed(self)
    @cython.locals(station=Station)
    cpdef _shift(self, bint on)
    @cython.locals(station=Station, k=Kernel)
    cpdef _power(self, bint on)
    @cython.locals(station=Station, k=Kernel)
    cpdef _backup_start(self, long cut)
