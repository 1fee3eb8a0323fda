// Deliberately cheating provers for the soundness and zero-knowledge tests:
// the production prover run through its hooks (prover/hooks.h), so that no
// cheating branch lives in src/. Each deviation below must make the verifier
// reject, naming the check it breaks.
#pragma once

#include <map>
#include <vector>

#include "circuit/circuit.h"
#include "prover/protocol.h"

namespace zk::testing {

// How the prover deviates. With any deviation that changes what is proven
// (or `any`), the prover skips its self-checks and the verifier must reject.
struct Cheat {
  bool any = false;                 // prove the given values even if inconsistent
  bool select_padding = false;      // look up padded rows too (wrong selector leaves)
  bool shift_table = false;         // use a table with every row shifted by one
  bool zero_leaf = false;           // a lookup leaf with denominator zero
  bool zero_table_leaf = false;     // a table leaf with denominator zero
  bool extra_multiplicity = false;  // one table row counted once more than it is looked up
  bool zero_pads = false;           // zero knowledge with all pads zero (messages in the clear)
  // Statistical tests: the prover's field challenges, in order, instead of
  // the transcript's (a programmed random oracle; the proof will not verify).
  std::vector<Fp2> challenges;
  // Witness tensors committed as these field elements instead of their
  // integer values (e.g. non-integer "remainders" such as 2^-k).
  std::map<int, std::vector<Fp>> field_values;
};

class CheatingProver final : public prover::ProverHooks {
 public:
  CheatingProver(const circuit::Circuit& c, Cheat cheat) : c_(c), cheat_(std::move(cheat)) {}

  bool self_checks() const override {
    return !(cheat_.any || cheat_.select_padding || cheat_.shift_table || cheat_.zero_leaf ||
             cheat_.zero_table_leaf || cheat_.extra_multiplicity || !cheat_.field_values.empty());
  }
  std::vector<Fp2> programmed_challenges() const override { return cheat_.challenges; }
  const std::vector<Fp>* committed_values(int t) const override {
    auto it = cheat_.field_values.find(t);
    return it == cheat_.field_values.end() ? nullptr : &it->second;
  }
  void on_multiplicities(std::vector<std::vector<int64_t>>& mults) override {
    if (cheat_.extra_multiplicity) ++mults[0][0];
  }
  void on_fraction_leaves(const lookup::TableTree& tree, lookup::Leaves& leaves) override {
    for (const auto& b : tree.blocks) {
      if (b.group < 0) {  // the table
        if (cheat_.shift_table)
          for (size_t j = 0; j < b.size; ++j) leaves.q[b.offset + j] -= Fp2::one();
        if (cheat_.zero_table_leaf) leaves.q[b.offset] = Fp2::zero();
        continue;
      }
      const auto& group = tree.groups[b.group];
      size_t len = c_.tensors[group[0]->domain].padded_size();
      if (cheat_.select_padding)
        for (size_t i = 0; i < group.size() * len; ++i) leaves.p[b.offset + i] = Fp2::one();
      if (cheat_.zero_leaf) leaves.q[b.offset] = Fp2::zero();
    }
  }
  void on_pads(std::vector<Fp2>& pads) override {
    if (cheat_.zero_pads)
      for (auto& p : pads) p = Fp2::zero();
  }

 private:
  const circuit::Circuit& c_;
  Cheat cheat_;
};

// prover::prove_stream with a cheating prover.
inline prover::ProofStream prove_cheating(const circuit::Circuit& c,
                                          const pcs::LigeroProverData& weights,
                                          const circuit::Values& values,
                                          const prover::Statement& st, Cheat cheat) {
  CheatingProver hooks(c, std::move(cheat));
  return prover::prove_stream(c, weights, values, st, nullptr, &hooks);
}

}  // namespace zk::testing
