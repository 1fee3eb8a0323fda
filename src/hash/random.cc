#include "hash/random.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace zk {

Prng::Prng() {
  if (RAND_bytes(seed_.data(), static_cast<int>(seed_.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed: no randomness for the prover");
}

Digest Prng::next_digest() {
  Sha256 h;
  h.update(seed_.data(), seed_.size());
  h.update(&counter_, sizeof counter_);
  ++counter_;
  return h.finish();
}

Fp Prng::next_fp() {
  for (;;) {
    if (avail_ == 0) {
      Digest d = next_digest();
      for (int k = 0; k < 4; ++k) {
        buf_[k] = 0;
        for (int i = 0; i < 8; ++i) buf_[k] |= uint64_t{d[8 * k + i]} << (8 * i);
      }
      avail_ = 4;
    }
    uint64_t x = buf_[--avail_];
    if (x < Fp::kModulus) return Fp(x);  // exact uniformity by rejection
  }
}

}  // namespace zk
