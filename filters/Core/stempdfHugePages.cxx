#include "stempdfHugePages.h"

#include <cstdint>

#if defined(__linux__)
#  include <sys/mman.h>
#endif

namespace stempdf
{
void
AdviseHugePages(void * buffer, std::size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t hugePage = std::uintptr_t{ 2 } << 20;
  if (buffer == nullptr || bytes < 2 * hugePage)
  {
    return;
  }
  const auto begin = (reinterpret_cast<std::uintptr_t>(buffer) + hugePage - 1) & ~(hugePage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(buffer) + bytes) & ~(hugePage - 1);
  if (end > begin)
  {
    // Advice only: a kernel without transparent huge pages refuses it, and
    // the buffer works the same.
    (void)madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)buffer;
  (void)bytes;
#endif
}
} // namespace stempdf
