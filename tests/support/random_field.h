// Uniform field elements for tests, from a seeded generator.
#pragma once

#include <random>
#include <vector>

#include "field/goldilocks.h"
#include "poly/mle.h"

namespace zk::testing {

inline Fp RandomFp(std::mt19937_64& rng) {
  for (;;) {
    uint64_t x = rng();
    if (x < Fp::kModulus) return Fp(x);  // rejection keeps it uniform
  }
}

inline Fp2 RandomFp2(std::mt19937_64& rng) { return Fp2(RandomFp(rng), RandomFp(rng)); }

inline std::vector<Fp> RandomValues(std::mt19937_64& rng, size_t n) {
  std::vector<Fp> v(n);
  for (auto& x : v) x = RandomFp(rng);
  return v;
}

inline Point RandomPoint(std::mt19937_64& rng, size_t m) {
  Point r(m);
  for (auto& x : r) x = RandomFp2(rng);
  return r;
}

}  // namespace zk::testing
