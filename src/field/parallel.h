// Splits [0, n) into contiguous chunks run on the machine's cores, on one
// persistent pool of threads (started at first use) rather than threads
// spawned per call. Small ranges run inline; fn(begin, end, chunk_index) must
// be thread-safe; chunk_index < num_threads(). A call made while the pool is
// busy (from inside a chunk, or from another thread) runs its chunks inline,
// in order, so nesting never deadlocks and results never depend on timing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>

namespace zk {

unsigned num_threads();

// Runs task(k) for every k in [0, tasks) on the pool and the calling thread;
// returns when all are done (rethrowing the first exception a task threw).
void run_on_pool(unsigned tasks, const std::function<void(unsigned)>& task);

template <typename Fn>
void parallel_chunks(size_t n, size_t min_chunk, Fn&& fn) {
  unsigned t = num_threads();
  if (t <= 1 || n < 2 * min_chunk) {
    fn(size_t{0}, n, 0u);
    return;
  }
  t = static_cast<unsigned>(std::min<size_t>(t, n / min_chunk));
  size_t step = (n + t - 1) / t;
  run_on_pool(t, [&fn, n, step](unsigned k) {
    size_t b = k * step, e = std::min(n, b + step);
    if (b < e) fn(b, e, k);
  });
}

}  // namespace zk
