#ifndef ROSTER_PLATFORM_H
#define ROSTER_PLATFORM_H

/// Fixes glibc's mmap threshold so that large freed buffers go back to the system instead of staying
/// resident for the rest of the run; a no-op elsewhere. Returns 1 when applied.
int roster_fix_mmap_threshold(int bytes);

/// Asks the processor to start loading the cache line at `address`, for a write soon; a hint that
/// changes no result. Swift has no prefetch of its own.
static inline void roster_prefetch(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
