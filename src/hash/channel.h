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

#include "field/error.h"
#include "field/goldilocks.h"
#include "hash/sha256.h"
#include "hash/transcript.h"
#include "hash/val.h"

namespace zk {

// Thrown inside the verifier; the top-level verify() catches it and returns a
// result naming the check, so untrusted bytes never abort the process.
class VerifyError : public Error {
 public:
  using Error::Error;
};

// A check the zero-knowledge verifier could not make in the clear: diff must
// be zero once the hidden pads are substituted (proven at the end).
struct Constraint {
  Val diff;
  std::string what;  // section and check, for messages
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
  // Protocol messages: sent as they are, or in zero-knowledge mode under the
  // next one-time pad (see hash/val.h).
  void send_val(Fp2 x) { send_vals(std::span<const Fp2>(&x, 1)); }
  void send_vals(std::span<const Fp2> xs);
  void set_pads(std::vector<Fp2> pads) {
    pads_ = std::move(pads);
    next_pad_ = 0;
    padding_ = true;
  }
  void set_padding(bool on) { padding_ = on; }
  size_t pads_used() const { return next_pad_; }
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
  const std::vector<uint8_t>& bytes() const { return bytes_; }

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
  std::vector<Fp2> pads_;
  size_t next_pad_ = 0;
  bool padding_ = false;
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
  // Protocol messages (the counterpart of send_val): known values, or in
  // zero-knowledge mode expressions over the next pad.
  Val recv_val() { return recv_vals(1)[0]; }
  std::vector<Val> recv_vals(size_t n);
  void set_padding(bool on) { padding_ = on; }
  size_t pads_used() const { return next_pad_; }
  // Checks a == b: at once when both are known, otherwise records a constraint.
  void expect_eq(const Val& a, const Val& b, const std::string& check);
  const std::vector<Constraint>& constraints() const { return constraints_; }
  // Planning run (the prover's, to size its pads): reading past the end gives
  // zeros and no check fails.
  void set_plan_mode() { plan_ = true; }
  Fp2 challenge(std::string_view tag) {
    ++challenges_;
    Fp2 c = t_.challenge_fp2(tag);
    return next_ < programmed_.size() ? programmed_[next_++] : c;
  }
  // Soundness accounting (prover::soundness counts a planning run): every
  // field challenge drawn, and the sumcheck rounds with their degrees, since
  // a round's error is its degree / |F| (Schwartz-Zippel).
  void note_sumcheck(unsigned rounds, unsigned degree) {
    sumcheck_rounds_ += rounds;
    sumcheck_degree_ += uint64_t{rounds} * degree;
  }
  uint64_t challenges() const { return challenges_; }
  uint64_t sumcheck_rounds() const { return sumcheck_rounds_; }
  uint64_t sumcheck_degree() const { return sumcheck_degree_; }
  uint64_t challenge_index(std::string_view tag, uint64_t bound) {
    return t_.challenge_index(tag, bound);
  }
  void program_challenges(std::vector<Fp2> c) { programmed_ = std::move(c); }
  // Rejects with the current section's label and the failed check.
  [[noreturn]] void fail(const std::string& check) const;
  void expect(bool ok, const std::string& check) const {
    if (!ok && !plan_) fail(check);
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
  size_t next_pad_ = 0;
  bool padding_ = false, plan_ = false;
  std::vector<Constraint> constraints_;
  std::vector<uint8_t> zeros_;
  uint64_t challenges_ = 0, sumcheck_rounds_ = 0, sumcheck_degree_ = 0;
};

}  // namespace zk
