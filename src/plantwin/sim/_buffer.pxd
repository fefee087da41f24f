cimport cython

from plantwin.sim._kernel cimport Kernel
from plantwin.sim._lot cimport Lot
from plantwin.sim._node cimport Node
from plantwin.sim._station cimport AssembleStation

# the event log's names: C variables, not module attributes looked up at every record
cdef object _LOT_QUEUED, _LOT

cdef class Buffer(Node):
    cdef public Kernel k
    cdef public object id
    cdef public object cap_lots
    cdef public object cap_units
    cdef public list products
    cdef public list lots
    cdef public double[:] units
    cdef public double level
    cdef public list waiting
    cdef public list readers
    cdef public list assemblers
    cdef public bint per_product
    cdef public double[:] count
    cdef public double area_lots
    cdef public long max_lots
    cdef public double _t

    @cython.locals(reader=Node)
    cpdef bint offer(self, Lot lot, Node holder)
    @cython.locals(holder=Node)
    cpdef admit(self)
    @cython.locals(station=AssembleStation)
    cpdef bint _assembly_started(self)
    @cython.locals(holder=Node)
    cpdef bint _waiting_for(self, long product)
    @cython.locals(holder=Node, waiting=list)
    cpdef Node _next_waiting(self)
    @cython.locals(lot=Lot)
    cpdef list take_units(self, long product, units)
    cpdef bint _fits(self, Lot lot)
    @cython.locals(k=Kernel)
    cpdef _queue(self, Lot lot)
    cpdef _remove(self, Lot lot)
    cpdef _take(self, Lot lot)
    cpdef _move(self, long lots)
    @cython.locals(lot=Lot, reader=Node, holder=Node)
    cpdef bint _to_readers(self)
