// The role-generic protocol engine (internal to src/prover). Engine<true>
// proves, Engine<false> verifies; both run the same phases in the same order
// so the transcripts cannot drift. Each phase is defined in its own file:
//   commit_phase.cc    1. witness commitment (and zero-knowledge blocks)
//   lookup_phase.cc    2. one LogUp fraction tree per table
//   output_phase.cc    3. public outputs and committed tensors
//   identity_phase.cc  4. requantization identities and hidden-input limbs
//   openings.cc        5. plain batched openings
//   zk_argument.cc     5. zero knowledge: pad products and the final argument
// Phases 2-4 leave their claims on committed blocks in claims_, which phase 5
// discharges; claims on derived tensors are reduced on the way (resolve).
#pragma once

#include <chrono>
#include <type_traits>

#include "circuit/ops/op.h"
#include "prover/protocol.h"
#include "prover/zk_layout.h"
#include "sumcheck/zk_sumcheck.h"

namespace zk::prover {

using namespace zk::circuit;

// Phase timings on stderr when ZK_TRACE is set (for profiling; off by default).
class Trace {
 public:
  Trace();
  void mark(const char* what);

 private:
  bool on_;
  std::chrono::steady_clock::time_point t_;
};

// What only the prover has: the witness, its commitments and its plan.
struct ProverSetup {
  const Values* values = nullptr;
  const Pcs::ProverData* weights = nullptr;
  const std::vector<Pcs::ProverData>* tensor_commitments = nullptr;
  ZkShape shape;                                     // zero knowledge: from the plan
  std::vector<std::pair<uint32_t, uint32_t>> pairs;  // zero knowledge: pad products
  const Transcript* statement = nullptr;  // before any message (the final argument replays)
  ProverHooks* hooks = nullptr;           // never null
};

template <bool kProver>
class Engine final : public ReduceContext {
 public:
  using Channel = std::conditional_t<kProver, ProverChannel, VerifierChannel>;

  // `prover` is required on the prover side and ignored on the verifier's.
  Engine(Channel& ch, const Circuit& c, const Statement& st, const Digest& weight_root,
         const ProverSetup* prover = nullptr);

  // Runs the protocol. With `stop` set (verifier only), stops before the
  // final argument: at the pads (plan) or after the product argument.
  enum class Stop { kNone, kPlan, kBeforeFinal };
  void run(Stop stop = Stop::kNone);
  // Verifier stopped before the final argument: what it collected.
  const ZkSystem& system() const { return system_; }
  // For the soundness count (soundness.cc): the claims collected so far and
  // each table's fraction tree (its number of variables).
  size_t num_claims() const { return claims_.size(); }
  const std::vector<unsigned>& lookup_trees() const { return lookup_vars_; }

  // ReduceContext: what the ops' reductions use.
  bool prover() const override { return kProver; }
  const Circuit& circuit() const override { return c_; }
  const std::vector<int64_t>& values(int t) const override { return (*p_.values)[t]; }
  Val claim(int t, const Point& r) override;
  Val exchange(Fp2 v) override {
    return xchg([&] { return v; });
  }
  void check(bool ok, const std::string& what) override;
  void check_eq(const Val& a, const Val& b, const std::string& what) override;
  SumcheckOutcome sumcheck(std::vector<std::vector<Fp2>>& tables,
                           const std::vector<ProductTerm>& terms, unsigned degree, Val claim,
                           unsigned num_vars) override;
  Val expr_claim(const LinExpr& e, const Point& r) override;
  void resolve(int t, const Point& r, Val v) override;

 private:
  // Prover: computes and sends a value; verifier: receives it.
  template <typename F>
  Val xchg(F&& compute) {
    if constexpr (kProver) {
      Fp2 v = compute();
      ch_.send_val(v);
      return v;
    } else {
      return ch_.recv_val();
    }
  }
  Point challenge_point(unsigned n) override;
  std::vector<Fp> expr_values(const LinExpr& e, const Tensor& dom) const;
  bool hidden_weights() const { return c_.weight_vis == Visibility::kCommitted; }

  // The phases, in protocol order.
  void commit_phase();
  void count_multiplicities();
  void fill_zk_blocks(std::vector<Fp>& packed);
  void write_mask(Fp* block) const;
  void lookup_phase();
  void lookup_table(const lookup::TableTree& tree);
  void output_phase();
  void commitment_phase();
  void identity_phase();
  void plain_openings();
  void product_phase();
  void final_phase();
  void final_prove(const VirtualLayout& vl, Fp2 gamma);
  void final_verify(const VirtualLayout& vl, Fp2 gamma);
  VirtualLayout virtual_vars() const;
  pcs::CoefficientForm mask_form(const Point& z) const;

  Channel& ch_;
  const Circuit& c_;
  const Statement& st_;
  const Digest weight_root_;
  ProverSetup p_;  // prover only
  const bool zk_;
  const Layout wl_;
  const Pcs wpcs_;  // the weight commitment's scheme
  // 1. commitments
  Layout xl_;
  Pcs xpcs_;       // the witness commitment's scheme
  ZkShape shape_;  // zero knowledge: pads and products (read from the proof on the verifier)
  std::vector<LookupSpec> lookups_;
  std::vector<std::vector<int64_t>> mults_;
  Pcs::ProverData witness_;
  Digest witness_root_;
  Fp2 alpha_, beta_;
  std::vector<unsigned> lookup_vars_;  // per lookup table used: its fraction tree's variables
  // 2-5. claims on committed blocks, discharged by the final argument
  std::vector<ZkClaim> claims_;
  // zero knowledge
  std::vector<std::pair<uint32_t, uint32_t>> pairs_;
  std::vector<Fp2> pads_, slots_a_, slots_b_, slots_c_;
  SumcheckMask mask_;
  Pcs::ProverData weight_masks_;
  Digest weight_mask_root_;
  ZkSystem system_;  // verifier stopped before the final argument
};

}  // namespace zk::prover
