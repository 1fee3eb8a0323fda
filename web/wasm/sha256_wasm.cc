// zk's SHA-256 functions (hash/sha256.h) on the portable implementation: the
// WebAssembly build links this file in place of src/hash/sha256.cc, which
// needs OpenSSL.
#include "hash/sha256.h"
#include "hash/sha256_portable.h"

namespace zk {

Digest sha256_concat(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return portable::sha256_concat(a, b);
}

Sha256::Sha256() : ctx_(new portable::Sha256) {}
Sha256::~Sha256() { delete static_cast<portable::Sha256*>(ctx_); }
void Sha256::update(std::span<const uint8_t> data) {
  static_cast<portable::Sha256*>(ctx_)->update(data);
}
Digest Sha256::finish() { return static_cast<portable::Sha256*>(ctx_)->finish(); }

}  // namespace zk
