// The persistent thread pool behind parallel_chunks (field/parallel.h):
// every index is covered exactly once, chunk indices stay below
// num_threads() (which set_num_threads changes), nested and concurrent calls
// complete (inline), and a chunk's exception reaches the caller.
#include "field/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace zk {
namespace {

TEST(ParallelChunks, CoversEveryIndexOnceWithChunkIndicesInRange) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{1000}, size_t{1} << 16}) {
    std::vector<std::atomic<int>> hits(n);
    std::atomic<bool> bad_chunk{false};
    parallel_chunks(n, 16, [&](size_t b, size_t e, unsigned k) {
      if (k >= num_threads()) bad_chunk = true;
      for (size_t i = b; i < e; ++i) ++hits[i];
    });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "n=" << n << " i=" << i;
    EXPECT_FALSE(bad_chunk);
  }
}

TEST(ParallelChunks, RepeatedCallsReuseThePool) {
  std::atomic<size_t> total{0};
  for (int rep = 0; rep < 2000; ++rep)
    parallel_chunks(4096, 64, [&](size_t b, size_t e, unsigned) { total += e - b; });
  EXPECT_EQ(total.load(), size_t{2000} * 4096);
}

TEST(ParallelChunks, NestedCallsComplete) {
  std::atomic<size_t> total{0};
  parallel_chunks(1024, 16, [&](size_t b, size_t e, unsigned) {
    for (size_t i = b; i < e; ++i)
      parallel_chunks(256, 16, [&](size_t b2, size_t e2, unsigned) { total += e2 - b2; });
  });
  EXPECT_EQ(total.load(), size_t{1024} * 256);
}

TEST(ParallelChunks, ConcurrentCallersComplete) {
  std::atomic<size_t> total{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      for (int rep = 0; rep < 200; ++rep)
        parallel_chunks(4096, 64, [&](size_t b, size_t e, unsigned) { total += e - b; });
    });
  for (auto& c : callers) c.join();
  EXPECT_EQ(total.load(), size_t{4} * 200 * 4096);
}

TEST(ParallelChunks, FollowsTheThreadCountAsItChanges) {
  for (unsigned t : {1u, 4u, 2u, 3u}) {
    set_num_threads(t);
    std::atomic<unsigned> chunks{0}, max_chunk{0};
    std::atomic<size_t> total{0};
    parallel_chunks(1 << 16, 16, [&](size_t b, size_t e, unsigned k) {
      ++chunks;
      unsigned m = max_chunk.load();
      while (k > m && !max_chunk.compare_exchange_weak(m, k)) {
      }
      total += e - b;
    });
    EXPECT_EQ(total.load(), size_t{1} << 16);
    EXPECT_EQ(chunks.load(), t) << t << " threads";
    EXPECT_EQ(max_chunk.load(), t - 1);
  }
  set_num_threads(0);
  EXPECT_EQ(num_threads(), default_num_threads());
}

TEST(ParallelChunks, AnExceptionReachesTheCallerAndThePoolStaysUsable) {
  EXPECT_THROW(parallel_chunks(1 << 16, 16,
                               [&](size_t b, size_t, unsigned) {
                                 if (b > 0) throw std::runtime_error("chunk failed");
                               }),
               std::runtime_error);
  std::atomic<size_t> total{0};
  parallel_chunks(1 << 16, 16, [&](size_t b, size_t e, unsigned) { total += e - b; });
  EXPECT_EQ(total.load(), size_t{1} << 16);
}

}  // namespace
}  // namespace zk
