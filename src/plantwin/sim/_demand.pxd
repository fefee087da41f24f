cimport cython

from plantwin.sim._heap cimport Target
from plantwin.sim._kernel cimport Kernel
from plantwin.sim._storage cimport Storage

cdef class CustomerOrder:
    cdef public object completed
    cdef public double due
    cdef public object id
    cdef public double on_time
    cdef public object product
    cdef public long quantity
    cdef public double release
    cdef public double remaining

cdef class NetRequirement:
    cdef public dict in_process
    cdef public dict open_units
    cdef public dict stock

cdef class Orders(Target):
    cdef public Kernel k
    cdef public Storage storage
    cdef public object demand_changed
    cdef public list book
    cdef public dict open
    cdef public dict open_units
    cdef public dict shipped

    cdef void fire(self, int kind, long arg) except *
    cpdef _release(self, CustomerOrder order)
    @cython.locals(k=Kernel, order=CustomerOrder, storage=Storage, now=double, units=double)
    cpdef ship(self, product)
