#include "platform.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc systems, which the check below needs
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int roster_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_THRESHOLD, bytes);
#else
  (void)bytes;
  return 0;
#endif
}
