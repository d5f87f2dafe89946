#ifndef ROSTER_PLATFORM_H
#define ROSTER_PLATFORM_H

/// Fixes glibc's mmap threshold so that large freed buffers go back to the system instead of staying
/// resident for the rest of the run; a no-op elsewhere. Returns 1 when applied.
int roster_fix_mmap_threshold(int bytes);

#endif
