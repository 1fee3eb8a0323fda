#include "hash/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdio>
#include <stdexcept>

namespace zk {

Digest sha256(std::span<const uint8_t> data) {
  Digest d;
  SHA256(data.data(), data.size(), d.data());
  return d;
}

Digest sha256_pair(const Digest& left, const Digest& right) {
  uint8_t buf[64];
  std::copy(left.begin(), left.end(), buf);
  std::copy(right.begin(), right.end(), buf + 32);
  Digest d;
  SHA256(buf, 64, d.data());
  return d;
}

std::string digest_hex(const Digest& d) {
  std::string s;
  char b[3];
  for (auto x : d) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-256 init failed");
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256::update(std::span<const uint8_t> data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}
Digest Sha256::finish() {
  Digest d;
  unsigned len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), d.data(), &len);
  return d;
}

}  // namespace zk
