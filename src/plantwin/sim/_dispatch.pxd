cdef class CampaignRule:
    cpdef next_product(self, line, need)
