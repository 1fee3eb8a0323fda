// Splits [0, n) into contiguous chunks run on the machine's cores, on one
// persistent pool of threads (started at first use) rather than threads
// spawned per call. Small ranges run inline; fn(begin, end, chunk_index) must
// be thread-safe; chunk_index < num_threads(). A call made while the pool is
// busy (from inside a chunk, or from another thread) runs its chunks inline,
// in order, so nesting never deadlocks and results never depend on timing.
// The chunk boundaries depend on the thread count; callers that reduce per
// chunk combine the partial results in chunk order (field sums are exact, so
// a proof does not depend on the thread count either).
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <utility>

namespace zk {

// The threads parallel work uses (the calling thread included): by default
// the ZKINFER_THREADS environment variable when it is set (a positive
// integer), else all the machine's cores.
unsigned num_threads();
// Sets the thread count for later parallel work (0: back to the default
// above); the pool grows as needed. Call it between pieces of work (e.g.
// before proving), not from inside a chunk. Throws std::invalid_argument
// above kMaxThreads.
constexpr unsigned kMaxThreads = 256;
void set_num_threads(unsigned n);
// The default thread count: ZKINFER_THREADS when set, else the cores.
unsigned default_num_threads();

// Runs task(k) for every k in [0, tasks) on the pool and the calling thread;
// returns when all are done (rethrowing the first exception a task threw).
void run_on_pool(unsigned tasks, const std::function<void(unsigned)>& task);

// parallel_chunks over at most `threads` chunks (for callers that size
// per-chunk state by a thread count read once).
template <typename Fn>
void parallel_chunks_on(unsigned threads, size_t n, size_t min_chunk, Fn&& fn) {
  unsigned t = threads;
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

template <typename Fn>
void parallel_chunks(size_t n, size_t min_chunk, Fn&& fn) {
  parallel_chunks_on(num_threads(), n, min_chunk, std::forward<Fn>(fn));
}

}  // namespace zk
