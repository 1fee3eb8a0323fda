// The SHA-256 forms that do not depend on the implementation (OpenSSL's in
// sha256.cc natively, the portable one in the WebAssembly build).
#include <cstdio>

#include "hash/sha256.h"

namespace zk {

Digest sha256(std::span<const uint8_t> data) { return sha256_concat(data, {}); }

Digest sha256_pair(const Digest& left, const Digest& right) { return sha256_concat(left, right); }

std::string digest_hex(const Digest& d) {
  std::string s;
  char b[3];
  for (auto x : d) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

}  // namespace zk
