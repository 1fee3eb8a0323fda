// Fiat-Shamir transcript: a SHA-256 hash chain. Every absorbed message is
// tagged and length-prefixed; sampling is separate from absorbing and also
// advances the chain. Not copyable: use clone() when a fork is intended.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "field/goldilocks.h"
#include "hash/sha256.h"

namespace zk {

class Transcript {
 public:
  explicit Transcript(std::string_view domain);
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;
  Transcript(Transcript&&) = default;
  Transcript clone() const { return Transcript(state_, 0); }

  void absorb(std::string_view tag, std::span<const uint8_t> data);
  void absorb_fp(std::string_view tag, std::span<const Fp> xs);
  void absorb_fp2(std::string_view tag, std::span<const Fp2> xs);

  Fp2 challenge_fp2(std::string_view tag);
  // Uniform in [0, bound), bound >= 1.
  uint64_t challenge_index(std::string_view tag, uint64_t bound);
  const Digest& state() const { return state_; }

 private:
  Transcript(const Digest& s, int) : state_(s) {}
  Digest squeeze(std::string_view tag);
  Digest state_;
};

}  // namespace zk
