# cython: language_level=3, boundscheck=False, wraparound=False
"""The event log of the compiled engine: the same columns as ``_log.py``, on C arrays. A
record is a double (its time) and seven references (to the strings, shared with the engine,
and to the quantity), stored into arrays grown by doubling; the columns become lists when read."""

from cpython.mem cimport PyMem_Free, PyMem_Realloc
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_XDECREF

from plantwin.sim._records import column_index, rows_of, table_of

__all__ = ["EventLog"]

DEF REFS = 7  # object_type, object_id, event, product, lot, quantity, related


cdef class EventLog:
    """Columnar event records; ``add`` stores a double and seven references."""

    def __cinit__(self):
        self._time = NULL
        self._refs = NULL
        self._n = 0
        self._cap = 0

    def __dealloc__(self):
        cdef Py_ssize_t i
        for i in range(self._n * REFS):
            Py_XDECREF(self._refs[i])
        PyMem_Free(self._time)
        PyMem_Free(self._refs)

    def __reduce__(self):
        return _rebuilt, (self.columns(),)

    cdef void _grow(self) except *:
        cdef Py_ssize_t cap = max(1024, 2 * self._cap)
        time = <double*> PyMem_Realloc(self._time, cap * sizeof(double))
        if time == NULL:
            raise MemoryError()
        self._time = time
        refs = <PyObject**> PyMem_Realloc(self._refs, cap * REFS * sizeof(PyObject*))
        if refs == NULL:
            raise MemoryError()
        self._refs = refs
        self._cap = cap

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
        if self._n == self._cap:
            self._grow()
        self._time[self._n] = time
        cdef PyObject** r = self._refs + self._n * REFS
        r[0] = <PyObject*> object_type
        r[1] = <PyObject*> object_id
        r[2] = <PyObject*> event
        r[3] = <PyObject*> product
        r[4] = <PyObject*> lot_id
        r[5] = <PyObject*> quantity
        r[6] = <PyObject*> related
        for i in range(REFS):
            Py_INCREF(<object> r[i])
        self._n += 1

    def __len__(self):
        return self._n

    cpdef tuple columns(self):
        """The eight columns as lists, in record order."""
        cdef Py_ssize_t i, j
        cdef list col
        times = [self._time[i] for i in range(self._n)]
        cols = [times]
        for j in range(REFS):
            col = [None] * self._n
            for i in range(self._n):
                col[i] = <object> self._refs[i * REFS + j]
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
