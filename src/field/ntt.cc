#include "field/ntt.h"

#include <bit>
#include <cassert>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace zk {

Fp root_of_unity(unsigned log_n) {
  assert(log_n <= 32);
  // g^((p-1)/2^32) generates the 2^32-th roots; square down to 2^log_n.
  Fp w = kMultiplicativeGenerator.pow((Fp::kModulus - 1) >> 32);
  for (unsigned i = log_n; i < 32; ++i) w *= w;
  return w;
}

namespace {

// Twiddles for each stage, cached per size: stage s (half-length m) uses
// w_{2m}^j for j < m, stored contiguously at offset m.
const std::vector<Fp>& twiddles(size_t n) {
  static std::mutex mu;
  static std::map<size_t, std::unique_ptr<std::vector<Fp>>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<std::vector<Fp>>(n);
    auto& t = *slot;
    for (size_t m = 1; m < n; m <<= 1) {
      Fp w = root_of_unity(std::countr_zero(2 * m));
      Fp x = Fp::one();
      for (size_t j = 0; j < m; ++j) {
        t[m + j] = x;
        x *= w;
      }
    }
  }
  return *slot;
}

}  // namespace

void ntt(Fp* a, size_t n) {
  if (n <= 1) return;
  assert(std::has_single_bit(n));
  unsigned log_n = std::countr_zero(n);
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  (void)log_n;
  const auto& tw = twiddles(n);
  auto stage = [&](size_t m, size_t begin, size_t end) {
    const Fp* w = tw.data() + m;
    for (size_t k = begin; k < end; k += 2 * m) {
      for (size_t j = 0; j < m; ++j) {
        Fp t = w[j] * a[k + j + m];
        Fp u = a[k + j];
        a[k + j] = u + t;
        a[k + j + m] = u - t;
      }
    }
  };
  // The stages whose butterflies stay inside aligned blocks of kBlock
  // entries run block by block while the block is in cache (the same
  // butterflies in another order); the rest sweep the whole array.
  constexpr size_t kBlock = size_t{1} << 14;  // 128 KiB
  const size_t block = std::min(n, kBlock);
  for (size_t base = 0; base < n; base += block)
    for (size_t m = 1; m < block; m <<= 1) stage(m, base, base + block);
  for (size_t m = block; m < n; m <<= 1) stage(m, 0, n);
}

std::vector<Fp> rs_encode(const Fp* msg, size_t len, size_t blowup) {
  std::vector<Fp> out(len * blowup);
  for (size_t i = 0; i < len; ++i) out[i] = msg[i];
  ntt(out);
  return out;
}

}  // namespace zk
