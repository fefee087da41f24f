from plantwin.sim._heap cimport Target
from plantwin.sim._lot cimport Lot

cdef class Node(Target):
    cpdef bint offer(self, Lot lot, Node holder)
    cpdef admit(self)
    cpdef Lot held_lot(self)
    cpdef released(self)
    cpdef bint wants(self, Lot lot)
    cpdef accept(self, Lot lot)
