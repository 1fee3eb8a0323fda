#include "hash/channel.h"

namespace zk {

namespace {
void put_u64(std::vector<uint8_t>& out, uint64_t x) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(x >> (8 * i)));
}
uint64_t get_u64(const uint8_t* p) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x |= uint64_t{p[i]} << (8 * i);
  return x;
}
}  // namespace

void ProverChannel::close_section() {
  if (!sections_.empty()) sections_.back().end = bytes_.size();
}

void ProverChannel::section(std::string label) {
  close_section();
  label_ = label;
  sections_.push_back({std::move(label), bytes_.size(), bytes_.size()});
}

void ProverChannel::send(std::span<const Fp2> xs) {
  size_t start = bytes_.size();
  for (auto x : xs) {
    put_u64(bytes_, x.a.v);
    put_u64(bytes_, x.b.v);
  }
  t_.absorb("fp2", std::span<const uint8_t>(bytes_.data() + start, bytes_.size() - start));
  close_section();
}

void ProverChannel::send_vals(std::span<const Fp2> xs) {
  if (!padding_) return send(xs);
  if (pads_.size() - next_pad_ < xs.size())
    throw std::logic_error("prover: more messages than committed pads");
  std::vector<Fp2> out(xs.begin(), xs.end());
  for (auto& x : out) x += pads_[next_pad_++];
  send(out);
}

void ProverChannel::send_base(std::span<const Fp> xs) {
  size_t start = bytes_.size();
  for (auto x : xs) put_u64(bytes_, x.v);
  t_.absorb("fp", std::span<const uint8_t>(bytes_.data() + start, bytes_.size() - start));
  close_section();
}

void ProverChannel::send(const Digest& d) {
  bytes_.insert(bytes_.end(), d.begin(), d.end());
  t_.absorb("digest", d);
  close_section();
}

std::vector<uint8_t> ProverChannel::take_bytes() {
  close_section();
  return std::move(bytes_);
}

const uint8_t* VerifierChannel::take(size_t n) {
  if (plan_ && n > in_.size() - pos_) {
    zeros_.assign(n, 0);
    return zeros_.data();
  }
  if (n > in_.size() - pos_)
    fail("proof is truncated (needed " + std::to_string(n) + " more bytes)");
  const uint8_t* p = in_.data() + pos_;
  pos_ += n;
  by_kind_[label_.substr(0, label_.find(' '))] += n;
  return p;
}

std::vector<Fp2> VerifierChannel::recv(size_t n) {
  const uint8_t* p = take(16 * n);
  std::vector<Fp2> out(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t a = get_u64(p + 16 * i), b = get_u64(p + 16 * i + 8);
    if (a >= Fp::kModulus || b >= Fp::kModulus)
      fail("malformed proof: non-canonical field element");
    out[i] = Fp2(Fp(a), Fp(b));
  }
  t_.absorb("fp2", std::span<const uint8_t>(p, 16 * n));
  return out;
}

std::vector<Fp> VerifierChannel::recv_base(size_t n) {
  const uint8_t* p = take(8 * n);
  std::vector<Fp> out(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t a = get_u64(p + 8 * i);
    if (a >= Fp::kModulus) fail("malformed proof: non-canonical field element");
    out[i] = Fp(a);
  }
  t_.absorb("fp", std::span<const uint8_t>(p, 8 * n));
  return out;
}

std::vector<Val> VerifierChannel::recv_vals(size_t n) {
  auto raw = recv(n);
  std::vector<Val> out(raw.begin(), raw.end());
  if (padding_)
    for (size_t i = 0; i < n; ++i) out[i] = Val::padded(raw[i], static_cast<uint32_t>(next_pad_++));
  return out;
}

void VerifierChannel::expect_eq(const Val& a, const Val& b, const std::string& check) {
  Val d = a - b;
  if (d.known()) return expect(d.constant().is_zero(), check);
  constraints_.push_back({std::move(d), label_ + ": " + check});
}

Digest VerifierChannel::recv_digest() {
  const uint8_t* p = take(32);
  Digest d;
  std::copy(p, p + 32, d.begin());
  t_.absorb("digest", d);
  return d;
}

void VerifierChannel::fail(const std::string& check) const {
  throw VerifyError(label_ + ": " + check);
}

void VerifierChannel::finish() const {
  if (pos_ != in_.size())
    throw VerifyError("proof: " + std::to_string(in_.size() - pos_) + " unexpected trailing bytes");
}

}  // namespace zk
