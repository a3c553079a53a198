#ifndef RETORT_SHIMS_H
#define RETORT_SHIMS_H

#include <stddef.h>
#if defined(__linux__)
#include <malloc.h>
#elif defined(__APPLE__)
#include <malloc/malloc.h>
#endif

/// Asks the CPU to start loading the cache line at `address` (for writing, kept in all cache levels).
/// A hint only: it never faults and has no effect on results.
static inline void retort_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Hands memory that malloc holds free (in every thread's arena) back to the system; returns whether any
/// was. A hint only: no effect on results.
static inline int retort_release_free_memory(void) {
#if defined(__linux__) && defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

/// Usable bytes of a block returned by malloc (diagnostics only; 0 where the platform cannot tell).
static inline size_t retort_malloc_usable_size(void *block) {
#if defined(__linux__)
    return malloc_usable_size(block);
#elif defined(__APPLE__)
    return malloc_size(block);
#else
    return 0;
#endif
}

#endif
