#ifndef RETORT_SHIMS_H
#define RETORT_SHIMS_H

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE  // O_DIRECT
#endif
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#elif defined(__APPLE__)
#include <malloc/malloc.h>
#endif

/// Asks the CPU to start loading the cache line at `address` (for writing, kept in all cache levels).
/// A hint only: it never faults and has no effect on results.
static inline void retort_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Asks the kernel to back the whole 2 MiB pages inside [start, start + length) with transparent huge pages
/// when they are first touched (`madvise(MADV_HUGEPAGE)`; this system's THP mode is `madvise`). For large
/// tables read at random: one TLB entry then covers 2 MiB instead of 4 KiB. A hint only: no effect on
/// results, nothing where the platform has no such call.
static inline void retort_advise_huge_pages(void *start, size_t length) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t begin = ((uintptr_t)start + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)start + length) & ~(huge - 1);
    if (end > begin) (void)madvise((void *)begin, end - begin, MADV_HUGEPAGE);
#endif
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

/// Turns direct reads on or off for `fd` (`O_DIRECT`: the disk writes straight into the reader's memory, with
/// no copy out of the page cache; offsets, lengths and buffer addresses must then be multiples of the block
/// size). Returns 0 on success, -1 where the platform or the file system has no direct reads.
static inline int retort_set_direct_reads(int fd, int on) {
#if defined(__linux__) && defined(O_DIRECT)
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return -1;
    flags = on ? (flags | O_DIRECT) : (flags & ~O_DIRECT);
    return fcntl(fd, F_SETFL, flags);
#else
    (void)fd;
    (void)on;
    return -1;
#endif
}

#endif
