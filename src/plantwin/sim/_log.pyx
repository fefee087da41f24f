# cython: language_level=3, boundscheck=False, wraparound=False
"""The event log of the compiled engine: the same columns as ``_log.py``, in C blocks. A record
is a double (its time) and seven references (to the strings, shared with the engine, and to
the quantity). Records fill blocks of a fixed size, a new block when one is full: nothing is
ever reallocated and copied (growing one array by doubling copied it whole each time: 3 % of
a plant-year's loop). The columns become lists when read."""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_XDECREF

from plantwin.sim._records import column_index, rows_of, table_of

__all__ = ["EventLog"]

DEF REFS = 7  # object_type, object_id, event, product, lot, quantity, related
DEF SHIFT = 12
DEF BLOCK = 1 << SHIFT  # records a block


cdef class EventLog:
    """Columnar event records; ``add`` stores a double and seven references."""

    def __cinit__(self):
        self._times = NULL
        self._refs = NULL
        self._n = 0
        self._blocks = 0
        self._cap = 0

    def __dealloc__(self):
        cdef Py_ssize_t i, j
        for i in range(self._n):
            for j in range(REFS):
                Py_XDECREF(self._refs[i >> SHIFT][(i & (BLOCK - 1)) * REFS + j])
        for i in range(self._blocks):
            PyMem_Free(self._times[i])
            PyMem_Free(self._refs[i])
        PyMem_Free(self._times)
        PyMem_Free(self._refs)

    def __reduce__(self):
        return _rebuilt, (self.columns(),)

    cdef void _grow(self) except *:
        """One more block (and, when full, twice the room for the blocks' pointers)."""
        cdef Py_ssize_t cap
        if self._blocks == self._cap:
            cap = max(16, 2 * self._cap)
            times = <double**> PyMem_Realloc(self._times, cap * sizeof(double*))
            if times == NULL:
                raise MemoryError()
            self._times = times
            refs = <PyObject***> PyMem_Realloc(self._refs, cap * sizeof(PyObject**))
            if refs == NULL:
                raise MemoryError()
            self._refs = refs
            self._cap = cap
        block_times = <double*> PyMem_Malloc(BLOCK * sizeof(double))
        block_refs = <PyObject**> PyMem_Malloc(BLOCK * REFS * sizeof(PyObject*))
        if block_times == NULL or block_refs == NULL:
            PyMem_Free(block_times)
            PyMem_Free(block_refs)
            raise MemoryError()
        self._times[self._blocks] = block_times
        self._refs[self._blocks] = block_refs
        self._blocks += 1

    cpdef void add(
        self,
        double time,
        object object_type,
        object object_id,
        object event,
        object product="",
        object lot_id="",
        object quantity=0.0,
        object related="",
    ) except *:
        """Append one record."""
        cdef Py_ssize_t block = self._n >> SHIFT
        cdef Py_ssize_t at = self._n & (BLOCK - 1)
        if block == self._blocks:
            self._grow()
        self._times[block][at] = time
        cdef PyObject** r = self._refs[block] + at * REFS
        Py_INCREF(object_type)
        Py_INCREF(object_id)
        Py_INCREF(event)
        Py_INCREF(product)
        Py_INCREF(lot_id)
        Py_INCREF(quantity)
        Py_INCREF(related)
        r[0] = <PyObject*> object_type
        r[1] = <PyObject*> object_id
        r[2] = <PyObject*> event
        r[3] = <PyObject*> product
        r[4] = <PyObject*> lot_id
        r[5] = <PyObject*> quantity
        r[6] = <PyObject*> related
        self._n += 1

    def __len__(self):
        return self._n

    cpdef tuple columns(self):
        """The eight columns as lists, in record order."""
        cdef Py_ssize_t i, j
        cdef list col
        times = [self._times[i >> SHIFT][i & (BLOCK - 1)] for i in range(self._n)]
        cols = [times]
        for j in range(REFS):
            col = [None] * self._n
            for i in range(self._n):
                col[i] = <object> self._refs[i >> SHIFT][(i & (BLOCK - 1)) * REFS + j]
            cols.append(col)
        return tuple(cols)

    def column(self, name):
        """One column as a list."""
        return self.columns()[column_index(name)]

    def rows(self):
        """All records as named tuples (for tests and small logs)."""
        return rows_of(self.columns())

    def to_arrow(self):
        """The log as an Arrow table (strings dictionary-encoded)."""
        return table_of(self.columns())


def _rebuilt(columns):
    """An event log holding ``columns`` (how a pickled log comes back)."""
    log = EventLog()
    for record in zip(*columns):
        log.add(*record)
    return log
