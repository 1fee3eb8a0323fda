// Prover randomness: SHA-256 in counter mode, seeded from the operating
// system's CSPRNG (OpenSSL RAND_bytes) or, for tests, from a fixed seed.
#pragma once

#include <cstdint>

#include "field/goldilocks.h"
#include "hash/sha256.h"

namespace zk {

class Prng {
 public:
  Prng();  // fresh seed from the OS
  explicit Prng(const Digest& seed) : seed_(seed) {}
  Fp next_fp();
  Fp2 next_fp2() { return Fp2(next_fp(), next_fp()); }
  Digest next_digest();

 private:
  Digest seed_;
  uint64_t counter_ = 0;
  uint64_t buf_[4] = {};
  int avail_ = 0;
};

}  // namespace zk
