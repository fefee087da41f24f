from plantwin.sim._station cimport Station

# the engine's dispatchers are given its stations: the rule reads their fields in C
cdef class CampaignRule:
    cpdef next_product(self, Station line, need)
