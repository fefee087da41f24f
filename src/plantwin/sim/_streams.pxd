from plantwin.sim._draws cimport Draws

cimport cython

ctypedef unsigned long long u64

cdef u64 _MASK, _INIT_A, _MULT_A, _INIT_B, _MULT_B, _MIX_L, _MIX_R
cdef Py_ssize_t _POOL

@cython.locals(v=u64)
cdef u64 _hashmix(u64 value, u64 h, u64 mult) noexcept
@cython.locals(r=u64)
cdef u64 _mixed(u64 x, u64 y) noexcept
@cython.locals(i=Py_ssize_t)
cdef u64 _mix_in(list pool, u64 h, u64 word) except? 0
@cython.locals(pool=list, h=u64, i=Py_ssize_t, src=Py_ssize_t, dst=Py_ssize_t)
cdef tuple _pool(object seed, object replication)
@cython.locals(i=Py_ssize_t, low=u64, high=u64)
cdef list _state(list pool, u64 h, u64 key)

@cython.final
cdef class Streams:
    cdef public object seed
    cdef public object replication
    cdef list _pool
    cdef u64 _hash

    cpdef list words(self, str name)
    cpdef object generator(self, str name)
