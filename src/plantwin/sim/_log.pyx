# cython: language_level=3, boundscheck=False, wraparound=False
"""The event log of the compiled engine: the same columns as ``_log.py``, in C blocks. A record
is a C struct of two doubles (its time and quantity) and six references (to the strings, shared
with the engine). Records fill blocks of a fixed size, a new block when one is full: nothing is
ever reallocated and copied (growing one array by doubling copied it whole each time: 3 % of
a plant-year's loop). The columns become lists when read."""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_XDECREF

from plantwin.sim._records import column_index, rows_of, table_of

__all__ = ["EventLog"]

DEF SHIFT = 12
DEF BLOCK = 1 << SHIFT  # records a block
# the references of a record, by column: object_type, object_id, event, product, lot, related
cdef Py_ssize_t[6] COLUMN = [1, 2, 3, 4, 5, 7]

# blocks of logs gone, kept for the next logs (with the GIL: no lock): freed, a block went back
# to the system, and the next run's log paid a page fault every 4 KiB filling it again (95
# faults every other plant-year of maracay, about 0.3 ms of its 2 ms on this VM)
DEF POOL = 16  # blocks, 4 MiB
cdef Record* _pool[POOL]
cdef int _pooled = 0


cdef Record* _new_block() noexcept:
    global _pooled
    if _pooled:
        _pooled -= 1
        return _pool[_pooled]
    return <Record*> PyMem_Malloc(BLOCK * sizeof(Record))


cdef void _free_block(Record* block) noexcept:
    global _pooled
    if _pooled < POOL:
        _pool[_pooled] = block
        _pooled += 1
    else:
        PyMem_Free(block)


cdef class EventLog:
    """Columnar event records; ``add`` stores two doubles and six references."""

    def __cinit__(self):
        self._blocks = NULL
        self._n = 0
        self._nblocks = 0
        self._cap = 0

    def __dealloc__(self):
        cdef Py_ssize_t i, j
        cdef Record* r
        for i in range(self._n):
            r = &self._blocks[i >> SHIFT][i & (BLOCK - 1)]
            for j in range(6):
                Py_XDECREF(r.refs[j])
        for i in range(self._nblocks):
            _free_block(self._blocks[i])
        PyMem_Free(self._blocks)

    def __reduce__(self):
        return _rebuilt, (self.columns(),)

    cdef void _grow(self) except *:
        """One more block (and, when full, twice the room for the blocks' pointers)."""
        cdef Py_ssize_t cap
        if self._nblocks == self._cap:
            cap = max(16, 2 * self._cap)
            blocks = <Record**> PyMem_Realloc(self._blocks, cap * sizeof(Record*))
            if blocks == NULL:
                raise MemoryError()
            self._blocks = blocks
            self._cap = cap
        block = _new_block()
        if block == NULL:
            raise MemoryError()
        self._blocks[self._nblocks] = block
        self._nblocks += 1

    cpdef int add(
        self,
        double time,
        object object_type,
        object object_id,
        object event,
        object product="",
        object lot_id="",
        double quantity=0.0,
        object related="",
    ) except -1:
        """Append one record."""
        cdef Py_ssize_t block = self._n >> SHIFT
        if block == self._nblocks:
            self._grow()
        cdef Record* r = &self._blocks[block][self._n & (BLOCK - 1)]
        r.time = time
        r.quantity = quantity
        Py_INCREF(object_type)
        Py_INCREF(object_id)
        Py_INCREF(event)
        Py_INCREF(product)
        Py_INCREF(lot_id)
        Py_INCREF(related)
        r.refs[0] = <PyObject*> object_type
        r.refs[1] = <PyObject*> object_id
        r.refs[2] = <PyObject*> event
        r.refs[3] = <PyObject*> product
        r.refs[4] = <PyObject*> lot_id
        r.refs[5] = <PyObject*> related
        self._n += 1
        return 0

    def __len__(self):
        return self._n

    cpdef tuple columns(self):
        """The eight columns as lists, in record order."""
        cdef Py_ssize_t i, j
        cdef list col
        cdef Record* r
        times = [self._blocks[i >> SHIFT][i & (BLOCK - 1)].time for i in range(self._n)]
        quantities = [self._blocks[i >> SHIFT][i & (BLOCK - 1)].quantity for i in range(self._n)]
        cols = [times, None, None, None, None, None, quantities, None]
        for j in range(6):
            col = [None] * self._n
            for i in range(self._n):
                r = &self._blocks[i >> SHIFT][i & (BLOCK - 1)]
                col[i] = <object> r.refs[j]
            cols[COLUMN[j]] = col
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
