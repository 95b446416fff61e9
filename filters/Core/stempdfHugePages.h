#ifndef stempdfHugePages_h
#define stempdfHugePages_h

#include <cstddef>

namespace stempdf
{
/** Asks the kernel to back a large, not yet touched buffer with transparent
 * huge pages (Linux madvise MADV_HUGEPAGE on the 2 MiB-aligned part of it).
 *
 * Writing a fresh buffer costs a page fault per 4 KiB page: about 0.9 s per
 * GiB on this project's machines, more than the work that fills it. With
 * huge pages there is one fault per 2 MiB. NumPy does the same for its large
 * arrays. Call it after allocating and before the first write; it changes
 * nothing else, and does nothing for buffers under 4 MiB, on systems where
 * transparent huge pages are off ("never"), or off Linux.
 */
void
AdviseHugePages(void * buffer, std::size_t bytes);

/** Allocates an ITK image's buffer (not initialised) and advises huge pages for it. */
template <typename TImage>
void
AllocateWithHugePages(TImage * image)
{
  image->Allocate();
  AdviseHugePages(image->GetBufferPointer(),
                  image->GetPixelContainer()->Size() * sizeof(typename TImage::InternalPixelType));
}
} // namespace stempdf

#endif
