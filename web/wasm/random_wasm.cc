// The WebAssembly build verifies only: the prover's randomness (hash/random.h,
// OpenSSL's CSPRNG and ChaCha20 in src/hash/random.cc) is not linked, and
// drawing any fails. The verifier never draws: its challenges come from the
// transcript.
#include <stdexcept>

#include "hash/random.h"

namespace zk {

Prng::Prng() { refill(); }
void Prng::refill() {
  throw std::runtime_error("the WebAssembly verifier has no prover randomness");
}
Digest Prng::next_digest() {
  refill();
  return {};
}
Fp Prng::next_fp() {
  refill();
  return {};
}

}  // namespace zk
