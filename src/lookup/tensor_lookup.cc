#include "lookup/tensor_lookup.h"

#include <algorithm>

#include "circuit/layout.h"
#include "field/parallel.h"

namespace zk::lookup {

using circuit::Circuit;
using circuit::Tensor;

namespace {

size_t next_pow2(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

// The MLE at r of the 0/1 indicator of t's valid positions.
Fp2 selector_eval(const Tensor& t, const Point& r) {
  Fp2 acc = Fp2::one();
  for (size_t d = 0; d < t.dims.size(); ++d) {
    auto first = r.begin() + t.var_offset(d);
    acc *= prefix_indicator(Point(first, first + t.log_dims[d]), t.dims[d]);
  }
  return acc;
}

}  // namespace

TableTree table_tree(const Circuit& c, const std::vector<circuit::LookupSpec>& lookups, int table) {
  TableTree tree;
  tree.table = table;
  for (const auto& lk : lookups) {
    if (lk.table != table) continue;
    auto it = std::find_if(tree.groups.begin(), tree.groups.end(),
                           [&](const auto& g) { return g[0]->domain == lk.domain; });
    if (it == tree.groups.end())
      tree.groups.push_back({&lk});
    else
      it->push_back(&lk);
  }
  if (tree.groups.empty()) return tree;
  for (size_t g = 0; g < tree.groups.size(); ++g) {
    unsigned k = log2_exact(next_pow2(tree.groups[g].size()));
    tree.blocks.push_back(
        {c.tensors[tree.groups[g][0]->domain].padded_size() << k, static_cast<int>(g)});
  }
  tree.blocks.push_back({size_t{1} << c.table_bits, -1});
  std::stable_sort(tree.blocks.begin(), tree.blocks.end(),
                   [](const TreeBlock& a, const TreeBlock& b) { return a.size > b.size; });
  size_t total = 0;
  for (auto& b : tree.blocks) {
    b.offset = total;
    total += b.size;
  }
  tree.num_vars = log2_exact(next_pow2(total));
  return tree;
}

std::vector<Fp> table_column(const Circuit& c, const circuit::Table& t, bool out) {
  size_t n = size_t{1} << c.table_bits;
  std::vector<Fp> v(n);
  for (size_t j = 0; j < n; ++j)
    v[j] = Fp::from_int(out ? t.out_value(j, c.table_bits) : t.in_value(j, c.table_bits));
  return v;
}

Leaves tree_leaves(const Circuit& c, const TableTree& tree,
                   const std::vector<int64_t>& multiplicities, Fp2 alpha, Fp2 beta,
                   const ExprValues& values) {
  // Unused leaves are 0 / 1.
  // (Filled on two threads: the fill is the first touch of their pages.)
  Leaves l;
  parallel_chunks(2, 1, [&](size_t b, size_t e, unsigned) {
    for (size_t k = b; k < e; ++k)
      (k == 0 ? l.p : l.q).assign(size_t{1} << tree.num_vars, k == 0 ? Fp2::zero() : Fp2::one());
  });
  const auto& table = c.tables[tree.table];
  const auto tin = table_column(c, table, false), tout = table_column(c, table, true);
  for (const auto& b : tree.blocks) {
    if (b.group < 0) {
      parallel_chunks(tin.size(), size_t{1} << 12, [&](size_t lo, size_t hi, unsigned) {
        for (size_t j = lo; j < hi; ++j) {
          l.p[b.offset + j] = -Fp2::from_int(multiplicities[j]);
          l.q[b.offset + j] = alpha - (Fp2(tin[j]) + beta * Fp2(tout[j]));
        }
      });
      continue;
    }
    const auto& group = tree.groups[b.group];
    const Tensor& dom = c.tensors[group[0]->domain];
    size_t len = dom.padded_size();
    for (size_t j = 0; j < group.size(); ++j) {
      auto in = values(group[j]->in, dom), out = values(group[j]->out, dom);
      const size_t at = b.offset + j * len;
      parallel_chunks(len, size_t{1} << 12, [&](size_t lo, size_t hi, unsigned) {
        for (size_t i = lo; i < hi; ++i) {
          l.p[at + i] = circuit::is_valid_index(dom, i) ? Fp2::one() : Fp2::zero();
          l.q[at + i] = alpha - (Fp2(in[i]) + beta * Fp2(out[i]));
        }
      });
    }
  }
  return l;
}

LeafValues leaf_values(const Circuit& c, const TableTree& tree, const Point& point, Fp2 alpha,
                       Fp2 beta, const std::function<Val(const Point&)>& multiplicity,
                       const std::function<Val(const circuit::LinExpr&, const Point&)>& expr) {
  const unsigned L = tree.num_vars;
  const auto& table = c.tables[tree.table];
  const auto tin = table_column(c, table, false), tout = table_column(c, table, true);
  LeafValues out{Fp2::zero(), Fp2::zero()};
  Fp2 covered = Fp2::zero();
  // Block by block: each block's MLE at the point's low coordinates, weighted
  // by where the block sits.
  for (const auto& b : tree.blocks) {
    unsigned s = log2_exact(b.size);
    Point low(point.begin(), point.begin() + s);
    Fp2 e = eq_at_index(std::span<const Fp2>(point.data() + s, L - s), b.offset >> s);
    covered += e;
    if (b.group < 0) {
      Fp2 tin_v = mle_eval(std::span<const Fp>(tin), low);
      Fp2 tout_v = mle_eval(std::span<const Fp>(tout), low);
      Val m_v = multiplicity(low);
      out.p -= e * m_v;
      out.q += e * (alpha - (tin_v + beta * tout_v));
      continue;
    }
    const auto& group = tree.groups[b.group];
    const Tensor& dom = c.tensors[group[0]->domain];
    const unsigned n = dom.num_vars(), k = s - n;
    Point r_low(low.begin(), low.begin() + n);
    auto e_high = eq_table(std::span<const Fp2>(low.data() + n, k));
    Fp2 live = Fp2::zero();
    Val leaf = Fp2::zero();
    for (size_t j = 0; j < e_high.size(); ++j) {
      if (j >= group.size()) {
        leaf += e_high[j];  // padding instance: denominator 1
        continue;
      }
      live += e_high[j];
      Val in_v = expr(group[j]->in, r_low), out_v = expr(group[j]->out, r_low);
      leaf += e_high[j] * (alpha - (in_v + beta * out_v));
    }
    out.p += e * selector_eval(dom, r_low) * live;
    out.q += e * leaf;
  }
  out.q += Fp2::one() - covered;  // unused leaves: 0 / 1
  return out;
}

}  // namespace zk::lookup
