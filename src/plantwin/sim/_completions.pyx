# cython: language_level=3
"""The lots of end products as they finish: the compiled engine's twin of ``_completions.py``,
which appends each value in C (``array.append`` is a call by name from C)."""

from array import array as _array

from cpython cimport array

__all__ = ["Completions"]


cdef class Completions:
    """The lots of end products in the order they finished: when (hours) and their units, as
    arrays of doubles that numpy reads without a copy (the KPIs bisect them). A sequence of
    (time, units) pairs."""

    def __init__(self, pairs=()):
        self.times = _array("d")
        self.units = _array("d")
        for time, units in pairs:
            self.add(time, units)

    cpdef add(self, double time, double units):
        """A lot of ``units`` finished at ``time``."""
        cdef Py_ssize_t n = len(self.times)
        array.resize_smart(self.times, n + 1)
        array.resize_smart(self.units, n + 1)
        self.times.data.as_doubles[n] = time
        self.units.data.as_doubles[n] = units

    def copy(self):
        """The completions so far, kept apart from those still to come."""
        out = Completions()
        out.times = _array("d", self.times)
        out.units = _array("d", self.units)
        return out

    def __len__(self):
        return len(self.times)

    def __getitem__(self, i):
        return self.times[i], self.units[i]

    def __iter__(self):
        return zip(self.times, self.units, strict=True)

    def __eq__(self, other):
        if not isinstance(other, Completions):
            return NotImplemented
        return self.times == other.times and self.units == other.units

    def __repr__(self):
        return f"Completions({list(self)!r})"
