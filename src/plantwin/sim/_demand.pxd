cimport cython

from plantwin.sim._heap cimport Target
from plantwin.sim._kernel cimport Kernel
from plantwin.sim._lot cimport Lot
from plantwin.sim._storage cimport Storage

# the event log's names: C variables, not module attributes looked up at every record
cdef object _ORDER_COMPLETED, _ORDER_RELEASED, _SHIPPED, _ORDER

@cython.final
cdef class CustomerOrder:
    cdef public object completed
    cdef public double due
    cdef public object id
    cdef public double on_time
    cdef public object product
    cdef public long quantity
    cdef public double release
    cdef public double remaining

@cython.final
cdef class NetRequirement:
    cdef public dict index
    cdef public double[:] in_process
    cdef public double[:] open_units
    cdef public double[:] stock

cdef class Orders(Target):
    cdef public Kernel k
    cdef public Storage storage
    cdef public object demand_changed
    cdef public list book
    cdef public list products
    cdef public list open
    cdef public double[:] open_units
    cdef public double[:] shipped_by_index

    cdef int fire(self, int kind, long arg) except -1
    @cython.locals(i=long)
    cpdef _release(self, CustomerOrder order)
    @cython.locals(k=Kernel, order=CustomerOrder, storage=Storage, now=double, units=double, queue=list, lot=Lot)
    cpdef ship(self, long product)
