// Phase 2, lookups. Input: the lookups the circuit implies, the committed
// multiplicities and the challenges alpha_, beta_. Output: per table, one
// LogUp-GKR argument that the fraction tree of every lookup into it and the
// table (negated multiplicities) sums to zero, and claims on the looked-up
// tensors and the multiplicities (claims_) at the tree's random point.
#include "lookup/logup.h"
#include "prover/engine.h"

namespace zk::prover {

template <bool kProver>
void Engine<kProver>::lookup_phase() {
  for (size_t tb = 0; tb < c_.tables.size(); ++tb) {
    auto tree = lookup::table_tree(c_, lookups_, static_cast<int>(tb));
    if (!tree.empty()) lookup_table(tree);
  }
}

template <bool kProver>
void Engine<kProver>::lookup_table(const lookup::TableTree& tree) {
  const int tb = tree.table;
  lookup_vars_.push_back(tree.num_vars);
  ch_.section("lookup table " + std::to_string(tb) + " ('" + tree.groups[0][0]->what + "'" +
              (lookups_.size() > 1 ? " and others" : "") + ")");
  lookup::LeafClaim lc;
  if constexpr (kProver) {
    auto leaves = lookup::tree_leaves(
        c_, tree, mults_[tb], alpha_, beta_,
        [&](const LinExpr& e, const Tensor& dom) { return expr_values(e, dom); });
    p_.hooks->on_fraction_leaves(tree, leaves);
    lc = lookup::fraction_sum_prove(ch_, std::move(leaves.p), std::move(leaves.q));
  } else {
    lc = lookup::fraction_sum_verify(ch_, tree.num_vars);
  }
  auto multiplicity = [&](const Point& low) {
    Val m = xchg([&] { return mle_eval_int(mults_[tb], low); });
    claims_.push_back({{{0, static_cast<size_t>(xl_.table_offset[tb]), Fp2::one()}}, low, m});
    return m;
  };
  auto expr = [&](const LinExpr& e, const Point& r) { return expr_claim(e, r); };
  auto leaf = lookup::leaf_values(c_, tree, lc.point, alpha_, beta_, multiplicity, expr);
  check_eq(lc.p, leaf.p, "lookup selector check failed");
  check_eq(lc.q, leaf.q,
           "lookup leaf check failed: looked-up values do not match the committed tensors");
  check_eq(lc.root.p, Fp2::zero(), "lookup sums differ: some looked-up value is not in the table");
}

template void Engine<true>::lookup_phase();
template void Engine<false>::lookup_phase();

}  // namespace zk::prover
