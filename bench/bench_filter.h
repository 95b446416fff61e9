#ifndef bench_filter_h
#define bench_filter_h

// How the filter benchmarks set up and time an ITK filter: on Threads work
// units, updated again (its outputs and what it keeps between runs reused),
// or a new filter every time.
#include "bench_scan.h"

#include <benchmark/benchmark.h>

#include <cstdint>

namespace stempdf_bench
{
/** A new TFilter on `input` (an image or its smart pointer), running on
 *  Threads work units. */
template <typename TFilter, typename TInput>
typename TFilter::Pointer
NewFilter(const TInput & input)
{
  auto filter = TFilter::New();
  filter->SetInput(input);
  filter->SetNumberOfWorkUnits(Threads);
  return filter;
}

/** The buffer of a filter's first output. */
struct OutputBuffer
{
  template <typename TFilterPointer>
  auto
  operator()(const TFilterPointer & filter) const
  {
    return filter->GetOutput()->GetBufferPointer();
  }
};

/** Every iteration updates `filter` again (Modified(), Update()); `items`
 *  per iteration; buffer(filter) is kept from being optimised away. */
template <typename TFilterPointer, typename TBuffer = OutputBuffer>
void
TimeUpdates(benchmark::State & state, const TFilterPointer & filter, std::int64_t items, TBuffer buffer = {})
{
  for (auto _ : state)
  {
    filter->Modified();
    filter->Update();
    benchmark::DoNotOptimize(buffer(filter));
  }
  state.SetItemsProcessed(state.iterations() * items);
}

/** Every iteration makes a new filter with makeFilter() and updates it;
 *  `items` per iteration; buffer(filter) is kept from being optimised away. */
template <typename TMakeFilter, typename TBuffer = OutputBuffer>
void
TimeNewFilters(benchmark::State & state, TMakeFilter makeFilter, std::int64_t items, TBuffer buffer = {})
{
  for (auto _ : state)
  {
    auto filter = makeFilter();
    filter->Update();
    benchmark::DoNotOptimize(buffer(filter));
  }
  state.SetItemsProcessed(state.iterations() * items);
}
} // namespace stempdf_bench

#endif
