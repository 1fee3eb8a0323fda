// Prover randomness: the ChaCha20 keystream (OpenSSL) keyed by a 32-byte
// seed drawn from the operating system's CSPRNG (RAND_bytes) or, for
// commitments that must be reproducible from a secret and for tests, given.
#pragma once

#include <cstdint>
#include <vector>

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
  void refill();
  Digest seed_;
  uint64_t block_ = 0;  // keystream blocks of kChunk bytes produced so far
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
};

}  // namespace zk
