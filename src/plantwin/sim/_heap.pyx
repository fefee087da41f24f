# cython: language_level=3, boundscheck=False, wraparound=False
"""The event heap of the compiled engine: the same order as ``_heap.py`` (time, then the order
of scheduling), on C arrays. An entry holds its time, its sequence number, its kind and
argument, and the slot of its target in a list (which keeps the targets alive and visible to
the cycle collector), so sifting moves small structs and compares doubles, and a pop makes no
object: the loop reads the popped event's fields and calls its target's ``fire`` through C.

What is scheduled before the first pop (a run's set-up lays out its shifts, grid cuts, crews'
duty and order releases: most of a run's events) is not sifted in: it is sorted once, at the
first pop, into a run that is read front to back beside a heap that holds only what the run
schedules as it goes, so the heap stays small. Either side gives the earlier of its first entry
by (time, sequence number): the very same order as one heap. The sort merges the ascending
runs the set-up wrote (each kind of event is laid out in time order, so there are a few long
ones): a few linear passes, where the C library's sort, comparing through a pointer to a
function, cost a twentieth of the event loop."""

from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.object cimport Py_TYPE, PyTypeObject
from libc.string cimport memcpy

__all__ = ["Heap", "Target", "release"]


cdef inline bint _before(Entry* a, Entry* b) noexcept nogil:
    return a.time < b.time or (a.time == b.time and a.seq < b.seq)


cdef inline Py_ssize_t _run_end(Entry* a, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """The end of the ascending run of ``a`` that starts at ``i`` (sequence numbers are unique:
    no two entries compare equal)."""
    i += 1
    while i < n and _before(&a[i - 1], &a[i]):
        i += 1
    return i


cdef void _merge(
    Entry* src, Py_ssize_t lo, Py_ssize_t mid, Py_ssize_t hi, Entry* dst
) noexcept nogil:
    """Merge the sorted ``src[lo:mid]`` and ``src[mid:hi]`` into ``dst[lo:hi]``."""
    cdef Py_ssize_t i = lo, j = mid, k = lo
    while i < mid and j < hi:
        if _before(&src[j], &src[i]):
            dst[k] = src[j]
            j += 1
        else:
            dst[k] = src[i]
            i += 1
        k += 1
    if i < mid:
        memcpy(&dst[k], &src[i], (mid - i) * sizeof(Entry))
    elif j < hi:
        memcpy(&dst[k], &src[j], (hi - j) * sizeof(Entry))


cdef class Target:
    """What an event fires: a subclass implements ``fire`` for the kinds it schedules."""

    cdef int fire(self, int kind, long arg) except -1:
        """The event ``kind`` scheduled with ``arg`` is due."""
        raise NotImplementedError


cdef class Heap:
    """Pending events; ``pop`` gives the earliest, ties first scheduled first."""

    def __cinit__(self):
        self._entries = NULL
        self._free = NULL
        self._early = NULL
        self._n_early = 0
        self._next_early = 0
        self._cap_early = 0
        self._cap_free = 0
        self._sorted = False
        self._n = 0
        self._cap = 0
        self._nfree = 0
        self._seq = 0
        self._targets = []
        self.time = 0.0
        self.kind = 0
        self.arg = 0

    def __dealloc__(self):
        PyMem_Free(self._entries)
        PyMem_Free(self._free)
        PyMem_Free(self._early)

    def __len__(self):
        return self._n + self._n_early - self._next_early

    cdef void _grow(self) except *:
        cdef Py_ssize_t cap = max(64, 2 * self._cap)
        entries = <Entry*> PyMem_Realloc(self._entries, cap * sizeof(Entry))
        if entries == NULL:
            raise MemoryError()
        self._entries = entries
        self._cap = cap

    cdef void _grow_early(self) except *:
        cdef Py_ssize_t cap = max(64, 2 * self._cap_early)
        early = <Entry*> PyMem_Realloc(self._early, cap * sizeof(Entry))
        if early == NULL:
            raise MemoryError()
        self._early = early
        self._cap_early = cap

    cdef void _sort(self) except *:
        """Sort what was scheduled before the first pop; from now on, pushes go to the heap.

        A natural merge sort: each pass merges neighbouring ascending runs in pairs."""
        cdef Py_ssize_t n = self._n_early, lo, mid, hi, runs
        cdef Entry* src = self._early
        cdef Entry* dst
        cdef Entry* swap
        self._sorted = True
        if n < 2 or _run_end(src, 0, n) == n:
            return
        dst = <Entry*> PyMem_Malloc(n * sizeof(Entry))
        if dst == NULL:
            raise MemoryError()
        runs = 0
        while runs != 1:
            runs = 0
            lo = 0
            while lo < n:
                mid = _run_end(src, lo, n)
                hi = _run_end(src, mid, n) if mid < n else n
                _merge(src, lo, mid, hi, dst)
                runs += 1
                lo = hi
            swap = src
            src = dst
            dst = swap
        PyMem_Free(dst)
        self._early = src
        self._cap_early = n

    cpdef int push(self, double time, Target target, int kind, long arg) except -1:
        """Schedule ``target.fire(kind, arg)`` at ``time``."""
        cdef Py_ssize_t slot, i, parent, cap
        cdef Entry e
        if self._sorted and self._n == self._cap:
            self._grow()
        elif not self._sorted and self._n_early == self._cap_early:
            self._grow_early()
        if self._nfree:
            self._nfree -= 1
            slot = self._free[self._nfree]
            self._targets[slot] = target
        else:
            slot = len(self._targets)
            if slot == self._cap_free:  # room to free every slot: a pop never allocates
                cap = max(64, 2 * self._cap_free)
                free = <Py_ssize_t*> PyMem_Realloc(self._free, cap * sizeof(Py_ssize_t))
                if free == NULL:
                    raise MemoryError()
                self._free = free
                self._cap_free = cap
            self._targets.append(target)
        self._seq += 1
        e.time = time
        e.seq = self._seq
        e.kind = kind
        e.arg = arg
        e.slot = slot
        if not self._sorted:
            self._early[self._n_early] = e
            self._n_early += 1
            return 0
        i = self._n
        self._n += 1
        while i > 0:
            parent = (i - 1) >> 1
            if not _before(&e, &self._entries[parent]):
                break
            self._entries[i] = self._entries[parent]
            i = parent
        self._entries[i] = e
        return 0

    cdef Entry* _head(self) noexcept:
        """The earliest entry pending (NULL if none): the early run's or the heap's; the early
        entries are sorted by then."""
        if self._next_early == self._n_early:
            return &self._entries[0] if self._n else NULL
        if self._n and _before(&self._entries[0], &self._early[self._next_early]):
            return &self._entries[0]
        return &self._early[self._next_early]

    cpdef Target pop(self, double until):
        """Remove the earliest event if it is due before ``until`` and return its target
        (``time``, ``kind`` and ``arg`` are then the event's); None if no event is."""
        if not self._sorted:
            self._sort()
        cdef Entry* head = self._head()
        if head == NULL or not head.time < until:
            return None
        cdef Entry top = head[0]
        cdef Entry last
        cdef Py_ssize_t i = 0, child, n
        if head != &self._entries[0]:  # the early run's (the heap's is never NULL: see _head)
            self._next_early += 1
        else:
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
        self.time = top.time
        self.kind = top.kind
        self.arg = top.arg
        # the slot is free again; its target stays in it until a push reuses it
        self._free[self._nfree] = top.slot
        self._nfree += 1
        return <Target> self._targets[top.slot]


def release(objects):
    """Clear the references each of ``objects`` holds (what the cycle collector does to
    garbage it has found: its type's ``tp_clear``), so that reference counting frees a
    finished run's nodes, which point at one another and at the kernel, at once."""
    cdef PyTypeObject* t
    for o in objects:
        t = Py_TYPE(o)
        if t.tp_clear != NULL:
            t.tp_clear(o)
