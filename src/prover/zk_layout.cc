#include "prover/zk_layout.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace zk::prover {

namespace {

// The zero-knowledge blocks, in ZkBlock order; the mask's is the witness
// scheme's coefficient block.
std::vector<size_t> zk_block_sizes(const ZkShape& z, size_t mask_block) {
  size_t pb = z.pad_block(), sb = z.slot_block();
  return {pb, pb, sb, sb, sb, sb, sb, sb, kRandBlock, mask_block};
}

}  // namespace

Layout zk_witness_layout(const circuit::Circuit& c, const ZkShape& z, Pcs& pcs) {
  // The mask's coefficient block is sized by the scheme, whose parameters
  // depend on the vector's size: the scheme chooses both at once.
  auto layout = [&](size_t mask_block) {
    return make_layout(c, circuit::TensorKind::kWitness, true, zk_block_sizes(z, mask_block));
  };
  pcs = Pcs::masked([&](size_t block) { return layout(block).num_vars; }, 2);
  Layout l = layout(pcs.coefficient_block());
  if (!pcs.hiding() || pcs.num_vars() != l.num_vars)
    throw std::logic_error("zero knowledge: no commitment parameters for the witness");
  pcs = pcs.for_used(l.used);
  return l;
}

std::vector<std::pair<uint32_t, uint32_t>> product_pairs(const std::vector<Constraint>& cs) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  std::map<std::pair<uint32_t, uint32_t>, size_t> seen;
  for (const auto& c : cs)
    for (const auto& [i, j, k] : c.diff.quad())
      if (seen.emplace(std::make_pair(i, j), out.size()).second) out.push_back({i, j});
  return out;
}

VirtualLayout virtual_layout(unsigned witness_vars, const std::vector<unsigned>& tensor_vars,
                             unsigned weight_vars, size_t weight_used) {
  VirtualLayout v;
  v.vars = {witness_vars, weight_vars};
  v.vars.insert(v.vars.end(), tensor_vars.begin(), tensor_vars.end());
  v.offset.assign(v.vars.size(), 0);
  v.has_weights = weight_vars > 0;
  std::vector<size_t> order{0};
  for (size_t k = 0; k < tensor_vars.size(); ++k) order.push_back(2 + k);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return v.vars[a] > v.vars[b]; });
  // Hidden weights first; the other blocks go into the zero tail of their
  // block where they fit (aligned), so the vector is often no larger than the
  // weights'. The sum is what the sumcheck sees; its value at z is the sum of
  // the blocks' values, and a weight tail that is not zero only shifts the
  // witness the proof is about (docs/ZERO_KNOWLEDGE.md).
  size_t cap = 0, free = 0, end = 0;
  if (v.has_weights) {
    cap = size_t{1} << weight_vars;
    free = weight_used;
    end = cap;
  }
  for (size_t id : order) {
    size_t size = size_t{1} << v.vars[id];
    size_t at = (free + size - 1) / size * size;
    if (at + size <= cap) {
      v.offset[id] = at;
      free = at + size;
      continue;
    }
    v.offset[id] = (end + size - 1) / size * size;
    end = v.offset[id] + size;
  }
  v.num_vars = log2_exact(next_pow2(std::max<size_t>(end, 2)));
  return v;
}

Fp2 block_weight(size_t offset, unsigned s, const Point& z) {
  return eq_at_index(std::span<const Fp2>(z.data() + s, z.size() - s), offset >> s);
}

Fp2 eq_block_at(size_t offset, const Point& p, const Point& z) {
  size_t k = p.size();
  Fp2 e = eq_eval(p, std::span<const Fp2>(z.data(), k));
  return e * eq_at_index(std::span<const Fp2>(z.data() + k, z.size() - k), offset >> k);
}

}  // namespace zk::prover
