cimport cython
from numpy.random cimport bitgen_t
from numpy.random.c_distributions cimport binomial_t

from plantwin.sim._draws cimport Bits

@cython.final
cdef class Counts:
    cdef Bits _bits
    cdef bitgen_t* _bitgen
    cdef binomial_t _binomial

    cpdef long long binomial(self, long long n, double p) except? -1
    cpdef long long hypergeometric(self, long long good, long long bad, long long sample) except? -1
