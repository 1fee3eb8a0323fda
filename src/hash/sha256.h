// SHA-256 through OpenSSL's libcrypto (hardware-accelerated where available);
// the WebAssembly build links the portable implementation (sha256_portable.h)
// behind the same functions instead (web/wasm/sha256_wasm.cc).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace zk {

using Digest = std::array<uint8_t, 32>;

Digest sha256(std::span<const uint8_t> data);
Digest sha256_concat(std::span<const uint8_t> a, std::span<const uint8_t> b);  // sha256(a || b)
Digest sha256_pair(const Digest& left, const Digest& right);
std::string digest_hex(const Digest& d);

// Incremental hashing for multi-part messages.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::span<const uint8_t> data);
  void update(const void* p, size_t n) { update({static_cast<const uint8_t*>(p), n}); }
  Digest finish();

 private:
  void* ctx_;
};

}  // namespace zk
