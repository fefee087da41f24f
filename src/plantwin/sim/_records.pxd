cdef class EventLog:
    cdef public list _time
    cdef public list _object_type
    cdef public list _object_id
    cdef public list _event
    cdef public list _product
    cdef public list _lot
    cdef public list _quantity
    cdef public list _related
    cdef public tuple _cols

    cpdef void add(self, double time, object object_type, object object_id, object event, object product=*, object lot_id=*, object quantity=*, object related=*)
