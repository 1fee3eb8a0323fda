// The points where a test may make the prover deviate from the protocol.
// Production code passes no hooks (every method here is a no-op); soundness
// and zero-knowledge tests derive cheating provers from this class
// (tests/support/cheating_prover.h) so that no cheating branch lives in the
// prover itself.
#pragma once

#include <cstdint>
#include <vector>

#include "field/goldilocks.h"
#include "lookup/tensor_lookup.h"

namespace zk::prover {

class ProverHooks {
 public:
  virtual ~ProverHooks() = default;
  // False: prove whatever the values are. The prover then skips its
  // self-checks (and values outside a lookup table), leaving the verifier to
  // reject.
  virtual bool self_checks() const { return true; }
  // The field challenges to use, in order, instead of the transcript's (a
  // programmed random oracle; the proof will not verify). Empty: none.
  virtual std::vector<Fp2> programmed_challenges() const { return {}; }
  // Witness tensor t committed (and claimed, and looked up) as these field
  // elements instead of its integer values; nullptr: its values.
  virtual const std::vector<Fp>* committed_values(int t) const { return nullptr; }
  // The lookup multiplicities (per table, per row) before they are committed.
  virtual void on_multiplicities(std::vector<std::vector<int64_t>>& mults) {}
  // One table's fraction-tree leaves before the GKR argument runs on them.
  virtual void on_fraction_leaves(const lookup::TableTree& tree, lookup::Leaves& leaves) {}
  // Zero knowledge: the one-time pads, once drawn, before they are committed.
  virtual void on_pads(std::vector<Fp2>& pads) {}
};

}  // namespace zk::prover
