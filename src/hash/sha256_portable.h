// SHA-256 (FIPS 180-4) in portable C++, for builds without OpenSSL: the
// WebAssembly verifier hashes with it (web/wasm/sha256_wasm.cc); the native
// build hashes with OpenSSL (sha256.cc), and tests check that the two agree.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace zk::portable {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const uint8_t> data);
  std::array<uint8_t, 32> finish();  // the state is spent: construct a new one to hash again

 private:
  void compress(const uint8_t* block);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t buf_len_ = 0;
  uint64_t total_ = 0;  // bytes hashed
};

// sha256(a || b)
std::array<uint8_t, 32> sha256_concat(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace zk::portable
