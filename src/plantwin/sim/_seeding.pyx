# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled twin of ``_seeding.py``: the same hashing on C words (see that module)."""

from libc.stdint cimport uint32_t, uint64_t

__all__ = ["seed_words"]

DEF INIT_A = 0x43B0D7E5
DEF MULT_A = 0x931E8875
DEF INIT_B = 0x8B51F9DD
DEF MULT_B = 0x58F38DED
DEF MIX_MULT_L = 0xCA01F9DD
DEF MIX_MULT_R = 0x4973F715
DEF POOL = 4
DEF MAX_WORDS = 64  # a seed, a replication and a key of up to 2,048 bits together


cdef inline uint32_t _hashmix(uint32_t value, uint32_t* h) noexcept:
    value ^= h[0]
    h[0] *= <uint32_t> MULT_A
    value *= h[0]
    return value ^ (value >> 16)


cdef inline uint32_t _mix(uint32_t x, uint32_t y) noexcept:
    cdef uint32_t result = <uint32_t> MIX_MULT_L * x - <uint32_t> MIX_MULT_R * y
    return result ^ (result >> 16)


cdef int _words(object n, uint32_t* out, int at) except -1:
    """Write the 32-bit words of a non-negative int at ``out[at]``, least significant first
    ([0] for 0); returns the new end."""
    if n == 0:
        out[at] = 0
        return at + 1
    while n > 0:
        if at == MAX_WORDS:
            raise ValueError("seed, replication and stream key too large")
        out[at] = <uint32_t> (n & 0xFFFFFFFF)
        n >>= 32
        at += 1
    return at


cpdef list seed_words(object seed, object replication, object key):
    """The four 64-bit words that PCG64 takes from ``SeedSequence(seed, spawn_key=(replication,
    key)).generate_state(4, np.uint64)``."""
    cdef uint32_t entropy[MAX_WORDS]
    cdef uint32_t pool[POOL]
    cdef uint32_t state[2 * POOL]
    cdef uint32_t h = INIT_A
    cdef uint32_t value
    cdef int n, i, i_src, i_dst
    n = _words(seed, entropy, 0)
    while n < POOL:  # with a spawn key, SeedSequence pads the run entropy to the pool size
        entropy[n] = 0
        n += 1
    n = _words(replication, entropy, n)
    n = _words(key, entropy, n)
    for i in range(POOL):
        pool[i] = _hashmix(entropy[i] if i < n else 0, &h)
    for i_src in range(POOL):
        for i_dst in range(POOL):
            if i_src != i_dst:
                pool[i_dst] = _mix(pool[i_dst], _hashmix(pool[i_src], &h))
    for i_src in range(POOL, n):
        for i_dst in range(POOL):
            pool[i_dst] = _mix(pool[i_dst], _hashmix(entropy[i_src], &h))
    h = INIT_B
    for i in range(2 * POOL):
        value = pool[i % POOL] ^ h
        h *= <uint32_t> MULT_B
        value *= h
        state[i] = value ^ (value >> 16)
    return [(<uint64_t> state[2 * i]) | ((<uint64_t> state[2 * i + 1]) << 32) for i in range(POOL)]
