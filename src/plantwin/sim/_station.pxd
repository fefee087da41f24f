cimport cython

from plantwin.sim._kernel cimport Kernel, Work
from plantwin.sim._completions cimport Completions
from plantwin.sim._lot cimport Lot, new_lot
from plantwin.sim._node cimport Node
from plantwin.sim._draws cimport Draws

# the event log's names: C variables, not module attributes looked up at every record
cdef object _COMMISSIONED, _COMPONENT_CONSUMED, _FAILURE, _LOT_HELD_ON_LINE, _LOT_PROCESSED, _LOT_PRODUCED
cdef object _LOT_STARTED, _PROCESS_STARTED, _REPAIR_STARTED, _REPAIRED, _SETUP, _LINE, _LOT
cdef tuple _STATE_EVENTS

cdef int NOT_COMMISSIONED, OFF_SHIFT, POWER_OUT, FAILED, WAITING_FOR_CREW, RESTARTING, BLOCKED, CHANGEOVER, STARVED, PRODUCING
cdef int _END_LOT, _END_FAIL, _END_RESTART, _END_CHANGEOVER
cdef int _STATE_END, _REPAIR_END, _CREW_REPAIR_END, _COMMISSION

cdef class Station(Node):
    cdef public Kernel k
    cdef public long index
    cdef public object id
    cdef public list products
    cdef public object product
    cdef public dict _product_index
    cdef public long product_index
    cdef public double eff_rate
    cdef public long lot_size
    cdef public long campaign_lots
    cdef public bint make_to_order
    cdef public Draws _between
    cdef public Draws _repair
    cdef public list _changeover
    cdef public object _next_product
    cdef public object _need
    cdef public double[:] _in_process
    cdef public list out
    cdef public Node inp
    cdef public Completions completions
    cdef public bint commissioned
    cdef public bint failed
    cdef public bint waiting_crew
    cdef public double restart_debt
    cdef public double changeover_left
    cdef public Lot blocked_lot
    cdef public bint _offering
    cdef public bint _pulling
    cdef public Lot lot
    cdef public double lot_done
    cdef public double ttf
    cdef public long campaign_done
    cdef public long lots_started
    cdef public int state
    cdef public double since
    cdef public double idle_since
    cdef public double hours[10]  # by state: LINE_STATES
    cdef public double[:] made_by_index
    cdef public double good
    cdef public double scrap
    cdef public long failures
    cdef public long repairs
    cdef public double restoration_hours
    cdef public double _failed_at
    cdef public object crew
    cdef public Work _repair_work
    cdef public double _repair_hours
    cdef public long _version
    cdef public int _pending
    cdef public object ramp
    cdef public bint on_backup
    cdef public object commissioned_at

    @cython.locals(k=Kernel, now=double, dt=double, st=int, new=int, to_lot=double)
    cpdef update(self, bint force=*)
    cdef int fire(self, int kind, long arg) except -1
    cdef void _end(self, long version) except *
    cpdef _fail(self)
    cpdef crew_arrived(self, bint on_duty)
    cpdef crew_duty(self, bint on)
    cpdef _crew_repaired(self)
    cpdef _repaired(self)
    cpdef power_returned(self, double restart)
    cpdef _finish_lot(self)
    @cython.locals(port=Node)
    cpdef _put(self, Lot lot)
    cpdef Lot held_lot(self)
    cpdef released(self)
    cpdef bint is_idle(self)
    cpdef wake(self)
    cpdef _start_lot(self)
    @cython.locals(changeover=Draws)
    cpdef _setup(self, product, long index)
    @cython.locals(index=long)
    cpdef Lot _new_lot(self, product)

cdef class ProduceStation(Station):
    pass

cdef class ProcessStation(Station):
    cdef public frozenset takes
    cdef public dict processed
    cdef public long lots_done

    cpdef bint wants(self, Lot lot)
    cpdef accept(self, Lot lot)

cdef class AssembleStation(Station):
    cdef public dict bills
    cdef public dict consumed
    cdef public list genealogy
    cdef public list makers

    cpdef _ready(self)
    cpdef bint try_start(self)
    cpdef _assemble(self, product)
