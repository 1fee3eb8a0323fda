#include "hash/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>
#include <stdexcept>

namespace zk {

namespace {
// The SHA-256 implementation fetched once (an implicit fetch per hash costs
// more than the hash of a Merkle node), and a reusable context per thread.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!md) throw std::runtime_error("OpenSSL SHA-256 unavailable");
  return md;
}
EVP_MD_CTX* scratch_ctx() {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           EVP_MD_CTX_free);
  if (!ctx) throw std::runtime_error("OpenSSL SHA-256 init failed");
  return ctx.get();
}
}  // namespace

Digest sha256_concat(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  EVP_MD_CTX* ctx = scratch_ctx();
  Digest d;
  unsigned len = 0;
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx, b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, d.data(), &len) != 1)
    throw std::runtime_error("OpenSSL SHA-256 failed");
  return d;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr) != 1)
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
