cimport cython

from plantwin.sim._kernel cimport Kernel
from plantwin.sim._lot cimport Lot
from plantwin.sim._node cimport Node
from plantwin.sim._station cimport Station

# the event log's names: C variables, not module attributes looked up at every record
cdef object _LOT_STORED, _LOT

cdef class Storage(Node):
    cdef public Kernel k
    cdef public list products
    cdef public double[:] _in_process
    cdef public list makers
    cdef public object ship
    cdef public list waiting
    cdef public double[:] stored_by_index
    cdef public bint _retrying
    cdef public double capacity
    cdef public list lots
    cdef public double taken
    cdef public double[:] stock_by_index
    cdef public double level
    cdef public double min
    cdef public double max
    cdef public double area
    cdef public double _t

    cpdef _move(self, double now, double units)
    cpdef bint offer(self, Lot lot, Node holder)
    @cython.locals(lot=Lot, k=Kernel, maker=Station, holder=Node, product=long, waiting=list, units=double)
    cpdef retry(self)
    cpdef bint fits(self, double units)
    cpdef put(self, double now, long product, Lot lot, double units)
    @cython.locals(have=double, taken=double, q=list, lot=Lot)
    cpdef Lot take_oldest(self, double now, long product, double units)
