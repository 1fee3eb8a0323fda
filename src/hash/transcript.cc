#include "hash/transcript.h"

#include <cstring>
#include <vector>

namespace zk {

namespace {
void put_u64(Sha256& h, uint64_t x) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(x >> (8 * i));
  h.update(b, 8);
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x |= uint64_t{p[i]} << (8 * i);
  return x;
}
}  // namespace

Transcript::Transcript(std::string_view domain) {
  Sha256 h;
  const char kInit[] = "zkinfer-transcript-v1";
  h.update(kInit, sizeof kInit - 1);
  put_u64(h, domain.size());
  h.update(domain.data(), domain.size());
  state_ = h.finish();
}

void Transcript::absorb(std::string_view tag, std::span<const uint8_t> data) {
  Sha256 h;
  h.update(state_.data(), state_.size());
  uint8_t kind = 'A';
  h.update(&kind, 1);
  put_u64(h, tag.size());
  h.update(tag.data(), tag.size());
  put_u64(h, data.size());
  h.update(data);
  state_ = h.finish();
}

void Transcript::absorb_fp(std::string_view tag, std::span<const Fp> xs) {
  std::vector<uint8_t> buf(xs.size() * 8);
  for (size_t i = 0; i < xs.size(); ++i)
    for (int b = 0; b < 8; ++b) buf[8 * i + b] = static_cast<uint8_t>(xs[i].v >> (8 * b));
  absorb(tag, buf);
}

void Transcript::absorb_fp2(std::string_view tag, std::span<const Fp2> xs) {
  std::vector<uint8_t> buf(xs.size() * 16);
  for (size_t i = 0; i < xs.size(); ++i)
    for (int b = 0; b < 8; ++b) {
      buf[16 * i + b] = static_cast<uint8_t>(xs[i].a.v >> (8 * b));
      buf[16 * i + 8 + b] = static_cast<uint8_t>(xs[i].b.v >> (8 * b));
    }
  absorb(tag, buf);
}

Digest Transcript::squeeze(std::string_view tag) {
  Sha256 h;
  h.update(state_.data(), state_.size());
  uint8_t kind = 'S';
  h.update(&kind, 1);
  put_u64(h, tag.size());
  h.update(tag.data(), tag.size());
  state_ = h.finish();
  // Output is a separate hash so the output never equals the next state.
  Sha256 o;
  o.update(state_.data(), state_.size());
  uint8_t out_kind = 'O';
  o.update(&out_kind, 1);
  return o.finish();
}

Fp2 Transcript::challenge_fp2(std::string_view tag) {
  for (;;) {
    Digest d = squeeze(tag);
    uint64_t c[4];
    for (int i = 0; i < 4; ++i) c[i] = get_u64(d.data() + 8 * i);
    // Rejection sampling keeps each coordinate exactly uniform.
    uint64_t picked[2];
    int n = 0;
    for (int i = 0; i < 4 && n < 2; ++i)
      if (c[i] < Fp::kModulus) picked[n++] = c[i];
    if (n == 2) return Fp2(Fp(picked[0]), Fp(picked[1]));
  }
}

uint64_t Transcript::challenge_index(std::string_view tag, uint64_t bound) {
  // Power-of-two bounds (the only ones used) are exactly uniform; others use
  // rejection on the top range.
  for (;;) {
    Digest d = squeeze(tag);
    uint64_t x = get_u64(d.data());
    if ((bound & (bound - 1)) == 0) return x & (bound - 1);
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    if (x < limit) return x % bound;
  }
}

}  // namespace zk
