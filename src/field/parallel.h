// Splits [0, n) into contiguous chunks run on the machine's cores. Small
// ranges run inline; fn(begin, end, chunk_index) must be thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace zk {

inline unsigned num_threads() {
  static unsigned n = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  return n;
}

template <typename Fn>
void parallel_chunks(size_t n, size_t min_chunk, Fn&& fn) {
  unsigned t = num_threads();
  if (t <= 1 || n < 2 * min_chunk) {
    fn(size_t{0}, n, 0u);
    return;
  }
  t = static_cast<unsigned>(std::min<size_t>(t, n / min_chunk));
  std::vector<std::thread> pool;
  size_t step = (n + t - 1) / t;
  for (unsigned k = 1; k < t; ++k) {
    size_t b = k * step, e = std::min(n, b + step);
    if (b < e) pool.emplace_back([&fn, b, e, k] { fn(b, e, k); });
  }
  fn(size_t{0}, std::min(n, step), 0u);
  for (auto& th : pool) th.join();
}

}  // namespace zk
