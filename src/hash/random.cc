#include "hash/random.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace zk {

namespace {
constexpr size_t kChunk = 4096;
}

Prng::Prng() {
  if (RAND_bytes(seed_.data(), static_cast<int>(seed_.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed: no randomness for the prover");
}

void Prng::refill() {
  // ChaCha20 with the seed as key and the chunk index as nonce/counter: chunk
  // b is the keystream at block offset b * kChunk / 64.
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  uint8_t iv[16] = {};
  uint64_t counter = block_ * (kChunk / 64);
  std::memcpy(iv, &counter, 4);  // 32-bit block counter (little-endian) ...
  uint32_t hi = static_cast<uint32_t>(counter >> 32);
  std::memcpy(iv + 4, &hi, 4);  // ... and the nonce carries the rest
  buf_.assign(kChunk, 0);
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, seed_.data(), iv) != 1 ||
      EVP_EncryptUpdate(ctx.get(), buf_.data(), &len, buf_.data(), static_cast<int>(kChunk)) != 1 ||
      len != static_cast<int>(kChunk))
    throw std::runtime_error("OpenSSL ChaCha20 failed: no randomness for the prover");
  ++block_;
  pos_ = 0;
}

Digest Prng::next_digest() {
  Digest d;
  for (auto& b : d) {
    if (pos_ == buf_.size()) refill();
    b = buf_[pos_++];
  }
  return d;
}

Fp Prng::next_fp() {
  for (;;) {
    if (buf_.size() - pos_ < 8) refill();
    uint64_t x = 0;
    std::memcpy(&x, buf_.data() + pos_, 8);
    pos_ += 8;
    if (x < Fp::kModulus) return Fp(x);  // exact uniformity by rejection
  }
}

}  // namespace zk
