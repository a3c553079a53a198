#ifndef RETORT_SHIMS_H
#define RETORT_SHIMS_H

/// Asks the CPU to start loading the cache line at `address` (for writing, kept in all cache levels).
/// A hint only: it never faults and has no effect on results.
static inline void retort_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
