// The proof as a stream: the prover writes messages in protocol order and the
// verifier reads them in the same order. Every message is absorbed into the
// Fiat-Shamir transcript on both sides. Sizes are never read from the proof:
// the verifier knows from the verifying key how much to read at each step.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "field/goldilocks.h"
#include "hash/sha256.h"
#include "hash/transcript.h"

namespace zk {

// Thrown inside the verifier; the top-level verify() catches it and returns a
// result naming the check, so untrusted bytes never abort the process.
class VerifyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ProofSection {
  std::string label;
  size_t begin = 0, end = 0;  // byte range in the proof stream
};

class ProverChannel {
 public:
  explicit ProverChannel(Transcript t) : t_(std::move(t)) {}
  void section(std::string label);
  const std::string& label() const { return label_; }
  void send(Fp2 x) { send(std::span<const Fp2>(&x, 1)); }
  void send(std::span<const Fp2> xs);
  void send_base(std::span<const Fp> xs);
  void send(const Digest& d);
  Fp2 challenge(std::string_view tag) { return next_programmed(t_.challenge_fp2(tag)); }
  uint64_t challenge_index(std::string_view tag, uint64_t bound) {
    return t_.challenge_index(tag, bound);
  }
  // Simulation tests: the next field challenges come from this list (a
  // programmed random oracle) instead of the transcript.
  void program_challenges(std::vector<Fp2> c) { programmed_ = std::move(c); }
  std::vector<uint8_t> take_bytes();
  const std::vector<ProofSection>& sections() const { return sections_; }
  size_t size() const { return bytes_.size(); }

 private:
  void close_section();
  Fp2 next_programmed(Fp2 fallback) {
    if (next_ >= programmed_.size()) return fallback;
    return programmed_[next_++];
  }
  Transcript t_;
  std::vector<uint8_t> bytes_;
  std::vector<ProofSection> sections_;
  std::string label_;
  std::vector<Fp2> programmed_;
  size_t next_ = 0;
};

class VerifierChannel {
 public:
  VerifierChannel(Transcript t, std::span<const uint8_t> bytes) : t_(std::move(t)), in_(bytes) {}
  void section(std::string label) { label_ = std::move(label); }
  const std::string& label() const { return label_; }
  Fp2 recv() { return recv(1)[0]; }
  std::vector<Fp2> recv(size_t n);
  std::vector<Fp> recv_base(size_t n);
  Digest recv_digest();
  Fp2 challenge(std::string_view tag) {
    Fp2 c = t_.challenge_fp2(tag);
    return next_ < programmed_.size() ? programmed_[next_++] : c;
  }
  uint64_t challenge_index(std::string_view tag, uint64_t bound) {
    return t_.challenge_index(tag, bound);
  }
  void program_challenges(std::vector<Fp2> c) { programmed_ = std::move(c); }
  // Rejects with the current section's label and the failed check.
  [[noreturn]] void fail(const std::string& check) const;
  void expect(bool ok, const std::string& check) const {
    if (!ok) fail(check);
  }
  void finish() const;  // all bytes must have been consumed
  // Bytes read per kind of section (the label's first word), for reports.
  const std::map<std::string, size_t>& bytes_by_kind() const { return by_kind_; }

 private:
  const uint8_t* take(size_t n);
  Transcript t_;
  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  std::string label_ = "proof";
  std::vector<Fp2> programmed_;
  size_t next_ = 0;
  std::map<std::string, size_t> by_kind_;
};

}  // namespace zk
