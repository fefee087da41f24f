cimport cython

from plantwin.sim._counts cimport Counts
from plantwin.sim._inspection cimport Inspection, Plan
from plantwin.sim._kernel cimport Kernel, Work
from plantwin.sim._lot cimport Lot
from plantwin.sim._node cimport Node
from plantwin.sim._station cimport Station
from plantwin.sim._draws cimport Draws

# the event log's names: C variables, not module attributes looked up at every record
cdef object _LOT_ACCEPTED, _LOT_REJECTED, _LOT_SCRAPPED, _OFF_SHIFT, _OPEN, _POWER_OUT, _TEST_STARTED, _INSPECTION, _LOT, _RANGE

cdef class Lane

@cython.final
cdef class Tally:
    cdef public long tested
    cdef public long accepted
    cdef public double sampled
    cdef public double scrapped
    cdef public double defectives_passed
    cdef public list states
    cdef public list state_lots

cdef class TestStation(Node):
    cdef public Kernel k
    cdef public long index
    cdef public object id
    cdef public list lanes
    cdef public long idle_lanes
    cdef public object takes
    cdef public Draws test_time
    cdef public Inspection inspection
    cdef public list defect_fraction
    cdef public list sample_rng
    cdef public Draws resume_after
    cdef public object _on_scrap
    cdef public double[:] _in_process
    cdef public list out
    cdef public Node inp
    cdef public double idle_since
    cdef public bint open
    cdef public bint on_backup
    cdef public object state
    cdef public list products
    cdef public list tallies
    cdef public double first_units
    cdef public double first_passed
    cdef public list makers
    cdef public object hours_by_state
    cdef public object _state_since
    cdef public object switches

    cpdef bint wants(self, Lot lot)
    @cython.locals(lane=Lane, k=Kernel)
    cpdef accept(self, Lot lot)
    cpdef free(self, Lane lane)
    @cython.locals(lane=Lane, k=Kernel)
    cpdef update(self)
    @cython.locals(
        rng=Counts, fraction=Draws, lot=Lot, plan=Plan, maker=Station, defectives=long, d=long, n=long,
        first=bint, port=Node, tally=Tally, i=long, k=Kernel, size=long, p=double, passed=bint,
        state=str, states=list, j=Py_ssize_t,
    )
    cpdef tested_on(self, Lane lane)
    cdef int fire(self, int kind, long arg) except -1

cdef class Lane(Node):
    cdef public TestStation station
    cdef public object id
    cdef public Lot lot
    cdef public Plan plan
    cdef public bint held
    cdef public Work work

    cpdef Lot held_lot(self)
    cpdef released(self)
    cdef int fire(self, int kind, long arg) except -1
