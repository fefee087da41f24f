# cython: language_level=3, boundscheck=False, wraparound=False
"""The event heap of the compiled engine: the same order as ``_heap.py`` (time, then the order
of scheduling), on C arrays. An entry holds its time, its sequence number and the slot of its
callback and argument in two lists, so sifting moves 24-byte structs and compares doubles."""

from cpython.mem cimport PyMem_Free, PyMem_Realloc

__all__ = ["Heap"]


cdef inline bint _before(Entry* a, Entry* b) noexcept nogil:
    return a.time < b.time or (a.time == b.time and a.seq < b.seq)


cdef class Heap:
    """Pending callbacks; ``pop`` gives the earliest, ties first scheduled first."""

    def __cinit__(self):
        self._entries = NULL
        self._free = NULL
        self._n = 0
        self._cap = 0
        self._nfree = 0
        self._seq = 0
        self._callbacks = []
        self._args = []

    def __dealloc__(self):
        PyMem_Free(self._entries)
        PyMem_Free(self._free)

    def __len__(self):
        return self._n

    cdef void _grow(self) except *:
        cdef Py_ssize_t cap = max(64, 2 * self._cap)
        entries = <Entry*> PyMem_Realloc(self._entries, cap * sizeof(Entry))
        if entries == NULL:
            raise MemoryError()
        self._entries = entries
        free = <Py_ssize_t*> PyMem_Realloc(self._free, cap * sizeof(Py_ssize_t))
        if free == NULL:
            raise MemoryError()
        self._free = free
        self._cap = cap

    cpdef void push(self, double time, object callback, object arg) except *:
        """Schedule ``callback(arg)`` at ``time``."""
        cdef Py_ssize_t slot, i, parent
        cdef Entry e
        if self._n == self._cap:
            self._grow()
        if self._nfree:
            self._nfree -= 1
            slot = self._free[self._nfree]
            self._callbacks[slot] = callback
            self._args[slot] = arg
        else:
            slot = len(self._callbacks)
            self._callbacks.append(callback)
            self._args.append(arg)
        self._seq += 1
        e.time = time
        e.seq = self._seq
        e.slot = slot
        i = self._n
        self._n += 1
        while i > 0:
            parent = (i - 1) >> 1
            if not _before(&e, &self._entries[parent]):
                break
            self._entries[i] = self._entries[parent]
            i = parent
        self._entries[i] = e

    cpdef double first(self) except? -1.0:
        """The earliest time pending."""
        if self._n == 0:
            raise IndexError("first of an empty heap")
        return self._entries[0].time

    cpdef tuple pop(self):
        """Remove the earliest entry: (time, callback, arg)."""
        if self._n == 0:
            raise IndexError("pop from an empty heap")
        cdef Entry top = self._entries[0]
        cdef Entry last
        cdef Py_ssize_t i = 0, child, n
        self._n -= 1
        n = self._n
        if n:
            last = self._entries[n]
            while True:
                child = 2 * i + 1
                if child >= n:
                    break
                if child + 1 < n and _before(&self._entries[child + 1], &self._entries[child]):
                    child += 1
                if not _before(&self._entries[child], &last):
                    break
                self._entries[i] = self._entries[child]
                i = child
            self._entries[i] = last
        out = (top.time, self._callbacks[top.slot], self._args[top.slot])
        self._callbacks[top.slot] = None
        self._args[top.slot] = None
        self._free[self._nfree] = top.slot
        self._nfree += 1
        return out
